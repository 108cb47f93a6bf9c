import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDateAt, formatMinor, parseMoney } from '../../../src/kernel';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { onPostgres } from '../../support/database';
import { loadDemoRecords } from '../../support/demo-data';
import { issueInvoiceFor } from '../../support/invoices';

/**
 * Cash application under concurrency. On PostgreSQL the requests below really run
 * in parallel (a pool of 40 connections): payments racing for one invoice never
 * settle more than is open, one payment racing over several invoices never gives
 * more than it has, undo, reversal and application interleave without losing or
 * doubling money, and nothing deadlocks. Recording a payment with an
 * Idempotency-Key runs on both databases.
 */
let t: TestApp;
let customerId: string;
const db = () => t.database.handle.db;
const today = () => businessDateAt(new Date(), 'Europe/Berlin');

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  // Müller Elektrotechnik: EUR, 2/10 net 30.
  customerId = (await db().selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('name', '=', 'Müller Elektrotechnik').executeTakeFirstOrThrow()).id;
  await db().updateTable('customers').set({ credit_limit_minor: 1_000_000_000n }).where('tenant_id', '=', t.tenant.id).execute();
  const warehouse = await db().selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow();
  const item = await db().selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', 'GLOVE-9').executeTakeFirstOrThrow();
  const adjusted = await post('/api/v1/stock/adjustments', { itemId: item.id, warehouseId: warehouse.id, countedQuantity: '100000', reason: 'stock count' }, t.tenant.keys.warehouse);
  expect(adjusted.statusCode, adjusted.body).toBe(200);
});
afterAll(async () => t?.close());

function post(url: string, body?: unknown, key = t.tenant.keys.cashapp, headers: Record<string, string> = {}) {
  return t.app.http.inject({
    method: 'POST',
    url,
    ...(body === undefined ? { headers: { ...bearer(key), ...headers } } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key), ...headers } }),
  });
}

type Response = Awaited<ReturnType<typeof post>>;

/** "200", or "422 O2C_EXCEEDS_OPEN" for a refusal. */
const outcomes = (responses: readonly Response[]) => responses.map((response) => (response.statusCode < 300 ? String(response.statusCode) : `${response.statusCode} ${response.json().code}`));

/** No server error, no refusal the database made for a missing check, no deadlock or serialization failure (which the server answers with 409). */
function expectNoServerTrouble(responses: readonly Response[]): void {
  for (const response of responses) {
    expect(response.statusCode, response.body).toBeLessThan(500);
    if (response.statusCode >= 400) expect(response.json().detail, response.body).not.toMatch(/^(the database refused a value|a concurrent change got in the way)/);
  }
}

/** An invoice of 10 pairs of gloves for Müller: 2/10 net 30, so a discount is available today. */
async function invoice(quantity = '10') {
  const issued = await issueInvoiceFor(t, customerId, [{ sku: 'GLOVE-9', quantity }]);
  return { ...issued, grossMinor: parseMoney(issued.gross, 'EUR').amountMinor };
}

/** Invoices issued one after the other (each goes through an order and a shipment). */
async function invoices(count: number, quantity = '10') {
  const issued: Array<Awaited<ReturnType<typeof invoice>>> = [];
  for (let index = 0; index < count; index += 1) issued.push(await invoice(quantity));
  return issued;
}

async function payment(amountMinor: bigint, applications?: unknown[]) {
  const recorded = await post('/api/v1/payments', { customerId, amount: formatMinor(amountMinor, 'EUR'), currency: 'EUR', method: 'bank_transfer', valueDate: today(), ...(applications === undefined ? {} : { applications }) });
  expect(recorded.statusCode, recorded.body).toBe(201);
  return recorded.json() as { id: string; number: string; applications: Array<{ id: string; invoice: { id: string } }> };
}

/** Payments recorded one after the other, unapplied. */
async function payments(count: number, amountMinor: bigint) {
  const recorded: Array<Awaited<ReturnType<typeof payment>>> = [];
  for (let index = 0; index < count; index += 1) recorded.push(await payment(amountMinor));
  return recorded;
}

