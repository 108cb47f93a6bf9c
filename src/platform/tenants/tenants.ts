import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { isKnownCurrency, isValidTimeZone, newId } from '../../kernel';
import { recordAudit } from '../audit/audit';
import type { RequestContext } from '../auth/actor';
import type { Executor, Tx } from '../db/database';
import type { TenantsTable } from '../db/schema';
import { AppError, invalidValue, notFound, versionConflict, type FieldIssue } from '../errors/app-error';

/** The company that runs o2c: what its documents print and its postings use. */
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

export interface TenantView extends TenantProfile {
  id: string;
  slug: string;
  version: number;
  updatedAt: string;
}

type TenantRow = Pick<TenantsTable, Exclude<keyof TenantsTable, 'version' | 'created_at' | 'updated_at'>> & {
  version: number;
  updated_at: Date;
};

export function toTenantView(row: TenantRow): TenantView {
  return {
    id: row.id,
    slug: row.slug,
    legalName: row.legal_name,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    postalCode: row.postal_code,
    city: row.city,
    countryCode: row.country_code,
    vatId: row.vat_id,
    registrationId: row.registration_id,
    iban: row.iban,
    bic: row.bic,
    baseCurrency: row.base_currency,
    timeZone: row.time_zone,
    locale: row.locale,
    emailSender: row.email_sender,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

function toColumns(profile: TenantProfile) {
  return {
    legal_name: profile.legalName.trim(),
    address_line1: profile.addressLine1.trim(),
    address_line2: profile.addressLine2?.trim() || null,
    postal_code: profile.postalCode.trim(),
    city: profile.city.trim(),
    country_code: profile.countryCode,
    vat_id: profile.vatId?.replace(/\s+/g, '').toUpperCase() || null,
    registration_id: profile.registrationId?.trim() || null,
    iban: profile.iban === null ? null : electronicFormatIBAN(profile.iban),
    bic: profile.bic?.replace(/\s+/g, '').toUpperCase() || null,
    base_currency: profile.baseCurrency,
    time_zone: profile.timeZone,
    locale: profile.locale,
    email_sender: profile.emailSender?.trim() || null,
  };
}

/** Checks the parts of a profile a schema cannot: real currency, time zone, locale, IBAN, BIC. */
export function checkProfile(profile: TenantProfile): void {
  const issues: FieldIssue[] = [];
  if (!isKnownCurrency(profile.baseCurrency)) issues.push({ path: 'body.baseCurrency', message: 'is not an ISO 4217 currency code' });
  if (!isValidTimeZone(profile.timeZone)) issues.push({ path: 'body.timeZone', message: 'is not an IANA time zone such as Europe/Berlin' });
  try {
    Intl.getCanonicalLocales(profile.locale);
  } catch {
    issues.push({ path: 'body.locale', message: 'is not a BCP 47 locale such as de-DE' });
  }
  if (profile.iban !== null && !isValidIBAN(electronicFormatIBAN(profile.iban) ?? '')) {
    issues.push({ path: 'body.iban', message: 'is not a valid IBAN (check digits or length are wrong)' });
  }
  if (profile.bic !== null && !isValidBIC(profile.bic.replace(/\s+/g, '').toUpperCase())) {
    issues.push({ path: 'body.bic', message: 'is not a valid BIC' });
  }
  if (issues.length > 0) {
    throw new AppError('O2C_INVALID_VALUE', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
  }
}

export type NewTenant = { slug: string } & TenantProfile;

export async function createTenant(tx: Tx, input: NewTenant): Promise<TenantView> {
  checkProfile(input);
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) {
    throw invalidValue('slug', 'must be 2–63 lower-case letters, digits or hyphens');
  }
  const existing = await tx.selectFrom('tenants').select('id').where('slug', '=', input.slug).executeTakeFirst();
  if (existing !== undefined) throw new AppError('O2C_ALREADY_EXISTS', `a tenant with slug "${input.slug}" already exists`);
  const row = await tx
    .insertInto('tenants')
    .values({ id: newId(), slug: input.slug, ...toColumns(input) })
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = toTenantView(row);
  await recordAudit(tx, { actor: { tenantId: view.id, type: 'system', id: null, name: 'system', roles: [], permissions: [] }, requestId: null }, {
    action: 'tenant.created',
    entityType: 'tenant',
    entityId: view.id,
    after: view,
  });
  return view;
}

export async function getTenant(executor: Executor, tenantId: string): Promise<TenantView> {
  const row = await executor.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  if (row === undefined) throw notFound('tenant', tenantId);
  return toTenantView(row);
}

export async function findTenantBySlug(executor: Executor, slug: string): Promise<TenantView | undefined> {
  const row = await executor.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row === undefined ? undefined : toTenantView(row);
}

export async function updateTenantProfile(
  tx: Tx,
  context: RequestContext,
  change: { version: number } & TenantProfile,
): Promise<TenantView> {
  checkProfile(change);
  const tenantId = context.actor.tenantId;
  const beforeRow = await tx.selectFrom('tenants').selectAll().where('id', '=', tenantId).forUpdate().executeTakeFirst();
  if (beforeRow === undefined) throw notFound('tenant', tenantId);
  if (beforeRow.version !== change.version) throw versionConflict('tenant', tenantId, change.version);
  const row = await tx
    .updateTable('tenants')
    .set({ ...toColumns(change), version: beforeRow.version + 1, updated_at: new Date() })
    .where('id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const before = toTenantView(beforeRow);
  const after = toTenantView(row);
  await recordAudit(tx, context, { action: 'tenant.profile_updated', entityType: 'tenant', entityId: tenantId, before, after });
  return after;
}
