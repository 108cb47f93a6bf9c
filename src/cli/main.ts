import fs from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError } from 'commander';
import { buildApp, createWorker, openConfiguredDatabase, productVersion, setUpTenant } from '../app';
import { checkTenants, pendingMigrations, reportOf, UnknownTenantError } from '../check';
import { demoPassword, demoUsers, loadDemo } from '../demo/demo';
import { createApiKey } from '../platform/auth/api-keys';
import { systemContext } from '../platform/auth/actor';
import { isRole, type Role } from '../platform/auth/roles';
import { createUser } from '../platform/auth/users';
import { ConfigError, loadConfig, type Config } from '../platform/config';
import { inTransaction, DatabaseInUseError, type DatabaseHandle } from '../platform/db/database';
import { migrate, MigrationError } from '../platform/db/migrate';
import { AppError } from '../platform/errors/app-error';
import { createLogger } from '../platform/logger';
import { findTenantBySlug } from '../platform/tenants/tenants';
import { importOrders } from '../workflows/import-orders';

/** Exit codes: 0 done, 1 the command failed, 2 bad usage or configuration. */
const exitFailure = 1;
const exitUsage = 2;

class UsageError extends Error {}

const program = new Command()
  .name('o2c')
  .description('o2c order-to-cash: server, worker and administration')
  .version(productVersion)
  .exitOverride()
  .showHelpAfterError();

program
  .command('serve')
  .description('serve the API and web UI (with the job worker unless --no-worker or O2C_WORKER=false)')
  .option('--no-worker', 'do not run the job worker in this process')
  .action(async (options: { worker: boolean }) => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const app = await buildApp(config, { logger, withWorker: options.worker && config.runWorker });
    const demoNote = await loadDemoOnFirstStart(config, app.handle);
    await app.http.listen({ port: config.port, host: config.host });
    const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    const database = config.databaseUrl === undefined ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    process.stdout.write(`\n  o2c ${productVersion} is running at ${address}  (API docs: ${address}/docs)\n  database: ${database}\n${demoNote}\n`);
    const shutdown = async (): Promise<void> => {
      await app.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
  });

program
  .command('worker')
  .description('run only the job worker (jobs, schedules, outbox relay)')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const handle = await openConfiguredDatabase(config);
    await migrate(handle);
    const worker = createWorker(config, handle, logger);
    await worker.start();
    const shutdown = async (): Promise<void> => {
      await worker.stop();
      await handle.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
  });

program
  .command('migrate')
  .description('apply pending database migrations (safe to run again)')
  .action(() =>
    withDatabase(async (handle) => {
      const result = await migrate(handle);
      say(result.applied.length === 0 ? `nothing to apply (${result.alreadyApplied} migrations already applied)` : `applied: ${result.applied.join(', ')}`);
    }, { migrateFirst: false }),
  );

program
  .command('demo')
  .description('load the demo company (does nothing if it is already there)')
  .action(() =>
    withDatabase(async (handle) => {
      const result = await loadDemo(handle.db);
      say(result.created ? demoBanner() : 'the demo company is already loaded');
    }),
  );

const tenant = program.command('tenant').description('manage tenants');
tenant
  .command('create')
  .description('create a tenant (a company using o2c)')
  .requiredOption('--slug <slug>', 'short unique name, e.g. acme')
  .requiredOption('--name <legalName>', 'legal name')
  .requiredOption('--country <code>', 'ISO 3166 country code, e.g. DE')
  .requiredOption('--currency <code>', 'base currency, e.g. EUR')
  .requiredOption('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin')
  .option('--locale <locale>', 'BCP 47 locale', 'en-GB')
  .option('--address <line>', 'street address', '-')
  .option('--postal-code <code>', 'postal code', '-')
  .option('--city <city>', 'city', '-')
  .option('--vat-id <id>', 'VAT identification number')
  .action((options: Record<string, string | undefined>) =>
    withDatabase(async (handle) => {
      const created = await inTransaction(handle.db, (tx) =>
        setUpTenant(tx, {
          slug: options.slug!,
          legalName: options.name!,
          addressLine1: options.address!,
          addressLine2: null,
          postalCode: options.postalCode!,
          city: options.city!,
          countryCode: options.country!.toUpperCase(),
          vatId: options.vatId ?? null,
          registrationId: null,
          iban: null,
          bic: null,
          baseCurrency: options.currency!.toUpperCase(),
          timeZone: options.timeZone!,
          locale: options.locale!,
          emailSender: null,
        }),
      );
      say(`tenant ${created.slug} created (id ${created.id}); add an admin with: o2c user create --tenant ${created.slug} --roles admin …`);
    }),
  );

program
  .command('user')
  .description('manage users')
  .command('create')
  .description('create a user of a tenant')
  .requiredOption('--tenant <slug>', 'tenant slug')
  .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
  .requiredOption('--name <displayName>', 'name shown in the UI')
  .requiredOption('--roles <roles>', 'comma-separated roles, e.g. admin or sales,billing')
  .option('--password <password>', 'password (or set O2C_PASSWORD)')
  .action((options: { tenant: string; email: string; name: string; roles: string; password?: string }) =>
    withDatabase(async (handle) => {
      const password = options.password ?? process.env.O2C_PASSWORD;
      if (password === undefined) throw new UsageError('give --password or set O2C_PASSWORD');
      const tenantId = await tenantIdOf(handle, options.tenant);
      const user = await handle.db
        .transaction()
        .execute((tx) => createUser(tx, systemContext(tenantId, 'cli'), { email: options.email, displayName: options.name, password, roles: parseRoles(options.roles) }));
      say(`user ${user.email} created with roles ${user.roles.join(', ')}`);
    }),
  );

