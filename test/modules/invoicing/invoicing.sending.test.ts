import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type O2cApp } from '../../../src/app';
import { invoicingModule } from '../../../src/modules/invoicing';
import { sendInvoiceJobName } from '../../../src/modules/invoicing/automatic';
import { deliverDueSendings, deliverSending, maxSendAttempts } from '../../../src/modules/invoicing/sending.service';
import { defaultSessionPolicy } from '../../../src/platform/auth/sessions';
import { loadConfig, type Config } from '../../../src/platform/config';
import { createLogger } from '../../../src/platform/logger';
import { createMailer } from '../../../src/platform/mail/mailer';
import { relayOutbox } from '../../../src/platform/outbox/outbox';
import { bearer, createTestTenant, type TestTenant } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { loadDemoRecords } from '../../support/demo-data';

/**
 * Sending invoices by e-mail through a real SMTP server running in the test: the
 * request is checked (EN 16931, recipient, state) and queued; the outbox relay hands
 * it to the sending job, which mails the PDF and the UBL e-invoice and records each
 * attempt; refusals are retried with growing delays until the attempts run out.
 */
interface Received {
  readonly envelopeTo: string[];
  readonly mail: ParsedMail;
}

let database: TestDatabase;
let app: O2cApp;
let config: Config;
let tenant: TestTenant;
let smtp: SMTPServer;
let smtpPort: number;
const received: Received[] = [];
/** While set, the mail server refuses every message with this reason. */
let refusal: string | null = null;
const logger = createLogger('silent');
let mullerId: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusal !== null) {
          callback(Object.assign(new Error(refusal), { responseCode: 550 }));
          return;
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((address) => address.address), mail });
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      });
    },
  });
  smtpPort = await new Promise<number>((resolve) => {
    const server = smtp.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  database = await createTestDatabase();
  config = loadConfig({
    O2C_DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    O2C_MAIL_FROM: 'billing@acme.example',
    ...(database.connectionString ? { DATABASE_URL: database.connectionString } : {}),
  });
  app = await buildApp(config, { logger, handle: database.handle, withWorker: false, sessionPolicy: defaultSessionPolicy });
  tenant = await createTestTenant(database.handle, 'acme');
  await loadDemoRecords(database.handle, tenant.id);
  const db = database.handle.db;
  await db.updateTable('customers').set({ credit_limit_minor: 1_000_000_000n }).where('tenant_id', '=', tenant.id).execute();
  mullerId = (await db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).where('name', '=', 'Müller Elektrotechnik').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  received.length = 0;
  refusal = null;
});

function post(url: string, body?: unknown, key = tenant.keys.billing) {
  return app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
}
const get = (url: string) => app.http.inject({ method: 'GET', url, headers: bearer(tenant.keys.viewer) });

async function shipped(customerId: string, lines: Array<{ sku: string; quantity: string }>) {
  const order = (await post('/api/v1/orders', { customerId, lines }, tenant.keys.sales)).json();
  expect((await post(`/api/v1/orders/${order.id}/submit`, undefined, tenant.keys.sales)).json().status).toBe('approved');
  const shipment = (await post('/api/v1/shipments', { orderId: order.id }, tenant.keys.warehouse)).json();
  await post(`/api/v1/shipments/${shipment.id}/pick`, undefined, tenant.keys.warehouse);
  await post(`/api/v1/shipments/${shipment.id}/pack`, { packages: [{ packageType: 'box' }] }, tenant.keys.warehouse);
  expect((await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'DHL' }, tenant.keys.warehouse)).statusCode).toBe(200);
  return shipment.id as string;
}

async function draftFor(customerId: string, lines: Array<{ sku: string; quantity: string }> = [{ sku: 'BRG-6204-2RS', quantity: '4' }]) {
  const draft = await post('/api/v1/invoices', { shipmentIds: [await shipped(customerId, lines)] });
  expect(draft.statusCode, draft.body).toBe(201);
  return draft.json() as { id: string };
}

