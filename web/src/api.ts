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
   * The message for a nested field, e.g. "lines.2.quantity" (paths arrive as "body.lines.2.quantity").
   * With `prefix`, a message for anything below the path counts too.
   */
  errorAt(path: string, prefix = false): string | undefined {
    return this.fieldErrors.find((error) => {
      const own = bodyPath(error.path);
      return own === path || (prefix && own.startsWith(`${path}.`));
    })?.message;
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

/** "body.lines.2.sku" → "lines.2.sku". */
export function bodyPath(path: string): string {
  return path.replace(/^(body|query)\./, '');
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
  readonly actor: {
    readonly type: 'user' | 'api_key';
    readonly id: string;
    readonly name: string;
    readonly roles: Role[];
    /** Single rights beside the roles, e.g. price_override. */
    readonly permissions?: string[];
  };
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
  /** A body that is not JSON, e.g. a CSV file. */
  readonly text?: { readonly contentType: string; readonly content: string };
  /** A raw file as the body (an upload), sent with its own content-type. */
  readonly file?: { readonly contentType: string; readonly content: Blob };
  readonly idempotencyKey?: string;
  /** For a POST that only reads (a price quote): no Idempotency-Key. */
  readonly readOnly?: boolean;
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

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A POST without a body sends no content-type: the server refuses an empty JSON body.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.text !== undefined) headers['content-type'] = options.text.contentType;
  if (options.file !== undefined) headers['content-type'] = options.file.contentType;
  if (method === 'POST' && options.readOnly !== true) headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
  let response: Response;
  try {
    response = await fetch(`${base}${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.text === undefined ? {} : { body: options.text.content }),
      ...(options.file === undefined ? {} : { body: options.file.content }),
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
      ? problem.errors
          .filter(
            (item): item is FieldError =>
              typeof item === 'object' && item !== null && typeof (item as FieldError).path === 'string' && typeof (item as FieldError).message === 'string',
          )
          .map((item) => ({ path: item.path, message: readableFieldMessage(item.message) }))
      : [];
    const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : response.statusText;
    const retryAfter = typeof problem.retryAfterSeconds === 'number' ? problem.retryAfterSeconds : undefined;
    return new ApiError(response.status, String(problem.code), detail, fieldErrors, retryAfter);
  }
  return new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status} ${response.statusText}.`.trim());
}

/** Schema messages a person should not have to decode ("Too small: expected string to have >=1 characters"). */
function readableFieldMessage(message: string): string {
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return 'Required.';
  if (/^Invalid input: expected \w+, received undefined$/.test(message)) return 'Required.';
  return message;
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

// ---- order capture: shared shapes

/** Money and quantities travel as exact decimal strings ("4.40", "2.5"). */
export type Decimal = string;

const id = (value: string) => encodeURIComponent(value);

/** Fetches every page of a list (for small reference lists such as warehouses or tax categories). */
export async function listAll<T>(fetchPage: (cursor?: string) => Promise<Page<T>>, maximumPages = 50): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let pageNumber = 0; pageNumber < maximumPages; pageNumber++) {
    const page = await fetchPage(cursor);
    all.push(...page.items);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return all;
}

// ---- payment terms

export interface PaymentTerms {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly netDays: number;
  readonly basis: 'invoice_date' | 'end_of_month';
  readonly discountPercent: Decimal | null;
  readonly discountDays: number | null;
  readonly active: boolean;
  readonly version: number;
}

export const listPaymentTerms = (filter: { active?: 'true' | 'false' }, cursor?: string, limit = 200) =>
  request<Page<PaymentTerms>>('GET', '/payment-terms', { query: { ...filter, cursor, limit } });

// ---- customers

export type CustomerStatus = 'active' | 'blocked' | 'archived';
export type ContactRole = 'orders' | 'invoices' | 'reminders';
/** How a customer's automatic invoices are collected: one per shipment, or a day's shipments on one invoice. */
export type InvoiceGrouping = 'per_shipment' | 'daily';
export const contactRoles: readonly ContactRole[] = ['orders', 'invoices', 'reminders'];

export interface CustomerSummary {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly legalName: string;
  readonly vatId: string | null;
  readonly countryCode: string;
  readonly currency: string;
  readonly language: string;
  readonly paymentTermsCode: string;
  readonly priceListId: string | null;
  readonly creditLimit: Decimal | null;
  readonly invoicingMoment: 'shipment' | 'delivery';
  readonly invoiceGrouping: InvoiceGrouping;
  readonly status: CustomerStatus;
  readonly blockedReason: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CustomerAddress {
  readonly id: string;
  readonly kind: 'billing' | 'shipping';
  readonly name: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly postalCode: string;
  readonly city: string;
  readonly countryCode: string;
  readonly isDefault: boolean;
}

export interface CustomerContact {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly roles: ContactRole[];
}

export interface CustomerBankAccount {
  readonly id: string;
  readonly iban: string;
  readonly bic: string | null;
  readonly accountHolder: string;
}

export interface Customer extends CustomerSummary {
  readonly addresses: CustomerAddress[];
  readonly contacts: CustomerContact[];
  readonly bankAccounts: CustomerBankAccount[];
}

export type AddressInput = Omit<CustomerAddress, 'id'> & { id?: string };
export type ContactInput = Omit<CustomerContact, 'id'> & { id?: string };
export type BankAccountInput = { id?: string; iban: string; bic: string | null; accountHolder: string | null };

/** The customer's own fields, as POST and PATCH take them. */
export interface CustomerFields {
  name: string;
  legalName: string;
  vatId: string | null;
  countryCode: string;
  currency: string;
  language: string;
  paymentTermsCode: string;
  priceListId: string | null;
  creditLimit: Decimal | null;
  invoicingMoment: 'shipment' | 'delivery';
  invoiceGrouping: InvoiceGrouping;
}

export interface CustomerFilter {
  readonly status?: CustomerStatus;
  readonly country?: string;
  readonly currency?: string;
  readonly q?: string;
}

export const listCustomers = (filter: CustomerFilter, cursor?: string, limit = 50) =>
  request<Page<CustomerSummary>>('GET', '/customers', { query: { ...filter, cursor, limit } });

export const getCustomer = (customerId: string) => request<Customer>('GET', `/customers/${id(customerId)}`);

export const createCustomer = (
  body: Partial<CustomerFields> & { addresses: AddressInput[]; contacts: ContactInput[]; bankAccounts: BankAccountInput[] },
  idempotencyKey: string,
) => request<Customer>('POST', '/customers', { body, idempotencyKey });

export const updateCustomer = (customerId: string, body: Partial<CustomerFields> & { version: number }) =>
  request<Customer>('PATCH', `/customers/${id(customerId)}`, { body });

export const replaceCustomerAddresses = (customerId: string, version: number, addresses: AddressInput[]) =>
  request<Customer>('PUT', `/customers/${id(customerId)}/addresses`, { body: { version, addresses } });

export const replaceCustomerContacts = (customerId: string, version: number, contacts: ContactInput[]) =>
  request<Customer>('PUT', `/customers/${id(customerId)}/contacts`, { body: { version, contacts } });

export const replaceCustomerBankAccounts = (customerId: string, version: number, bankAccounts: BankAccountInput[]) =>
  request<Customer>('PUT', `/customers/${id(customerId)}/bank-accounts`, { body: { version, bankAccounts } });

export const blockCustomer = (customerId: string, body: { reason: string; version: number }, idempotencyKey: string) =>
  request<Customer>('POST', `/customers/${id(customerId)}/block`, { body, idempotencyKey });

export const unblockCustomer = (customerId: string, version: number, idempotencyKey: string) =>
  request<Customer>('POST', `/customers/${id(customerId)}/unblock`, { body: { version }, idempotencyKey });

export const archiveCustomer = (customerId: string, version: number, idempotencyKey: string) =>
  request<Customer>('POST', `/customers/${id(customerId)}/archive`, { body: { version }, idempotencyKey });

export const restoreCustomer = (customerId: string, version: number, idempotencyKey: string) =>
  request<Customer>('POST', `/customers/${id(customerId)}/restore`, { body: { version }, idempotencyKey });

// ---- items and units

export type ItemKind = 'goods' | 'service';

export interface Item {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string | null;
  readonly kind: ItemKind;
  readonly unit: string;
  readonly taxCategoryCode: string;
  readonly revenueAccount: string;
  readonly active: boolean;
  readonly version: number;
}

export interface ItemFields {
  sku: string;
  name: string;
  description: string | null;
  kind: ItemKind;
  unit: string;
  taxCategoryCode: string;
  revenueAccount: string;
  active: boolean;
}

export interface ItemFilter {
  readonly kind?: ItemKind;
  readonly active?: 'true' | 'false';
  readonly taxCategoryCode?: string;
  readonly q?: string;
}

export interface Unit {
  readonly code: string;
  readonly name: string;
}

export const listItems = (filter: ItemFilter, cursor?: string, limit = 50) =>
  request<Page<Item>>('GET', '/items', { query: { ...filter, cursor, limit } });

export const getItem = (itemId: string) => request<Item>('GET', `/items/${id(itemId)}`);

export const createItem = (body: ItemFields, idempotencyKey: string) => request<Item>('POST', '/items', { body, idempotencyKey });

export const updateItem = (itemId: string, body: Partial<Omit<ItemFields, 'kind'>> & { version: number }) =>
  request<Item>('PATCH', `/items/${id(itemId)}`, { body });

export const listUnits = () => request<{ items: Unit[] }>('GET', '/units');

// ---- price lists and prices

export interface PriceList {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly isDefault: boolean;
  readonly active: boolean;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PriceBreak {
  readonly minQuantity: Decimal;
  readonly unitPrice: Decimal;
}

export interface ItemPrices {
  readonly priceListId: string;
  readonly currency: string;
  readonly itemId: string;
  readonly sku: string;
  readonly itemName: string;
  readonly unit: string;
  readonly breaks: PriceBreak[];
}

export interface PriceListFilter {
  readonly currency?: string;
  readonly active?: 'true' | 'false';
  readonly isDefault?: 'true' | 'false';
  readonly q?: string;
}

export const listPriceLists = (filter: PriceListFilter, cursor?: string, limit = 50) =>
  request<Page<PriceList>>('GET', '/price-lists', { query: { ...filter, cursor, limit } });

export const getPriceList = (priceListId: string) => request<PriceList>('GET', `/price-lists/${id(priceListId)}`);

export const createPriceList = (
  body: { name: string; currency: string; validFrom: string; validTo: string | null; isDefault: boolean; active: boolean },
  idempotencyKey: string,
) => request<PriceList>('POST', '/price-lists', { body, idempotencyKey });

export const updatePriceList = (
  priceListId: string,
  body: { version: number; name?: string; validFrom?: string; validTo?: string | null; isDefault?: boolean; active?: boolean },
) => request<PriceList>('PATCH', `/price-lists/${id(priceListId)}`, { body });

export const listPriceListEntries = (priceListId: string, filter: { itemId?: string }, cursor?: string, limit = 50) =>
  request<Page<ItemPrices & { id?: string }>>('GET', `/price-lists/${id(priceListId)}/entries`, { query: { ...filter, cursor, limit } });

export const setItemPrices = (priceListId: string, body: { itemId: string; breaks: PriceBreak[] }) =>
  request<ItemPrices>('PUT', `/price-lists/${id(priceListId)}/entries`, { body });

export const removeItemPrices = (priceListId: string, itemId: string) =>
  request<ItemPrices>('DELETE', `/price-lists/${id(priceListId)}/entries/${id(itemId)}`);

// ---- tax

export interface TaxCategory {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly domesticCategory: 'S' | 'Z' | 'E';
  readonly exemptionReason: string | null;
  readonly exemptionReasonCode: string | null;
  readonly version: number;
}

export interface TaxRate {
  readonly id: string;
  readonly taxCategoryCode: string;
  readonly countryCode: string;
  readonly ratePercent: Decimal;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly version: number;
}

export const listTaxCategories = (cursor?: string, limit = 200) => request<Page<TaxCategory>>('GET', '/tax-categories', { query: { cursor, limit } });

export const createTaxCategory = (
  body: { code: string; name: string; domesticCategory: 'S' | 'Z' | 'E'; exemptionReason: string | null; exemptionReasonCode: string | null },
  idempotencyKey: string,
) => request<TaxCategory>('POST', '/tax-categories', { body, idempotencyKey });

export const updateTaxCategory = (
  categoryId: string,
  body: { version: number; name?: string; exemptionReason?: string | null; exemptionReasonCode?: string | null },
) => request<TaxCategory>('PATCH', `/tax-categories/${id(categoryId)}`, { body });

export const listTaxRates = (filter: { taxCategoryCode?: string; countryCode?: string; validOn?: string }, cursor?: string, limit = 200) =>
  request<Page<TaxRate>>('GET', '/tax-rates', { query: { ...filter, cursor, limit } });

export const createTaxRate = (
  body: { taxCategoryCode: string; countryCode: string; ratePercent: Decimal; validFrom: string; validTo: string | null },
  idempotencyKey: string,
) => request<TaxRate>('POST', '/tax-rates', { body, idempotencyKey });

export const updateTaxRate = (rateId: string, body: { version: number; ratePercent?: Decimal; validFrom?: string; validTo?: string | null }) =>
  request<TaxRate>('PATCH', `/tax-rates/${id(rateId)}`, { body });

// ---- warehouses and stock

export interface Warehouse {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly countryCode: string;
  readonly isDefault: boolean;
  readonly active: boolean;
  readonly version: number;
}

export interface StockLevel {
  readonly itemId: string;
  readonly warehouseId: string;
  readonly onHand: Decimal;
  readonly reserved: Decimal;
  readonly available: Decimal;
}

export type StockMovementKind = 'receipt' | 'adjustment' | 'reservation' | 'release' | 'shipment';
export const stockMovementKinds: readonly StockMovementKind[] = ['receipt', 'adjustment', 'reservation', 'release', 'shipment'];

export interface StockMovement {
  readonly id: string;
  readonly itemId: string;
  readonly warehouseId: string;
  readonly kind: StockMovementKind | string;
  readonly onHandDelta: Decimal;
  readonly reservedDelta: Decimal;
  readonly onHandAfter: Decimal;
  readonly reservedAfter: Decimal;
  readonly reason: string | null;
  readonly referenceType: string | null;
  readonly referenceId: string | null;
  readonly actorName: string;
  readonly occurredAt: string;
}

export const listWarehouses = () => request<{ items: Warehouse[] }>('GET', '/warehouses');

export const createWarehouse = (body: { code: string; name: string; countryCode: string; isDefault: boolean }, idempotencyKey: string) =>
  request<Warehouse>('POST', '/warehouses', { body, idempotencyKey });

export const updateWarehouse = (warehouseId: string, body: { version: number; name?: string; isDefault?: boolean; active?: boolean }) =>
  request<Warehouse>('PATCH', `/warehouses/${id(warehouseId)}`, { body });

export const listStock = (filter: { warehouseId?: string; itemId?: string }, cursor?: string, limit = 100) =>
  request<Page<StockLevel>>('GET', '/stock', { query: { ...filter, cursor, limit } });

export const receiveStock = (
  body: { itemId: string; warehouseId: string; quantity: Decimal; reason: string | null },
  idempotencyKey: string,
) => request<StockLevel>('POST', '/stock/receipts', { body, idempotencyKey });

export const adjustStock = (
  body: { itemId: string; warehouseId: string; reason: string } & ({ countedQuantity: Decimal } | { delta: Decimal }),
  idempotencyKey: string,
) => request<StockLevel>('POST', '/stock/adjustments', { body, idempotencyKey });

export interface MovementFilter {
  readonly itemId?: string;
  readonly warehouseId?: string;
  readonly kind?: StockMovementKind;
}

export const listStockMovements = (filter: MovementFilter, cursor?: string, limit = 50) =>
  request<Page<StockMovement & { id: string }>>('GET', '/stock/movements', { query: { ...filter, cursor, limit } });

// ---- orders

export const orderStatuses = ['draft', 'submitted', 'approved', 'on_credit_hold', 'partially_shipped', 'shipped', 'closed', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
export type ShippingPolicy = 'partial' | 'complete';
export type ChargeKind = 'freight' | 'handling' | 'other';

export interface OrderTotals {
  readonly linesNet: Decimal;
  readonly orderDiscount: Decimal;
  readonly charges: Decimal;
  readonly taxable: Decimal;
  readonly tax: Decimal;
  readonly gross: Decimal;
}

export interface TaxBreakdownEntry {
  readonly categoryCode: string;
  readonly ratePercent: Decimal;
  readonly exemptionReasonCode?: string | null;
  readonly taxableAmount: Decimal;
  readonly taxAmount: Decimal;
}

export interface PostalAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly postalCode: string;
  readonly city: string;
  readonly countryCode: string;
}

export interface OrderSummary {
  readonly id: string;
  readonly number: string;
  readonly status: OrderStatus | string;
  readonly reservationStatus: string;
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
  readonly customerPoNumber: string | null;
  readonly currency: string;
  readonly orderDate: string;
  readonly requestedDeliveryDate: string | null;
  readonly totals: OrderTotals;
  readonly source: string;
  readonly version: number;
}

export interface OrderLine {
  readonly id: string;
  readonly lineNo: number;
  readonly itemId: string;
  readonly sku: string;
  readonly description: string;
  readonly kind: ItemKind | string;
  readonly unit: string;
  readonly quantity: Decimal;
  readonly unitPrice: Decimal;
  readonly priceSource: string;
  readonly priceListId: string | null;
  readonly priceOverrideReason: string | null;
  readonly discountPercent: Decimal | null;
  readonly grossAmount: Decimal;
  readonly discountAmount: Decimal;
  readonly netAmount: Decimal;
  readonly orderDiscountShare: Decimal;
  readonly taxableAmount: Decimal;
  readonly taxCategory: string;
  readonly taxRatePercent: Decimal;
  readonly taxExemptionReasonCode: string | null;
  readonly taxExemptionReason: string | null;
  readonly taxAmount: Decimal;
  readonly quantityReserved: Decimal;
  readonly quantityShipped: Decimal;
  readonly quantityCancelled: Decimal;
  readonly quantityInvoiced: Decimal;
  readonly quantityOpen: Decimal;
  readonly promisedShipDate: string | null;
}

export interface OrderCharge {
  readonly id: string;
  readonly kind: ChargeKind | string;
  readonly description: string;
  readonly amount: Decimal;
  readonly taxCategory: string;
  readonly taxRatePercent: Decimal;
  readonly taxAmount: Decimal;
}

export interface CreditDecision {
  readonly outcome?: string;
  readonly reasons?: string[];
  readonly decidedAt?: string;
  /** What the decision was taken on (limit, exposure, overdue …), in the customer's currency. */
  readonly inputs?: CreditDecisionInputs;
}

export interface Order extends Omit<OrderSummary, 'totals'> {
  readonly availableActions: string[];
  readonly shipTo: PostalAddress;
  readonly buyerVatId: string | null;
  readonly warehouseId: string;
  readonly shippingPolicy: ShippingPolicy | string;
  readonly paymentTermsCode: string;
  readonly orderDiscountPercent: Decimal | null;
  readonly allowOverDelivery: boolean;
  readonly overDeliveryTolerancePercent: Decimal;
  readonly lines: OrderLine[];
  readonly charges: OrderCharge[];
  readonly totals: OrderTotals;
  readonly taxBreakdown: TaxBreakdownEntry[];
  readonly notes: string | null;
  readonly creditDecision: CreditDecision | null;
  readonly cancelReason: string | null;
  readonly createdBy: string;
  readonly submittedAt: string | null;
  readonly approvedAt: string | null;
  readonly cancelledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OrderLineInput {
  lineId?: string;
  itemId?: string;
  sku?: string;
  quantity: Decimal;
  unitPrice?: Decimal;
  priceOverrideReason?: string;
  discountPercent?: Decimal;
  description?: string;
}

export interface OrderChargeInput {
  kind: ChargeKind;
  amount: Decimal;
  description?: string;
}

export interface OrderInput {
  customerId: string;
  customerPoNumber?: string | null;
  currency?: string;
  orderDate?: string;
  requestedDeliveryDate?: string | null;
  shipToAddressId?: string;
  shipTo?: { name: string; line1: string; line2?: string | null; postalCode: string; city: string; countryCode: string };
  warehouseId?: string;
  shippingPolicy?: ShippingPolicy;
  orderDiscountPercent?: Decimal | null;
  notes?: string | null;
  lines: OrderLineInput[];
  charges?: OrderChargeInput[];
}

export interface QuoteLine {
  readonly itemId: string;
  readonly sku: string;
  readonly description: string;
  readonly kind: ItemKind | string;
  readonly unit: string;
  readonly quantity: Decimal;
  readonly unitPrice: Decimal;
  readonly priceSource: string;
  readonly netAmount: Decimal;
  readonly taxCategory: string;
  readonly taxRatePercent: Decimal;
  readonly taxAmount: Decimal;
  /** Available in the order's warehouse now; null for services. */
  readonly available: Decimal | null;
}

export interface OrderQuote {
  readonly currency: string;
  readonly lines: QuoteLine[];
  readonly totals: OrderTotals;
  readonly taxBreakdown: TaxBreakdownEntry[];
}

export interface HistoryEntry {
  readonly occurredAt: string;
  readonly actorName: string;
  readonly action: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface OrderFilter {
  readonly status?: OrderStatus;
  readonly customerId?: string;
  readonly q?: string;
  readonly from?: string;
  readonly to?: string;
}

export const listOrders = (filter: OrderFilter, cursor?: string, limit = 50) =>
  request<Page<OrderSummary>>('GET', '/orders', { query: { ...filter, cursor, limit } });

export const getOrder = (orderId: string) => request<Order>('GET', `/orders/${id(orderId)}`);

/** Prices a draft without saving it: a read, so it carries no Idempotency-Key. */
export const quoteOrder = (body: OrderInput) => request<OrderQuote>('POST', '/order-quotes', { body, readOnly: true });

export const createOrder = (body: OrderInput, idempotencyKey: string) => request<Order>('POST', '/orders', { body, idempotencyKey });

export const updateOrderHeader = (
  orderId: string,
  body: { version: number; customerPoNumber?: string | null; requestedDeliveryDate?: string | null; notes?: string | null },
) => request<Order>('PATCH', `/orders/${id(orderId)}`, { body });

export const replaceOrderLines = (
  orderId: string,
  body: { version: number; lines: OrderLineInput[]; charges: OrderChargeInput[]; orderDiscountPercent: Decimal | null },
) => request<Order>('PUT', `/orders/${id(orderId)}/lines`, { body });

export const submitOrder = (orderId: string, idempotencyKey: string) =>
  request<Order>('POST', `/orders/${id(orderId)}/submit`, { idempotencyKey });

export const cancelOrder = (orderId: string, reason: string, idempotencyKey: string) =>
  request<Order>('POST', `/orders/${id(orderId)}/cancel`, { body: { reason }, idempotencyKey });

export const getOrderHistory = (orderId: string) => request<{ items: HistoryEntry[] }>('GET', `/orders/${id(orderId)}/history`);

export const orderConfirmationUrl = (orderId: string) => `${base}/orders/${id(orderId)}/confirmation.pdf`;

export interface ImportResult {
  readonly rows: number;
  readonly created: Array<{ number: string; id: string; customerNumber: string; poNumber: string; lines: number; status: string }>;
  readonly skipped: Array<{ number: string; customerNumber: string; poNumber: string; reason: string }>;
}

export const importOrders = (csv: string, submit: boolean, idempotencyKey: string) =>
  request<ImportResult>('POST', '/order-imports', {
    query: { submit: submit ? 'true' : 'false' },
    text: { contentType: 'text/csv', content: csv },
    idempotencyKey,
  });

// ---- ledger: chart of accounts, journal, exchange rates, periods, reports

export const accountTypes = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof accountTypes)[number];

export interface Account {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly type: AccountType;
  /** Set on the accounts o2c posts to itself (bank, receivables, …): type and active are locked, no delete. */
  readonly systemKey: string | null;
  /** Lines on this account name a customer (receivables, unapplied cash). */
  readonly requiresCustomer: boolean;
  readonly active: boolean;
  readonly version: number;
}

export const listAccounts = (filter: { type?: AccountType; active?: 'true' | 'false'; q?: string } = {}) =>
  request<{ items: Account[] }>('GET', '/accounts', { query: filter });

export const createAccount = (body: { number: string; name: string; type: AccountType }, idempotencyKey: string) =>
  request<Account>('POST', '/accounts', { body, idempotencyKey });

export const updateAccount = (accountId: string, body: { version: number; number?: string; name?: string; type?: AccountType; active?: boolean }) =>
  request<Account>('PATCH', `/accounts/${id(accountId)}`, { body });

export const deleteAccount = (accountId: string) => request<void>('DELETE', `/accounts/${id(accountId)}`);

export type EntrySide = 'debit' | 'credit';

export interface JournalLine {
  readonly lineNo: number;
  readonly accountId: string;
  readonly accountNumber: string;
  readonly accountName: string;
  readonly side: EntrySide;
  readonly amount: Decimal;
  readonly baseAmount: Decimal;
  readonly customerId: string | null;
  readonly description: string | null;
}

export interface JournalEntry {
  readonly id: string;
  readonly number: string;
  readonly kind: 'manual' | 'automatic';
  readonly businessDate: string;
  readonly postingDate: string;
  readonly description: string;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly currency: string;
  readonly baseCurrency: string;
  readonly exchangeRate: Decimal;
  readonly reversesEntryId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly lines: JournalLine[];
}

export interface JournalFilter {
  readonly from?: string;
  readonly to?: string;
  readonly accountId?: string;
  readonly sourceType?: string;
  readonly sourceId?: string;
  readonly q?: string;
}

export const listJournalEntries = (filter: JournalFilter, cursor?: string, limit = 50) =>
  request<Page<JournalEntry>>('GET', '/journal-entries', { query: { ...filter, cursor, limit } });

export const getJournalEntry = (entryId: string) => request<JournalEntry>('GET', `/journal-entries/${id(entryId)}`);

export interface ManualEntryInput {
  businessDate: string;
  description: string;
  currency: string;
  reference?: string;
  lines: Array<{ accountId: string; side: EntrySide; amount: Decimal; customerId?: string | null; description?: string | null }>;
}

export const createJournalEntry = (body: ManualEntryInput, idempotencyKey: string) =>
  request<JournalEntry>('POST', '/journal-entries', { body, idempotencyKey });

export const reverseJournalEntry = (entryId: string, body: { businessDate: string; description?: string }, idempotencyKey: string) =>
  request<JournalEntry>('POST', `/journal-entries/${id(entryId)}/reverse`, { body, idempotencyKey });

export interface ExchangeRate {
  readonly fromCurrency: string;
  readonly toCurrency: string;
  readonly rateDate: string;
  readonly rate: Decimal;
  readonly source: 'manual' | 'csv';
  readonly updatedBy: string;
}

export const listExchangeRates = (filter: { currency?: string; from?: string; to?: string; limit?: number } = {}) =>
  request<{ items: ExchangeRate[] }>('GET', '/exchange-rates', { query: filter });

export const createExchangeRate = (body: { fromCurrency: string; toCurrency: string; rateDate: string; rate: Decimal }, idempotencyKey: string) =>
  request<ExchangeRate>('POST', '/exchange-rates', { body, idempotencyKey });

export const importExchangeRates = (csv: string, idempotencyKey: string) =>
  request<{ imported: number }>('POST', '/exchange-rate-imports', { text: { contentType: 'text/csv', content: csv }, idempotencyKey });

export interface AccountingPeriod {
  /** YYYY-MM */
  readonly period: string;
  readonly year: number;
  readonly month: number;
  readonly status: 'open' | 'closed';
  readonly changedBy: string | null;
  readonly changedAt: string | null;
}

export const listPeriods = (year: number) => request<{ items: AccountingPeriod[] }>('GET', '/periods', { query: { year: String(year) } });

export const closePeriod = (period: string, idempotencyKey: string) =>
  request<AccountingPeriod>('POST', `/periods/${id(period)}/close`, { idempotencyKey });

export const reopenPeriod = (period: string, idempotencyKey: string) =>
  request<AccountingPeriod>('POST', `/periods/${id(period)}/reopen`, { idempotencyKey });

export interface TrialBalanceRow {
  readonly accountId: string;
  readonly number: string;
  readonly name: string;
  readonly type: string;
  readonly openingDebit: Decimal;
  readonly openingCredit: Decimal;
  readonly debits: Decimal;
  readonly credits: Decimal;
  readonly closingDebit: Decimal;
  readonly closingCredit: Decimal;
}

export interface TrialBalance {
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly accounts: TrialBalanceRow[];
  readonly totals: Omit<TrialBalanceRow, 'accountId' | 'number' | 'name' | 'type'>;
}

export const getTrialBalance = (from: string, to: string) => request<TrialBalance>('GET', '/reports/trial-balance', { query: { from, to } });

export const trialBalanceCsvUrl = (from: string, to: string) => `${base}/reports/trial-balance${queryString({ from, to, format: 'csv' })}`;

export interface AccountLedgerLine {
  readonly entryId: string;
  readonly entryNumber: string;
  readonly postingDate: string;
  readonly businessDate: string;
  readonly description: string;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly side: EntrySide;
  readonly currency: string;
  readonly amount: Decimal;
  readonly baseAmount: Decimal;
  /** The running balance in the base currency, debit positive. */
  readonly balance: Decimal;
  readonly customerId: string | null;
}

export interface AccountLedger {
  readonly account: Account;
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly openingBalance: Decimal;
  readonly closingBalance: Decimal;
  readonly truncated: boolean;
  readonly lines: AccountLedgerLine[];
}

export const getAccountLedger = (accountId: string, from: string, to: string) =>
  request<AccountLedger>('GET', '/reports/account-ledger', { query: { accountId, from, to } });

export const accountLedgerCsvUrl = (accountId: string, from: string, to: string) =>
  `${base}/reports/account-ledger${queryString({ accountId, from, to, format: 'csv' })}`;

// ---- fulfillment: shipping queue, backorders, shipments

export const shipmentStatuses = ['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];
export type ShipmentAction = 'pick' | 'pack' | 'ship' | 'deliver' | 'report_exception' | 'cancel';
export const packageTypes = ['box', 'pallet', 'envelope', 'crate'] as const;
export type PackageType = (typeof packageTypes)[number];
export const deliveryExceptionKinds = ['damaged', 'refused', 'lost'] as const;
export type DeliveryExceptionKind = (typeof deliveryExceptionKinds)[number];

export interface ShippingQueueEntry {
  readonly orderId: string;
  readonly orderNumber: string;
  readonly customerName: string;
  readonly requestedDeliveryDate: string | null;
  readonly orderDate: string;
  readonly status: string;
  readonly reservationStatus: string;
  /** Order lines with reserved goods no open shipment holds yet. */
  readonly linesReady: number;
}

export interface Backorder {
  readonly orderId: string;
  readonly orderNumber: string;
  readonly customerName: string;
  readonly approvedAt: string | null;
  readonly requestedDeliveryDate: string | null;
  readonly lineNo: number;
  readonly itemId: string;
  readonly sku: string;
  readonly waiting: Decimal;
  readonly shippingPolicy: string;
}

export interface ShipmentLine {
  readonly id: string;
  readonly lineNo: number;
  readonly orderLineId: string;
  readonly itemId: string;
  readonly sku: string;
  readonly description: string;
  readonly unit: string;
  readonly quantity: Decimal;
}

export interface ShipmentPackage {
  readonly packageNo: number;
  readonly packageType: PackageType | string;
  readonly weightKg: Decimal | null;
}

export interface ShipmentDocument {
  readonly id: string;
  readonly kind: 'proof_of_delivery';
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly uploadedAt: string;
}

export interface Shipment {
  readonly id: string;
  readonly number: string;
  readonly status: ShipmentStatus | string;
  readonly orderId: string;
  readonly orderNumber: string;
  readonly customerPoNumber: string | null;
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
  readonly warehouse: { readonly id: string; readonly code: string; readonly name: string };
  readonly shipTo: PostalAddress;
  readonly carrier: string | null;
  readonly serviceLevel: string | null;
  readonly trackingNumber: string | null;
  readonly shipDate: string | null;
  readonly expectedDeliveryDate: string | null;
  readonly deliveredAt: string | null;
  readonly receivedBy: string | null;
  readonly deliveryException: DeliveryExceptionKind | null;
  readonly deliveryNote: string | null;
  readonly readyToInvoice: boolean;
  readonly lines: ShipmentLine[];
  readonly packages: ShipmentPackage[];
  readonly documents: ShipmentDocument[];
  readonly availableActions: Array<ShipmentAction | string>;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ShipmentFilter {
  readonly status?: ShipmentStatus;
  readonly orderId?: string;
  readonly readyToInvoice?: 'true' | 'false';
}

export const getShippingQueue = (limit = 200) => request<{ items: ShippingQueueEntry[] }>('GET', '/shipping-queue', { query: { limit } });

export const listBackorders = (limit = 200) => request<{ items: Backorder[] }>('GET', '/backorders', { query: { limit } });

export const allocateBackorders = (idempotencyKey: string) =>
  request<{ reserved: string[] }>('POST', '/backorders/allocate', { idempotencyKey });

export const listShipments = (filter: ShipmentFilter, cursor?: string, limit = 50) =>
  request<Page<Shipment>>('GET', '/shipments', { query: { ...filter, cursor, limit } });

export const getShipment = (shipmentId: string) => request<Shipment>('GET', `/shipments/${id(shipmentId)}`);

export const getShipmentHistory = (shipmentId: string) => request<{ items: HistoryEntry[] }>('GET', `/shipments/${id(shipmentId)}/history`);

/** Without lines: everything reserved that no open shipment holds yet. */
export const createShipment = (body: { orderId: string; lines?: Array<{ orderLineId: string; quantity: Decimal }> }, idempotencyKey: string) =>
  request<Shipment>('POST', '/shipments', { body, idempotencyKey });

export const pickShipment = (shipmentId: string, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/pick`, { idempotencyKey });

export const packShipment = (shipmentId: string, body: { packages: Array<{ packageType: PackageType; weightKg?: Decimal | null }> }, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/pack`, { body, idempotencyKey });

export interface ShipInput {
  carrier: string;
  serviceLevel?: string | null;
  trackingNumber?: string | null;
  shipDate?: string;
  expectedDeliveryDate?: string | null;
}

export const shipShipment = (shipmentId: string, body: ShipInput, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/ship`, { body, idempotencyKey });

export const deliverShipment = (shipmentId: string, body: { deliveredAt?: string; receivedBy: string }, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/deliver`, { body, idempotencyKey });

export const reportDeliveryException = (shipmentId: string, body: { kind: DeliveryExceptionKind; note: string }, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/delivery-exception`, { body, idempotencyKey });

export const cancelShipment = (shipmentId: string, reason: string, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/cancel`, { body: { reason }, idempotencyKey });

/** The media types the proof-of-delivery upload takes (the server checks the content too). */
export const proofMediaTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;

export const uploadProofOfDelivery = (shipmentId: string, file: File, contentType: string, idempotencyKey: string) =>
  request<Shipment>('POST', `/shipments/${id(shipmentId)}/proof-of-delivery`, {
    query: { fileName: file.name },
    file: { contentType, content: file },
    idempotencyKey,
  });

export const shipmentFileUrl = (shipmentId: string, documentId: string) => `${base}/shipments/${id(shipmentId)}/files/${id(documentId)}`;

export type ShippingDocumentKind = 'pick-list.pdf' | 'packing-slip.pdf' | 'bill-of-lading.pdf' | 'despatch-advice.xml';

export const shippingDocumentUrl = (shipmentId: string, kind: ShippingDocumentKind) => `${base}/shipments/${id(shipmentId)}/documents/${kind}`;

// ---- invoicing: ready to invoice, invoice runs, invoices and credit notes

export type InvoiceKind = 'invoice' | 'credit_note';
export const invoiceKinds: readonly InvoiceKind[] = ['invoice', 'credit_note'];
export const invoiceStatuses = ['draft', 'issued'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];
export const sendingStatuses = ['not_sent', 'queued', 'sent', 'failed'] as const;
export type SendingStatus = (typeof sendingStatuses)[number];
export const paymentStatuses = ['open', 'partially_paid', 'paid'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
export type InvoiceOrigin = 'automatic' | 'manual' | 'correction' | 'credit';
export type InvoiceAction = 'update' | 'delete' | 'issue' | 'send' | 'credit' | 'correct';

/** One shipped goods line or open service line not yet invoiced. */
export interface ReadyToInvoiceLine {
  readonly customerId: string;
  readonly customerName: string;
  readonly currency: string;
  readonly orderId: string;
  readonly orderNumber: string;
  readonly orderLineId: string;
  readonly lineNo: number;
  /** Null for a service line (billed with its order). */
  readonly shipmentId: string | null;
  readonly shipmentNumber: string | null;
  readonly shipmentLineId: string | null;
  readonly shipDate: string | null;
  readonly itemKind: ItemKind;
  readonly sku: string;
  readonly description: string;
  readonly quantity: Decimal;
}

export interface InvoiceListItem {
  readonly id: string;
  readonly kind: InvoiceKind;
  /** Null while a draft. */
  readonly number: string | null;
  readonly status: InvoiceStatus;
  readonly origin: InvoiceOrigin;
  readonly sendingStatus: SendingStatus;
  readonly paymentStatus: PaymentStatus;
  /** Issued, something open, and the due date has passed. */
  readonly overdue: boolean;
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
  readonly currency: string;
  readonly issueDate: string | null;
  readonly dueDate: string | null;
  readonly gross: Decimal;
  /** Invoice: what the customer still owes. Credit note: the credit item still open. */
  readonly open: Decimal;
  /** Invoice: what credit notes took off it. Credit note: the part that went against its invoice. */
  readonly credited: Decimal;
  readonly creditedInvoiceId: string | null;
  readonly createdAt: string;
}

export interface RelatedInvoice {
  readonly id: string;
  readonly number: string | null;
  readonly kind: InvoiceKind;
  readonly status: InvoiceStatus;
  readonly issueDate: string | null;
  readonly gross: Decimal;
}

export interface InvoiceAddress {
  readonly line1: string;
  readonly line2: string | null;
  readonly postalCode: string;
  readonly city: string;
  readonly countryCode: string;
}

export interface InvoiceLine {
  readonly id: string;
  readonly lineNo: number;
  readonly kind: 'item' | 'charge';
  readonly orderId: string | null;
  readonly orderNumber: string | null;
  readonly orderLineId: string | null;
  readonly shipmentId: string | null;
  readonly shipmentNumber: string | null;
  readonly shipmentLineId: string | null;
  /** On a credit note: the invoice line it credits. */
  readonly creditedLineId: string | null;
  readonly isPriceReduction: boolean;
  readonly itemId: string | null;
  readonly sku: string | null;
  readonly description: string;
  readonly unit: string;
  readonly quantity: Decimal;
  readonly unitPrice: Decimal;
  readonly discountPercent: Decimal | null;
  readonly gross: Decimal;
  readonly discount: Decimal;
  readonly net: Decimal;
  readonly allowanceShare: Decimal;
  readonly taxable: Decimal;
  readonly taxCategory: string;
  readonly taxRatePercent: Decimal;
  readonly taxExemptionReason: string | null;
  readonly tax: Decimal;
  /** Invoices: the quantity credit notes gave back so far. */
  readonly creditedQuantity: Decimal | null;
  /** Issued invoices: the net amount of the line still open to credit. */
  readonly creditable: Decimal | null;
}

export interface InvoiceTaxBreakdown {
  readonly categoryCode: string;
  readonly ratePercent: Decimal;
  readonly exemptionReasonCode: string | null;
  readonly exemptionReason: string | null;
  readonly taxable: Decimal;
  readonly tax: Decimal;
}

export interface SendingAttempt {
  readonly attemptNo: number;
  readonly recipient: string;
  readonly outcome: 'sent' | 'failed';
  readonly detail: string;
  readonly attemptedAt: string;
}

export interface Invoice extends Omit<InvoiceListItem, 'customer'> {
  readonly customer: {
    readonly id: string;
    readonly number: string;
    readonly name: string;
    readonly legalName: string;
    readonly vatId: string | null;
    readonly email: string | null;
    readonly billingAddress: InvoiceAddress;
  };
  readonly deliverTo: (InvoiceAddress & { readonly name: string }) | null;
  readonly baseCurrency: string;
  readonly exchangeRate: Decimal | null;
  /** Total VAT in the base currency when the invoice is in another currency. */
  readonly taxInBaseCurrency: Decimal | null;
  readonly deliveryDate: string | null;
  readonly paymentTerms: { readonly code: string; readonly name: string; readonly netDays: number; readonly discountPercent: Decimal | null; readonly discountDays: number | null };
  readonly discountDeadline: string | null;
  readonly discountAmount: Decimal | null;
  /** ISO 11649 RF creditor reference to quote with the payment. */
  readonly paymentReference: string | null;
  readonly buyerReference: string | null;
  readonly linesNet: Decimal;
  readonly allowances: Decimal;
  readonly charges: Decimal;
  readonly taxable: Decimal;
  readonly tax: Decimal;
  readonly taxBreakdown: InvoiceTaxBreakdown[];
  readonly lines: InvoiceLine[];
  readonly sendingAttempts: SendingAttempt[];
  readonly creditReason: string | null;
  readonly notes: string | null;
  readonly creditNotes: RelatedInvoice[];
  readonly creditedInvoice: RelatedInvoice | null;
  readonly corrects: RelatedInvoice | null;
  readonly correctedBy: RelatedInvoice[];
  readonly journalEntryId: string | null;
  readonly issuedBy: string | null;
  readonly issuedAt: string | null;
  readonly availableActions: Array<InvoiceAction | string>;
  readonly version: number;
  readonly updatedAt: string;
}

export interface InvoiceFilter {
  readonly kind?: InvoiceKind;
  readonly status?: InvoiceStatus;
  readonly sendingStatus?: SendingStatus;
  readonly paymentStatus?: PaymentStatus;
  readonly overdue?: 'true' | 'false';
  readonly customerId?: string;
  readonly orderId?: string;
  readonly dueFrom?: string;
  readonly dueTo?: string;
  readonly search?: string;
}

export interface InvoicingSettings {
  /** Automatic invoices are issued at once (true) or wait as drafts for review (false). */
  readonly autoIssue: boolean;
  readonly version: number;
}

export interface EinvoiceCheck {
  readonly valid: boolean;
  readonly violations: Array<{ readonly rule: string; readonly message: string }>;
}

export interface CreditLineInput {
  invoiceLineId: string;
  quantity?: Decimal;
  /** A net amount off the line (a price reduction). */
  amount?: Decimal;
}

export interface InvoiceDraftChange {
  version: number;
  /** Null takes the day of issue. */
  issueDate?: string | null;
  notes?: string | null;
  buyerReference?: string | null;
  removeLineIds?: string[];
}

export const getReadyToInvoice = (customerId?: string) => request<{ items: ReadyToInvoiceLine[] }>('GET', '/invoicing/ready', { query: { customerId } });

/** What an invoice run made, and what it could not (per customer, with the reason). */
export interface InvoiceRunResult {
  readonly invoices: readonly InvoiceListItem[];
  readonly failures: ReadonlyArray<{ readonly customerId: string; readonly customerName: string; readonly message: string }>;
}

export const runInvoicing = (body: { customerId?: string }, idempotencyKey: string) => request<InvoiceRunResult>('POST', '/invoice-runs', { body, idempotencyKey });

export const getInvoicingSettings = () => request<InvoicingSettings>('GET', '/invoicing/settings');

export const updateInvoicingSettings = (body: { autoIssue: boolean; version: number }) => request<InvoicingSettings>('PUT', '/invoicing/settings', { body });

export const listInvoices = (filter: InvoiceFilter, cursor?: string, limit = 50) =>
  request<Page<InvoiceListItem>>('GET', '/invoices', { query: { ...filter, cursor, limit } });

export const createInvoiceDraft = (body: { shipmentIds?: string[]; orderIds?: string[]; notes?: string | null }, idempotencyKey: string) =>
  request<Invoice>('POST', '/invoices', { body, idempotencyKey });

export const getInvoice = (invoiceId: string) => request<Invoice>('GET', `/invoices/${id(invoiceId)}`);

export const updateInvoiceDraft = (invoiceId: string, body: InvoiceDraftChange) => request<Invoice>('PATCH', `/invoices/${id(invoiceId)}`, { body });

export const deleteInvoiceDraft = (invoiceId: string, version: number) =>
  request<void>('DELETE', `/invoices/${id(invoiceId)}`, { query: { version: String(version) } });

export const issueInvoice = (invoiceId: string, idempotencyKey: string) => request<Invoice>('POST', `/invoices/${id(invoiceId)}/issue`, { idempotencyKey });

/** Without a recipient the customer's invoice contact gets it. */
export const sendInvoice = (invoiceId: string, recipient: string | undefined, idempotencyKey: string) =>
  request<Invoice>('POST', `/invoices/${id(invoiceId)}/send`, { ...(recipient === undefined ? {} : { body: { recipient } }), idempotencyKey });

/** Without lines: everything not yet credited. */
export const creditInvoice = (invoiceId: string, body: { reason: string; lines?: CreditLineInput[]; goodsReturned?: boolean }, idempotencyKey: string) =>
  request<Invoice>('POST', `/invoices/${id(invoiceId)}/credit-notes`, { body, idempotencyKey });

export const correctInvoice = (invoiceId: string, reason: string, idempotencyKey: string) =>
  request<{ creditNote: Invoice; draft: Invoice }>('POST', `/invoices/${id(invoiceId)}/correct`, { body: { reason }, idempotencyKey });

export const getInvoiceValidation = (invoiceId: string) => request<EinvoiceCheck>('GET', `/invoices/${id(invoiceId)}/validation`);

export const getInvoiceHistory = (invoiceId: string) => request<{ items: HistoryEntry[] }>('GET', `/invoices/${id(invoiceId)}/history`);

export const invoicePdfUrl = (invoiceId: string) => `${base}/invoices/${id(invoiceId)}/invoice.pdf`;

export const invoiceUblUrl = (invoiceId: string) => `${base}/invoices/${id(invoiceId)}/ubl.xml`;

// ---- payments: receipts, their applications to invoices, refunds, reversals; credit items; write-offs

export const paymentMethods = ['bank_transfer', 'card', 'cheque', 'direct_debit', 'cash'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
export const refundMethods = ['bank_transfer', 'card', 'cheque', 'cash'] as const;
export type RefundMethod = (typeof refundMethods)[number];
export const paymentStates = ['received', 'reversed'] as const;
export type PaymentState = (typeof paymentStates)[number];
export type PaymentAction = 'apply' | 'refund' | 'reverse';

export interface PaymentListItem {
  readonly id: string;
  readonly number: string;
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
  readonly currency: string;
  readonly amount: Decimal;
  readonly unapplied: Decimal;
  readonly method: PaymentMethod;
  readonly valueDate: string;
  readonly status: PaymentState;
  readonly createdAt: string;
}

/** Cash of a payment, or credit of a credit note, settling (part of) an invoice. */
export interface PaymentApplication {
  readonly id: string;
  readonly sourceType: 'payment' | 'credit_note';
  readonly source: { readonly id: string; readonly number: string; readonly currency: string };
  readonly invoice: { readonly id: string; readonly number: string; readonly currency: string };
  /** Cash applied, in the invoice's currency. */
  readonly amount: Decimal;
  readonly discount: Decimal;
  readonly difference: Decimal;
  /** What it took from the payment or credit item, in its currency. */
  readonly sourceAmount: Decimal;
  /** Payment → invoice currency at the value date, when they differ. */
  readonly rate: Decimal | null;
  /** Realised exchange difference in the base currency: positive a gain, negative a loss. */
  readonly fxGainLoss: Decimal;
  readonly baseCurrency: string;
  readonly businessDate: string;
  readonly status: 'active' | 'undone';
  readonly undoReason: string | null;
  readonly undoDate: string | null;
  readonly undoneBy: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface Refund {
  readonly id: string;
  readonly number: string;
  readonly customerId: string;
  readonly sourceType: 'payment' | 'credit_note';
  readonly sourceId: string;
  readonly currency: string;
  readonly amount: Decimal;
  readonly businessDate: string;
  readonly method: RefundMethod;
  readonly reference: string | null;
  readonly reason: string;
  readonly journalEntryId: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface Payment extends PaymentListItem {
  readonly payerReference: string | null;
  readonly bankAccount: string | null;
  readonly notes: string | null;
  readonly applied: Decimal;
  readonly refunded: Decimal;
  readonly journalEntryId: string;
  readonly reversal: { readonly reason: string; readonly date: string; readonly by: string; readonly journalEntryId: string | null } | null;
  readonly applications: PaymentApplication[];
  readonly refunds: Refund[];
  readonly availableActions: PaymentAction[];
  readonly createdBy: string;
  readonly version: number;
}

/** One invoice to settle. Without an amount: what settles it (with its discount), or what is left. */
export interface ApplicationRequest {
  invoiceId: string;
  amount?: Decimal;
  /** Grant the early-payment discount when in time and the amount covers the discounted balance (default true). */
  takeDiscount?: boolean;
  /** Close the invoice, booking a small rest (within the tolerance) to bank charges (default false). */
  acceptDifference?: boolean;
}

export interface PaymentPreviewLine {
  readonly invoiceId: string;
  readonly number: string;
  readonly currency: string;
  readonly dueDate: string | null;
  readonly open: Decimal;
  readonly amount: Decimal;
  readonly discount: Decimal;
  readonly discountAvailable: Decimal;
  readonly difference: Decimal;
  /** What it takes from the payment, in the payment's currency. */
  readonly paymentAmount: Decimal;
  readonly rate: Decimal | null;
  readonly openAfter: Decimal;
}

export interface PaymentPreview {
  readonly currency: string;
  readonly applications: PaymentPreviewLine[];
  readonly applied: Decimal;
  readonly unapplied: Decimal;
}

export interface ReceiptInput {
  customerId: string;
  amount: Decimal;
  currency: string;
  valueDate: string;
}

export interface NewPaymentInput extends ReceiptInput {
  method: PaymentMethod;
  payerReference?: string | null;
  bankAccount?: string | null;
  notes?: string | null;
  applications?: ApplicationRequest[];
}

export interface PaymentFilter {
  readonly customerId?: string;
  readonly status?: PaymentState;
  readonly unapplied?: 'true' | 'false';
  readonly search?: string;
}

export interface RefundInput {
  /** Left out: all that is left. */
  amount?: Decimal;
  method: RefundMethod;
  reference?: string | null;
  reason: string;
}

export const listPayments = (filter: PaymentFilter, cursor?: string, limit = 50) =>
  request<Page<PaymentListItem>>('GET', '/payments', { query: { ...filter, cursor, limit } });

export const getPayment = (paymentId: string) => request<Payment>('GET', `/payments/${id(paymentId)}`);

/** What a payment would settle, without recording it: a read, so no Idempotency-Key. Without applications: the suggestion, oldest due first. */
export const previewPayment = (body: ReceiptInput & { applications?: ApplicationRequest[] }) =>
  request<PaymentPreview>('POST', '/payments/preview', { body, readOnly: true });

export const recordPayment = (body: NewPaymentInput, idempotencyKey: string) => request<Payment>('POST', '/payments', { body, idempotencyKey });

/** What applying the payment's unapplied cash would do: a read. */
export const previewPaymentApplications = (paymentId: string, applications?: ApplicationRequest[]) =>
  request<PaymentPreview>('POST', `/payments/${id(paymentId)}/preview`, { body: applications === undefined ? {} : { applications }, readOnly: true });

export const applyPayment = (paymentId: string, applications: ApplicationRequest[], idempotencyKey: string) =>
  request<Payment>('POST', `/payments/${id(paymentId)}/applications`, { body: { applications }, idempotencyKey });

export const reversePayment = (paymentId: string, body: { reason: string; version?: number }, idempotencyKey: string) =>
  request<Payment>('POST', `/payments/${id(paymentId)}/reverse`, { body, idempotencyKey });

export const refundPayment = (paymentId: string, body: RefundInput, idempotencyKey: string) =>
  request<Refund>('POST', `/payments/${id(paymentId)}/refunds`, { body, idempotencyKey });

export const getPaymentHistory = (paymentId: string) => request<{ items: HistoryEntry[] }>('GET', `/payments/${id(paymentId)}/history`);

/** Applications by one of invoice, payment, credit note or customer, oldest first. */
export const listPaymentApplications = (filter: { invoiceId?: string; paymentId?: string; creditNoteId?: string; customerId?: string }) =>
  request<{ items: PaymentApplication[] }>('GET', '/payment-applications', { query: filter });

export const undoPaymentApplication = (applicationId: string, reason: string, idempotencyKey: string) =>
  request<{ sourceType: 'payment' | 'credit_note'; sourceId: string; applications: PaymentApplication[] }>('POST', `/payment-applications/${id(applicationId)}/undo`, {
    body: { reason },
    idempotencyKey,
  });

export const applyCreditNote = (creditNoteId: string, applications: Array<{ invoiceId: string; amount?: Decimal }>, idempotencyKey: string) =>
  request<{ creditNoteId: string; open: Decimal; applications: PaymentApplication[] }>('POST', `/credit-notes/${id(creditNoteId)}/applications`, {
    body: { applications },
    idempotencyKey,
  });

export const refundCreditNote = (creditNoteId: string, body: RefundInput, idempotencyKey: string) =>
  request<Refund>('POST', `/credit-notes/${id(creditNoteId)}/refunds`, { body, idempotencyKey });

export interface PaymentSettings {
  readonly baseCurrency: string;
  /** The largest difference (base currency) that may be accepted when applying a payment. */
  readonly tolerance: Decimal;
  /** Write-offs above this (base currency) need a controller to approve. */
  readonly writeOffThreshold: Decimal;
  readonly version: number;
}

export const getPaymentSettings = () => request<PaymentSettings>('GET', '/payment-settings');

export const writeOffStatuses = ['requested', 'approved', 'rejected'] as const;
export type WriteOffStatus = (typeof writeOffStatuses)[number];

export interface WriteOff {
  readonly id: string;
  readonly invoice: { readonly id: string; readonly number: string };
  readonly customer: { readonly id: string; readonly name: string };
  readonly currency: string;
  readonly amount: Decimal;
  readonly reason: string;
  readonly status: WriteOffStatus;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionNote: string | null;
  readonly journalEntryId: string | null;
  readonly version: number;
}

export const listWriteOffs = (filter: { status?: WriteOffStatus; invoiceId?: string }, cursor?: string, limit = 50) =>
  request<Page<WriteOff>>('GET', '/write-offs', { query: { ...filter, cursor, limit } });

/** Without an amount: all that is open. */
export const requestWriteOff = (body: { invoiceId: string; amount?: Decimal; reason: string }, idempotencyKey: string) =>
  request<WriteOff>('POST', '/write-offs', { body, idempotencyKey });

export const approveWriteOff = (writeOffId: string, note: string | null, idempotencyKey: string) =>
  request<WriteOff>('POST', `/write-offs/${id(writeOffId)}/approve`, { ...(note === null ? {} : { body: { note } }), idempotencyKey });

export const rejectWriteOff = (writeOffId: string, note: string, idempotencyKey: string) =>
  request<WriteOff>('POST', `/write-offs/${id(writeOffId)}/reject`, { body: { note }, idempotencyKey });

// ---- receivables: open items, statements, aging, reconciliation

export const agingBuckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

export interface OpenItem {
  readonly type: 'invoice' | 'credit_note' | 'payment';
  readonly id: string;
  readonly number: string;
  readonly currency: string;
  readonly documentDate: string;
  readonly dueDate: string | null;
  /** The document's amount; credit notes and payments negative. */
  readonly amount: Decimal;
  /** What is open on it that day; credit items and unapplied cash negative. */
  readonly open: Decimal;
  readonly daysPastDue: number | null;
  readonly bucket: AgingBucket | null;
}

export interface OpenItems {
  readonly asOf: string;
  readonly items: OpenItem[];
  readonly balances: Array<{ readonly currency: string; readonly balance: Decimal }>;
}

export const getOpenItems = (customerId: string, asOf?: string) => request<OpenItems>('GET', `/customers/${id(customerId)}/open-items`, { query: { asOf } });

export interface StatementMovement {
  readonly date: string;
  readonly kind: string;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly entryNumber: string;
  readonly description: string;
  readonly debit: Decimal | null;
  readonly credit: Decimal | null;
  readonly balance: Decimal;
}

export interface CustomerStatement {
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
  readonly from: string;
  readonly to: string;
  readonly currencies: Array<{ readonly currency: string; readonly opening: Decimal; readonly movements: StatementMovement[]; readonly closing: Decimal }>;
}

export const getStatement = (customerId: string, from: string, to: string) =>
  request<CustomerStatement>('GET', `/customers/${id(customerId)}/statement`, { query: { from, to } });

/** The statement as a file; the session cookie opens it (same origin). */
export const statementUrl = (customerId: string, from: string, to: string, format: 'pdf' | 'csv') =>
  `${base}/customers/${id(customerId)}/statement${queryString({ from, to, format })}`;

export type AgingAmounts = Record<AgingBucket | 'credits' | 'total', Decimal>;

export interface Aging {
  readonly asOf: string;
  readonly baseCurrency: string;
  readonly totals: {
    readonly byCurrency: Array<AgingAmounts & { readonly currency: string }>;
    readonly inBaseCurrency: AgingAmounts;
    /** Currencies without a rate to the base currency on or before the date; left out of the base totals. */
    readonly missingRates: string[];
  };
  readonly customerCount: number;
  readonly customers: Array<{
    readonly id: string;
    readonly name: string;
    readonly byCurrency: Array<AgingAmounts & { readonly currency: string }>;
    readonly inBaseCurrency: AgingAmounts | null;
  }>;
  readonly nextOffset: number | null;
}

export const getAging = (filter: { asOf?: string; customerId?: string; offset?: number; limit?: number }) =>
  request<Aging>('GET', '/receivables/aging', { query: filter });

/** Every customer's aging as CSV; the session cookie opens it. */
export const agingCsvUrl = (asOf: string | undefined) => `${base}/receivables/aging${queryString({ asOf, format: 'csv' })}`;

export interface ReconciliationComparison {
  readonly currency: string;
  readonly ledger: Decimal;
  readonly items: Decimal;
  readonly difference: Decimal;
}

export interface ReconciliationDifference extends ReconciliationComparison {
  readonly account: 'receivables' | 'unapplied_cash';
  readonly customer: { readonly id: string; readonly name: string };
  readonly entries: Array<{
    readonly entryId: string;
    readonly number: string;
    readonly date: string;
    readonly description: string;
    readonly sourceType: string;
    readonly sourceId: string;
    readonly amount: Decimal;
  }>;
}

export interface Reconciliation {
  readonly asOf: string;
  readonly balanced: boolean;
  readonly receivables: ReconciliationComparison[];
  readonly unappliedCash: ReconciliationComparison[];
  readonly differences: ReconciliationDifference[];
}

export const getReconciliation = (asOf?: string) => request<Reconciliation>('GET', '/receivables/reconciliation', { query: { asOf } });

// ---- credit: reviews of held orders, positions and limits, scores, limit requests, policy

export type CreditLimitSource = 'temporary' | 'customer' | 'default';
export type CreditBlockState = 'none' | 'automatic' | 'manual';

export interface CreditExposure {
  /** Open invoices less credit items and unapplied cash. */
  readonly openReceivables: Decimal;
  /** Goods shipped and not yet on an issued invoice. */
  readonly shippedNotInvoiced: Decimal;
  /** Approved orders not yet shipped. */
  readonly approvedNotShipped: Decimal;
  readonly total: Decimal;
}

/** The facts a credit decision was taken on, as stored with the order and the review (amounts in `currency`). */
export interface CreditDecisionInputs {
  readonly currency?: string;
  readonly orderValue?: Decimal | null;
  readonly orderCurrency?: string;
  readonly orderValueInOrderCurrency?: Decimal;
  readonly limit?: Decimal | null;
  readonly limitSource?: CreditLimitSource;
  readonly exposure?: { readonly [Part in keyof CreditExposure]?: Decimal | null };
  readonly exposureAfter?: Decimal | null;
  /** Limit less exposure after the order; negative when over. */
  readonly headroom?: Decimal | null;
  readonly overdue?: Decimal | null;
  readonly oldestOverdueDays?: number | null;
  readonly graceDays?: number;
  readonly block?: CreditBlockState;
  readonly missingRates?: string[];
  readonly asOf?: string;
}

export interface OverdueItem {
  readonly id: string;
  readonly number: string;
  readonly currency: string;
  readonly dueDate: string;
  readonly open: Decimal;
  readonly daysPastDue: number;
}

/** A customer's credit today: the limit in force, exposure by part, overdue items and credit block, in its currency. */
export interface CreditPosition {
  readonly customer: { readonly id: string; readonly number: string; readonly name: string; readonly status: string };
  readonly currency: string;
  readonly asOf: string;
  readonly limit: Decimal | null;
  readonly limitSource: CreditLimitSource;
  readonly customerLimit: Decimal | null;
  readonly temporaryLimit: Decimal | null;
  readonly temporaryLimitUntil: string | null;
  readonly defaultLimit: Decimal | null;
  readonly exposure: CreditExposure;
  /** Limit less exposure; negative when over. */
  readonly available: Decimal | null;
  readonly missingRates: string[];
  readonly overdue: { readonly amount: Decimal; readonly oldestDays: number | null; readonly items: OverdueItem[] };
  readonly block: { readonly state: CreditBlockState; readonly reason: string | null; readonly since: string | null };
}

export interface CreditScoreFactor {
  readonly code: string;
  readonly label: string;
  readonly value: string;
  /** What the factor added to (or took from) the score. */
  readonly points: number;
  readonly explanation: string;
}

export interface CreditScore {
  readonly scoredOn: string;
  /** 0 to 100. */
  readonly score: number;
  readonly riskClass: string;
  readonly recommendedLimit: Decimal;
  readonly currency: string;
  readonly hasHistory: boolean;
  readonly factors: CreditScoreFactor[];
}

export const creditReviewStatuses = ['open', 'released', 'rejected'] as const;
export type CreditReviewStatus = (typeof creditReviewStatuses)[number];

export interface CreditReview {
  readonly id: string;
  readonly status: CreditReviewStatus;
  /** Why the order was held. */
  readonly reasons: string[];
  readonly inputs: CreditDecisionInputs;
  readonly openedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
  /** A limit increase for this order only, in the customer's currency. */
  readonly oneOffIncrease: Decimal | null;
  readonly order: {
    readonly id: string;
    readonly number: string;
    readonly status: string;
    readonly orderDate: string;
    readonly currency: string;
    readonly gross: Decimal;
    readonly enteredBy: string;
  };
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
}

export interface CreditPaymentHistory {
  readonly paidInvoices: number;
  readonly paidLate: number;
  readonly averageDaysLate: string;
  readonly openInvoices: number;
  readonly reversedPayments: number;
  readonly monthlyInvoiced: Decimal;
  readonly customerSince: string;
}

export interface CreditReviewDetail extends CreditReview {
  /** The decision as it would be taken now (open reviews). */
  readonly current: { readonly outcome: 'approve' | 'hold'; readonly reasons: string[]; readonly decidedAt: string; readonly inputs: CreditDecisionInputs } | null;
  /** The customer's position without this order. */
  readonly position: CreditPosition;
  readonly paymentHistory: CreditPaymentHistory;
  readonly score: CreditScore | null;
  /** Oldest first. */
  readonly scores: CreditScore[];
}

export interface CreditLimitChange {
  readonly id: string;
  readonly currency: string;
  readonly previousLimit: Decimal | null;
  readonly limit: Decimal;
  /** Set for a temporary limit: its last day. */
  readonly expiresOn: string | null;
  readonly reason: string;
  readonly requestId: string | null;
  readonly changedBy: string;
  readonly changedAt: string;
}

export const limitRequestStatuses = ['pending', 'approved', 'rejected'] as const;
export type LimitRequestStatus = (typeof limitRequestStatuses)[number];

export interface CreditLimitRequest {
  readonly id: string;
  readonly customer: { readonly id: string; readonly number: string; readonly name: string };
  readonly currency: string;
  readonly currentLimit: Decimal | null;
  readonly limit: Decimal;
  readonly expiresOn: string | null;
  readonly reason: string;
  readonly status: LimitRequestStatus;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
}

export interface CustomerCredit {
  readonly position: CreditPosition;
  readonly score: CreditScore | null;
  /** Oldest first. */
  readonly scores: CreditScore[];
  /** Newest first. */
  readonly limitChanges: CreditLimitChange[];
  /** Newest first. */
  readonly reviews: CreditReview[];
  /** Newest first. */
  readonly limitRequests: CreditLimitRequest[];
}

export const riskClasses = ['A', 'B', 'C', 'D', 'E'] as const;
export type RiskClass = (typeof riskClasses)[number];

export interface CreditSettings {
  /** The base currency, in which the default limit is kept. */
  readonly currency: string;
  readonly defaultLimit: Decimal;
  readonly graceDays: number;
  readonly blockAfterDays: number;
  readonly startingClass: RiskClass;
}

/** Open reviews oldest first; decided ones newest first. */
export const listCreditReviews = (filter: { status?: CreditReviewStatus; customerId?: string; orderId?: string }, cursor?: string, limit = 50) =>
  request<Page<CreditReview>>('GET', '/credit-reviews', { query: { ...filter, cursor, limit } });

export const getCreditReview = (reviewId: string) => request<CreditReviewDetail>('GET', `/credit-reviews/${id(reviewId)}`);

export const releaseCreditReview = (reviewId: string, body: { reason: string; oneOffIncrease?: Decimal }, idempotencyKey: string) =>
  request<{ review: CreditReview; order: Order }>('POST', `/credit-reviews/${id(reviewId)}/release`, { body, idempotencyKey });

export const rejectCreditReview = (reviewId: string, reason: string, idempotencyKey: string) =>
  request<{ review: CreditReview; order: Order }>('POST', `/credit-reviews/${id(reviewId)}/reject`, { body: { reason }, idempotencyKey });

export const getCustomerCredit = (customerId: string) => request<CustomerCredit>('GET', `/credit/customers/${id(customerId)}`);

export const getCreditPosition = (customerId: string) => request<CreditPosition>('GET', `/credit/customers/${id(customerId)}/exposure`);

/** Without expiresOn the customer's own limit changes (and any temporary one ends); with it, a temporary limit until that day. */
export const setCreditLimit = (customerId: string, body: { limit: Decimal; reason: string; expiresOn?: string | null }) =>
  request<CreditLimitChange & { customerId: string }>('PUT', `/credit/customers/${id(customerId)}/limit`, { body });

export const blockCredit = (customerId: string, reason: string, idempotencyKey: string) =>
  request<CreditPosition>('POST', `/credit/customers/${id(customerId)}/block`, { body: { reason }, idempotencyKey });

export const unblockCredit = (customerId: string, reason: string, idempotencyKey: string) =>
  request<CreditPosition>('POST', `/credit/customers/${id(customerId)}/unblock`, { body: { reason }, idempotencyKey });

/** Scores the customer now; kept as today's score. */
export const scoreCustomerCredit = (customerId: string, idempotencyKey: string) =>
  request<CreditScore>('POST', `/credit/customers/${id(customerId)}/score`, { idempotencyKey });

export const listLimitRequests = (filter: { status?: LimitRequestStatus; customerId?: string }) =>
  request<{ items: CreditLimitRequest[] }>('GET', '/credit/limit-requests', { query: filter });

export const requestCreditLimit = (body: { customerId: string; limit: Decimal; reason: string; expiresOn?: string | null }, idempotencyKey: string) =>
  request<CreditLimitRequest>('POST', '/credit/limit-requests', { body, idempotencyKey });

export const approveLimitRequest = (requestId: string, reason: string, idempotencyKey: string) =>
  request<CreditLimitRequest>('POST', `/credit/limit-requests/${id(requestId)}/approve`, { body: { reason }, idempotencyKey });

export const rejectLimitRequest = (requestId: string, reason: string, idempotencyKey: string) =>
  request<CreditLimitRequest>('POST', `/credit/limit-requests/${id(requestId)}/reject`, { body: { reason }, idempotencyKey });

export const getCreditSettings = () => request<CreditSettings>('GET', '/credit/settings');

export const updateCreditSettings = (body: { defaultLimit?: Decimal; graceDays?: number; blockAfterDays?: number; startingClass?: RiskClass }) =>
  request<CreditSettings>('PUT', '/credit/settings', { body });
