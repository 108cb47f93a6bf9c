import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big, type Decimal } from '../../../src/kernel';
import { createApiKey } from '../../../src/platform/auth/api-keys';
import { systemContext } from '../../../src/platform/auth/actor';
import { inTransaction } from '../../../src/platform/db/database';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

/**
 * Random sequences of invoicing work on the real database, over HTTP: orders
 * shipped in full or in part, service orders, drafts, issues, deleted drafts,
 * quantity and amount credits, full credits and corrections, for a domestic
 * (S 19 %), an intra-EU (K/AE) and a US customer invoiced in USD (G/O). After each
 * sequence the books and the documents must agree:
 *
 * - every journal entry balances, in the document and in the base currency;
 * - per customer and currency, the receivables account (debit − credit) equals the
 *   open amount of issued invoices less the open credit items of credit notes;
 * - every document keeps gross = lines net − allowances + charges + tax, each total
 *   the sum of its lines, and open = gross − credited;
 * - no invoice line is credited beyond its quantity or taxable amount, and no
 *   credit note line is negative;
 * - on every order line invoiced ≤ shipped (goods) or ordered (services), and the
 *   recorded invoiced quantity is what the documents bill.
 *
 * O2C_INVOICING_RUNS raises the number of sequences (default 12); O2C_INVOICING_SEED
 * replays another seed.
 */
const runs = Number(process.env.O2C_INVOICING_RUNS ?? 12);
const seed = Number(process.env.O2C_INVOICING_SEED ?? 20_261_127);

let t: TestApp;
/** A sales key that may set prices off the price list. */
let pricingKey: string;
const customers: Array<{ id: string; name: string }> = [];
const goods = ['BRG-6204-2RS', 'HOSE-12-2M', 'GLOVE-9', 'OIL-HLP46', 'BOOK-HYD'] as const;

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  for (const name of ['Müller Elektrotechnik', 'Atelier Lumière', 'Great Lakes Supply']) {
    customers.push(await db.selectFrom('customers').select(['id', 'name']).where('tenant_id', '=', t.tenant.id).where('name', '=', name).executeTakeFirstOrThrow());
  }
  pricingKey = (await inTransaction(db, (tx) => createApiKey(tx, systemContext(t.tenant.id, 'test'), { name: 'pricing', roles: ['sales'], permissions: ['price_override'] }))).secret;
  // Credit and stock are not what is tested here: every order is approved and ships.
  await db.updateTable('customers').set({ credit_limit_minor: 1_000_000_000n }).where('tenant_id', '=', t.tenant.id).execute();
  const warehouse = await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow();
  for (const sku of goods) {
    const item = await db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow();
    const adjusted = await post('/api/v1/stock/adjustments', { itemId: item.id, warehouseId: warehouse.id, countedQuantity: '1000000', reason: 'stock count' }, t.tenant.keys.warehouse);
    expect(adjusted.statusCode, adjusted.body).toBe(200);
  }
});
afterAll(async () => t?.close());

function post(url: string, body?: unknown, key = t.tenant.keys.billing) {
  return t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
}
const remove = (url: string) => t.app.http.inject({ method: 'DELETE', url, headers: bearer(t.tenant.keys.billing) });
const get = (url: string) => t.app.http.inject({ method: 'GET', url, headers: bearer(t.tenant.keys.viewer) });

type Response = Awaited<ReturnType<typeof post>>;

/** How often each operation ended how, across the runs. */
const tally = new Map<string, number>();