const applyTo = (paymentId: string, applications: unknown[]) => post(`/api/v1/payments/${paymentId}/applications`, { applications });

async function invoiceRow(id: string) {
  return db().selectFrom('invoices').selectAll().where('tenant_id', '=', t.tenant.id).where('id', '=', id).executeTakeFirstOrThrow();
}

async function activeApplications(filter: { invoiceId?: string; paymentId?: string }) {
  let query = db().selectFrom('payment_applications').selectAll().where('tenant_id', '=', t.tenant.id).where('status', '=', 'active');
  if (filter.invoiceId !== undefined) query = query.where('invoice_id', '=', filter.invoiceId);
  if (filter.paymentId !== undefined) query = query.where('payment_id', '=', filter.paymentId);
  return query.execute();
}

const settledBy = (rows: ReadonlyArray<{ amount_minor: bigint; discount_minor: bigint; difference_minor: bigint }>) => rows.reduce((total, row) => total + row.amount_minor + row.discount_minor + row.difference_minor, 0n);

/** The books after the races: every entry balances, the subledger is the ledger, every invoice and payment adds up. */
async function expectBooksInStep(): Promise<void> {
  const unbalanced = await sql<{ entry_id: string }>`
    select entry_id from journal_lines where tenant_id = ${t.tenant.id}
    group by entry_id
    having sum(case when side = 'debit' then amount_minor else -amount_minor end) <> 0
        or sum(case when side = 'debit' then base_amount_minor else -base_amount_minor end) <> 0`.execute(db());
  expect(unbalanced.rows).toEqual([]);
  const reconciliation = await t.app.http.inject({ method: 'GET', url: '/api/v1/receivables/reconciliation', headers: bearer(t.tenant.keys.viewer) });
  expect(reconciliation.json(), reconciliation.body).toMatchObject({ balanced: true, differences: [] });
  const invoices = await db().selectFrom('invoices').selectAll().where('tenant_id', '=', t.tenant.id).where('kind', '=', 'invoice').where('status', '=', 'issued').execute();
  for (const row of invoices) {
    const settled = settledBy(await activeApplications({ invoiceId: row.id }));
    expect(row.open_minor, `${row.number}: open = gross − credited − settled`).toBe(row.gross_minor - row.credited_minor - settled);
    expect(row.open_minor >= 0n, `${row.number} open ${row.open_minor}`).toBe(true);
    expect(row.payment_status === 'paid', row.number!).toBe(row.open_minor === 0n);
  }
  for (const row of await db().selectFrom('payments').selectAll().where('tenant_id', '=', t.tenant.id).execute()) {
    const taken = (await activeApplications({ paymentId: row.id })).reduce((total, application) => total + application.source_amount_minor, 0n);
    if (row.status === 'received') {
      expect(row.applied_minor + row.refunded_minor + row.unapplied_minor, row.number).toBe(row.amount_minor);
      expect(taken, `${row.number}: applied = what its applications took`).toBe(row.applied_minor);
    } else {
      expect([taken, row.applied_minor, row.unapplied_minor], `${row.number} reversed`).toEqual([0n, 0n, 0n]);
    }
  }
}

