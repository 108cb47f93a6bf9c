import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { systemContext } from '../src/platform/auth/actor';
import { inTransaction } from '../src/platform/db/database';
import { createShipment, packShipment, pickShipment, shipShipment } from '../src/modules/fulfillment';
import { createInvoiceDraft } from '../src/modules/invoicing';
import { createOrder } from '../src/modules/orders';
import { submitOrder } from '../src/workflows/submit-order';
import { documentOf } from '../src/modules/invoicing/document-of';
import { renderInvoicePdf } from '../src/modules/invoicing/documents/invoice.pdf';
import { checkDocument } from '../src/modules/invoicing/sending.service';
import { createTestTenant } from '../test/support/app';
import { createTestDatabase } from '../test/support/database';
import { loadDemoRecords } from '../test/support/demo-data';
import { closedLoop, option, printResult, waitForServer } from './http-load';

/**
 * Invoicing: `npm run bench invoicing -- --clients 8 --seconds 15 --drafts 4000`.
 *
 * 1. Issuing over HTTP on PostgreSQL: drafts of 10 lines are prepared (one through
 *    the API's service, the rest copied from it with SQL), then each client issues
 *    the next draft (POST /invoices/{id}/issue: gapless number, terms, RF
 *    reference, the posting), so every issue of the tenant queues on the invoice
 *    and journal number counters — the figure is that serialised rate.
 * 2. Documents in process: the PDF of a 10-line invoice, and the send check (UBL
 *    rendered, validated against the UBL 2.1 schema, EN 16931 rules).
 * Prints issues per second with p50/p99, and milliseconds per document.
 */
