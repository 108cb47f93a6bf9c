import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, Big, businessDateAt, currencyExponent, formatMinor, parseMoney } from '../../../src/kernel';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';
import { issueInvoiceFor } from '../../support/invoices';

/**
 * Random sequences of cash work on the real database, over HTTP: invoices issued,
 * payments recorded (in the invoice's currency, in another one, in currencies with
 * 0 and 3 decimals), applied in part, in full, with the early-payment discount,
 * with an accepted difference, more than is open; applications undone; payments
 * reversed; credit notes issued and their credit items used; unapplied cash and
 * credit items refunded; write-offs requested by one person and decided by another.
 * Refusals (4xx) are legal outcomes; a server error never is. After each sequence:
 *
 * - every journal entry balances, in the document and in the base currency;
 * - the receivables reconciliation is balanced (ledger = open items, per customer
 *   and currency, for receivables and for unapplied cash);
 * - per invoice: open = gross − credited − what applications in force settled
 *   (cash, discount, difference) − approved write-offs, never negative, and its
 *   payment status says paid exactly when nothing is open;
 * - per credit note: open = gross − credited − what its applications in force used
 *   − what was refunded from it;
 * - per payment: applied + refunded + unapplied = amount, applied is what its
 *   applications in force took, refunded what its refunds paid; a reversed payment
 *   gives nothing;
 * - per document: the dated balance movements add up to the open balance.
 *
 * Invoices come from a pool issued up front (issuing goes through orders and
 * shipments, which is slow). O2C_PAYMENT_RUNS raises the number of sequences
 * (default 12); O2C_PAYMENT_SEED replays another seed.
 */
const runs = Number(process.env.O2C_PAYMENT_RUNS ?? 12);
const seed = Number(process.env.O2C_PAYMENT_SEED ?? 20_261_201);

let t: TestApp;
const db = () => t.database.handle.db;
const today = () => businessDateAt(new Date(), 'Europe/Berlin');

interface Customer {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
}
const customers: Customer[] = [];

/** Units of EUR per unit, as set for today below: USD differs from the month-end rate the pool was invoiced at, so settlements realise exchange differences. */
const ratesToday: Record<string, string> = { EUR: '1', USD: '0.9350', JPY: '0.0062', KWD: '2.98' };

/** Invoices issued up front, per customer, and those the sequences have issued so far. */
const pool: Array<{ id: string; customerId: string }> = [];
const issued = new Set<string>();

const lineSets: Array<Array<{ sku: string; quantity: string }>> = [
  [{ sku: 'GLOVE-9', quantity: '1' }],
  [
    { sku: 'GLOVE-9', quantity: '3' },
    { sku: 'BOOK-HYD', quantity: '1' },
  ],
  [{ sku: 'BRG-6204-2RS', quantity: '10' }],
  [
    { sku: 'HOSE-12-2M', quantity: '2' },
    { sku: 'BOOK-HYD', quantity: '2' },
  ],
];

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  // Müller: EUR, 2/10 net 30, domestic VAT 19 % and 7 %; Holzbau: EUR, 2/10 net 30, intra-EU (no VAT); Great Lakes: USD, net 30, export.
  for (const name of ['Müller Elektrotechnik', 'Holzbau Österreicher', 'Great Lakes Supply']) {
    customers.push(await db().selectFrom('customers').select(['id', 'name', 'currency']).where('tenant_id', '=', t.tenant.id).where('name', '=', name).executeTakeFirstOrThrow());
  }
  // Credit and stock are not what is tested here: every order is approved and ships.
  await db().updateTable('customers').set({ credit_limit_minor: 1_000_000_000n }).where('tenant_id', '=', t.tenant.id).execute();
  const warehouse = await db().selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow();
  for (const sku of ['GLOVE-9', 'BOOK-HYD', 'BRG-6204-2RS', 'HOSE-12-2M']) {
    const item = await db().selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow();
    const adjusted = await post('/api/v1/stock/adjustments', { itemId: item.id, warehouseId: warehouse.id, countedQuantity: '1000000', reason: 'stock count' }, t.tenant.keys.warehouse);
    expect(adjusted.statusCode, adjusted.body).toBe(200);
  }
  for (let round = 0; round < 4; round += 1) {
    for (const customer of customers) {
      const invoice = await issueInvoiceFor(t, customer.id, lineSets[(round + customers.indexOf(customer)) % lineSets.length]);
      pool.push({ id: invoice.id, customerId: customer.id });
    }
  }
  // Two invoices of each customer are in play from the start.
  for (const entry of pool.splice(0, customers.length * 2)) issued.add(entry.id);
  for (const [currency, rate] of Object.entries(ratesToday)) {
    if (currency === 'EUR') continue;
    const set = await post('/api/v1/exchange-rates', { fromCurrency: currency, toCurrency: 'EUR', rateDate: today(), rate }, t.tenant.keys.controller);
    expect(set.statusCode, set.body).toBe(201);
  }
}, 240_000);
afterAll(async () => t?.close());

