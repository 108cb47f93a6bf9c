/**
 * The typed client of the o2c HTTP API (/api/v1). Every call goes through
 * `request`, which turns problem+json answers into an ApiError and tells the
 * session when the server no longer knows who we are.
 */

export const roles = ['admin', 'sales', 'credit', 'warehouse', 'billing', 'collector', 'cashapp', 'controller', 'viewer'] as const;
export type Role = (typeof roles)[number];

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An error answer of the API (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: readonly FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The message for one field; `field` is the body property ("iban"), paths arrive as "body.iban". */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((error) => fieldName(error.path) === field)?.message;
  }

  /**
   * True when the server gave a definitive answer. Refusals (4xx) are stored under
   * the Idempotency-Key like successes; only a missing answer or a server error may
   * be retried with the same key.
   */
  get isDefinitive(): boolean {
    return this.status >= 400 && this.status < 500 && this.code !== 'O2C_IDEMPOTENCY_KEY_IN_USE';
  }
}

/** "body.iban" → "iban", "body.roles.0" → "roles". */
export function fieldName(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'body' || parts[0] === 'query') parts.shift();
  return parts[0] ?? path;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: Role[];
  readonly status: 'active' | 'disabled';
  readonly version: number;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
}

export interface TenantSummary {
  readonly id: string;
  readonly slug: string;
  readonly legalName: string;
  readonly baseCurrency: string;
  readonly timeZone: string;
  readonly locale: string;
}

export interface Me {
  readonly actor: { readonly type: 'user' | 'api_key'; readonly id: string; readonly name: string; readonly roles: Role[] };
  readonly user: User | null;
  readonly tenant: TenantSummary;
}

/** The editable company profile, as PUT /tenant takes it (plus version). */
export interface TenantProfile {
  legalName: string;
  addressLine1: string;
  addressLine2: string | null;
  postalCode: string;
  city: string;
  countryCode: string;
  vatId: string | null;
  registrationId: string | null;
  iban: string | null;
  bic: string | null;
  baseCurrency: string;
  timeZone: string;
  locale: string;
  emailSender: string | null;
}

export interface Tenant extends TenantProfile {
  readonly id: string;
  readonly slug: string;
  readonly version: number;
  readonly updatedAt: string;
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly roles: Role[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface AuditEvent {
  readonly id: string;
  readonly occurredAt: string;
  readonly actorType: 'user' | 'api_key' | 'system';
  readonly actorId: string | null;
  readonly actorName: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly requestId: string | null;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
}

const base = '/api/v1';

type UnauthenticatedListener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called when a request answers 401 (session ended or expired); returns the unsubscribe function. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A POST without a body sends no content-type: the server refuses an empty JSON body.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
  let response: Response;
  try {
    response = await fetch(`${base}${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'O2C_NETWORK', 'The server could not be reached. Check the connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const payload = await readJson(response);
  if (response.ok) return payload as T;
  const error = toApiError(response, payload);
  if (error.status === 401 && path !== '/auth/login') {
    for (const listener of unauthenticatedListeners) listener(error);
  }
  throw error;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  if (typeof payload === 'object' && payload !== null && 'code' in payload) {
    const problem = payload as { code: unknown; detail?: unknown; title?: unknown; errors?: unknown; retryAfterSeconds?: unknown };
    const fieldErrors = Array.isArray(problem.errors)
      ? problem.errors.filter(
          (item): item is FieldError =>
            typeof item === 'object' && item !== null && typeof (item as FieldError).path === 'string' && typeof (item as FieldError).message === 'string',
        )
      : [];
    const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : response.statusText;
    const retryAfter = typeof problem.retryAfterSeconds === 'number' ? problem.retryAfterSeconds : undefined;
    return new ApiError(response.status, String(problem.code), detail, fieldErrors, retryAfter);
  }
  return new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status} ${response.statusText}.`.trim());
}

/** A random UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The Idempotency-Key of one user action. The key is made on the first attempt and
 * reused while the same request is retried after no answer or a server error; a
 * definitive answer, or a changed request, starts a new action.
 */
export class ActionKey {
  private pending: { readonly request: string; readonly key: string } | null = null;

  async run<T>(identity: unknown, send: (idempotencyKey: string) => Promise<T>): Promise<T> {
    const requestText = JSON.stringify(identity ?? null);
    if (this.pending === null || this.pending.request !== requestText) {
      this.pending = { request: requestText, key: newIdempotencyKey() };
    }
    try {
      const result = await send(this.pending.key);
      this.pending = null;
      return result;
    } catch (error) {
      if (error instanceof ApiError && error.isDefinitive) this.pending = null;
      throw error;
    }
  }
}

// ---- auth and the signed-in person

export const login = (email: string, password: string, idempotencyKey?: string) =>
  request<{ user: User; expiresAt: string }>('POST', '/auth/login', { body: { email, password }, idempotencyKey });

export const logout = () => request<void>('POST', '/auth/logout');

export const getMe = () => request<Me>('GET', '/me');

export const changeOwnPassword = (body: { currentPassword: string; newPassword: string }, idempotencyKey: string) =>
  request<{ changed: true }>('POST', '/me/password', { body, idempotencyKey });

// ---- company profile

export const getTenant = () => request<Tenant>('GET', '/tenant');

export const updateTenant = (body: TenantProfile & { version: number }) => request<Tenant>('PUT', '/tenant', { body });

// ---- users

export interface UserFilter {
  readonly status?: 'active' | 'disabled';
  readonly role?: Role;
  readonly q?: string;
}

export const listUsers = (filter: UserFilter, cursor?: string, limit = 50) =>
  request<Page<User>>('GET', '/users', { query: { ...filter, cursor, limit } });

export const createUser = (body: { email: string; displayName: string; password: string; roles: Role[] }, idempotencyKey: string) =>
  request<User>('POST', '/users', { body, idempotencyKey });

export const getUser = (id: string) => request<User>('GET', `/users/${encodeURIComponent(id)}`);

export const updateUser = (
  id: string,
  body: { version: number; displayName?: string; roles?: Role[]; status?: 'active' | 'disabled' },
) => request<User>('PATCH', `/users/${encodeURIComponent(id)}`, { body });

export const resetUserPassword = (id: string, password: string, idempotencyKey: string) =>
  request<{ reset: true }>('POST', `/users/${encodeURIComponent(id)}/reset-password`, { body: { password }, idempotencyKey });

// ---- API keys

export const listApiKeys = (includeRevoked: boolean, cursor?: string, limit = 50) =>
  request<Page<ApiKey>>('GET', '/api-keys', { query: { includeRevoked: includeRevoked ? 'true' : 'false', cursor, limit } });

export const createApiKey = (body: { name: string; roles: Role[] }, idempotencyKey: string) =>
  request<{ apiKey: ApiKey; secret: string }>('POST', '/api-keys', { body, idempotencyKey });

export const revokeApiKey = (id: string, idempotencyKey: string) =>
  request<ApiKey>('POST', `/api-keys/${encodeURIComponent(id)}/revoke`, { idempotencyKey });

// ---- audit log

export interface AuditFilter {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly action?: string;
}

export const listAuditEvents = (filter: AuditFilter, cursor?: string, limit = 50) =>
  request<Page<AuditEvent>>('GET', '/audit-events', { query: { ...filter, cursor, limit } });
