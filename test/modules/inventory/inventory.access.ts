import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const stockKeepers = ['admin', 'warehouse'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/warehouses', allowed: anyRole },
  { method: 'POST', url: '/api/v1/warehouses', allowed: stockKeepers },
  { method: 'PATCH', url: '/api/v1/warehouses/{id}', allowed: stockKeepers },
  { method: 'GET', url: '/api/v1/stock', allowed: anyRole },
  { method: 'GET', url: '/api/v1/availability', allowed: anyRole },
  { method: 'POST', url: '/api/v1/stock/receipts', allowed: stockKeepers },
  { method: 'POST', url: '/api/v1/stock/adjustments', allowed: stockKeepers },
  { method: 'GET', url: '/api/v1/stock/movements', allowed: anyRole },
];