function post(url: string, body?: unknown, key = t.tenant.keys.cashapp) {
  return t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
}
const get = (url: string) => t.app.http.inject({ method: 'GET', url, headers: bearer(t.tenant.keys.viewer) });

type Response = Awaited<ReturnType<typeof post>>;

// ————————————————————————————————————————————— operations

const applyModes = ['settle', 'exact', 'part', 'noDiscount', 'discounted', 'difference', 'over', 'two'] as const;
type ApplyMode = (typeof applyModes)[number];

type Operation =
  | { kind: 'issue' }
  | { kind: 'record'; customer: number; currency: 'own' | 'other' | 'JPY' | 'KWD'; target: number; factor: string; method: 'bank_transfer' | 'card' | 'cheque'; applyNow: boolean; yesterday: boolean }
  | { kind: 'apply'; payment: number; invoice: number; mode: ApplyMode; percent: number; slack: bigint; takeDiscount: boolean; fresh: boolean }
  | { kind: 'undo'; pick: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'creditNote'; pick: number; full: boolean; percent: number; paid: boolean }
  | { kind: 'applyCredit'; pick: number; invoice: number; part: boolean; percent: number }
  | { kind: 'refundPayment'; pick: number; part: boolean; percent: number }
  | { kind: 'refundCredit'; pick: number; part: boolean; percent: number }
  | { kind: 'requestWriteOff'; pick: number; part: boolean; percent: number }
  | { kind: 'decideWriteOff'; pick: number; decision: 'approve' | 'reject' | 'own' };

const pick = fc.nat(1000);
const percent = fc.integer({ min: 1, max: 99 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'issue' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      customer: fc.nat(2),
      currency: fc.constantFrom('own', 'own', 'own', 'other', 'other', 'JPY', 'KWD') as fc.Arbitrary<'own' | 'other' | 'JPY' | 'KWD'>,
      target: pick,
      factor: fc.constantFrom('0.25', '0.5', '0.98', '1', '1', '1.5', '3'),
      method: fc.constantFrom('bank_transfer', 'card', 'cheque') as fc.Arbitrary<'bank_transfer' | 'card' | 'cheque'>,
      applyNow: fc.boolean(),
      // Money that arrived yesterday and is recorded today.
      yesterday: fc.constantFrom(false, false, false, true),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('apply' as const),
      payment: pick,
      invoice: pick,
      mode: fc.constantFrom(...applyModes),
      percent,
      slack: fc.constantFrom(1n, 37n, 499n, 500n, 501n, 2_000n),
      takeDiscount: fc.boolean(),
      fresh: fc.constantFrom(true, true, true, false),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('undo' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('creditNote' as const), pick, full: fc.boolean(), percent: fc.integer({ min: 5, max: 60 }), paid: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('applyCredit' as const), pick, invoice: pick, part: fc.boolean(), percent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refundPayment' as const), pick, part: fc.boolean(), percent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refundCredit' as const), pick, part: fc.boolean(), percent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('requestWriteOff' as const), pick, part: fc.boolean(), percent }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decideWriteOff' as const), pick, decision: fc.constantFrom('approve', 'approve', 'reject', 'own') as fc.Arbitrary<'approve' | 'reject' | 'own'> }) },
);

/** How often each operation ended how, across the runs. */
const tally = new Map<string, number>();

/**
 * A refusal (4xx) is a legal outcome; a server error is a bug. So is a refusal the
 * database made instead of the use case (a constraint caught what a check missed)
 * and a deadlock or serialization failure, which the server answers with 4xx too.
 */
