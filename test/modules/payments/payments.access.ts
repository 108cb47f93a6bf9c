import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const cash = ['admin', 'cashapp', 'collector'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/payments', allowed: anyRole },
  { method: 'POST', url: '/api/v1/payments', allowed: cash },
  { method: 'POST', url: '/api/v1/payments/preview', allowed: cash },
  { method: 'GET', url: '/api/v1/payments/{id}', allowed: anyRole },
  { method: 'POST', url: '/api/v1/payments/{id}/preview', allowed: cash },
  { method: 'POST', url: '/api/v1/payments/{id}/applications', allowed: cash },
  { method: 'POST', url: '/api/v1/payments/{id}/reverse', allowed: cash },
  { method: 'POST', url: '/api/v1/payments/{id}/refunds', allowed: cash },
  { method: 'GET', url: '/api/v1/payments/{id}/history', allowed: anyRole },
  { method: 'GET', url: '/api/v1/payment-applications', allowed: anyRole },
  { method: 'POST', url: '/api/v1/payment-applications/{id}/undo', allowed: cash },
  { method: 'GET', url: '/api/v1/refunds', allowed: anyRole },
  { method: 'POST', url: '/api/v1/credit-notes/{id}/applications', allowed: cash },
  { method: 'POST', url: '/api/v1/credit-notes/{id}/refunds', allowed: cash },
  { method: 'GET', url: '/api/v1/payment-settings', allowed: anyRole },
  { method: 'PUT', url: '/api/v1/payment-settings', allowed: ['admin', 'controller'] },
  { method: 'GET', url: '/api/v1/write-offs', allowed: anyRole },
  { method: 'POST', url: '/api/v1/write-offs', allowed: ['admin', 'collector', 'cashapp', 'billing', 'controller'] },
  { method: 'GET', url: '/api/v1/write-offs/{id}', allowed: anyRole },
  { method: 'POST', url: '/api/v1/write-offs/{id}/approve', allowed: ['admin', 'controller', 'collector'] },
  { method: 'POST', url: '/api/v1/write-offs/{id}/reject', allowed: ['admin', 'controller', 'collector'] },
];
