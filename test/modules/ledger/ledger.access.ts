import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const controllers = ['admin', 'controller'] as const;
const readers = ['admin', 'controller', 'billing', 'collector', 'cashapp', 'viewer'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/accounts', allowed: anyRole },
  { method: 'POST', url: '/api/v1/accounts', allowed: controllers },
  { method: 'PATCH', url: '/api/v1/accounts/{id}', allowed: controllers },
  { method: 'DELETE', url: '/api/v1/accounts/{id}', allowed: controllers },
  { method: 'GET', url: '/api/v1/journal-entries', allowed: readers },
  { method: 'GET', url: '/api/v1/journal-entries/{id}', allowed: readers },
  { method: 'POST', url: '/api/v1/journal-entries', allowed: controllers },
  { method: 'POST', url: '/api/v1/journal-entries/{id}/reverse', allowed: controllers },
  { method: 'GET', url: '/api/v1/exchange-rates', allowed: anyRole },
  { method: 'POST', url: '/api/v1/exchange-rates', allowed: controllers },
  { method: 'POST', url: '/api/v1/exchange-rate-imports', allowed: controllers },
  { method: 'GET', url: '/api/v1/periods', allowed: readers },
  { method: 'POST', url: '/api/v1/periods/{period}/close', allowed: ['controller'] },
  { method: 'POST', url: '/api/v1/periods/{period}/reopen', allowed: ['controller'] },
  { method: 'GET', url: '/api/v1/reports/trial-balance', allowed: readers },
  { method: 'GET', url: '/api/v1/reports/account-ledger', allowed: readers },
];