function expectHandled(response: Response, label: string, detail: unknown = ''): void {
  const outcome = response.statusCode < 300 ? String(response.statusCode) : `${response.statusCode} ${(response.json() as { code?: string }).code}`;
  const context = `${label} ${JSON.stringify(detail)}: ${response.statusCode} ${response.body}`;
  expect(response.statusCode, context).toBeLessThan(500);
  if (response.statusCode >= 400) expect((response.json() as { detail: string }).detail, context).not.toMatch(/^(the database refused a value|a concurrent change got in the way)/);
  tally.set(`${label} ${outcome}`, (tally.get(`${label} ${outcome}`) ?? 0) + 1);
}

const at = <T>(values: readonly T[], index: number): T | undefined => (values.length === 0 ? undefined : values[index % values.length]);
const partOf = (minor: bigint, share: number) => {
  const part = (minor * BigInt(share)) / 100n;
  return part > 0n ? part : 1n;
};

/** An amount in one currency converted (at today's rates) into another, rounded half up: what a customer would send, at least a minor unit. */
function roughly(minor: bigint, from: string, to: string, factor: string, atLeastOne = true): bigint {
  const major = new Big(minor.toString()).div(new Big('10').pow(currencyExponent(from)));
  const converted = major.times(ratesToday[from]!).div(ratesToday[to]!).times(factor).times(new Big('10').pow(currencyExponent(to)));
  const rounded = BigInt(converted.round(0, Big.roundHalfUp).toFixed(0));
  return rounded > 0n || !atLeastOne ? rounded : 1n;
}

async function issuedInvoices(customerId?: string) {
  if (issued.size === 0) return [];
  let query = db().selectFrom('invoices').selectAll().where('tenant_id', '=', t.tenant.id).where('id', 'in', [...issued]);
  if (customerId !== undefined) query = query.where('customer_id', '=', customerId);
  return query.orderBy('id').execute();
}

async function creditNotes() {
  return db().selectFrom('invoices').selectAll().where('tenant_id', '=', t.tenant.id).where('kind', '=', 'credit_note').where('status', '=', 'issued').orderBy('id').execute();
}

async function allPayments() {
  return db().selectFrom('payments').selectAll().where('tenant_id', '=', t.tenant.id).orderBy('id').execute();
}

/** The open ones when asked for fresh work and there are any; else all, so refusals are tried too. */
const preferOpen = <T>(rows: readonly T[], open: (row: T) => boolean, fresh: boolean) => {
  const opened = rows.filter(open);
  return fresh && opened.length > 0 ? opened : rows;
};

