import { systemContext, type RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import { sql } from 'kysely';
import { AppError, versionConflict } from '../../platform/errors/app-error';
import { inTransaction, type Executor, type Tx } from '../../platform/db/database';
import type { JobDefinition } from '../../platform/jobs/worker';
import { createMailer } from '../../platform/mail/mailer';
import type { EventSubscriber } from '../../platform/outbox/outbox';
import { getCustomerForOrder } from '../customers';
import { createInvoiceDraft, issueDocument, readyToInvoice, type ReadyLine } from './invoices.service';
import { deliverDueSendings, deliverSending } from './sending.service';
import type { InvoiceView } from './invoice-view';

export interface InvoicingSettings {
  /** Automatic invoices are issued at once (true) or wait as drafts for review (false). */
  readonly autoIssue: boolean;
  readonly version: number;
}

export async function getInvoicingSettings(executor: Executor, tenantId: string): Promise<InvoicingSettings> {
  const row = await executor.selectFrom('invoicing_settings').select(['auto_issue', 'version']).where('tenant_id', '=', tenantId).executeTakeFirst();
  return { autoIssue: row?.auto_issue ?? false, version: row?.version ?? 1 };
}

export async function updateInvoicingSettings(tx: Tx, context: RequestContext, change: { autoIssue: boolean; version: number }): Promise<InvoicingSettings> {
  const tenantId = context.actor.tenantId;
  const before = await getInvoicingSettings(tx, tenantId);
  if (before.version !== change.version) {
    throw versionConflict('invoicing settings', tenantId, change.version);
  }
  await tx
    .insertInto('invoicing_settings')
    .values({ tenant_id: tenantId, auto_issue: change.autoIssue, version: before.version + 1 })
    .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet({ auto_issue: change.autoIssue, version: before.version + 1, updated_at: new Date() }))
    .execute();
  await recordAudit(tx, context, { action: 'invoicing.settings_changed', entityType: 'tenant', entityId: tenantId, before: { autoIssue: before.autoIssue }, after: { autoIssue: change.autoIssue } });
  return getInvoicingSettings(tx, tenantId);
}

/**
 * Creates the automatic invoices of one source and, when the tenant says so, issues
 * them at once: usually one; two when supplies not subject to VAT (category O) must
 * go on an invoice of their own (EN 16931 BR-O-11).
 */
async function automaticInvoices(tx: Tx, context: RequestContext, source: { shipmentIds?: string[]; orderIds?: string[] }, autoIssue: boolean): Promise<InvoiceView[]> {
  const created: InvoiceView[] = [];
  for (let pass = 0; pass < 2; pass += 1) {
    const ready = await readyToInvoice(tx, context.actor.tenantId, { shipmentIds: source.shipmentIds ?? [], orderIds: source.orderIds ?? [] });
    if (ready.length === 0) break;
    const draft = await createInvoiceDraft(tx, context, { ...source, origin: 'automatic' });
    created.push(autoIssue ? await issueDocument(tx, context, draft.id) : draft);
  }
  return created;
}

/** A source the run could not invoice, and why; the rest of the run goes on. */
export interface RunFailure {
  readonly customerId: string;
  readonly customerName: string;
  readonly message: string;
}

/**
 * The invoice run: bills what is ready, the way each customer wants it. Customers
 * invoiced per shipment get one invoice per ready shipment and one per order for
 * open service lines; customers invoiced daily get one invoice per currency for
 * everything ready. Each invoice is made in a savepoint: one that cannot be made (a
 * missing exchange rate, a blocked customer) is reported and the run goes on. Run
 * daily by the job and on demand (`POST /invoice-runs`).
 */
export async function runInvoicing(tx: Tx, context: RequestContext, scope: { customerId?: string } = {}): Promise<{ invoices: InvoiceView[]; failures: RunFailure[] }> {
  const tenantId = context.actor.tenantId;
  const settings = await getInvoicingSettings(tx, tenantId);
  const ready = await readyToInvoice(tx, tenantId, scope.customerId === undefined ? {} : { customerId: scope.customerId });
  const byCustomer = new Map<string, ReadyLine[]>();
  for (const line of ready) byCustomer.set(line.customerId, [...(byCustomer.get(line.customerId) ?? []), line]);
  const invoices: InvoiceView[] = [];
  const failures: RunFailure[] = [];
  for (const [customerId, lines] of byCustomer) {
    const customer = await getCustomerForOrder(tx, tenantId, customerId);
    const byCurrency = new Map<string, ReadyLine[]>();
    for (const line of lines) byCurrency.set(line.currency, [...(byCurrency.get(line.currency) ?? []), line]);
    const sources =
      customer.invoiceGrouping === 'daily'
        ? [...byCurrency.values()].map((group) => ({ shipmentIds: unique(group.map((line) => line.shipmentId)), orderIds: unique(group.map((line) => line.orderId)) }))
        : [
            ...unique(lines.map((line) => line.shipmentId)).map((shipmentId) => ({ shipmentIds: [shipmentId], orderIds: [] as string[] })),
            ...unique(lines.filter((line) => line.shipmentId === null).map((line) => line.orderId)).map((orderId) => ({ shipmentIds: [] as string[], orderIds: [orderId] })),
          ];
    for (const source of sources) {
      // A shipment's invoice also takes its order's open charges; an order's service invoice takes the rest.
      await sql`savepoint invoice_run_source`.execute(tx);
      try {
        invoices.push(...(await automaticInvoices(tx, context, source, settings.autoIssue)));
        await sql`release savepoint invoice_run_source`.execute(tx);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        await sql`rollback to savepoint invoice_run_source`.execute(tx);
        failures.push({ customerId, customerName: customer.name, message: error.message });
      }
    }
  }
  return { invoices, failures };
}