describe.runIf(onPostgres)('applying concurrently (PostgreSQL)', () => {
  it('settles an invoice once when ten payments race to settle all of it', async () => {
    const target = await invoice();
    const racers = await payments(10, target.grossMinor);
    const responses = await Promise.all(racers.map((entry) => applyTo(entry.id, [{ invoiceId: target.id }])));
    expectNoServerTrouble(responses);
    const outcome = outcomes(responses);
    expect(outcome.filter((code) => code === '200')).toHaveLength(1);
    expect(outcome.filter((code) => code !== '200')).toEqual(Array(9).fill('422 O2C_EXCEEDS_OPEN'));
    // The winner paid the discounted balance and took the 2 % discount: exactly what was open is settled.
    const applied = await activeApplications({ invoiceId: target.id });
    expect(applied).toHaveLength(1);
    expect(applied[0]!.discount_minor).toBe((target.grossMinor * 2n + 50n) / 100n);
    expect(settledBy(applied)).toBe(target.grossMinor);
    expect((await invoiceRow(target.id)).open_minor).toBe(0n);
    await expectBooksInStep();
  });

  it('never settles more than is open when ten payments race with parts of an invoice', async () => {
    const target = await invoice();
    const partMinor = (target.grossMinor * 30n) / 100n;
    const racers = await payments(10, target.grossMinor);
    const responses = await Promise.all(racers.map((entry) => applyTo(entry.id, [{ invoiceId: target.id, amount: formatMinor(partMinor, 'EUR'), takeDiscount: false }])));
    expectNoServerTrouble(responses);
    const outcome = outcomes(responses);
    // Three parts of 30 % fit; a fourth is more than the 10 % left.
    expect(outcome.filter((code) => code === '200')).toHaveLength(3);
    expect(outcome.filter((code) => code !== '200')).toEqual(Array(7).fill('422 O2C_EXCEEDS_OPEN'));
    const row = await invoiceRow(target.id);
    expect(row.open_minor).toBe(target.grossMinor - 3n * partMinor);
    expect(row.payment_status).toBe('partially_paid');
    await expectBooksInStep();
  });

  it('never spends a payment twice when it races to settle five invoices', async () => {
    const targets = await invoices(5);
    const grossMinor = targets[0]!.grossMinor;
    // Enough for two and a half invoices.
    const amountMinor = (grossMinor * 5n) / 2n;
    const source = await payment(amountMinor);
    const responses = await Promise.all(targets.map((target) => applyTo(source.id, [{ invoiceId: target.id, takeDiscount: false }])));
    expectNoServerTrouble(responses);
    const outcome = outcomes(responses);
    expect(outcome.filter((code) => code === '200')).toHaveLength(3);
    expect(outcome.filter((code) => code !== '200')).toEqual(Array(2).fill('422 O2C_EXCEEDS_UNAPPLIED'));
    const row = await db().selectFrom('payments').selectAll().where('tenant_id', '=', t.tenant.id).where('id', '=', source.id).executeTakeFirstOrThrow();
    expect([row.applied_minor, row.unapplied_minor]).toEqual([amountMinor, 0n]);
    const opens = (await Promise.all(targets.map((target) => invoiceRow(target.id)))).map((target) => target.open_minor).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(opens).toEqual([0n, 0n, grossMinor - (amountMinor - 2n * grossMinor), grossMinor, grossMinor]);
    await expectBooksInStep();
  });

  it('never spends a payment twice when requests name its invoices in different orders', async () => {
    const targets = await invoices(3, '2');
    const source = await payment(10_000n);
    const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [0, 2, 1], [2, 0, 1], [1, 0, 2]];
    const responses = await Promise.all(orders.map((order) => applyTo(source.id, order.map((index) => ({ invoiceId: targets[index]!.id, amount: '1.00', takeDiscount: false })))));
    expectNoServerTrouble(responses);
    expect(outcomes(responses)).toEqual(Array(6).fill('200'));
    for (const target of targets) expect((await invoiceRow(target.id)).open_minor).toBe(target.grossMinor - 600n);
    await expectBooksInStep();
  });

  it('undoes an application while others race to settle the invoice and its payment races to settle another', async () => {
    for (let round = 0; round < 3; round += 1) {
      const [first, second] = [await invoice(), await invoice()];
      const owner = await payment(first.grossMinor, [{ invoiceId: first.id, takeDiscount: false }]);
      const rivals = await payments(5, first.grossMinor);
      const [undone, moved, ...raced] = await Promise.all([
        post(`/api/v1/payment-applications/${owner.applications[0]!.id}/undo`, { reason: 'Belongs to another invoice' }),
        applyTo(owner.id, [{ invoiceId: second.id, takeDiscount: false }]),
        ...rivals.map((rival) => applyTo(rival.id, [{ invoiceId: first.id, takeDiscount: false }])),
      ]);
      expectNoServerTrouble([undone!, moved!, ...raced]);
      expect(undone!.statusCode, undone!.body).toBe(200);
      // The owner's money moves to the second invoice only if the undo came first.
      expect(['200', '422 O2C_EXCEEDS_UNAPPLIED']).toContain(outcomes([moved!])[0]);
      // At most one rival settles the first invoice, and only after the undo.
      const won = outcomes(raced).filter((code) => code === '200').length;
      expect(won).toBeLessThanOrEqual(1);
      for (const code of outcomes(raced)) expect(['200', '422 O2C_EXCEEDS_OPEN']).toContain(code);
      const row = await invoiceRow(first.id);
      expect(row.open_minor).toBe(won === 1 ? 0n : first.grossMinor);
      expect(settledBy(await activeApplications({ invoiceId: first.id }))).toBe(first.grossMinor - row.open_minor);
    }
    await expectBooksInStep();
  });

  it('reverses a payment while another settles the same invoices, and neither deadlocks', async () => {
    const targets = await invoices(3, '20');
    // By id, the order every settlement locks invoices in.
    targets.sort((a, b) => a.id.localeCompare(b.id));
    const responses: Response[] = [];
    for (let round = 0; round < 6; round += 1) {
      // The reversed payment was applied last id first, so undoing its applications in their order walks the invoices backwards.
      const reversed = await payment(300n);
      for (const target of [...targets].reverse()) expect((await applyTo(reversed.id, [{ invoiceId: target.id, amount: '1.00', takeDiscount: false }])).statusCode).toBe(200);
      const rivals = await payments(2, 300n);
      const [reversal, ...applied] = await Promise.all([
        post(`/api/v1/payments/${reversed.id}/reverse`, { reason: 'Returned by the bank' }),
        ...rivals.map((rival) => applyTo(rival.id, targets.map((target) => ({ invoiceId: target.id, amount: '1.00', takeDiscount: false })))),
      ]);
      responses.push(reversal!, ...applied);
    }
    expectNoServerTrouble(responses);
    expect(outcomes(responses)).toEqual(Array(responses.length).fill('200'));
    await expectBooksInStep();
  });

  it('reverses two payments applied to the same invoices in opposite orders without a deadlock', async () => {
    const targets = await invoices(3, '20');
    const responses: Response[] = [];
    for (let round = 0; round < 6; round += 1) {
      const forwards = await payment(300n);
      const backwards = await payment(300n);
      for (const target of targets) expect((await applyTo(forwards.id, [{ invoiceId: target.id, amount: '1.00', takeDiscount: false }])).statusCode).toBe(200);
      for (const target of [...targets].reverse()) expect((await applyTo(backwards.id, [{ invoiceId: target.id, amount: '1.00', takeDiscount: false }])).statusCode).toBe(200);
      responses.push(...(await Promise.all([forwards, backwards].map((entry) => post(`/api/v1/payments/${entry.id}/reverse`, { reason: 'Returned by the bank' })))));
    }
    expectNoServerTrouble(responses);
    expect(outcomes(responses)).toEqual(Array(responses.length).fill('200'));
    await expectBooksInStep();
  });

  it('records payments applied at once while other payments settle the same invoice, without a deadlock', async () => {
    const target = await invoice('20');
    const responses: Response[] = [];
    for (let round = 0; round < 4; round += 1) {
      const rivals = await payments(3, 500n);
      responses.push(
        ...(await Promise.all([
          ...rivals.map((rival) => applyTo(rival.id, [{ invoiceId: target.id, amount: '1.00', takeDiscount: false }])),
          ...[0, 1, 2].map(() => post('/api/v1/payments', { customerId, amount: '5.00', currency: 'EUR', method: 'bank_transfer', valueDate: today(), applications: [{ invoiceId: target.id, amount: '1.00', takeDiscount: false }] })),
        ])),
      );
    }
    expectNoServerTrouble(responses);
    expect(outcomes(responses).every((code) => code === '200' || code === '201')).toBe(true);
    expect((await invoiceRow(target.id)).open_minor).toBe(target.grossMinor - 2_400n);
    await expectBooksInStep();
  });

  it('refunds, applies and reverses one payment at once without giving more than it has', async () => {
    for (let round = 0; round < 4; round += 1) {
      const target = await invoice();
      const source = await payment(target.grossMinor);
      const responses = await Promise.all([
        applyTo(source.id, [{ invoiceId: target.id, takeDiscount: false }]),
        post(`/api/v1/payments/${source.id}/refunds`, { method: 'bank_transfer', reason: 'Paid twice' }),
        post(`/api/v1/payments/${source.id}/reverse`, { reason: 'Returned by the bank' }),
      ]);
      expectNoServerTrouble(responses);
      const row = await db().selectFrom('payments').selectAll().where('tenant_id', '=', t.tenant.id).where('id', '=', source.id).executeTakeFirstOrThrow();
      // Whatever order they ran in, the payment gave at most what it is.
      if (row.status === 'received') expect(row.applied_minor + row.refunded_minor + row.unapplied_minor).toBe(row.amount_minor);
      expect(row.applied_minor + row.refunded_minor <= row.amount_minor).toBe(true);
    }
    await expectBooksInStep();
  });
});

