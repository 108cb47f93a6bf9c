import { anyRole, type Role } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const everyone = anyRole;
const catalogWriters: readonly Role[] = ['admin', 'sales'];
const taxWriters: readonly Role[] = ['admin', 'controller'];

/** Who may use the catalog's routes: everyone reads; admin and sales keep items and prices; admin and controller keep tax. */
export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/items', allowed: everyone },
  { method: 'POST', url: '/api/v1/items', allowed: catalogWriters },
  { method: 'GET', url: '/api/v1/items/{id}', allowed: everyone },
  { method: 'PATCH', url: '/api/v1/items/{id}', allowed: catalogWriters },
  { method: 'GET', url: '/api/v1/units', allowed: everyone },
  { method: 'GET', url: '/api/v1/price-lists', allowed: everyone },
  { method: 'POST', url: '/api/v1/price-lists', allowed: catalogWriters },
  { method: 'GET', url: '/api/v1/price-lists/{id}', allowed: everyone },
  { method: 'PATCH', url: '/api/v1/price-lists/{id}', allowed: catalogWriters },
  { method: 'GET', url: '/api/v1/price-lists/{id}/entries', allowed: everyone },
  { method: 'PUT', url: '/api/v1/price-lists/{id}/entries', allowed: catalogWriters },
  { method: 'DELETE', url: '/api/v1/price-lists/{id}/entries/{itemId}', allowed: catalogWriters },
  { method: 'GET', url: '/api/v1/prices', allowed: everyone },
  { method: 'GET', url: '/api/v1/tax-categories', allowed: everyone },
  { method: 'POST', url: '/api/v1/tax-categories', allowed: taxWriters },
  { method: 'PATCH', url: '/api/v1/tax-categories/{id}', allowed: taxWriters },
  { method: 'GET', url: '/api/v1/tax-rates', allowed: everyone },
  { method: 'POST', url: '/api/v1/tax-rates', allowed: taxWriters },
  { method: 'GET', url: '/api/v1/tax-rates/{id}', allowed: everyone },
  { method: 'PATCH', url: '/api/v1/tax-rates/{id}', allowed: taxWriters },
  { method: 'GET', url: '/api/v1/tax-determination', allowed: everyone },
];
