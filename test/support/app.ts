import { buildApp, setUpTenant, type O2cApp } from '../../src/app';
import { createApiKey } from '../../src/platform/auth/api-keys';
import { systemContext } from '../../src/platform/auth/actor';
import { roles, type Role } from '../../src/platform/auth/roles';
import { createUser } from '../../src/platform/auth/users';
import { loadConfig } from '../../src/platform/config';
import type { DatabaseHandle, Executor } from '../../src/platform/db/database';
import { createLogger } from '../../src/platform/logger';
import type { SessionPolicy } from '../../src/platform/auth/sessions';
import { defaultSessionPolicy } from '../../src/platform/auth/sessions';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestTenant {
  readonly id: string;
  readonly slug: string;
  /** One API key per role: keys.admin, keys.sales … */
  readonly keys: Record<Role, string>;
  /** An admin user who can sign in with `password`. */
  readonly adminEmail: string;
  readonly password: string;
}

export const testPassword = 'correct horse battery';

/**
 * Flows that do not test credit buy far within a generous default limit and
 * grace; credit tests set the policy they need (see test/modules/credit).
 */
export async function relaxCreditPolicy(executor: Executor, tenantId: string): Promise<void> {
  await executor.updateTable('credit_settings').set({ default_limit_minor: 100_000_000_000n, grace_days: 3650, block_after_days: 3650 }).where('tenant_id', '=', tenantId).execute();
}

/** Creates a tenant with an admin user and an API key for every role. */
export async function createTestTenant(handle: DatabaseHandle, slug: string): Promise<TestTenant> {
  return handle.db.transaction().execute(async (tx) => {
    const tenant = await setUpTenant(tx, {
      slug,
      legalName: `${slug} Ltd`,
      addressLine1: '1 Test Street',
      addressLine2: null,
      postalCode: '10115',
      city: 'Berlin',
      countryCode: 'DE',
      vatId: 'DE123456789',
      registrationId: null,
      iban: null,
      bic: null,
      baseCurrency: 'EUR',
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
      emailSender: null,
    });
    await relaxCreditPolicy(tx, tenant.id);
    const context = systemContext(tenant.id, 'test');
    const adminEmail = `admin@${slug}.test`;
    await createUser(tx, context, { email: adminEmail, displayName: `${slug} admin`, password: testPassword, roles: ['admin'] });
    const keys = {} as Record<Role, string>;
    for (const role of roles) keys[role] = (await createApiKey(tx, context, { name: `${role} key`, roles: [role] })).secret;
    return { id: tenant.id, slug, keys, adminEmail, password: testPassword };
  });
}

export interface TestApp {
  readonly app: O2cApp;
  readonly database: TestDatabase;
  readonly tenant: TestTenant;
  close(): Promise<void>;
}

/** A whole o2c (HTTP server, no listening socket) on a fresh database with one tenant. */
export async function startTestApp(options: { sessionPolicy?: SessionPolicy; withWorker?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ O2C_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...(database.connectionString ? { DATABASE_URL: database.connectionString } : {}) });
  const app = await buildApp(config, {
    logger: createLogger('silent'),
    handle: database.handle,
    withWorker: options.withWorker ?? false,
    sessionPolicy: options.sessionPolicy ?? defaultSessionPolicy,
  });
  const tenant = await createTestTenant(database.handle, 'acme');
  return {
    app,
    database,
    tenant,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
