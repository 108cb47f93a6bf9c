import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import { systemContext, type RequestContext } from '../../../src/platform/auth/actor';
import { inTransaction } from '../../../src/platform/db/database';
import { issueDocument } from '../../../src/modules/invoicing/invoices.service';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { onPostgres } from '../../support/database';
import { loadDemoRecords } from '../../support/demo-data';

/**
 * Invoicing under concurrency: gapless numbers when issues race and some roll
 * back, each shipped or ordered quantity billed once, credit notes that never
 * credit more than was invoiced. On PostgreSQL the requests below really run in
 * parallel (a pool of 40 connections); on PGlite they queue on its one connection,
 * and the same invariants must hold.
 */
let t: TestApp;
let customerId: string;
let context: RequestContext;
let mainWarehouseId: string;
const items: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  context = systemContext(t.tenant.id, 'concurrency test');
  customerId = (await db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('name', '=', 'Müller Elektrotechnik').executeTakeFirstOrThrow()).id;
  // Enough credit for every order below, whatever the demo's open orders hold.
  await db.updateTable('customers').set({ credit_limit_minor: 100_000_000n }).where('tenant_id', '=', t.tenant.id).where('id', '=', customerId).execute();
  mainWarehouseId = (await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow()).id;
  for (const sku of ['BRG-6204-2RS', 'HOSE-12-2M']) {
    items[sku] = (await db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow()).id;
    const adjusted = await post('/api/v1/stock/adjustments', { itemId: items[sku], warehouseId: mainWarehouseId, countedQuantity: '100000', reason: 'stock count' }, t.tenant.keys.warehouse);
    expect(adjusted.statusCode, adjusted.body).toBe(200);
  }
});
afterAll(async () => t?.close());

function post(url: string, body?: unknown, key = t.tenant.keys.billing) {
  return t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
}
const get = (url: string) => t.app.http.inject({ method: 'GET', url, headers: bearer(t.tenant.keys.viewer) });

async function approvedOrder(lines: Array<{ sku: string; quantity: string }>) {
  const created = await post('/api/v1/orders', { customerId, lines }, t.tenant.keys.sales);
  expect(created.statusCode, created.body).toBe(201);
  const submitted = await post(`/api/v1/orders/${created.json().id}/submit`, undefined, t.tenant.keys.sales);
  expect(submitted.statusCode, submitted.body).toBe(200);
  expect(submitted.json().status).toBe('approved');
  return submitted.json() as { id: string; lines: Array<{ id: string; sku: string }> };
}

async function shippedOrder(lines: Array<{ sku: string; quantity: string }>) {
  const order = await approvedOrder(lines);
  const shipment = (await post('/api/v1/shipments', { orderId: order.id }, t.tenant.keys.warehouse)).json();
  await post(`/api/v1/shipments/${shipment.id}/pick`, undefined, t.tenant.keys.warehouse);
  await post(`/api/v1/shipments/${shipment.id}/pack`, { packages: [{ packageType: 'box' }] }, t.tenant.keys.warehouse);
  const shipped = await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'DHL' }, t.tenant.keys.warehouse);
  expect(shipped.statusCode, shipped.body).toBe(200);
  return { orderId: order.id, shipmentId: shipment.id as string, lines: order.lines };
}

async function issuedInvoice(shipmentId: string) {
  const draft = await post('/api/v1/invoices', { shipmentIds: [shipmentId] });
  expect(draft.statusCode, draft.body).toBe(201);
  const issued = await post(`/api/v1/invoices/${draft.json().id}/issue`);
  expect(issued.statusCode, issued.body).toBe(200);
  return issued.json() as { id: string; number: string; gross: string; lines: Array<{ id: string; sku: string; quantity: string }> };
}

async function orderLines(orderId: string) {
  return t.database.handle.db
    .selectFrom('sales_order_lines')
    .select(['id', 'sku', 'item_kind', 'quantity', 'quantity_shipped', 'quantity_invoiced', 'quantity_cancelled'])
    .where('tenant_id', '=', t.tenant.id)
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();
}

const codes = (responses: ReadonlyArray<{ statusCode: number; json(): { code?: string } }>) => responses.map((response) => (response.statusCode < 300 ? String(response.statusCode) : `${response.statusCode} ${response.json().code}`));