async function issuedFor(customerId: string, lines?: Array<{ sku: string; quantity: string }>) {
  const draft = await draftFor(customerId, lines);
  const issued = await post(`/api/v1/invoices/${draft.id}/issue`);
  expect(issued.statusCode, issued.body).toBe(200);
  return issued.json() as { id: string; number: string; paymentReference: string; gross: string };
}

/** What the worker does after commit: relays the outbox and runs the sending jobs its subscribers queue. */
async function relay(): Promise<number> {
  const subscribers = new Map([['invoice.send_requested', invoicingModule.subscribers!['invoice.send_requested']!]]);
  const job = invoicingModule.jobs!.find((candidate) => candidate.name === sendInvoiceJobName)!;
  let ran = 0;
  await relayOutbox(database.handle.db, subscribers, 100, async (jobs) => {
    for (const queued of jobs) {
      expect(queued.name).toBe(sendInvoiceJobName);
      await job.handler(queued.data, { db: database.handle.db, logger, config });
      ran += 1;
    }
  });
  return ran;
}

async function sendingsOf(invoiceId: string) {
  return database.handle.db.selectFrom('invoice_sendings').selectAll().where('tenant_id', '=', tenant.id).where('invoice_id', '=', invoiceId).orderBy('requested_at').execute();
}

/** Makes the queued sendings of an invoice due now, as if their retry delay had passed. */
async function makeDue(invoiceId: string) {
  await database.handle.db
    .updateTable('invoice_sendings')
    .set({ next_attempt_at: new Date(Date.now() - 1000) })
    .where('tenant_id', '=', tenant.id)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'queued')
    .execute();
}

