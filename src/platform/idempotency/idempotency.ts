import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { RequestContext } from '../auth/actor';
import { inTransaction, type Tx } from '../db/database';
import type { Database } from '../db/schema';
import { AppError } from '../errors/app-error';
import { toJsonText } from '../json';

export interface CommandRequest {
  readonly method: string;
  /** The path the request addressed, with its parameters filled in. */
  readonly path: string;
  readonly body: unknown;
  readonly idempotencyKey: string | undefined;
  readonly context: RequestContext;
}

export interface CommandAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
  /** True when the answer was stored by an earlier request with the same key. */
  readonly replayed: boolean;
}

/** What a command returns; errors are thrown as AppError. */
export interface CommandResult<T> {
  readonly status: number;
  readonly body: T;
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** How long answers are kept for replay; the housekeeping job removes older keys. */
export const idempotencyRetentionHours = 48;

/**
 * Runs one state-changing request in one transaction. With an Idempotency-Key, the
 * key is inserted first, in the same transaction as the effect, together with the
 * answer: a repeat gets the stored answer, and a repeat that arrives while the first
 * still runs waits on the key's row (PostgreSQL blocks the second insert until the
 * first commits or rolls back). Refusals (4xx) are stored like successes; errors of
 * the server (5xx) roll everything back, the key included, so a retry runs afresh.
 */
export async function runCommand<T>(
  db: Kysely<Database>,
  request: CommandRequest,
  work: (tx: Tx) => Promise<CommandResult<T>>,
): Promise<CommandAnswer<T>> {
  const key = request.idempotencyKey;
  if (key === undefined) {
    const result = await inTransaction(db, work);
    return { ...result, replayed: false };
  }
  if (!keyPattern.test(key)) {
    throw new AppError('O2C_IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  const tenantId = request.context.actor.tenantId;
  const requestHash = hashRequest(request);
  const outcome = await inTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto('idempotency_keys')
      .values({ tenant_id: tenantId, key, method: request.method, path: request.path, request_hash: requestHash })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted === undefined) {
      return { kind: 'stored' as const, row: await readStored(tx, tenantId, key) };
    }
    await sql`savepoint o2c_command`.execute(tx);
    let answer: { status: number; body: unknown; refusal: AppError | null };
    try {
      const result = await work(tx);
      answer = { status: result.status, body: result.body, refusal: null };
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await sql`rollback to savepoint o2c_command`.execute(tx);
      answer = { status: error.status, body: null, refusal: error };
    }
    await tx
      .updateTable('idempotency_keys')
      .set({
        response_status: answer.status,
        response_body: toJsonText(answer.refusal === null ? answer.body : refusalRecord(answer.refusal)),
      })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .execute();
    return { kind: 'fresh' as const, answer };
  });
  if (outcome.kind === 'fresh') {
    if (outcome.answer.refusal !== null) throw outcome.answer.refusal;
    return { status: outcome.answer.status, body: outcome.answer.body as T, replayed: false };
  }
  const row = outcome.row;
  if (row.request_hash !== requestHash) {
    throw new AppError(
      'O2C_IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key "${key}" was first used for ${row.method} ${row.path} with another body; use a new key for a new request`,
    );
  }
  if (row.response_status === null) {
    throw new AppError('O2C_IDEMPOTENCY_KEY_IN_USE', `a request with Idempotency-Key "${key}" is still running; retry shortly`);
  }
  if (row.response_status >= 400) throw replayRefusal(row.response_body);
  return { status: row.response_status, body: row.response_body as T, replayed: true };
}

async function readStored(tx: Tx, tenantId: string, key: string) {
  return tx
    .selectFrom('idempotency_keys')
    .select(['method', 'path', 'request_hash', 'response_status', 'response_body'])
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

function hashRequest(request: CommandRequest): string {
  return crypto
    .createHash('sha256')
    .update(`${request.method} ${request.path}\n${canonicalJson(request.body)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so the same body in another key order hashes alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return toJsonText(value ?? null);
}

interface StoredRefusal {
  code: AppError['code'];
  detail: string;
  errors: AppError['errors'];
  extra: AppError['extra'];
}

function refusalRecord(error: AppError): StoredRefusal {
  return { code: error.code, detail: error.detail, errors: error.errors, extra: error.extra };
}

function replayRefusal(stored: unknown): AppError {
  const record = stored as StoredRefusal;
  return new AppError(record.code, record.detail, record.errors, { ...record.extra, replayed: true });
}
