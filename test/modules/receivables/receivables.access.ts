import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/customers/{id}/open-items', allowed: anyRole },
  { method: 'GET', url: '/api/v1/customers/{id}/statement', allowed: anyRole },
  { method: 'GET', url: '/api/v1/receivables/aging', allowed: anyRole },
  { method: 'GET', url: '/api/v1/receivables/reconciliation', allowed: ['admin', 'controller', 'collector', 'cashapp', 'viewer'] },
];