program
  .command('apikey')
  .description('manage API keys')
  .command('create')
  .description('create an API key; the key is printed once and cannot be shown again')
  .requiredOption('--tenant <slug>', 'tenant slug')
  .requiredOption('--name <name>', 'what the key is for, e.g. "shop integration"')
  .requiredOption('--roles <roles>', 'comma-separated roles')
  .action((options: { tenant: string; name: string; roles: string }) =>
    withDatabase(async (handle) => {
      const tenantId = await tenantIdOf(handle, options.tenant);
      const result = await handle.db
        .transaction()
        .execute((tx) => createApiKey(tx, systemContext(tenantId, 'cli'), { name: options.name, roles: parseRoles(options.roles) }));
      say(result.secret);
    }),
  );


program
  .command('import')
  .description('import records from files')
  .command('orders')
  .description('import orders from a CSV file: all or nothing; the same file twice creates nothing new')
  .argument('<file>', 'CSV file, one row per order line (columns: see docs/IMPORT.md)')
  .requiredOption('--tenant <slug>', 'tenant slug')
  .option('--submit', 'also submit each new order (reserving stock)', false)
  .action((file: string, options: { tenant: string; submit: boolean }) =>
    withDatabase(async (handle) => {
      if (!fs.existsSync(file)) throw new UsageError(`no file ${file}`);
      const tenantId = await tenantIdOf(handle, options.tenant);
      const bar = new SingleBar(
        { format: 'importing orders [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
        Presets.shades_classic,
      );
      let started = false;
      try {
        const result = await inTransaction(handle.db, (tx) =>
          importOrders(tx, importContext(tenantId), fs.readFileSync(file, 'utf8'), {
            submit: options.submit,
            onProgress(done, total) {
              if (!started) {
                bar.start(total, 0);
                started = true;
              }
              bar.update(done);
            },
          }),
        );
        bar.stop();
        say(`${result.rows} rows: ${result.created.length} orders created, ${result.skipped.length} already imported`);
        for (const order of result.created) say(`  created ${order.number} for ${order.customerNumber} PO ${order.poNumber} (${order.lines} lines, ${order.status})`);
        for (const order of result.skipped) say(`  skipped ${order.customerNumber} PO ${order.poNumber}: ${order.reason}`);
      } catch (error) {
        if (started) bar.stop();
        if (error instanceof AppError && error.code === 'O2C_IMPORT_REJECTED') {
          process.stderr.write(`o2c: the import was rejected; nothing was written:\n${error.errors.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}\n`);
          process.exit(exitFailure);
        }
        throw error;
      }
    }),
  );

program
  .command('check')
  .description('check the invariants on the stored data and print every violation; exits 1 if there is any')
  .option('--tenant <slug>', 'tenant slug (all tenants when left out)')
  .action((options: { tenant?: string }) =>
    withDatabase(
      async (handle) => {
        const pending = await pendingMigrations(handle.db);
        if (pending.length > 0) throw new UsageError(`the database lacks migrations (${pending.join(', ')}); run "o2c migrate" first`);
        const results = await checkTenants(handle.db, { slug: options.tenant }).catch((error: unknown) => {
          throw error instanceof UnknownTenantError ? new UsageError(error.message) : error;
        });
        process.stdout.write(reportOf(results));
        if (results.some((result) => result.violations.length > 0)) process.exitCode = exitFailure;
      },
      // Read-only: the check looks at the database as it is and changes nothing, migrations included.
      { migrateFirst: false },
    ),
  );

/** The operator at the command line may set prices in an import file (unitPrice with a reason). */
function importContext(tenantId: string) {
  const context = systemContext(tenantId, 'cli import');
  return { ...context, actor: { ...context.actor, permissions: ['price_override' as const] } };
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function parseRoles(text: string): Role[] {
  const list = text.split(',').map((role) => role.trim()).filter(Boolean);
  const unknown = list.filter((role) => !isRole(role));
  if (list.length === 0 || unknown.length > 0) {
    throw new UsageError(`unknown roles: ${unknown.join(', ') || '(none given)'}; use admin, sales, credit, warehouse, billing, collector, cashapp, controller, viewer`);
  }
  return list as Role[];
}

async function tenantIdOf(handle: DatabaseHandle, slug: string): Promise<string> {
  const found = await findTenantBySlug(handle.db, slug);
  if (found === undefined) throw new UsageError(`no tenant with slug "${slug}"`);
  return found.id;
}

async function withDatabase(work: (handle: DatabaseHandle) => Promise<void>, options = { migrateFirst: true }): Promise<void> {
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config);
  try {
    if (options.migrateFirst) await migrate(handle);
    await work(handle);
  } finally {
    await handle.close();
  }
}

function demoBanner(): string {
  const lines = demoUsers.map((user) => `    ${user.email.padEnd(30)} ${user.roles.join(', ')}`);
  return `  demo company loaded: sign in with any of these users, password "${demoPassword}"\n${lines.join('\n')}\n`;
}

/** On the first start of an empty embedded database, load the demo company (unless O2C_DEMO=false). */
async function loadDemoOnFirstStart(config: Config, handle: DatabaseHandle): Promise<string> {
  if (config.databaseUrl !== undefined) return '';
  const anyTenant = await handle.db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
  if (anyTenant === undefined && config.demo) {
    await loadDemo(handle.db);
    return demoBanner();
  }
  const demo = await findTenantBySlug(handle.db, 'demo');
  return demo === undefined ? '' : demoBanner();
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : exitUsage);
  }
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof DatabaseInUseError) {
    process.stderr.write(`o2c: ${error.message}\n`);
    process.exit(exitUsage);
  }
  const message = error instanceof AppError || error instanceof MigrationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`o2c: ${message}\n`);
  process.exit(exitFailure);
}