describe('recording a payment with an Idempotency-Key', () => {
  const body = () => ({ customerId, amount: '250.00', currency: 'EUR', method: 'bank_transfer', valueDate: today(), payerReference: 'REMITTANCE 4711' });
  const countReferenced = async (reference: string) => (await db().selectFrom('payments').select('id').where('tenant_id', '=', t.tenant.id).where('payer_reference', '=', reference).execute()).length;

  it('records it once and answers the repeat with the same body', async () => {
    const first = await post('/api/v1/payments', body(), t.tenant.keys.cashapp, { 'idempotency-key': 'payment-once' });
    const second = await post('/api/v1/payments', body(), t.tenant.keys.cashapp, { 'idempotency-key': 'payment-once' });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await countReferenced('REMITTANCE 4711')).toBe(1);
    const entries = await db().selectFrom('journal_entries').select('id').where('tenant_id', '=', t.tenant.id).where('source_type', '=', 'payment').where('source_id', '=', first.json().id).execute();
    expect(entries).toHaveLength(1);
  });

  it('refuses the same key with another body and records nothing for it', async () => {
    const first = await post('/api/v1/payments', { ...body(), payerReference: 'REMITTANCE 4712' }, t.tenant.keys.cashapp, { 'idempotency-key': 'payment-reused' });
    expect(first.statusCode, first.body).toBe(201);
    const other = await post('/api/v1/payments', { ...body(), payerReference: 'REMITTANCE 4712', amount: '251.00' }, t.tenant.keys.cashapp, { 'idempotency-key': 'payment-reused' });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().code).toBe('O2C_IDEMPOTENCY_KEY_REUSED');
    expect(await countReferenced('REMITTANCE 4712')).toBe(1);
  });

  it('records it once when the same request with one key arrives eight times at once', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => post('/api/v1/payments', { ...body(), payerReference: 'REMITTANCE 4713' }, t.tenant.keys.cashapp, { 'idempotency-key': 'payment-race' })));
    expectNoServerTrouble(responses);
    const answered = responses.filter((response) => response.statusCode === 201);
    // A repeat arriving while the first runs waits for it and gets the stored answer (or is told to retry).
    for (const response of responses) expect([201, 409]).toContain(response.statusCode);
    expect(answered.length).toBeGreaterThan(0);
    expect(new Set(answered.map((response) => response.json().id)).size).toBe(1);
    expect(await countReferenced('REMITTANCE 4713')).toBe(1);
  });
});