class RolledBack extends Error {
  constructor(readonly number: string | null) {
    super('rolled back on purpose');
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The issued numbers of a series with a prefix ("INV-2026-") as their sequence numbers, sorted. */
async function issuedSequence(kind: 'invoice' | 'credit_note', prefix: string) {
  const rows = await t.database.handle.db.selectFrom('invoices').select('number').where('tenant_id', '=', t.tenant.id).where('kind', '=', kind).where('status', '=', 'issued').execute();
  return sequenceOf(rows.map((row) => row.number!), prefix);
}

const sequenceOf = (numbers: readonly string[], prefix: string) =>
  numbers
    .filter((number) => number.startsWith(prefix))
    .map((number) => Number(number.slice(prefix.length)))
    .sort((a, b) => a - b);

const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

/** Each year of a series counts 1, 2, 3 … without a gap or a duplicate. */
function expectGapless(numbers: readonly string[]) {
  const prefixes = new Set(numbers.map((number) => number.replace(/\d+$/, '')));
  for (const prefix of prefixes) {
    const sequence = sequenceOf(numbers, prefix);
    expect(sequence, prefix).toEqual(consecutive(1, sequence.length));
  }
}

describe('issuing concurrently', () => {
  it('numbers 32 committed issues consecutively, without gaps or duplicates, while 8 others take a number and roll back', async () => {
    const orders = await Promise.all(Array.from({ length: 40 }, () => approvedOrder([{ sku: 'SVC-INSTALL', quantity: '1' }])));
    const drafts = await Promise.all(orders.map((order) => post('/api/v1/invoices', { orderIds: [order.id] })));
    expect(drafts.map((draft) => draft.statusCode)).toEqual(Array(40).fill(201));
    const ids = drafts.map((draft) => draft.json().id as string);
    const issuedBefore = await t.database.handle.db.selectFrom('invoices').select('number').where('tenant_id', '=', t.tenant.id).where('kind', '=', 'invoice').where('status', '=', 'issued').execute();
    const journalBefore = await t.database.handle.db.selectFrom('journal_entries').select('id').where('tenant_id', '=', t.tenant.id).execute();

    const outcomes = await Promise.all(
      ids.map((id, index) => {
        const rollBack = index % 5 === 2;
        return inTransaction(t.database.handle.db, async (tx) => {
          const issued = await issueDocument(tx, context, id);
          // Hold the number a moment, so other issuers queue behind it, then give it back.
          if (rollBack) {
            await pause(15);
            throw new RolledBack(issued.number);
          }
          return issued.number;
        }).then(
          (number) => ({ committed: true, number }),
          (error: unknown) => {
            if (error instanceof RolledBack) return { committed: false, number: error.number };
            throw error;
          },
        );
      }),
    );
    const committed = outcomes.filter((outcome) => outcome.committed);
    expect(committed).toHaveLength(32);
    const prefix = committed[0]!.number!.replace(/\d+$/, '');
    expect(prefix).toMatch(/^INV-\d{4}-$/);
    expect(committed.every((outcome) => new RegExp(`^${prefix}\\d{6}$`).test(outcome.number!))).toBe(true);
    const before = sequenceOf(issuedBefore.map((row) => row.number!), prefix);
    const start = (before.at(-1) ?? 0) + 1;
    expect(sequenceOf(committed.map((outcome) => outcome.number!), prefix)).toEqual(consecutive(start, 32));
    // A number a rolled-back issue held was given back: a committed issue took it, or (held last) it is the next one free.
    const held = sequenceOf(outcomes.filter((outcome) => !outcome.committed).map((outcome) => outcome.number!), prefix);
    expect(held).toHaveLength(8);
    for (const number of held) expect(number >= start && number <= start + 32, `held ${number}`).toBe(true);
    expect(await issuedSequence('invoice', prefix)).toEqual([...before, ...consecutive(start, 32)]);

    // The rolled-back drafts are untouched drafts, and issuing them now continues the series without a gap.
    const rolledBackIds = ids.filter((_id, index) => index % 5 === 2);
    const left = await t.database.handle.db.selectFrom('invoices').select(['status', 'number', 'journal_entry_id']).where('tenant_id', '=', t.tenant.id).where('id', 'in', rolledBackIds).execute();
    expect(left).toEqual(Array(8).fill({ status: 'draft', number: null, journal_entry_id: null }));
    const journalAfter = await t.database.handle.db.selectFrom('journal_entries').select('id').where('tenant_id', '=', t.tenant.id).execute();
    expect(journalAfter.length - journalBefore.length).toBe(32);
    const late = await Promise.all(rolledBackIds.map((id) => post(`/api/v1/invoices/${id}/issue`)));
    expect(late.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
    expect(await issuedSequence('invoice', prefix)).toEqual([...before, ...consecutive(start, 40)]);
  });

  it.runIf(onPostgres)('makes a second issuer wait on the number the first holds, and gives it that number when the first rolls back (PostgreSQL)', async () => {
    const orders = await Promise.all([0, 1].map(() => approvedOrder([{ sku: 'SVC-INSTALL', quantity: '2' }])));
    const [first, second] = await Promise.all(orders.map(async (order) => (await post('/api/v1/invoices', { orderIds: [order.id] })).json().id as string));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstNumber: string | null = null;
    let tookNumber!: () => void;
    const numberTaken = new Promise<void>((resolve) => (tookNumber = resolve));
    const holder = inTransaction(t.database.handle.db, async (tx) => {
      firstNumber = (await issueDocument(tx, context, first!)).number;
      tookNumber();
      await released;
      throw new RolledBack(firstNumber);
    }).catch((error: unknown) => error);
    await numberTaken;
    let secondDone = false;
    const waiter = inTransaction(t.database.handle.db, (tx) => issueDocument(tx, context, second!)).then((view) => {
      secondDone = true;
      return view;
    });
    await pause(300);
    expect(secondDone).toBe(false);
    release();
    expect(await holder).toBeInstanceOf(RolledBack);
    const issued = await waiter;
    expect(issued.number).toBe(firstNumber);
  });
});

describe('billing one shipment or service line concurrently', () => {
  it('bills a shipment once when 10 requests race for it', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '10' }, { sku: 'HOSE-12-2M', quantity: '3' }]);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('/api/v1/invoices', { shipmentIds: [shipmentId] })));
    const outcome = codes(responses);
    expect(outcome.filter((code) => code === '201')).toHaveLength(1);
    expect(outcome.filter((code) => code !== '201').every((code) => code === '422 O2C_NOTHING_TO_INVOICE' || code.startsWith('409'))).toBe(true);
    const lines = await orderLines(orderId);
    expect(lines.map((line) => [line.sku, new Big(line.quantity_invoiced).toFixed()])).toEqual([
      ['BRG-6204-2RS', '10'],
      ['HOSE-12-2M', '3'],
    ]);
    for (const line of lines) expect(new Big(line.quantity_invoiced).eq(line.quantity_shipped)).toBe(true);
  });

  it('bills a service line of an approved order once when 10 requests race for it', async () => {
    const order = await approvedOrder([{ sku: 'SVC-INSTALL', quantity: '4' }]);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('/api/v1/invoices', { orderIds: [order.id] })));
    const outcome = codes(responses);
    expect(outcome.filter((code) => code === '201')).toHaveLength(1);
    expect(outcome.filter((code) => code !== '201').every((code) => code === '422 O2C_NOTHING_TO_INVOICE' || code.startsWith('409'))).toBe(true);
    const [line] = await orderLines(order.id);
    expect(new Big(line!.quantity_invoiced).toFixed()).toBe('4');
  });

  it('bills goods and services once when requests by shipment and by order race', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '5' }, { sku: 'SVC-INSTALL', quantity: '2' }]);
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => post('/api/v1/invoices', index % 2 === 0 ? { shipmentIds: [shipmentId] } : { orderIds: [orderId] })));
    const outcome = codes(responses);
    expect(outcome.filter((code) => code === '201').length).toBeGreaterThanOrEqual(1);
    expect(outcome.filter((code) => code === '201').length).toBeLessThanOrEqual(2);
    expect(outcome.filter((code) => code !== '201').every((code) => code === '422 O2C_NOTHING_TO_INVOICE' || code.startsWith('409'))).toBe(true);
    const billed = responses.filter((response) => response.statusCode === 201).flatMap((response) => response.json().lines as Array<{ sku: string; quantity: string }>);
    expect(billed.map((line) => `${line.sku} ${line.quantity}`).sort()).toEqual(['BRG-6204-2RS 5', 'SVC-INSTALL 2']);
    const lines = await orderLines(orderId);
    expect(lines.map((line) => new Big(line.quantity_invoiced).toFixed())).toEqual(['5', '2']);
  });

  it('bills a deleted draft’s quantities at most once when the delete races new drafts', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'HOSE-12-2M', quantity: '6' }]);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    const [removed, ...responses] = await Promise.all([
      t.app.http.inject({ method: 'DELETE', url: `/api/v1/invoices/${draft.id}?version=${draft.version}`, headers: bearer(t.tenant.keys.billing) }),
      ...Array.from({ length: 6 }, () => post('/api/v1/invoices', { shipmentIds: [shipmentId] })),
    ]);
    expect(removed!.statusCode).toBe(204);
    const outcome = codes(responses);
    const winners = outcome.filter((code) => code === '201').length;
    expect(winners).toBeLessThanOrEqual(1);
    expect(outcome.filter((code) => code !== '201').every((code) => code === '422 O2C_NOTHING_TO_INVOICE' || code.startsWith('409'))).toBe(true);
    const [line] = await orderLines(orderId);
    expect(new Big(line!.quantity_invoiced).toFixed()).toBe(winners === 1 ? '6' : '0');
    if (winners === 0) expect((await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).statusCode).toBe(201);
  });
});

