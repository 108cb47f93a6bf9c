import type { Executor } from '../db/database';
import type { RequestContext } from './actor';

/**
 * Who acted, as a person: a user, or for an API key the user who created it, so
 * one person cannot ask with a key and decide in the browser (segregation of
 * duties: write-offs, credit releases, limit requests).
 */
export async function personKey(executor: Executor, context: RequestContext): Promise<string> {
  const actor = context.actor;
  if (actor.type === 'api_key' && actor.id !== null) {
    const key = await executor.selectFrom('api_keys').select('created_by').where('tenant_id', '=', actor.tenantId).where('id', '=', actor.id).executeTakeFirst();
    if (key?.created_by != null) return `user:${key.created_by}`;
  }
  return `${actor.type}:${actor.id ?? actor.name}`;
}