async function apply(op: Operation): Promise<void> {
  switch (op.kind) {
    case 'issue': {
      const next = pool.shift();
      if (next !== undefined) {
        issued.add(next.id);
        return;
      }
      // The pool is used up (long runs): issue one more the slow way.
      const customer = customers[issued.size % customers.length]!;
      issued.add((await issueInvoiceFor(t, customer.id, lineSets[issued.size % lineSets.length])).id);
      return;
    }
    case 'record': {
      const customer = customers[op.customer]!;
      const currency = op.currency === 'own' ? customer.currency : op.currency === 'other' ? (customer.currency === 'EUR' ? 'USD' : 'EUR') : op.currency;
      const invoices = await issuedInvoices(customer.id);
      const target = at(preferOpen(invoices, (invoice) => invoice.open_minor > 0n, true), op.target);
      const amountMinor = target === undefined ? roughly(10_000n, 'EUR', currency, op.factor) : roughly(target.open_minor > 0n ? target.open_minor : target.gross_minor, target.currency, currency, op.factor);
      const body = {
        customerId: customer.id,
        amount: formatMinor(amountMinor, currency),
        currency,
        method: op.method,
        valueDate: op.yesterday ? addDays(today(), -1) : today(),
        payerReference: `${customer.name} remittance`,
        ...(op.applyNow && target !== undefined ? { applications: [{ invoiceId: target.id }] } : {}),
      };
      expectHandled(await post('/api/v1/payments', body), op.kind, body);
      return;
    }
    case 'apply': {
      const payment = at(
        preferOpen(await allPayments(), (row) => row.status === 'received' && row.unapplied_minor > 0n, op.fresh),
        op.payment,
      );
      if (payment === undefined) return;
      const invoices = preferOpen(await issuedInvoices(payment.customer_id), (invoice) => invoice.open_minor > 0n, op.fresh);
      const invoice = at(invoices, op.invoice);
      if (invoice === undefined) return;
      const amount = (minor: bigint) => formatMinor(minor < 0n ? 0n : minor, invoice.currency);
      const open = invoice.open_minor;
      const requests: Array<Record<string, unknown>> = [];
      switch (op.mode) {
        case 'settle':
          requests.push({ invoiceId: invoice.id });
          break;
        case 'exact':
          requests.push({ invoiceId: invoice.id, amount: amount(open) });
          break;
        case 'part':
          requests.push({ invoiceId: invoice.id, amount: amount(partOf(open, op.percent)), takeDiscount: op.takeDiscount });
          break;
        case 'noDiscount':
          requests.push({ invoiceId: invoice.id, takeDiscount: false });
          break;
        case 'discounted':
          // What a customer pays taking 2 % off what is open.
          requests.push({ invoiceId: invoice.id, amount: amount(open - (open * 2n + 50n) / 100n) });
          break;
        case 'difference':
          requests.push({ invoiceId: invoice.id, amount: amount(open - op.slack), acceptDifference: true, takeDiscount: op.takeDiscount });
          break;
        case 'over':
          requests.push({ invoiceId: invoice.id, amount: amount(open + 1n) });
          break;
        case 'two': {
          const other = at(invoices.filter((candidate) => candidate.id !== invoice.id), op.percent);
          // Named in the opposite order of their ids, so the locks are taken in another order than asked.
          for (const target of [other, invoice].filter((entry) => entry !== undefined).sort((a, b) => b.id.localeCompare(a.id))) requests.push({ invoiceId: target.id });
          break;
        }
      }
      expectHandled(await post(`/api/v1/payments/${payment.id}/applications`, { applications: requests }), `${op.kind} ${op.mode}`, { payment: payment.number, requests });
      return;
    }
    case 'undo': {
      const active = await db().selectFrom('payment_applications').select('id').where('tenant_id', '=', t.tenant.id).where('status', '=', 'active').orderBy('id').execute();
      const application = at(active, op.pick);
      if (application === undefined) return;
      expectHandled(await post(`/api/v1/payment-applications/${application.id}/undo`, { reason: 'Applied to the wrong invoice' }), op.kind);
      return;
    }
    case 'reverse': {
      const payment = at(await allPayments(), op.pick);
      if (payment === undefined) return;
      expectHandled(await post(`/api/v1/payments/${payment.id}/reverse`, { reason: 'Returned by the bank' }), op.kind, payment.number);
      return;
    }
    case 'creditNote': {
      // Crediting what was paid already leaves the customer a credit item.
      const invoice = at(preferOpen(await issuedInvoices(), (row) => row.open_minor < row.gross_minor - row.credited_minor, op.paid), op.pick);
      if (invoice === undefined) return;
      let body: Record<string, unknown> = { reason: 'Cancelled' };
      if (!op.full) {
        const line = await db().selectFrom('invoice_lines').select(['id', 'taxable_minor']).where('tenant_id', '=', t.tenant.id).where('invoice_id', '=', invoice.id).orderBy('line_no').executeTakeFirstOrThrow();
        body = { reason: 'Price reduction', lines: [{ invoiceLineId: line.id, amount: formatMinor(partOf(line.taxable_minor, op.percent), invoice.currency) }] };
      }
      expectHandled(await post(`/api/v1/invoices/${invoice.id}/credit-notes`, body, t.tenant.keys.billing), `${op.kind} ${op.full ? 'full' : 'part'}`, body);
      return;
    }
    case 'applyCredit': {
      const note = at(preferOpen(await creditNotes(), (row) => row.open_minor > 0n, true), op.pick);
      if (note === undefined) return;
      const invoices = (await issuedInvoices(note.customer_id)).filter((invoice) => invoice.currency === note.currency);
      const invoice = at(preferOpen(invoices, (row) => row.open_minor > 0n, true), op.invoice);
      if (invoice === undefined) return;
      const most = note.open_minor < invoice.open_minor ? note.open_minor : invoice.open_minor;
      const request = op.part ? { invoiceId: invoice.id, amount: formatMinor(partOf(most, op.percent), invoice.currency) } : { invoiceId: invoice.id };
      expectHandled(await post(`/api/v1/credit-notes/${note.id}/applications`, { applications: [request] }), op.kind, request);
      return;
    }
    case 'refundPayment': {
      const payment = at(preferOpen(await allPayments(), (row) => row.status === 'received' && row.unapplied_minor > 0n, true), op.pick);
      if (payment === undefined) return;
      const body = { method: 'bank_transfer', reason: 'Paid twice', ...(op.part ? { amount: formatMinor(partOf(payment.unapplied_minor, op.percent), payment.currency) } : {}) };
      expectHandled(await post(`/api/v1/payments/${payment.id}/refunds`, body), op.kind, body);
      return;
    }
    case 'refundCredit': {
      const note = at(preferOpen(await creditNotes(), (row) => row.open_minor > 0n, true), op.pick);
      if (note === undefined) return;
      const body = { method: 'bank_transfer', reason: 'Credit paid out', ...(op.part ? { amount: formatMinor(partOf(note.open_minor, op.percent), note.currency) } : {}) };
      expectHandled(await post(`/api/v1/credit-notes/${note.id}/refunds`, body), op.kind, body);
      return;
    }
    case 'requestWriteOff': {
      const invoice = at(preferOpen(await issuedInvoices(), (row) => row.open_minor > 0n, true), op.pick);
      if (invoice === undefined) return;
      const body = { invoiceId: invoice.id, reason: 'Customer insolvent', ...(op.part ? { amount: formatMinor(partOf(invoice.open_minor, op.percent), invoice.currency) } : {}) };
      expectHandled(await post('/api/v1/write-offs', body, t.tenant.keys.collector), op.kind, body);
      return;
    }
    case 'decideWriteOff': {
      const pending = await db().selectFrom('write_offs').select('id').where('tenant_id', '=', t.tenant.id).where('status', '=', 'requested').orderBy('id').execute();
      const writeOff = at(pending, op.pick);
      if (writeOff === undefined) return;
      const response =
        op.decision === 'approve'
          ? await post(`/api/v1/write-offs/${writeOff.id}/approve`, {}, t.tenant.keys.controller)
          : op.decision === 'reject'
            ? await post(`/api/v1/write-offs/${writeOff.id}/reject`, { note: 'Collect it instead' }, t.tenant.keys.controller)
            : // The collector who asked may not decide.
              await post(`/api/v1/write-offs/${writeOff.id}/approve`, {}, t.tenant.keys.collector);
      expectHandled(response, `${op.kind} ${op.decision}`);
      if (op.decision === 'own') expect(response.json().code).toBe('O2C_SEGREGATION_OF_DUTIES');
      return;
    }
  }
}