describe('sending an invoice by e-mail', () => {
  it('mails the PDF and the UBL e-invoice to the customer’s invoice contact and records the attempt', async () => {
    const invoice = await issuedFor(mullerId);
    const requested = await post(`/api/v1/invoices/${invoice.id}/send`);
    expect(requested.statusCode, requested.body).toBe(200);
    expect(requested.json().sendingStatus).toBe('queued');
    expect(received).toHaveLength(0);

    expect(await relay()).toBe(1);
    expect(received).toHaveLength(1);
    const { envelopeTo, mail } = received[0]!;
    expect(envelopeTo).toEqual(['buchhaltung@mueller-elektro.example']);
    expect(mail.subject).toContain(invoice.number);
    expect(mail.from?.text).toContain('billing@acme.example');
    expect(mail.text).toContain(invoice.paymentReference);
    expect(mail.attachments).toHaveLength(2);
    const pdf = mail.attachments.find((attachment) => attachment.contentType === 'application/pdf')!;
    expect(pdf.filename).toBe(`${invoice.number}.pdf`);
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const xml = mail.attachments.find((attachment) => attachment.contentType === 'application/xml')!;
    expect(xml.filename).toMatch(/\.xml$/);
    expect(xml.content.toString('utf8')).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);

    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(after.sendingStatus).toBe('sent');
    expect(after.sendingAttempts).toHaveLength(1);
    expect(after.sendingAttempts[0]).toMatchObject({ attemptNo: 1, recipient: 'buchhaltung@mueller-elektro.example', outcome: 'sent' });
    expect(after.sendingAttempts[0].detail).toMatch(/^accepted by the mail server: 250/);
    const [sending] = await sendingsOf(invoice.id);
    expect(sending).toMatchObject({ status: 'sent', attempts: 1, recipient: 'buchhaltung@mueller-elektro.example' });
    expect(sending!.finished_at).not.toBeNull();

    // Nothing is sent twice: the relay has nothing left and the sweep finds nothing due.
    expect(await relay()).toBe(0);
    expect(await deliverDueSendings(database.handle.db, createMailer(config), config.mailFrom)).toBe(0);
    expect(received).toHaveLength(1);

    // Sent again on request, to another address given.
    expect((await post(`/api/v1/invoices/${invoice.id}/send`, { recipient: 'ap@mueller-holding.example' })).statusCode).toBe(200);
    expect(await relay()).toBe(1);
    expect(received.map((message) => message.envelopeTo)).toEqual([['buchhaltung@mueller-elektro.example'], ['ap@mueller-holding.example']]);
    const again = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(again.sendingStatus).toBe('sent');
    expect(again.sendingAttempts.map((attempt: { recipient: string; outcome: string }) => [attempt.recipient, attempt.outcome])).toEqual([
      ['buchhaltung@mueller-elektro.example', 'sent'],
      ['ap@mueller-holding.example', 'sent'],
    ]);
  });

  it('records a refused attempt with the reason, retries later, and fails after the last attempt', async () => {
    const invoice = await issuedFor(mullerId);
    refusal = 'Mailbox unavailable for policy reasons';
    const before = Date.now();
    expect((await post(`/api/v1/invoices/${invoice.id}/send`)).statusCode).toBe(200);
    expect(await relay()).toBe(1);
    expect(received).toHaveLength(0);
    let view = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(view.sendingStatus).toBe('queued');
    expect(view.sendingAttempts).toHaveLength(1);
    expect(view.sendingAttempts[0]).toMatchObject({ attemptNo: 1, outcome: 'failed' });
    expect(view.sendingAttempts[0].detail).toContain('Mailbox unavailable for policy reasons');
    let [sending] = await sendingsOf(invoice.id);
    expect(sending).toMatchObject({ status: 'queued', attempts: 1 });
    // The next try waits: a minute after the first failure.
    expect(sending!.next_attempt_at.getTime()).toBeGreaterThanOrEqual(before + 55_000);
    expect(await deliverDueSendings(database.handle.db, createMailer(config), config.mailFrom)).toBe(0);

    // Each retry waits longer; the last one gives up.
    const waits: number[] = [];
    for (let attempt = 2; attempt <= maxSendAttempts; attempt += 1) {
      await makeDue(invoice.id);
      const at = Date.now();
      expect(await deliverDueSendings(database.handle.db, createMailer(config), config.mailFrom)).toBe(1);
      [sending] = await sendingsOf(invoice.id);
      waits.push(sending!.next_attempt_at.getTime() - at);
      expect(sending!.attempts).toBe(attempt);
      expect(sending!.status).toBe(attempt === maxSendAttempts ? 'failed' : 'queued');
    }
    expect(waits.slice(0, -1).every((wait, index) => index === 0 || wait > waits[index - 1]!)).toBe(true);
    view = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(view.sendingStatus).toBe('failed');
    expect(view.sendingAttempts).toHaveLength(maxSendAttempts);
    expect(view.sendingAttempts.every((attempt: { outcome: string; detail: string }) => attempt.outcome === 'failed' && attempt.detail.includes('Mailbox unavailable'))).toBe(true);
    expect(sending!.finished_at).not.toBeNull();
    const failed = await database.handle.db.selectFrom('outbox_events').select('payload').where('tenant_id', '=', tenant.id).where('event_type', '=', 'invoice.sending_failed').where('aggregate_id', '=', invoice.id).execute();
    expect(failed).toHaveLength(1);
    // A failed sending is not tried again by the sweep.
    await makeDue(invoice.id);
    expect(await deliverDueSendings(database.handle.db, createMailer(config), config.mailFrom)).toBe(0);

    // Once the mail server accepts again, a new request gets through.
    refusal = null;
    expect((await post(`/api/v1/invoices/${invoice.id}/send`)).statusCode).toBe(200);
    expect(await relay()).toBe(1);
    expect(received).toHaveLength(1);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().sendingStatus).toBe('sent');
  });

  it('records a failed attempt when the mail server cannot be reached', async () => {
    const invoice = await issuedFor(mullerId);
    expect((await post(`/api/v1/invoices/${invoice.id}/send`)).statusCode).toBe(200);
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const [sending] = await sendingsOf(invoice.id);
    const unreachable = createMailer({ smtpUrl: `smtp://127.0.0.1:${closedPort}` });
    expect(await deliverSending(database.handle.db, unreachable, config.mailFrom, tenant.id, sending!.id)).toBe('retry');
    const view = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(view.sendingStatus).toBe('queued');
    expect(view.sendingAttempts).toHaveLength(1);
    expect(view.sendingAttempts[0].outcome).toBe('failed');
    expect(view.sendingAttempts[0].detail).toMatch(/ECONNREFUSED|connect/i);
    // The same sending goes out once the server is back and the retry is due.
    await makeDue(invoice.id);
    expect(await deliverSending(database.handle.db, createMailer(config), config.mailFrom, tenant.id, sending!.id)).toBe('sent');
    expect(received).toHaveLength(1);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().sendingAttempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['failed', 'sent']);
    // The job the request queued still runs, finds the sending done, and sends nothing twice.
    expect(await relay()).toBe(1);
    expect(received).toHaveLength(1);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().sendingAttempts).toHaveLength(2);
  });

  it('refuses to send a draft (409) and queues nothing', async () => {
    const draft = await draftFor(mullerId);
    const refused = await post(`/api/v1/invoices/${draft.id}/send`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('O2C_STATE_CONFLICT');
    expect(await sendingsOf(draft.id)).toEqual([]);
    expect((await get(`/api/v1/invoices/${draft.id}`)).json().sendingStatus).toBe('not_sent');
  });

  it('refuses without a recipient when the customer has no invoice contact (400), and sends to a recipient given', async () => {
    const db = database.handle.db;
    const customer = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).where('name', '=', 'Holzbau Österreicher').executeTakeFirstOrThrow();
    await db.updateTable('customer_contacts').set({ roles: ['orders'] }).where('tenant_id', '=', tenant.id).where('customer_id', '=', customer.id).execute();
    const invoice = await issuedFor(customer.id);
    const refused = await post(`/api/v1/invoices/${invoice.id}/send`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('O2C_INVALID_VALUE');
    expect(refused.json().errors[0].path).toBe('body.recipient');
    expect(await sendingsOf(invoice.id)).toEqual([]);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().sendingStatus).toBe('not_sent');
    const given = await post(`/api/v1/invoices/${invoice.id}/send`, { recipient: 'rechnung@holzbau-oe.example' });
    expect(given.statusCode, given.body).toBe(200);
    expect(await relay()).toBe(1);
    expect(received.map((message) => message.envelopeTo)).toEqual([['rechnung@holzbau-oe.example']]);
  });

  it('refuses a document that breaks an EN 16931 rule with 422 naming the rule, and queues nothing', async () => {
    const db = database.handle.db;
    const invoice = await issuedFor(mullerId);
    const seller = await db.selectFrom('tenants').select(['vat_id', 'registration_id']).where('id', '=', tenant.id).executeTakeFirstOrThrow();
    const eventsBefore = await db.selectFrom('outbox_events').select('id').where('tenant_id', '=', tenant.id).where('event_type', '=', 'invoice.send_requested').execute();
    await db.updateTable('tenants').set({ vat_id: null }).where('id', '=', tenant.id).execute();
    try {
      const validation = (await get(`/api/v1/invoices/${invoice.id}/validation`)).json();
      expect(validation.valid).toBe(false);
      expect(validation.violations.map((violation: { rule: string }) => violation.rule)).toContain('BR-S-02');
      const refused = await post(`/api/v1/invoices/${invoice.id}/send`);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe('O2C_EINVOICE_INVALID');
      expect(refused.json().detail).toContain('BR-S-02');
      expect(refused.json().errors.map((error: { path: string }) => error.path)).toContain('BR-S-02');
      expect(await sendingsOf(invoice.id)).toEqual([]);
      expect((await get(`/api/v1/invoices/${invoice.id}`)).json().sendingStatus).toBe('not_sent');
      const eventsAfter = await db.selectFrom('outbox_events').select('id').where('tenant_id', '=', tenant.id).where('event_type', '=', 'invoice.send_requested').execute();
      expect(eventsAfter).toHaveLength(eventsBefore.length);
      expect(await relay()).toBe(0);
      expect(received).toHaveLength(0);
    } finally {
      await db.updateTable('tenants').set({ vat_id: seller.vat_id, registration_id: seller.registration_id }).where('id', '=', tenant.id).execute();
    }
    // With the VAT id back, the same invoice passes the checks and goes out.
    expect((await post(`/api/v1/invoices/${invoice.id}/send`)).statusCode).toBe(200);
    expect(await relay()).toBe(1);
    expect(received).toHaveLength(1);
  });
});
