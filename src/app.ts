import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { catalogModule } from './modules/catalog';
import { creditModule } from './modules/credit';
import { customersModule } from './modules/customers';
import { apiKeysRoutes } from './platform/auth/api-keys.routes';
import { authRoutes } from './platform/auth/auth.routes';
import { defaultSessionPolicy, type SessionPolicy } from './platform/auth/sessions';
import { usersRoutes } from './platform/auth/users.routes';
import { auditRoutes } from './platform/audit/audit.routes';
import type { Config } from './platform/config';
import { openDatabase, type DatabaseHandle, type Tx } from './platform/db/database';
import { migrate } from './platform/db/migrate';
import { createHttpServer } from './platform/http/server';
import type { HttpApp, RouteDependencies } from './platform/http/types';
import { housekeepingJob } from './platform/jobs/housekeeping';
import { Worker, type JobDefinition } from './platform/jobs/worker';
import type { EventSubscriber } from './platform/outbox/outbox';
import { fulfillmentModule } from './modules/fulfillment';
import { inventoryModule } from './modules/inventory';
import { invoicingModule } from './modules/invoicing';
import { ledgerModule } from './modules/ledger';
import { ordersModule } from './modules/orders';
import { paymentsModule } from './modules/payments';
import { receivablesModule } from './modules/receivables';
import type { ModuleDefinition } from './platform/module';
import { orderWorkflowRoutes } from './workflows/order-workflows.routes';
import { createTenant, type NewTenant, type TenantView } from './platform/tenants/tenants';
import { tenantRoutes } from './platform/tenants/tenants.routes';

/**
 * The composition root: the one place that knows every module. It opens the
 * database, applies migrations, mounts each module's routes, and starts the worker
 * with each module's jobs and event subscribers.
 */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const productVersion: string = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

/** The business modules, in dependency order (a module comes after those it uses). */
export const modules: readonly ModuleDefinition[] = [catalogModule, customersModule, inventoryModule, ordersModule, fulfillmentModule, ledgerModule, invoicingModule, paymentsModule, receivablesModule, creditModule];

const apiPlugins: ReadonlyArray<FastifyPluginAsync<RouteDependencies>> = [
  authRoutes,
  usersRoutes,
  apiKeysRoutes,
  tenantRoutes,
  auditRoutes,
  ...modules.flatMap((module) => (module.routes === undefined ? [] : [module.routes])),
  orderWorkflowRoutes,
];

const jobs: readonly JobDefinition[] = [housekeepingJob, ...modules.flatMap((module) => module.jobs ?? [])];

const subscribers: ReadonlyMap<string, readonly EventSubscriber[]> = collectSubscribers(modules);

function collectSubscribers(list: readonly ModuleDefinition[]): Map<string, EventSubscriber[]> {
  const byType = new Map<string, EventSubscriber[]>();
  for (const module of list) {
    for (const [type, handlers] of Object.entries(module.subscribers ?? {})) byType.set(type, [...(byType.get(type) ?? []), ...handlers]);
  }
  return byType;
}

/** Creates a tenant and lets every module set up what a new tenant needs, in one transaction. */
export async function setUpTenant(tx: Tx, input: NewTenant): Promise<TenantView> {
  const tenant = await createTenant(tx, input);
  for (const module of modules) await module.setUpTenant?.(tx, tenant.id);
  return tenant;
}

export interface O2cApp {
  readonly config: Config;
  readonly handle: DatabaseHandle;
  readonly http: HttpApp;
  readonly worker: Worker | undefined;
  close(): Promise<void>;
}

export function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return config.databaseUrl === undefined
    ? openDatabase({ kind: 'pglite', dataDir: config.dataDir.startsWith('memory://') ? config.dataDir : path.join(config.dataDir, 'pgdata') })
    : openDatabase({ kind: 'postgres', connectionString: config.databaseUrl, poolSize: config.databasePoolSize });
}

export interface StartOptions {
  readonly logger: Logger;
  /** Use this database instead of opening the configured one (tests). */
  readonly handle?: DatabaseHandle;
  readonly withWorker?: boolean;
  readonly sessionPolicy?: SessionPolicy;
}

export async function buildApp(config: Config, options: StartOptions): Promise<O2cApp> {
  const handle = options.handle ?? (await openConfiguredDatabase(config));
  await migrate(handle);
  const http = await createHttpServer({
    db: handle.db,
    config,
    sessionPolicy: options.sessionPolicy ?? {
      ...defaultSessionPolicy,
      idleMinutes: config.sessionIdleMinutes,
      absoluteHours: config.sessionAbsoluteHours,
    },
    logger: options.logger,
    apiPlugins,
    webRoot: path.join(projectRoot, 'web', 'dist'),
    version: productVersion,
  });
  await http.ready();
  const worker = (options.withWorker ?? config.runWorker) ? createWorker(config, handle, options.logger) : undefined;
  await worker?.start();
  return {
    config,
    handle,
    http,
    worker,
    async close() {
      await http.close();
      await worker?.stop();
      if (options.handle === undefined) await handle.close();
    },
  };
}

export function createWorker(config: Config, handle: DatabaseHandle, logger: Logger): Worker {
  return new Worker({ config, handle, connectionString: config.databaseUrl, logger, jobs, subscribers });
}