// ————————————————————————————————————————————— invariants

const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);

function groupBy<K, V>(values: readonly V[], keyOf: (value: V) => K | null): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const value of values) {
    const key = keyOf(value);
    if (key === null) continue;
    groups.set(key, [...(groups.get(key) ?? []), value]);
  }
  return groups;
}

async function checkInvariants(): Promise<void> {
  const tenantId = t.tenant.id;

  const unbalanced = await sql<{ entry_id: string; amount: string; base: string }>`
    select entry_id,
           sum(case when side = 'debit' then amount_minor else -amount_minor end)::text as amount,
           sum(case when side = 'debit' then base_amount_minor else -base_amount_minor end)::text as base
      from journal_lines where tenant_id = ${tenantId}
     group by entry_id
    having sum(case when side = 'debit' then amount_minor else -amount_minor end) <> 0
        or sum(case when side = 'debit' then base_amount_minor else -base_amount_minor end) <> 0`.execute(db());
  expect(unbalanced.rows, 'unbalanced journal entries').toEqual([]);

  const reconciliation = await get('/api/v1/receivables/reconciliation');
  expect(reconciliation.statusCode, reconciliation.body).toBe(200);
  expect(reconciliation.json().differences, 'reconciliation differences').toEqual([]);
  expect(reconciliation.json().balanced).toBe(true);

  // Yesterday's books, read from the dated history instead of today's balances, agree too.
  const yesterday = await get(`/api/v1/receivables/reconciliation?asOf=${addDays(today(), -1)}`);
  expect(yesterday.json(), yesterday.body).toMatchObject({ balanced: true, differences: [] });

  const documents = await db().selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'issued').execute();
  const applications = await db().selectFrom('payment_applications').selectAll().where('tenant_id', '=', tenantId).execute();
  const writeOffs = await db().selectFrom('write_offs').selectAll().where('tenant_id', '=', tenantId).execute();
  const refunds = await db().selectFrom('refunds').selectAll().where('tenant_id', '=', tenantId).execute();
  const payments = await allPayments();
  const movements = await sql<{ invoice_id: string; total: string }>`
    select invoice_id, sum(amount_minor)::text as total from invoice_balance_movements where tenant_id = ${tenantId} group by invoice_id`.execute(db());
  const movedOf = new Map(movements.rows.map((row) => [row.invoice_id, BigInt(row.total)]));
  const active = applications.filter((application) => application.status === 'active');
  const activeByInvoice = groupBy(active, (application) => application.invoice_id);
  const activeByNote = groupBy(active, (application) => application.credit_note_id);
  const activeByPayment = groupBy(active, (application) => application.payment_id);
  const approvedByInvoice = groupBy(
    writeOffs.filter((writeOff) => writeOff.status === 'approved'),
    (writeOff) => writeOff.invoice_id,
  );
  const refundsByNote = groupBy(refunds, (refund) => refund.credit_note_id);
  const refundsByPayment = groupBy(refunds, (refund) => refund.payment_id);

  for (const document of documents) {
    const label = `${document.kind} ${document.number}`;
    if (document.kind === 'invoice') {
      const settled = sum((activeByInvoice.get(document.id) ?? []).map((application) => application.amount_minor + application.discount_minor + application.difference_minor));
      const writtenOff = sum((approvedByInvoice.get(document.id) ?? []).map((writeOff) => writeOff.amount_minor));
      expect(document.open_minor, `${label}: open = gross − credited − applied − written off`).toBe(document.gross_minor - document.credited_minor - settled - writtenOff);
      expect(document.payment_status === 'paid', `${label}: paid exactly when nothing is open (${document.payment_status}, open ${document.open_minor})`).toBe(document.open_minor === 0n);
      if (document.open_minor > 0n) expect(document.payment_status, label).toBe(document.open_minor < document.gross_minor - document.credited_minor ? 'partially_paid' : 'open');
    } else {
      const used = sum((activeByNote.get(document.id) ?? []).map((application) => application.amount_minor));
      const refunded = sum((refundsByNote.get(document.id) ?? []).map((refund) => refund.amount_minor));
      expect(document.open_minor, `${label}: open = gross − credited − used − refunded`).toBe(document.gross_minor - document.credited_minor - used - refunded);
    }
    expect(document.open_minor >= 0n, `${label}: open ${document.open_minor} is negative`).toBe(true);
    expect(movedOf.get(document.id) ?? 0n, `${label}: balance movements add up to the open balance`).toBe(document.open_minor);
  }

  // What each customer owes per currency, from the documents: open invoices less open credit items and unapplied cash.
  const owed = new Map<string, bigint>();
  const owe = (customerId: string, currency: string, minor: bigint) => owed.set(`${customerId} ${currency}`, (owed.get(`${customerId} ${currency}`) ?? 0n) + minor);
  for (const document of documents) owe(document.customer_id, document.currency, document.kind === 'invoice' ? document.open_minor : -document.open_minor);
  for (const payment of payments) owe(payment.customer_id, payment.currency, -payment.unapplied_minor);
  for (const customer of customers) {
    // The statement (read from the ledger) closes at what the open items say is owed, per currency.
    const statement = await get(`/api/v1/customers/${customer.id}/statement?from=2026-01-01&to=${today()}`);
    expect(statement.statusCode, statement.body).toBe(200);
    const closing = (statement.json().currencies as Array<{ currency: string; closing: string }>).map((section) => [section.currency, parseMoney(section.closing, section.currency).amountMinor] as const).filter(([, minor]) => minor !== 0n);
    const expected = [...owed].filter(([key, minor]) => key.startsWith(`${customer.id} `) && minor !== 0n).map(([key, minor]) => [key.split(' ')[1]!, minor] as const);
    expect(Object.fromEntries(closing), `${customer.name}: statement closing = open items`).toEqual(Object.fromEntries(expected));
    const items = await get(`/api/v1/customers/${customer.id}/open-items`);
    const balances = (items.json().balances as Array<{ currency: string; balance: string }>).map((line) => [line.currency, parseMoney(line.balance, line.currency).amountMinor] as const).filter(([, minor]) => minor !== 0n);
    expect(Object.fromEntries(balances), `${customer.name}: open-item balances`).toEqual(Object.fromEntries(expected));
  }
  // Aging totals per currency are what is owed; in the base currency, each currency's total at today's rate (rounded once per currency).
  const aging = (await get('/api/v1/receivables/aging?limit=1000')).json() as { totals: { byCurrency: Array<{ currency: string; total: string }>; inBaseCurrency: { total: string } } };
  const byCurrency = new Map<string, bigint>();
  for (const [key, minor] of owed) byCurrency.set(key.split(' ')[1]!, (byCurrency.get(key.split(' ')[1]!) ?? 0n) + minor);
  expect(Object.fromEntries(aging.totals.byCurrency.map((line) => [line.currency, parseMoney(line.total, line.currency).amountMinor]).filter(([, minor]) => minor !== 0n)), 'aging totals per currency').toEqual(
    Object.fromEntries([...byCurrency].filter(([, minor]) => minor !== 0n)),
  );
  const inBase = [...byCurrency].reduce((total, [currency, minor]) => total + roughly(minor < 0n ? -minor : minor, currency, 'EUR', '1', false) * (minor < 0n ? -1n : 1n), 0n);
  expect(parseMoney(aging.totals.inBaseCurrency.total, 'EUR').amountMinor, 'aging total in EUR').toBe(inBase);

  for (const payment of payments) {
    const mine = activeByPayment.get(payment.id) ?? [];
    const refunded = sum((refundsByPayment.get(payment.id) ?? []).map((refund) => refund.amount_minor));
    if (payment.status === 'received') {
      expect(payment.applied_minor + payment.refunded_minor + payment.unapplied_minor, `${payment.number}: applied + refunded + unapplied = amount`).toBe(payment.amount_minor);
      expect(sum(mine.map((application) => application.source_amount_minor)), `${payment.number}: applied = what its applications took`).toBe(payment.applied_minor);
      expect(refunded, `${payment.number}: refunded = its refunds`).toBe(payment.refunded_minor);
      expect(payment.unapplied_minor >= 0n).toBe(true);
    } else {
      expect([mine.length, payment.applied_minor, payment.unapplied_minor, payment.refunded_minor, refunded], `${payment.number} was reversed`).toEqual([0, 0n, 0n, 0n, 0n]);
    }
  }
}

