import type { Permission, Role } from './roles';

/** Who is acting: taken from the credentials of the request, never from its body. */
export interface Actor {
  readonly tenantId: string;
  readonly type: 'user' | 'api_key' | 'system';
  readonly id: string | null;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly permissions: readonly Permission[];
  readonly sessionId?: string;
}

/** What a use case knows about the request it serves. */
export interface RequestContext {
  readonly actor: Actor;
  readonly requestId: string | null;
}

export function systemContext(tenantId: string, name = 'system'): RequestContext {
  return { actor: { tenantId, type: 'system', id: null, name, roles: [], permissions: [] }, requestId: null };
}