export async function run(args: string[]): Promise<void> {
  const clients = option(args, 'clients', 8);
  const seconds = option(args, 'seconds', 15);
  const drafts = option(args, 'drafts', 4000);
  const port = option(args, 'port', 3937);
  const database = await createTestDatabase();
  if (database.connectionString === undefined) throw new Error('the invoicing benchmark needs PostgreSQL (O2C_TEST_DB=postgres)');
  const db = database.handle.db;
  const tenant = await createTestTenant(database.handle, 'bench');
  await loadDemoRecords(database.handle, tenant.id);
  const context = systemContext(tenant.id, 'benchmark');
  const customer = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).where('name', '=', 'Müller Elektrotechnik').executeTakeFirstOrThrow();
  const items = await db.selectFrom('items').select(['id', 'sku', 'name', 'unit', 'revenue_account']).where('tenant_id', '=', tenant.id).where('kind', '=', 'goods').where('active', '=', true).orderBy('sku').execute();

  // The template: a real draft of a shipped 10-line order, made by the product's own services.
  const template = await inTransaction(db, async (tx) => {
    await sql`update stock_levels set on_hand = 1000000 where tenant_id = ${tenant.id}`.execute(tx);
    const order = await createOrder(tx, context, { customerId: customer.id, lines: Array.from({ length: 10 }, (_, index) => ({ itemId: items[index % items.length]!.id, quantity: String(1 + (index % 4)) })) }, 'api');
    await submitOrder(tx, context, order.id);
    const shipment = await createShipment(tx, context, { orderId: order.id });
    await pickShipment(tx, context, shipment.id);
    await packShipment(tx, context, shipment.id, [{ packageType: 'box' }]);
    await shipShipment(tx, context, shipment.id, { carrier: 'DHL' });
    return createInvoiceDraft(tx, context, { shipmentIds: [shipment.id], origin: 'manual' });
  });
  // Copies of its header and lines (with no order claims: they stand for drafts of other shipments).
  await sql`
    with copies as (select gen_random_uuid() as id from generate_series(1, ${drafts})),
    headers as (
      insert into invoices select i.tenant_id, c.id, i.kind, i.number, i.status, i.origin, i.sending_status, i.payment_status, i.customer_id, i.customer_number,
        i.customer_name, i.customer_legal_name, i.customer_vat_id, i.customer_email, i.billing_line1, i.billing_line2, i.billing_postal_code, i.billing_city,
        i.billing_country_code, i.deliver_to_name, i.deliver_to_line1, i.deliver_to_line2, i.deliver_to_postal_code, i.deliver_to_city, i.deliver_to_country_code,
        i.currency, i.base_currency, i.exchange_rate, i.tax_base_minor, i.issue_date, i.delivery_date, i.due_date, i.payment_terms_code, i.payment_terms_name,
        i.payment_terms_net_days, i.payment_terms_basis, i.payment_terms_discount_percent, i.payment_terms_discount_days, i.discount_deadline, i.discount_minor,
        i.payment_reference, i.buyer_reference, i.order_discount_percent, i.lines_net_minor, i.allowances_minor, i.charges_minor, i.taxable_minor, i.tax_minor,
        i.gross_minor, i.tax_breakdown, i.open_minor, i.credited_minor, i.credited_invoice_id, i.corrects_invoice_id, i.credit_reason, i.notes, i.journal_entry_id,
        i.created_by, i.issued_by, i.issued_at, 1, now(), now()
      from invoices i, copies c where i.tenant_id = ${tenant.id} and i.id = ${template.id} returning id)
    insert into invoice_lines (tenant_id, id, invoice_id, line_no, kind, item_id, item_kind, sku, description, unit, quantity, unit_price, discount_percent,
      gross_minor, discount_minor, net_minor, allowance_share_minor, taxable_minor, tax_category, tax_rate_percent, tax_exemption_reason_code, tax_exemption_reason,
      tax_minor, revenue_account)
    select l.tenant_id, gen_random_uuid(), h.id, l.line_no, l.kind, l.item_id, l.item_kind, l.sku, l.description, l.unit, l.quantity, l.unit_price, l.discount_percent,
      l.gross_minor, l.discount_minor, l.net_minor, l.allowance_share_minor, l.taxable_minor, l.tax_category, l.tax_rate_percent, l.tax_exemption_reason_code,
      l.tax_exemption_reason, l.tax_minor, l.revenue_account
    from invoice_lines l, headers h where l.tenant_id = ${tenant.id} and l.invoice_id = ${template.id}`.execute(db);
  await sql`analyze`.execute(db);
  const queue = (await db.selectFrom('invoices').select('id').where('tenant_id', '=', tenant.id).where('status', '=', 'draft').where('id', '!=', template.id).execute()).map((row) => row.id);

  const server = spawn(process.execPath, ['bin/o2c.js', 'serve', '--no-worker'], {
    env: { ...process.env, DATABASE_URL: database.connectionString, PORT: String(port), LOG_LEVEL: 'warn', O2C_DB_POOL_SIZE: String(clients + 4) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForServer(`http://127.0.0.1:${port}/ready`);
    process.stdout.write(`o2c invoicing benchmark on PostgreSQL 15: ${clients} clients, ${seconds} s, invoices of 10 lines, ${queue.length} drafts ready\n`);
    const headers = { authorization: `Bearer ${tenant.keys.billing}` };
    let next = 0;
    const issued = await closedLoop(clients, seconds, async () => {
      const id = queue[next];
      next += 1;
      if (id === undefined) return false;
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/invoices/${id}/issue`, { method: 'POST', headers });
      await response.arrayBuffer();
      return response.status === 200;
    });
    printResult('API: POST /invoices/{id}/issue (10 lines)', issued, 'issues/s');
    if (next > queue.length) process.stdout.write(`(the ${queue.length} drafts ran out; raise --drafts)\n`);
    const numbers = await sql<{ count: string; first: string; last: string }>`
      select count(*) as count, min(number) as first, max(number) as last from invoices where tenant_id = ${tenant.id} and kind = 'invoice' and status = 'issued'`.execute(db);
    process.stdout.write(`issued ${numbers.rows[0]!.count} invoices, ${numbers.rows[0]!.first} … ${numbers.rows[0]!.last}\n`);

    const sample = queue[0]!;
    const document = await documentOf(db, tenant.id, sample);
    const pdfMs = await timeEach(40, () => renderInvoicePdf(document));
    const checkMs = await timeEach(20, () => checkDocument(document));
    process.stdout.write(`PDF of a 10-line invoice: ${pdfMs.toFixed(1)} ms each (median of 40)\n`);
    process.stdout.write(`send check (UBL + XSD + EN 16931): ${checkMs.toFixed(1)} ms each (median of 20)\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await database.drop();
  }
}

async function timeEach(times: number, work: () => Promise<unknown>): Promise<number> {
  const durations: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)]!;
}
