import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const orderDesk = ['admin', 'sales'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'POST', url: '/api/v1/orders', allowed: orderDesk },
  { method: 'POST', url: '/api/v1/order-quotes', allowed: orderDesk },
  { method: 'GET', url: '/api/v1/orders', allowed: anyRole },
  { method: 'GET', url: '/api/v1/orders/{id}', allowed: anyRole },
  { method: 'GET', url: '/api/v1/orders/{id}/confirmation.pdf', allowed: anyRole },
  { method: 'GET', url: '/api/v1/orders/{id}/history', allowed: anyRole },
  { method: 'PATCH', url: '/api/v1/orders/{id}', allowed: orderDesk },
  { method: 'PUT', url: '/api/v1/orders/{id}/lines', allowed: orderDesk },
  { method: 'POST', url: '/api/v1/orders/{id}/cancel', allowed: orderDesk },
  { method: 'POST', url: '/api/v1/orders/{id}/submit', allowed: orderDesk },
  { method: 'POST', url: '/api/v1/order-imports', allowed: orderDesk },
];