describe('payments, credits, refunds and write-offs against the books', () => {
  it(`keep the ledger and the open items in step after random sequences (${runs} runs)`, async () => {
    await checkInvariants();
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 8, maxLength: 22 }), async (operations) => {
        // PGlite has no autovacuum: refresh the planner's statistics as PostgreSQL would, so long runs stay fast.
        await sql`analyze`.execute(db());
        for (const op of operations) await apply(op);
        await checkInvariants();
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // The sequences did real work, not only refusals.
    for (const outcome of ['record 201', 'apply settle 200', 'apply part 200', 'undo 200', 'creditNote full 201', 'applyCredit 200', 'requestWriteOff 201']) expect(tally.get(outcome) ?? 0, `${outcome}: ${JSON.stringify([...tally])}`).toBeGreaterThan(0);
    const granted = await db().selectFrom('payment_applications').select('id').where('tenant_id', '=', t.tenant.id).where('discount_minor', '>', 0n).execute();
    expect(granted.length, 'discounts granted').toBeGreaterThan(0);
    const bridged = await db().selectFrom('payment_applications').select('id').where('tenant_id', '=', t.tenant.id).where('bridge_entry_id', 'is not', null).execute();
    expect(bridged.length, 'applications across currencies or rates').toBeGreaterThan(0);
  }, 120_000 + runs * 30_000);
});
