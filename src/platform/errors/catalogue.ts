/**
 * The one catalogue of error codes o2c answers with. A code is stable once
 * published: clients may branch on it. Each has its HTTP status and a title; the
 * `detail` of a response says what exactly to fix. docs/ERRORS.md is generated from
 * this table (`npm run docs:errors`) and a test keeps the two in step.
 */
export const errorCatalogue = {
  O2C_VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  O2C_MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  O2C_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body has an unsupported content type' },
  O2C_BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than allowed' },
  O2C_INVALID_VALUE: { status: 400, title: 'A value in the request is not acceptable' },
  O2C_UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  O2C_INVALID_CREDENTIALS: { status: 401, title: 'The e-mail address or password is wrong' },
  O2C_SESSION_EXPIRED: { status: 401, title: 'The session has expired; sign in again' },
  O2C_FORBIDDEN: { status: 403, title: 'Your role does not allow this action' },
  O2C_NOT_FOUND: { status: 404, title: 'The resource does not exist' },
  O2C_ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  O2C_METHOD_NOT_ALLOWED: { status: 405, title: 'The method is not allowed on this route' },
  O2C_VERSION_CONFLICT: { status: 409, title: 'The record was changed by someone else' },
  O2C_STATE_CONFLICT: { status: 409, title: 'The action is not allowed in the current state' },
  O2C_ALREADY_EXISTS: { status: 409, title: 'A record with this identity already exists' },
  O2C_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The Idempotency-Key was used with a different request' },
  O2C_IDEMPOTENCY_KEY_IN_USE: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  O2C_IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'The Idempotency-Key header is not acceptable' },
  O2C_BUSINESS_RULE: { status: 422, title: 'The request breaks a business rule' },
  O2C_LAST_ADMIN: { status: 422, title: 'The last active administrator cannot lose the admin role' },
  O2C_CUSTOMER_NOT_ACTIVE: { status: 422, title: 'The customer is blocked or archived' },
  O2C_ITEM_INACTIVE: { status: 422, title: 'The item is not active' },
  O2C_PRICE_NOT_FOUND: { status: 422, title: 'No price was found for the item' },
  O2C_TAX_RATE_MISSING: { status: 422, title: 'No tax rate is defined for the tax category, country and date' },
  O2C_PRICE_OVERRIDE_NOT_PERMITTED: { status: 403, title: 'You are not permitted to override prices' },
  O2C_INSUFFICIENT_STOCK: { status: 422, title: 'There is not enough stock for this change' },
  O2C_REFERENCED: { status: 409, title: 'The record is referenced by other records; archive it instead' },
  O2C_IMPORT_REJECTED: { status: 422, title: 'The import was rejected; nothing was written' },
  O2C_ENTRY_UNBALANCED: { status: 422, title: 'The journal entry does not balance' },
  O2C_EXCHANGE_RATE_MISSING: { status: 422, title: 'No exchange rate is known for the currency pair and date' },
  O2C_PERIOD_CLOSED: { status: 422, title: 'The accounting period is closed' },
  O2C_ACCOUNT_PROTECTED: { status: 422, title: 'A system account cannot be deleted or change its type' },
  O2C_INVOICE_ISSUED: { status: 409, title: 'An issued invoice or credit note cannot be changed or deleted' },
  O2C_NOTHING_TO_INVOICE: { status: 422, title: 'There is nothing ready to invoice for this request' },
  O2C_CREDIT_EXCEEDS_INVOICED: { status: 422, title: 'The credit note credits more than was invoiced' },
  O2C_EXCEEDS_OPEN: { status: 422, title: 'The amount is more than is open on the item' },
  O2C_EXCEEDS_UNAPPLIED: { status: 422, title: 'The amount is more than is left of the payment or credit' },
  O2C_OTHER_CUSTOMER: { status: 422, title: 'The item belongs to another customer' },
  O2C_SEGREGATION_OF_DUTIES: { status: 403, title: 'The same person may not request and approve' },
  O2C_EINVOICE_INVALID: { status: 422, title: 'The e-invoice breaks a UBL or EN 16931 rule' },
  O2C_TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many failed sign-in attempts; wait and try again' },
  O2C_DATABASE_UNAVAILABLE: { status: 503, title: 'The database is not reachable' },
  O2C_INTERNAL: { status: 500, title: 'An unexpected error occurred' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