describe('crediting one invoice concurrently', () => {
  it('lets at most 3 of 8 concurrent credits of 3 units through on a line of 10', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '10' }]);
    const invoice = await issuedInvoice(shipmentId);
    const line = invoice.lines[0]!;
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Returned', lines: [{ invoiceLineId: line.id, quantity: '3' }] })));
    const outcome = codes(responses);
    // Run one after the other, three fit (9 of 10) and the fourth does not; concurrency must not change that.
    expect(outcome.filter((code) => code === '201')).toHaveLength(3);
    expect(outcome.filter((code) => code !== '201').every((code) => code === '422 O2C_CREDIT_EXCEEDS_INVOICED' || code.startsWith('409'))).toBe(true);
    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(after.creditNotes).toHaveLength(3);
    const credited = responses.filter((response) => response.statusCode === 201).reduce((total, response) => total.plus(response.json().gross as string), new Big('0'));
    expect(new Big(after.open).plus(credited).eq(invoice.gross)).toBe(true);
    const [orderLine] = await orderLines(orderId);
    expect(new Big(orderLine!.quantity_invoiced).toFixed()).toBe('1');
  });

  it('credits an invoice in full once when 6 full credits race', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '4' }, { sku: 'HOSE-12-2M', quantity: '1' }]);
    const invoice = await issuedInvoice(shipmentId);
    const responses = await Promise.all(Array.from({ length: 6 }, () => post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Cancelled' })));
    const outcome = codes(responses);
    expect(outcome.filter((code) => code === '201')).toHaveLength(1);
    expect(outcome.filter((code) => code !== '201').every((code) => code === '422 O2C_CREDIT_EXCEEDS_INVOICED' || code.startsWith('409'))).toBe(true);
    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(after.open).toBe('0.00');
    expect(after.credited).toBe(invoice.gross);
    expect((await orderLines(orderId)).map((line) => new Big(line.quantity_invoiced).toFixed())).toEqual(['0', '0']);
  });

  it('never credits more than invoiced when a correction, partial credits and a new draft for the returned goods race', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '10' }, { sku: 'HOSE-12-2M', quantity: '2' }]);
    const invoice = await issuedInvoice(shipmentId);
    const [bearings, hoses] = invoice.lines;
    const responses = await Promise.all([
      post(`/api/v1/invoices/${invoice.id}/correct`, { reason: 'Wrong PO number' }),
      post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Returned', lines: [{ invoiceLineId: bearings!.id, quantity: '4' }] }),
      post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Returned', lines: [{ invoiceLineId: bearings!.id, quantity: '4' }] }),
      post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Damaged', lines: [{ invoiceLineId: hoses!.id, amount: '10.00' }] }),
      post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Damaged', lines: [{ invoiceLineId: hoses!.id, quantity: '2' }] }),
      post('/api/v1/invoices', { shipmentIds: [shipmentId] }),
      post('/api/v1/invoices', { shipmentIds: [shipmentId] }),
    ]);
    for (const response of responses) expect(response.statusCode, response.body).toBeLessThan(500);
    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    const notes = await t.database.handle.db.selectFrom('invoices').select(['gross_minor', 'credited_minor', 'open_minor']).where('tenant_id', '=', t.tenant.id).where('credited_invoice_id', '=', invoice.id).execute();
    const invoiceRow = await t.database.handle.db.selectFrom('invoices').select(['gross_minor', 'credited_minor', 'open_minor']).where('tenant_id', '=', t.tenant.id).where('id', '=', invoice.id).executeTakeFirstOrThrow();
    const creditedGross = notes.reduce((total, note) => total + note.gross_minor, 0n);
    expect(creditedGross <= invoiceRow.gross_minor).toBe(true);
    expect(invoiceRow.credited_minor).toBe(notes.reduce((total, note) => total + note.credited_minor, 0n));
    expect(invoiceRow.open_minor).toBe(invoiceRow.gross_minor - invoiceRow.credited_minor);
    expect(after.creditNotes).toHaveLength(notes.length);
    for (const line of await orderLines(orderId)) expect(new Big(line.quantity_invoiced).lte(line.quantity_shipped)).toBe(true);
  });
});

