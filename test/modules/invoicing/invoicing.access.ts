import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const billing = ['admin', 'billing'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/invoicing/ready', allowed: anyRole },
  { method: 'POST', url: '/api/v1/invoice-runs', allowed: billing },
  { method: 'GET', url: '/api/v1/invoicing/settings', allowed: anyRole },
  { method: 'PUT', url: '/api/v1/invoicing/settings', allowed: ['admin'] },
  { method: 'GET', url: '/api/v1/invoices', allowed: anyRole },
  { method: 'POST', url: '/api/v1/invoices', allowed: billing },
  { method: 'GET', url: '/api/v1/invoices/{id}', allowed: anyRole },
  { method: 'PATCH', url: '/api/v1/invoices/{id}', allowed: billing },
  { method: 'DELETE', url: '/api/v1/invoices/{id}', allowed: billing },
  { method: 'POST', url: '/api/v1/invoices/{id}/issue', allowed: billing },
  { method: 'POST', url: '/api/v1/invoices/{id}/credit-notes', allowed: billing },
  { method: 'POST', url: '/api/v1/invoices/{id}/correct', allowed: billing },
  { method: 'POST', url: '/api/v1/invoices/{id}/send', allowed: billing },
  { method: 'GET', url: '/api/v1/invoices/{id}/validation', allowed: anyRole },
  { method: 'GET', url: '/api/v1/invoices/{id}/{file}', allowed: anyRole },
  { method: 'GET', url: '/api/v1/invoices/{id}/history', allowed: anyRole },
];
