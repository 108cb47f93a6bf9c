import type { AccessRow } from '../../support/access-matrix';

const readers = ['admin', 'credit', 'sales', 'controller', 'collector', 'viewer'] as const;
/** Credit decisions belong to the credit role alone: not even admins release orders or change limits. */
const creditOnly = ['credit'] as const;
const policy = ['admin', 'credit'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/credit/settings', allowed: readers },
  { method: 'PUT', url: '/api/v1/credit/settings', allowed: policy },
  { method: 'GET', url: '/api/v1/credit/customers/{id}', allowed: readers },
  { method: 'GET', url: '/api/v1/credit/customers/{id}/exposure', allowed: readers },
  { method: 'PUT', url: '/api/v1/credit/customers/{id}/limit', allowed: creditOnly },
  { method: 'POST', url: '/api/v1/credit/customers/{id}/block', allowed: creditOnly },
  { method: 'POST', url: '/api/v1/credit/customers/{id}/unblock', allowed: creditOnly },
  { method: 'POST', url: '/api/v1/credit/customers/{id}/score', allowed: policy },
  { method: 'GET', url: '/api/v1/credit-reviews', allowed: readers },
  { method: 'GET', url: '/api/v1/credit-reviews/{id}', allowed: readers },
  { method: 'POST', url: '/api/v1/credit-reviews/{id}/release', allowed: creditOnly },
  { method: 'POST', url: '/api/v1/credit-reviews/{id}/reject', allowed: creditOnly },
  { method: 'GET', url: '/api/v1/credit/limit-requests', allowed: readers },
  { method: 'POST', url: '/api/v1/credit/limit-requests', allowed: ['admin', 'sales', 'credit'] },
  { method: 'POST', url: '/api/v1/credit/limit-requests/{id}/approve', allowed: creditOnly },
  { method: 'POST', url: '/api/v1/credit/limit-requests/{id}/reject', allowed: creditOnly },
];