/** The response must have one of the expected outcomes: a status, or a status and problem code. */
function expectOutcome(response: Response, expected: readonly string[], operation: Operation['kind'], detail = ''): void {
  const outcome = response.statusCode < 300 ? String(response.statusCode) : `${response.statusCode} ${(response.json() as { code?: string }).code}`;
  expect(expected, `${operation} ${detail}: got ${outcome} ${response.statusCode < 300 ? '' : response.body}`).toContain(outcome);
  const key = `${operation} ${outcome}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

// ————————————————————————————————————————————— operations

type Operation =
  | {
      kind: 'ship';
      customer: number;
      lines: Array<{ sku: number; quantity: number; discount: string | null }>;
      service: boolean;
      partial: boolean;
      orderDiscount: string | null;
      charge: boolean;
    }
  | { kind: 'shipRest'; pick: number }
  | { kind: 'serviceOrder'; customer: number; quantity: number }
  | { kind: 'draft'; pick: number }
  | { kind: 'issue'; pick: number }
  | { kind: 'deleteDraft'; pick: number }
  | { kind: 'creditQuantity'; pick: number; line: number; percent: number }
  | { kind: 'creditAmount'; pick: number; line: number; percent: number }
  | { kind: 'creditFull'; pick: number }
  | { kind: 'correct'; pick: number };

const pick = fc.nat(1000);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('ship' as const),
      customer: fc.nat(2),
      lines: fc.array(fc.record({ sku: fc.nat(goods.length - 1), quantity: fc.integer({ min: 1, max: 12 }), discount: fc.option(fc.constantFrom('3', '12.5'), { nil: null }) }), { minLength: 1, maxLength: 3 }),
      service: fc.boolean(),
      partial: fc.boolean(),
      orderDiscount: fc.option(fc.constantFrom('2', '2.5', '10'), { nil: null }),
      charge: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shipRest' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('serviceOrder' as const), customer: fc.nat(2), quantity: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('draft' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('issue' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteDraft' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('creditQuantity' as const), pick, line: pick, percent: fc.integer({ min: 1, max: 130 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('creditAmount' as const), pick, line: pick, percent: fc.integer({ min: 1, max: 130 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('creditFull' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('correct' as const), pick }) },
);

const quantityText = (sku: string, quantity: number) => (sku === 'OIL-HLP46' ? new Big(String(quantity)).div('2').toFixed() : String(quantity));

async function shipOrder(orderId: string, lines?: Array<{ orderLineId: string; quantity: string }>) {
  const shipment = await post('/api/v1/shipments', { orderId, ...(lines === undefined ? {} : { lines }) }, t.tenant.keys.warehouse);
  expect(shipment.statusCode, shipment.body).toBe(201);
  const id = shipment.json().id as string;
  expect((await post(`/api/v1/shipments/${id}/pick`, undefined, t.tenant.keys.warehouse)).statusCode).toBe(200);
  expect((await post(`/api/v1/shipments/${id}/pack`, { packages: [{ packageType: 'box' }] }, t.tenant.keys.warehouse)).statusCode).toBe(200);
  const shipped = await post(`/api/v1/shipments/${id}/ship`, { carrier: 'DHL' }, t.tenant.keys.warehouse);
  expect(shipped.statusCode, shipped.body).toBe(200);
}

const at = <T>(values: readonly T[], index: number): T | undefined => (values.length === 0 ? undefined : values[index % values.length]);

async function drafts() {
  return t.database.handle.db.selectFrom('invoices').select(['id', 'version']).where('tenant_id', '=', t.tenant.id).where('status', '=', 'draft').orderBy('id').execute();
}

async function issuedInvoices() {
  return t.database.handle.db
    .selectFrom('invoices')
    .select(['id', 'credited_minor'])
    .where('tenant_id', '=', t.tenant.id)
    .where('kind', '=', 'invoice')
    .where('status', '=', 'issued')
    .orderBy('id')
    .execute();
}

/** The lines of an issued invoice with what issued credit notes took from each. */
async function creditableLines(invoiceId: string) {
  const db = t.database.handle.db;
  const lines = await db.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', t.tenant.id).where('invoice_id', '=', invoiceId).orderBy('line_no').execute();
  const credits = await db
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as c', (join) => join.onRef('c.tenant_id', '=', 'l.tenant_id').onRef('c.id', '=', 'l.invoice_id'))
    .select(['l.credited_line_id', 'l.quantity', 'l.is_price_reduction', 'l.taxable_minor'])
    .where('l.tenant_id', '=', t.tenant.id)
    .where('c.credited_invoice_id', '=', invoiceId)
    .where('c.status', '=', 'issued')
    .execute();
  return lines.map((line) => {
    const mine = credits.filter((credit) => credit.credited_line_id === line.id);
    const creditedQuantity = mine.filter((credit) => !credit.is_price_reduction).reduce((total, credit) => total.plus(credit.quantity), new Big('0'));
    const creditedTaxable = mine.reduce((total, credit) => total + credit.taxable_minor, 0n);
    return {
      line,
      reduced: mine.some((credit) => credit.is_price_reduction),
      remainingQuantity: new Big(line.quantity).minus(creditedQuantity),
      remainingTaxable: line.taxable_minor - creditedTaxable,
    };
  });
}

async function apply(op: Operation): Promise<void> {
  const db = t.database.handle.db;
  switch (op.kind) {
    case 'ship': {
      const customer = customers[op.customer]!;
      const lines = op.lines.map((line) => ({ sku: goods[line.sku]!, quantity: quantityText(goods[line.sku]!, line.quantity), ...(line.discount === null ? {} : { discountPercent: line.discount }) }));
      const order = await post(
        '/api/v1/orders',
        {
          customerId: customer.id,
          lines: [...lines, ...(op.service ? [{ sku: 'SVC-INSTALL', quantity: '1' }] : [])],
          ...(op.orderDiscount === null ? {} : { orderDiscountPercent: op.orderDiscount }),
          ...(op.charge ? { charges: [{ kind: 'freight', amount: '12.50' }] } : {}),
        },
        t.tenant.keys.sales,
      );
      expect(order.statusCode, order.body).toBe(201);
      const submitted = await post(`/api/v1/orders/${order.json().id}/submit`, undefined, t.tenant.keys.sales);
      expect(submitted.statusCode, submitted.body).toBe(200);
      expect(submitted.json().status).toBe('approved');
      const orderLines = submitted.json().lines as Array<{ id: string; kind: string; quantity: string; sku: string }>;
      const partLines = orderLines
        .filter((line) => line.kind === 'goods')
        .map((line) => ({ orderLineId: line.id, quantity: new Big(line.quantity).div('2').round(line.sku === 'OIL-HLP46' ? 1 : 0, Big.roundUp).toFixed() }));
      await shipOrder(order.json().id, op.partial ? partLines : undefined);
      return;
    }
    case 'shipRest': {
      const open = await db
        .selectFrom('sales_order_lines as l')
        .innerJoin('sales_orders as o', (join) => join.onRef('o.tenant_id', '=', 'l.tenant_id').onRef('o.id', '=', 'l.order_id'))
        .select('o.id')
        .distinct()
        .where('l.tenant_id', '=', t.tenant.id)
        .where('l.item_kind', '=', 'goods')
        .where('o.status', 'in', ['approved', 'partially_shipped'])
        .where(sql<boolean>`l.quantity_shipped < l.quantity - l.quantity_cancelled`)
        .where(sql<boolean>`not exists (select 1 from shipments s where s.tenant_id = o.tenant_id and s.order_id = o.id and s.status not in ('shipped', 'delivered', 'cancelled'))`)
        .orderBy('o.id')
        .execute();
      const order = at(open, op.pick);
      if (order !== undefined) await shipOrder(order.id);
      return;
    }
    case 'serviceOrder': {
      const order = await post('/api/v1/orders', { customerId: customers[op.customer]!.id, lines: [{ sku: 'SVC-MAINT', quantity: String(op.quantity) }] }, t.tenant.keys.sales);
      expect(order.statusCode, order.body).toBe(201);
      const submitted = await post(`/api/v1/orders/${order.json().id}/submit`, undefined, t.tenant.keys.sales);
      expect(submitted.json().status).toBe('approved');
      return;
    }
    case 'draft': {
      const ready = (await get('/api/v1/invoicing/ready')).json().items as Array<{ shipmentId: string | null; orderId: string }>;
      const sources = [...new Set(ready.map((line) => (line.shipmentId === null ? `order ${line.orderId}` : `shipment ${line.shipmentId}`)))].sort();
      const source = at(sources, op.pick);
      if (source === undefined) return;
      const [kind, id] = source.split(' ') as [string, string];
      const response = await post('/api/v1/invoices', kind === 'order' ? { orderIds: [id] } : { shipmentIds: [id] });
      expectOutcome(response, ['201'], op.kind, source);
      return;
    }
    case 'issue': {
      const draft = at(await drafts(), op.pick);
      if (draft === undefined) return;
      expectOutcome(await post(`/api/v1/invoices/${draft.id}/issue`), ['200'], op.kind);
      return;
    }
    case 'deleteDraft': {
      const draft = at(await drafts(), op.pick);
      if (draft === undefined) return;
      expectOutcome(await remove(`/api/v1/invoices/${draft.id}?version=${draft.version}`), ['204'], op.kind);
      return;
    }
    case 'creditQuantity': {
      const invoice = at(await issuedInvoices(), op.pick);
      if (invoice === undefined) return;
      const candidates = (await creditableLines(invoice.id)).filter((entry) => entry.line.kind === 'item' && entry.remainingQuantity.gt('0'));
      const target = at(candidates, op.line);
      if (target === undefined) return;
      const decimals = new Big(target.line.quantity).eq(new Big(target.line.quantity).round(0)) ? 0 : 1;
      let quantity: Decimal = target.remainingQuantity.times(String(op.percent)).div('100').round(decimals, Big.roundUp);
      if (quantity.lte('0')) quantity = new Big(decimals === 0 ? '1' : '0.1');
      const response = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Returned', lines: [{ invoiceLineId: target.line.id, quantity: quantity.toFixed() }] });
      const expected = quantity.gt(target.remainingQuantity) ? ['422 O2C_CREDIT_EXCEEDS_INVOICED'] : target.reduced ? ['201', '422 O2C_BUSINESS_RULE'] : ['201'];
      expectOutcome(response, expected, op.kind, `${quantity.toFixed()} of ${target.remainingQuantity.toFixed()} left on line ${target.line.line_no}`);
      return;
    }
    case 'creditAmount': {
      const invoice = at(await issuedInvoices(), op.pick);
      if (invoice === undefined) return;
      const candidates = (await creditableLines(invoice.id)).filter((entry) => entry.remainingTaxable > 0n);
      const target = at(candidates, op.line);
      if (target === undefined) return;
      let amountMinor = (target.remainingTaxable * BigInt(op.percent) + 99n) / 100n;
      if (amountMinor <= 0n) amountMinor = 1n;
      const amount = new Big(amountMinor.toString()).div('100').toFixed(2);
      const response = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Price reduction', lines: [{ invoiceLineId: target.line.id, amount }] });
      expectOutcome(response, amountMinor > target.remainingTaxable ? ['422 O2C_CREDIT_EXCEEDS_INVOICED'] : ['201'], op.kind, `${amount} of ${target.remainingTaxable} left on line ${target.line.line_no}`);
      return;
    }
    case 'creditFull': {
      const invoice = at(await issuedInvoices(), op.pick);
      if (invoice === undefined) return;
      const anythingLeft = (await creditableLines(invoice.id)).some((entry) => entry.remainingTaxable > 0n);
      const response = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Cancelled' });
      expectOutcome(response, anythingLeft ? ['201'] : ['422 O2C_CREDIT_EXCEEDS_INVOICED'], op.kind);
      return;
    }
    case 'correct': {
      const invoice = at(await issuedInvoices(), op.pick);
      if (invoice === undefined) return;
      const credited = await db.selectFrom('invoices').select('id').where('tenant_id', '=', t.tenant.id).where('credited_invoice_id', '=', invoice.id).execute();
      const response = await post(`/api/v1/invoices/${invoice.id}/correct`, { reason: 'Wrong reference' });
      expectOutcome(response, credited.length === 0 && invoice.credited_minor === 0n ? ['201'] : ['422 O2C_BUSINESS_RULE'], op.kind);
      return;
    }
  }
}

// ————————————————————————————————————————————— invariants

async function checkInvariants(): Promise<void> {
  const db = t.database.handle.db;
  const tenantId = t.tenant.id;

  const unbalanced = await sql<{ entry_id: string }>`
    select entry_id from journal_lines where tenant_id = ${tenantId}
    group by entry_id
    having sum(case when side = 'debit' then amount_minor else -amount_minor end) <> 0
        or sum(case when side = 'debit' then base_amount_minor else -base_amount_minor end) <> 0`.execute(db);
  expect(unbalanced.rows, 'unbalanced journal entries').toEqual([]);

  const ledger = await sql<{ customer_id: string; currency: string; balance: string }>`
    select jl.customer_id, je.currency, sum(case when jl.side = 'debit' then jl.amount_minor else -jl.amount_minor end)::text as balance
    from journal_lines jl
    join journal_entries je on je.tenant_id = jl.tenant_id and je.id = jl.entry_id
    join accounts a on a.tenant_id = jl.tenant_id and a.id = jl.account_id
    where jl.tenant_id = ${tenantId} and a.system_key = 'receivables'
    group by jl.customer_id, je.currency`.execute(db);
  const documents = await sql<{ customer_id: string; currency: string; balance: string }>`
    select customer_id, currency, sum(case when kind = 'invoice' then open_minor else -open_minor end)::text as balance
    from invoices where tenant_id = ${tenantId} and status = 'issued'
    group by customer_id, currency`.execute(db);
  const asMap = (rows: ReadonlyArray<{ customer_id: string; currency: string; balance: string }>) =>
    Object.fromEntries(rows.filter((row) => BigInt(row.balance) !== 0n).map((row) => [`${row.customer_id} ${row.currency}`, BigInt(row.balance)]));
  expect(asMap(ledger.rows), 'receivables per customer and currency = open invoices − open credit items').toEqual(asMap(documents.rows));

  const invoices = await db.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).execute();
  const lines = await db.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', tenantId).execute();
  const group = <K, V>(values: readonly V[], keyOf: (value: V) => K | null) => {
    const groups = new Map<K, V[]>();
    for (const value of values) {
      const key = keyOf(value);
      if (key === null) continue;
      const members = groups.get(key);
      if (members === undefined) groups.set(key, [value]);
      else members.push(value);
    }
    return groups;
  };
  const linesOf = group(lines, (line) => line.invoice_id);
  const creditsOf = group(lines, (line) => line.credited_line_id);
  const notesOf = group(invoices, (invoice) => invoice.credited_invoice_id);
  const kindOf = new Map(invoices.map((invoice) => [invoice.id, invoice.kind]));
  const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
  for (const invoice of invoices) {
    const mine = linesOf.get(invoice.id) ?? [];
    const items = mine.filter((line) => line.kind === 'item');
    const charges = mine.filter((line) => line.kind === 'charge');
    const label = `${invoice.kind} ${invoice.number ?? invoice.id}`;
    expect(invoice.gross_minor, `${label}: gross = lines net − allowances + charges + tax`).toBe(invoice.lines_net_minor - invoice.allowances_minor + invoice.charges_minor + invoice.tax_minor);
    expect(
      {
        linesNet: invoice.lines_net_minor,
        allowances: invoice.allowances_minor,
        charges: invoice.charges_minor,
        taxable: invoice.taxable_minor,
        tax: invoice.tax_minor,
        gross: invoice.gross_minor,
      },
      `${label}: totals are the sums of the lines`,
    ).toEqual({
      linesNet: sum(items.map((line) => line.net_minor)),
      allowances: sum(items.map((line) => line.allowance_share_minor)),
      charges: sum(charges.map((line) => line.net_minor)),
      taxable: sum(mine.map((line) => line.taxable_minor)),
      tax: sum(mine.map((line) => line.tax_minor)),
      gross: sum(mine.map((line) => line.taxable_minor + line.tax_minor)),
    });
    const breakdown = invoice.tax_breakdown as Array<{ taxableMinor: string; taxMinor: string }>;
    expect(sum(breakdown.map((row) => BigInt(row.taxableMinor))), `${label}: breakdown taxable`).toBe(invoice.taxable_minor);
    expect(sum(breakdown.map((row) => BigInt(row.taxMinor))), `${label}: breakdown tax`).toBe(invoice.tax_minor);
    if (invoice.status === 'issued') {
      expect(invoice.open_minor, `${label}: open = gross − credited`).toBe(invoice.gross_minor - invoice.credited_minor);
      expect(invoice.open_minor >= 0n && invoice.gross_minor > 0n, `${label}: positive gross, open not negative`).toBe(true);
    }
    if (invoice.kind === 'credit_note') {
      for (const line of mine) {
        expect([line.gross_minor, line.discount_minor, line.allowance_share_minor, line.net_minor, line.taxable_minor].every((amount) => amount >= 0n), `${label} line ${line.line_no} is negative`).toBe(true);
      }
    }
    if (invoice.kind === 'invoice' && invoice.status === 'issued') {
      const notes = notesOf.get(invoice.id) ?? [];
      expect(invoice.credited_minor, `${label}: credited = what its credit notes applied`).toBe(sum(notes.map((note) => note.credited_minor)));
      expect(sum(notes.map((note) => note.taxable_minor)) <= invoice.taxable_minor, `${label}: credit notes take at most the taxable amount invoiced`).toBe(true);
      for (const line of mine) {
        const credits = creditsOf.get(line.id) ?? [];
        const quantity = credits.filter((credit) => !credit.is_price_reduction).reduce((total, credit) => total.plus(credit.quantity), new Big('0'));
        // A charge is credited by amount; its credit lines all say quantity 1.
        if (line.kind === 'item') expect(quantity.lte(line.quantity), `${label} line ${line.line_no}: credited quantity ${quantity.toFixed()} of ${line.quantity}`).toBe(true);
        const taxable = sum(credits.map((credit) => credit.taxable_minor));
        expect(taxable <= line.taxable_minor, `${label} line ${line.line_no}: credited taxable ${taxable} of ${line.taxable_minor}`).toBe(true);
      }
    }
  }

  const orderLines = await db.selectFrom('sales_order_lines').select(['id', 'item_kind', 'quantity', 'quantity_shipped', 'quantity_invoiced', 'quantity_cancelled']).where('tenant_id', '=', tenantId).execute();
  const billedOf = group(lines, (line) => (line.kind === 'item' ? line.order_line_id : null));
  for (const line of orderLines) {
    const billed = (billedOf.get(line.id) ?? []).reduce(
      (total, entry) => (kindOf.get(entry.invoice_id) === 'invoice' ? total.plus(entry.quantity) : entry.is_price_reduction || entry.goods_returned ? total : total.minus(entry.quantity)),
      new Big('0'),
    );
    const invoiced = new Big(line.quantity_invoiced);
    expect(invoiced.eq(billed), `order line ${line.id}: ${invoiced.toFixed()} recorded as invoiced, ${billed.toFixed()} on documents`).toBe(true);
    if (line.item_kind === 'goods') expect(invoiced.lte(line.quantity_shipped), `goods line ${line.id}: invoiced ${invoiced.toFixed()} > shipped ${line.quantity_shipped}`).toBe(true);
    else expect(invoiced.plus(line.quantity_cancelled).lte(line.quantity), `service line ${line.id}`).toBe(true);
  }
}

describe('invoicing and the receivables ledger', () => {
  it(`agree after random sequences of invoicing work (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 6, maxLength: 24 }), async (operations) => {
        // PGlite has no autovacuum: refresh the planner's statistics as PostgreSQL would, so long runs stay fast.
        await sql`analyze`.execute(t.database.handle.db);
        for (const op of operations) await apply(op);
        await checkInvariants();
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // The sequences did real work: documents were issued and credited, not only skipped.
    for (const outcome of ['draft 201', 'issue 200', 'creditQuantity 201', 'creditAmount 201']) expect(tally.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
  }, 60_000 + runs * 20_000);

  it('credits returned goods after a price reduction from what is left of the line, never more than invoiced', async () => {
    const order = await post('/api/v1/orders', { customerId: customers[0]!.id, lines: [{ sku: 'HOSE-12-2M', quantity: '10' }] }, t.tenant.keys.sales);
    expect((await post(`/api/v1/orders/${order.json().id}/submit`, undefined, t.tenant.keys.sales)).json().status).toBe('approved');
    await shipOrder(order.json().id);
    const shipment = await t.database.handle.db.selectFrom('shipments').select('id').where('tenant_id', '=', t.tenant.id).where('order_id', '=', order.json().id).executeTakeFirstOrThrow();
    const draft = await post('/api/v1/invoices', { shipmentIds: [shipment.id] });
    const invoice = (await post(`/api/v1/invoices/${draft.json().id}/issue`)).json();
    const line = invoice.lines[0];
    // 10 hoses at 25.90 = 259.00; 200.00 off for damage leaves 59.00 of the line to credit.
    expect(line.taxable).toBe('259.00');
    expect((await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Damaged', lines: [{ invoiceLineId: line.id, amount: '200.00' }] })).statusCode).toBe(201);
    const nine = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Returned', lines: [{ invoiceLineId: line.id, quantity: '9' }] });
    expect(nine.statusCode, nine.body).toBe(201);
    // Nine of the ten hoses left: 9/10 of 59.00.
    expect(nine.json().taxable).toBe('53.10');
    const last = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Returned', lines: [{ invoiceLineId: line.id, quantity: '1' }] });
    expect(last.statusCode, last.body).toBe(201);
    expect(last.json().taxable).toBe('5.90');
    const credited = await t.database.handle.db.selectFrom('invoice_lines').select('taxable_minor').where('tenant_id', '=', t.tenant.id).where('credited_line_id', '=', line.id).execute();
    expect(credited.reduce((sum, part) => sum + part.taxable_minor, 0n)).toBe(25_900n);
    await checkInvariants();
  });

  it('reverses the VAT to the cent when the lines are credited one by one (cumulative rounding)', async () => {
    const order = await post(
      '/api/v1/orders',
      { customerId: customers[0]!.id, lines: ['GLOVE-9', 'FILM-500', 'HOSE-12-2M'].map((sku) => ({ sku, quantity: '1', unitPrice: '10.01', priceOverrideReason: 'test price' })) },
      pricingKey,
    );
    expect(order.statusCode, order.body).toBe(201);
    expect((await post(`/api/v1/orders/${order.json().id}/submit`, undefined, pricingKey)).json().status).toBe('approved');
    await shipOrder(order.json().id);
    const shipment = await t.database.handle.db.selectFrom('shipments').select('id').where('tenant_id', '=', t.tenant.id).where('order_id', '=', order.json().id).executeTakeFirstOrThrow();
    const draft = await post('/api/v1/invoices', { shipmentIds: [shipment.id] });
    const invoice = (await post(`/api/v1/invoices/${draft.json().id}/issue`)).json();
    // 30.03 × 19 % = 5.7057 → 5.71, while each line alone would be 1.9019 → 1.90.
    expect(invoice).toMatchObject({ tax: '5.71', gross: '35.74' });
    const taxes: string[] = [];
    for (const line of invoice.lines) {
      const credited = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: `Line ${line.lineNo} returned`, lines: [{ invoiceLineId: line.id, quantity: '1' }] });
      expect(credited.statusCode, credited.body).toBe(201);
      taxes.push(credited.json().tax);
      expect((await get(`/api/v1/invoices/${credited.json().id}/validation`)).json()).toEqual({ valid: true, violations: [] });
    }
    // Rounded on what is credited so far: 1.90, 3.80 − 1.90, then the rest of 5.71.
    expect(taxes).toEqual(['1.90', '1.90', '1.91']);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().open).toBe('0.00');
    await checkInvariants();
  });

  it('credits a cheap discounted line unit by unit down to the last unit, the parts adding up to the line', async () => {
    const order = await post(
      '/api/v1/orders',
      { customerId: customers[0]!.id, orderDiscountPercent: '10', lines: [{ sku: 'GLOVE-9', quantity: '10', unitPrice: '0.15', priceOverrideReason: 'clearance', discountPercent: '10' }] },
      pricingKey,
    );
    expect(order.statusCode, order.body).toBe(201);
    expect((await post(`/api/v1/orders/${order.json().id}/submit`, undefined, pricingKey)).json().status).toBe('approved');
    await shipOrder(order.json().id);
    const shipment = await t.database.handle.db.selectFrom('shipments').select('id').where('tenant_id', '=', t.tenant.id).where('order_id', '=', order.json().id).executeTakeFirstOrThrow();
    const draft = await post('/api/v1/invoices', { shipmentIds: [shipment.id] });
    const invoice = (await post(`/api/v1/invoices/${draft.json().id}/issue`)).json();
    const line = invoice.lines[0];
    for (let unit = 1; unit <= 10; unit += 1) {
      const credited = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: `Unit ${unit} returned`, lines: [{ invoiceLineId: line.id, quantity: '1' }] });
      expect(credited.statusCode, `unit ${unit}: ${credited.body}`).toBe(201);
      // Every part, the stated remainder too, is a valid e-invoice.
      expect((await get(`/api/v1/invoices/${credited.json().id}/validation`)).json(), `unit ${unit}`).toEqual({ valid: true, violations: [] });
    }
    const parts = await t.database.handle.db.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', t.tenant.id).where('credited_line_id', '=', line.id).execute();
    expect(parts).toHaveLength(10);
    const total = (key: 'gross_minor' | 'discount_minor' | 'allowance_share_minor' | 'taxable_minor') => parts.reduce((sum, part) => sum + part[key], 0n);
    const original = await t.database.handle.db.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', t.tenant.id).where('id', '=', line.id).executeTakeFirstOrThrow();
    expect([total('gross_minor'), total('discount_minor'), total('allowance_share_minor'), total('taxable_minor')]).toEqual([original.gross_minor, original.discount_minor, original.allowance_share_minor, original.taxable_minor]);
    // Each credit note takes the rounded VAT on all credited so far, less what the earlier ones took: ten notes leave nothing open.
    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(after.open).toBe('0.00');
    await checkInvariants();
  });
});
