import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/demo';
import { Big, addDays } from '../../../src/kernel';
import { documentOf } from '../../../src/modules/invoicing/document-of';
import { readyToInvoice, todayFor } from '../../../src/modules/invoicing/invoices.service';
import { checkDocument } from '../../../src/modules/invoicing/sending.service';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { relayAndRunJobs } from '../../support/outbox';

let database: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  tenantId = (await loadDemo(database.handle.db)).tenantId;
});
afterAll(async () => database.drop());

const db = () => database.handle.db;
const documents = () => db().selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).orderBy('kind').orderBy('number').execute();
const issued = async () => (await documents()).filter((row) => row.status === 'issued');

describe('the demo invoices', () => {
  it('are issued in three currencies with standard, reduced, exempt, intra-EU, reverse-charge and export lines', async () => {
    const invoices = (await issued()).filter((row) => row.kind === 'invoice');
    expect(new Set(invoices.map((row) => row.currency))).toEqual(new Set(['EUR', 'USD', 'GBP']));
    for (const row of invoices.filter((invoice) => invoice.currency !== 'EUR')) {
      expect(row.exchange_rate).not.toBeNull();
      expect(row.tax_base_minor).toBe(0n);
    }
    const lines = await db()
      .selectFrom('invoice_lines as l')
      .innerJoin('invoices as i', (join) => join.onRef('i.tenant_id', '=', 'l.tenant_id').onRef('i.id', '=', 'l.invoice_id'))
      .select(['l.tax_category', 'l.tax_rate_percent', 'i.currency', 'i.billing_country_code'])
      .where('i.tenant_id', '=', tenantId)
      .where('i.kind', '=', 'invoice')
      .where('i.status', '=', 'issued')
      .execute();
    const categories = new Set(lines.map((line) => (line.tax_category === 'S' ? `S${new Big(line.tax_rate_percent).toFixed()}` : line.tax_category)));
    for (const category of ['S19', 'S7', 'E', 'K', 'AE', 'G']) expect(categories).toContain(category);
    expect(lines.filter((line) => line.tax_category === 'G').map((line) => line.currency)).toEqual(expect.arrayContaining(['USD', 'GBP']));
    expect(new Set(lines.filter((line) => line.tax_category === 'K').map((line) => line.billing_country_code))).toEqual(new Set(['AT', 'FR', 'PL']));
    // Dated over the last two months, none in the future.
    const today = await todayFor(db(), tenantId);
    const dates = invoices.map((row) => row.issue_date!).sort();
    expect(dates.at(-1)! <= today).toBe(true);
    // The invoicing demo's own over the last two months; the credit demo's payment history goes back half a year.
    expect(dates[0]! >= addDays(today, -200)).toBe(true);
    expect(dates.filter((date) => date >= addDays(today, -62)).length).toBeGreaterThanOrEqual(8);
    expect(new Set(dates.map((date) => date.slice(0, 7))).size).toBeGreaterThanOrEqual(2);
  });

  it('credit part of one invoice, reduce the price of another and correct a third', async () => {
    const rows = await issued();
    const invoices = rows.filter((row) => row.kind === 'invoice');
    const creditNotes = rows.filter((row) => row.kind === 'credit_note');
    expect(creditNotes).toHaveLength(3);
    const creditLines = await db().selectFrom('invoice_lines').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', 'in', creditNotes.map((row) => row.id)).execute();
    expect(creditLines.some((line) => line.is_price_reduction)).toBe(true);
    expect(creditLines.some((line) => !line.is_price_reduction && new Big(line.quantity).eq('2') && line.sku === 'BOOK-HYD')).toBe(true);
    const partly = invoices.filter((row) => row.credited_minor > 0n && row.credited_minor < row.gross_minor);
    expect(partly).toHaveLength(2);
    const corrected = invoices.find((row) => row.credited_minor === row.gross_minor);
    expect(corrected?.open_minor).toBe(0n);
    const correction = invoices.find((row) => row.corrects_invoice_id === corrected?.id);
    expect(correction).toMatchObject({ origin: 'correction', status: 'issued', gross_minor: corrected?.gross_minor, buyer_reference: 'AL-7802' });
    for (const creditNote of creditNotes) {
      const invoice = invoices.find((row) => row.id === creditNote.credited_invoice_id);
      expect(invoice).toBeDefined();
      expect(creditNote.issue_date! >= invoice!.issue_date!).toBe(true);
    }
  });

  it('include overdue invoices and drafts waiting for review', async () => {
    const today = await todayFor(db(), tenantId);
    const rows = await documents();
    const overdue = rows.filter((row) => row.kind === 'invoice' && row.status === 'issued' && row.open_minor > 0n && row.due_date! < today);
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    const drafts = rows.filter((row) => row.status === 'draft');
    expect(drafts.map((row) => row.origin).sort()).toEqual(['automatic', 'manual']);
    for (const draft of drafts) {
      expect(draft.number).toBeNull();
      expect(draft.gross_minor).toBeGreaterThan(0n);
    }
  });

  it('were sent, failed after every attempt, or wait in the queue', async () => {
    const rows = await issued();
    expect(new Set(rows.map((row) => row.sending_status))).toEqual(new Set(['sent', 'failed', 'queued', 'not_sent']));
    const sendings = await db().selectFrom('invoice_sendings').selectAll().where('tenant_id', '=', tenantId).execute();
    const attempts = await db().selectFrom('invoice_send_attempts').selectAll().where('tenant_id', '=', tenantId).orderBy('attempt_no').execute();
    const failed = sendings.find((sending) => sending.status === 'failed')!;
    expect(failed.attempts).toBe(failed.max_attempts);
    const failedAttempts = attempts.filter((attempt) => attempt.sending_id === failed.id);
    expect(failedAttempts.map((attempt) => attempt.attempt_no)).toEqual([1, 2, 3, 4, 5]);
    for (const attempt of failedAttempts) expect(attempt).toMatchObject({ outcome: 'failed', detail: 'connect ECONNREFUSED mail.nordwind.example:587' });
    for (const sending of sendings.filter((candidate) => candidate.status === 'sent')) {
      expect(attempts.filter((attempt) => attempt.sending_id === sending.id)).toEqual([expect.objectContaining({ outcome: 'sent', detail: expect.stringMatching(/^accepted by the mail server: 250 /) })]);
    }
    const queued = sendings.filter((sending) => sending.status === 'queued');
    expect(queued).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.sending_id === queued[0]!.id)).toEqual([]);
  });

  it('each post a balanced journal entry', async () => {
    for (const row of await issued()) {
      expect(row.journal_entry_id, row.number!).not.toBeNull();
      const entry = await db().selectFrom('journal_entries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', row.journal_entry_id!).executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ source_id: row.id, currency: row.currency, business_date: row.issue_date });
      const lines = await db().selectFrom('journal_lines').selectAll().where('tenant_id', '=', tenantId).where('entry_id', '=', entry.id).execute();
      const sum = (side: 'debit' | 'credit', amount: 'amount_minor' | 'base_amount_minor') => lines.filter((line) => line.side === side).reduce((total, line) => total + line[amount], 0n);
      expect(sum('debit', 'amount_minor'), row.number!).toBe(sum('credit', 'amount_minor'));
      expect(sum('debit', 'base_amount_minor'), row.number!).toBe(sum('credit', 'base_amount_minor'));
      expect(sum('debit', 'amount_minor')).toBe(row.gross_minor);
    }
  });

  it('are numbered without gaps, in date order, per series and year', async () => {
    const bySeries = new Map<string, Array<{ sequence: number; issueDate: string }>>();
    for (const row of await issued()) {
      const match = /^(.*-)(\d{6})$/.exec(row.number!);
      expect(match, row.number!).not.toBeNull();
      bySeries.set(match![1]!, [...(bySeries.get(match![1]!) ?? []), { sequence: Number(match![2]), issueDate: row.issue_date! }]);
    }
    expect([...bySeries.keys()].some((series) => series.startsWith('INV-'))).toBe(true);
    expect([...bySeries.keys()].some((series) => series.startsWith('CN-'))).toBe(true);
    for (const numbers of bySeries.values()) {
      numbers.sort((a, b) => a.sequence - b.sequence);
      expect(numbers.map((entry) => entry.sequence)).toEqual(numbers.map((_entry, index) => index + 1));
      expect(numbers.map((entry) => entry.issueDate)).toEqual(numbers.map((entry) => entry.issueDate).sort());
    }
  });

  it('pass the UBL schema and EN 16931 checks', async () => {
    for (const row of await issued()) {
      const check = await checkDocument(await documentOf(db(), tenantId, row.id));
      expect(check.violations, row.number!).toEqual([]);
    }
  });

  it('leave the shipments of the fulfillment demo, and the returned handbooks, ready to invoice', async () => {
    const ready = await readyToInvoice(db(), tenantId);
    expect(new Set(ready.map((line) => line.customerName))).toEqual(new Set(['Müller Elektrotechnik', 'Great Lakes Supply']));
    const creditedBack = ready.filter((line) => line.sku === 'BOOK-HYD');
    expect(creditedBack.map((line) => [line.customerName, line.quantity.toFixed()])).toEqual([['Müller Elektrotechnik', '2']]);
    const fulfillmentDemo = ready.filter((line) => line.sku !== 'BOOK-HYD' && line.shipmentId !== null);
    expect(new Set(fulfillmentDemo.map((line) => line.shipmentNumber)).size).toBe(2);
  });

  it('are not billed again when the outbox hands the demo\'s events to their subscribers', async () => {
    const before = new Set((await documents()).map((row) => row.id));
    for (let pass = 0; pass < 5; pass += 1) if ((await relayAndRunJobs(db())).published === 0) break;
    const added = (await documents()).filter((row) => !before.has(row.id));
    // Only the fulfillment demo's shipment of a customer billed per shipment is drafted.
    expect(added.map((row) => [row.customer_name, row.status, row.origin])).toEqual([['Great Lakes Supply', 'draft', 'automatic']]);
  });
});
