import { anyRole } from '../../../src/platform/auth/roles';
import type { AccessRow } from '../../support/access-matrix';

const warehouse = ['admin', 'warehouse'] as const;

export const accessMatrix: readonly AccessRow[] = [
  { method: 'GET', url: '/api/v1/shipping-queue', allowed: anyRole },
  { method: 'GET', url: '/api/v1/backorders', allowed: anyRole },
  { method: 'POST', url: '/api/v1/backorders/allocate', allowed: warehouse },
  { method: 'GET', url: '/api/v1/shipments', allowed: anyRole },
  { method: 'POST', url: '/api/v1/shipments', allowed: warehouse },
  { method: 'GET', url: '/api/v1/shipments/{id}', allowed: anyRole },
  { method: 'GET', url: '/api/v1/shipments/{id}/history', allowed: anyRole },
  { method: 'POST', url: '/api/v1/shipments/{id}/pick', allowed: warehouse },
  { method: 'POST', url: '/api/v1/shipments/{id}/pack', allowed: warehouse },
  { method: 'POST', url: '/api/v1/shipments/{id}/ship', allowed: warehouse },
  { method: 'POST', url: '/api/v1/shipments/{id}/deliver', allowed: warehouse },
  { method: 'POST', url: '/api/v1/shipments/{id}/delivery-exception', allowed: warehouse },
  { method: 'POST', url: '/api/v1/shipments/{id}/cancel', allowed: warehouse },
  { method: 'POST', url: '/api/v1/shipments/{id}/proof-of-delivery', allowed: warehouse },
  { method: 'GET', url: '/api/v1/shipments/{id}/files/{documentId}', allowed: anyRole },
  { method: 'GET', url: '/api/v1/shipments/{id}/documents/{kind}', allowed: anyRole },
];
