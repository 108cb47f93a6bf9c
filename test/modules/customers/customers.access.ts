import { roles } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

/** Every route of the customers module and the roles it admits. */
export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/payment-terms', allowed: roles },
  { method: 'POST', url: '/api/v1/payment-terms', allowed: ['admin', 'controller'] },
  { method: 'GET', url: '/api/v1/payment-terms/{id}', allowed: roles },
  { method: 'PATCH', url: '/api/v1/payment-terms/{id}', allowed: ['admin', 'controller'] },
  { method: 'GET', url: '/api/v1/customers', allowed: roles },
  { method: 'POST', url: '/api/v1/customers', allowed: ['admin', 'sales'] },
  { method: 'GET', url: '/api/v1/customers/{id}', allowed: roles },
  // Sales change master data, credit the credit limit: the use case decides per field.
  { method: 'PATCH', url: '/api/v1/customers/{id}', allowed: ['admin', 'sales', 'credit'] },
  { method: 'PUT', url: '/api/v1/customers/{id}/addresses', allowed: ['admin', 'sales'] },
  { method: 'PUT', url: '/api/v1/customers/{id}/contacts', allowed: ['admin', 'sales'] },
  { method: 'PUT', url: '/api/v1/customers/{id}/bank-accounts', allowed: ['admin', 'sales'] },
  { method: 'POST', url: '/api/v1/customers/{id}/block', allowed: ['admin', 'credit'] },
  { method: 'POST', url: '/api/v1/customers/{id}/unblock', allowed: ['admin', 'credit'] },
  { method: 'POST', url: '/api/v1/customers/{id}/archive', allowed: ['admin', 'sales'] },
  { method: 'POST', url: '/api/v1/customers/{id}/restore', allowed: ['admin', 'sales'] },
];