function unique(values: ReadonlyArray<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

export const invoiceShipmentJobName = 'invoicing.invoice-shipment';

/**
 * A shipment became ready to invoice: customers billed per shipment get their
 * invoice from a job, in a transaction of its own after the relay has committed —
 * not inside the relay, where an issue would hold the number counters for a batch.
 * The daily run bills whatever a lost job left.
 */
export const onShipmentReadyToInvoice: EventSubscriber = async (event, _tx, queueJob) => {
  queueJob({ name: invoiceShipmentJobName, data: { tenantId: event.tenantId, shipmentId: event.aggregateId } });
};

export async function invoiceShipment(tx: Tx, tenantId: string, shipmentId: string): Promise<InvoiceView[]> {
  const context = systemContext(tenantId, 'automatic invoicing');
  const shipment = await tx.selectFrom('shipments').select(['customer_id']).where('tenant_id', '=', tenantId).where('id', '=', shipmentId).executeTakeFirst();
  if (shipment === undefined) return [];
  const customer = await getCustomerForOrder(tx, tenantId, shipment.customer_id);
  if (customer.invoiceGrouping !== 'per_shipment') return [];
  const settings = await getInvoicingSettings(tx, tenantId);
  return automaticInvoices(tx, context, { shipmentIds: [shipmentId] }, settings.autoIssue);
}

export const invoiceShipmentJob: JobDefinition = {
  name: invoiceShipmentJobName,
  async handler(data, { db, logger }) {
    const created = await inTransaction(db, (tx) => invoiceShipment(tx, String(data.tenantId), String(data.shipmentId)));
    if (created.length > 0) logger.info({ shipmentId: data.shipmentId, invoices: created.map((invoice) => invoice.id) }, 'shipment invoiced');
  },
};

/** After commit, the sending job takes a requested e-mail at once. */
export const onSendRequested: EventSubscriber = async (event, _tx, queueJob) => {
  queueJob({ name: sendInvoiceJobName, data: { tenantId: event.tenantId, sendingId: (event.payload as { sendingId: string }).sendingId } });
};

export const sendInvoiceJobName = 'invoicing.send-invoice';

export const sendInvoiceJob: JobDefinition = {
  name: sendInvoiceJobName,
  async handler(data, { db, config, logger }) {
    const outcome = await deliverSending(db, createMailer(config), config.mailFrom, String(data.tenantId), String(data.sendingId));
    logger.info({ sendingId: data.sendingId, outcome }, 'invoice sending');
  },
};

/** Retries that are due, and anything a crash left behind. */
export const sendDueJob: JobDefinition = {
  name: 'invoicing.send-due',
  cron: '* * * * *',
  async handler(_data, { db, config, logger }) {
    const worked = await deliverDueSendings(db, createMailer(config), config.mailFrom);
    if (worked > 0) logger.info({ worked }, 'invoice sendings retried');
  },
};

/** The daily invoice run for every tenant, early in the morning (UTC). */
export const dailyInvoicingJob: JobDefinition = {
  name: 'invoicing.daily-run',
  cron: '0 5 * * *',
  async handler(_data, { db, logger }) {
    const tenants = await db.selectFrom('tenants').select('id').execute();
    for (const tenant of tenants) {
      // One tenant's trouble does not keep the others from being invoiced.
      try {
        const run = await inTransaction(db, (tx) => runInvoicing(tx, systemContext(tenant.id, 'automatic invoicing')));
        if (run.invoices.length > 0 || run.failures.length > 0) logger.info({ tenantId: tenant.id, invoices: run.invoices.length, failures: run.failures }, 'daily invoice run');
      } catch (error) {
        logger.error({ err: error, tenantId: tenant.id }, 'daily invoice run failed');
      }
    }
  },
};