describe('after the races', () => {
  it('has invoiced at most what shipped (goods) or was ordered (services) on every order line, as the documents say', async () => {
    const db = t.database.handle.db;
    const lines = await db.selectFrom('sales_order_lines').select(['id', 'item_kind', 'quantity', 'quantity_shipped', 'quantity_invoiced', 'quantity_cancelled']).where('tenant_id', '=', t.tenant.id).execute();
    const billed = await sql<{ order_line_id: string; billed: string }>`
      select il.order_line_id,
        sum(case when i.kind = 'invoice' then il.quantity when not il.is_price_reduction and not il.goods_returned then -il.quantity else 0 end) as billed
      from invoice_lines il join invoices i on i.tenant_id = il.tenant_id and i.id = il.invoice_id
      where il.tenant_id = ${t.tenant.id} and il.kind = 'item' and il.order_line_id is not null
      group by il.order_line_id`.execute(db);
    const billedByLine = new Map(billed.rows.map((row) => [row.order_line_id, new Big(row.billed)]));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const invoiced = new Big(line.quantity_invoiced);
      expect(invoiced.gte('0')).toBe(true);
      if (line.item_kind === 'goods') expect(invoiced.lte(line.quantity_shipped), `goods line ${line.id}`).toBe(true);
      else expect(invoiced.plus(line.quantity_cancelled).lte(line.quantity), `service line ${line.id}`).toBe(true);
      expect(invoiced.eq(billedByLine.get(line.id) ?? new Big('0')), `order line ${line.id}: ${invoiced.toFixed()} recorded, ${(billedByLine.get(line.id) ?? new Big('0')).toFixed()} on documents`).toBe(true);
    }
  });

  it('has every journal entry balanced and both series gapless', async () => {
    const unbalanced = await sql<{ entry_id: string }>`
      select entry_id from journal_lines where tenant_id = ${t.tenant.id}
      group by entry_id
      having sum(case when side = 'debit' then amount_minor else -amount_minor end) <> 0
          or sum(case when side = 'debit' then base_amount_minor else -base_amount_minor end) <> 0`.execute(t.database.handle.db);
    expect(unbalanced.rows).toEqual([]);
    const documents = await t.database.handle.db.selectFrom('invoices').select(['kind', 'number']).where('tenant_id', '=', t.tenant.id).where('status', '=', 'issued').execute();
    expect(documents.filter((document) => document.kind === 'credit_note').length).toBeGreaterThan(0);
    expectGapless(documents.map((document) => document.number!));
    const journal = await t.database.handle.db.selectFrom('journal_entries').select('number').where('tenant_id', '=', t.tenant.id).execute();
    expectGapless(journal.map((row) => row.number));
  });
});
