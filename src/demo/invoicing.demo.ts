import { addDays, type BusinessDate } from '../kernel';
import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { demoCustomers } from './demo-support';
import type { Mailer } from '../platform/mail/mailer';
import { getTenant } from '../platform/tenants/tenants';
import { createShipment, deliverShipment, packShipment, pickShipment, shipShipment } from '../modules/fulfillment';
import {
  correctInvoice,
  createInvoiceDraft,
  creditInvoice,
  issueDocument,
  recordSendOutcome,
  requestSending,
  runInvoicing,
  sendDocument,
  takeSending,
  todayFor,
  updateDraft,
  type InvoiceView,
} from '../modules/invoicing';
import { createOrder, type OrderInput } from '../modules/orders';
import { submitOrder } from '../workflows/submit-order';

/** The demo company's mail server, reachable: it accepts every message. */
function acceptingMailServer(): Mailer {
  let queued = 0;
  return {
    async send() {
      queued += 1;
      const queueId = `4C${(0x1a2f00 + queued).toString(16).toUpperCase()}`;
      return { messageId: `<${queueId}@mail.nordwind.example>`, response: `250 2.0.0 Ok: queued as ${queueId}` };
    },
  };
}

/** The same mail server while it is down: every connection is refused. */
const unreachableMailServer: Mailer = {
  send: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED mail.nordwind.example:587'), { code: 'ECONNREFUSED', syscall: 'connect' })),
};

const orderLine = (sku: string, quantity: string) => ({ sku, quantity });

/**
 * Demo invoices and credit notes, from demo orders shipped for them (the orders and
 * shipments of the fulfillment demo stay as they are, partly ready to invoice):
 *
 * - issued invoices over the last two months, in date order: intra-EU goods and
 *   reverse-charge services (K, AE) to Austria, a German invoice at 19 % and 7 %
 *   with an exempt training course (E) and freight, intra-EU goods to France and
 *   Poland, a consumer in the Netherlands, exports in USD and GBP (G);
 * - a return of part of one invoice, a price reduction on another, and a third
 *   corrected (credited in full and invoiced anew);
 * - overdue invoices, a draft from the invoice run and a manual draft for review;
 * - e-mail sendings through the sending service: sent, failed after every retry
 *   (the mail server refused the connection), queued, and never requested.
 */
export async function loadInvoicingDemo(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  const today = await todayFor(tx, tenantId);
  const daysAgo = (days: number): BusinessDate => addDays(today, -days);
  const customer = demoCustomers(tx, tenantId);
  const [muller, bakery, lumiere, holzbau, sanne, greatLakes, thornbury, lodz] = await Promise.all(
    ['C000001', 'C000002', 'C000004', 'C000005', 'C000006', 'C000007', 'C000008', 'C000011'].map(customer),
  );

  /** An order approved on its order date, its goods shipped in one shipment and, when a date is given, delivered (dates in days before today). */
  const orderAndShip = async (
    input: Omit<OrderInput, 'orderDate'>,
    dates: { ordered: number; shipped: number; delivered?: number },
    transport: { carrier: string; trackingNumber: string; weightKg: string; receivedBy?: string },
  ) => {
    const order = await createOrder(tx, context, { ...input, orderDate: daysAgo(dates.ordered) }, 'api');
    await submitOrder(tx, context, order.id);
    const shipment = await createShipment(tx, context, { orderId: order.id });
    await pickShipment(tx, context, shipment.id);
    await packShipment(tx, context, shipment.id, [{ packageType: 'box', weightKg: transport.weightKg }]);
    await shipShipment(tx, context, shipment.id, { carrier: transport.carrier, trackingNumber: transport.trackingNumber, shipDate: daysAgo(dates.shipped) });
    if (dates.delivered !== undefined) {
      await deliverShipment(tx, context, shipment.id, { deliveredAt: `${daysAgo(dates.delivered)}T11:30:00Z`, receivedBy: transport.receivedBy ?? 'Goods receipt' });
    }
    return { orderId: order.id, shipmentId: shipment.id };
  };

  /** Dates a draft and issues it. */
  const issueOn = async (draft: InvoiceView, issueDate: BusinessDate, change: { notes?: string; buyerReference?: string } = {}) => {
    const dated = await updateDraft(tx, context, draft.id, { version: draft.version, issueDate, ...change });
    return issueDocument(tx, context, dated.id, dated.version);
  };

  const mailFrom = (await getTenant(tx, tenantId)).emailSender ?? 'billing@nordwind.example';
  const mailServer = acceptingMailServer();
  /**
   * Asks for a document to be e-mailed and works the sending as the sending job does,
   * retry after retry while the mail server refuses it and attempts remain.
   */
  const send = async (documentId: string, mailer: Mailer | null) => {
    await requestSending(tx, context, documentId, {});
    if (mailer === null) return;
    const { id: sendingId } = await tx
      .selectFrom('invoice_sendings')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('invoice_id', '=', documentId)
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    let due = new Date();
    for (;;) {
      const taken = await takeSending(tx, tenantId, sendingId, due);
      if (taken === undefined) return;
      const outcome = await sendDocument(tx, mailer, mailFrom, tenantId, taken.sending);
      if ((await recordSendOutcome(tx, tenantId, taken, outcome)) !== 'retry') return;
      due = (await tx.selectFrom('invoice_sendings').select('next_attempt_at').where('tenant_id', '=', tenantId).where('id', '=', sendingId).executeTakeFirstOrThrow()).next_attempt_at;
    }
  };

  // Intra-EU: bearings and hoses to Austria (K) with installation on site (reverse charge, AE).
  const graz = await orderAndShip(
    { customerId: holzbau, customerPoNumber: 'HÖ-2026-0871', lines: [orderLine('BRG-6204-2RS', '100'), orderLine('HOSE-12-2M', '8'), orderLine('SVC-INSTALL', '6')] },
    { ordered: 56, shipped: 53, delivered: 51 },
    { carrier: 'DB Schenker', trackingNumber: 'SCH-4471-1866', weightKg: '21.4', receivedBy: 'L. Österreicher' },
  );
  const grazInvoice = await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [graz.shipmentId], orderIds: [graz.orderId], origin: 'manual' }), daysAgo(52));
  await send(grazInvoice.id, mailServer);

  // Domestic: bearings at 19 %, technical books at 7 %, an exempt training course and freight.
  const munich = await orderAndShip(
    {
      customerId: muller,
      customerPoNumber: '4500012471',
      lines: [orderLine('BRG-6204-2RS', '150'), orderLine('BOOK-HYD', '10'), orderLine('TRAIN-HYD', '1')],
      charges: [{ kind: 'freight', amount: '45.00' }],
    },
    { ordered: 44, shipped: 41, delivered: 40 },
    { carrier: 'DHL Freight', trackingNumber: 'JJD000390007125981', weightKg: '27.9', receivedBy: 'J. Müller, goods receipt' },
  );
  const munichInvoice = await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [munich.shipmentId], orderIds: [munich.orderId], origin: 'manual' }), daysAgo(40));

  // Intra-EU goods to France, without the buyer's PO number: corrected below.
  const lyon = await orderAndShip(
    { customerId: lumiere, lines: [orderLine('FILM-500', '12'), orderLine('BOOK-HYD', '6')] },
    { ordered: 36, shipped: 34 },
    { carrier: 'DHL Freight', trackingNumber: 'JJD000390007126402', weightKg: '19.6' },
  );
  const lyonInvoice = await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [lyon.shipmentId], origin: 'manual' }), daysAgo(33));

  // A consumer in the Netherlands (no VAT id: German VAT), paying in advance; the e-mail waits in the queue.
  const utrecht = await orderAndShip(
    { customerId: sanne, lines: [orderLine('BOOK-HYD', '1'), orderLine('TRAIN-HYD', '1')] },
    { ordered: 28, shipped: 27 },
    { carrier: 'DHL Paket', trackingNumber: '00340434161094042557', weightKg: '1.8' },
  );
  const utrechtInvoice = await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [utrecht.shipmentId], orderIds: [utrecht.orderId], origin: 'manual' }), daysAgo(26));
  await send(utrechtInvoice.id, null);

  // Export in USD (G).
  const chicago = await orderAndShip(
    { customerId: greatLakes, customerPoNumber: 'GL-PO-88791', lines: [orderLine('BRG-6204-2RS', '30'), orderLine('HOSE-12-2M', '20')] },
    { ordered: 23, shipped: 20 },
    { carrier: 'Kuehne+Nagel Sea & Air', trackingNumber: 'KN-HAM-CHI-558120', weightKg: '34.0' },
  );
  const chicagoInvoice = await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [chicago.shipmentId], origin: 'manual' }), daysAgo(19));
  await send(chicagoInvoice.id, mailServer);

  // Export in GBP (G); the mail server was down for every attempt.
  const london = await orderAndShip(
    { customerId: thornbury, customerPoNumber: 'TH-5587', lines: [orderLine('HOSE-12-2M', '12'), orderLine('FILM-500', '6')] },
    { ordered: 15, shipped: 13 },
    { carrier: 'DHL Express', trackingNumber: '1Z4F0W236812775403', weightKg: '22.5' },
  );
  const londonInvoice = await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [london.shipmentId], origin: 'manual' }), daysAgo(12));
  await send(londonInvoice.id, unreachableMailServer);

  // Intra-EU goods to Poland; the customer has no contact for invoices, so it is not sent.
  const lodzShipment = await orderAndShip(
    { customerId: lodz, customerPoNumber: 'ŁT/2026/311', lines: [orderLine('HOSE-12-2M', '20'), orderLine('BRG-6204-2RS', '30')] },
    { ordered: 8, shipped: 6 },
    { carrier: 'DB Schenker', trackingNumber: 'SCH-4471-2387', weightKg: '28.3' },
  );
  await issueOn(await createInvoiceDraft(tx, context, { shipmentIds: [lodzShipment.shipmentId], origin: 'manual' }), daysAgo(5));

  // Credit notes: two handbooks returned for exchange (ready to invoice again for the replacements, with
  // the customer's next daily invoice), an hour of installation taken off in Austria, the French invoice corrected.
  const handbooks = munichInvoice.lines.find((line) => line.sku === 'BOOK-HYD')!;
  await creditInvoice(tx, context, munichInvoice.id, {
    reason: 'Two handbooks returned with damaged covers; the replacements follow with the next delivery',
    lines: [{ invoiceLineId: handbooks.id, quantity: '2' }],
  });
  const installation = grazInvoice.lines.find((line) => line.sku === 'SVC-INSTALL')!;
  await creditInvoice(tx, context, grazInvoice.id, {
    reason: 'Installation took an hour longer through our fault; one hour off as agreed with Mr Österreicher',
    lines: [{ invoiceLineId: installation.id, amount: '95.00' }],
  });
  const { draft: corrected } = await correctInvoice(tx, context, lyonInvoice.id, 'The customer needs its purchase order number on the invoice');
  await issueOn(corrected, today, { buyerReference: 'AL-7802', notes: `Replaces our invoice ${lyonInvoice.number}, which lacked your order number AL-7802.` });

  // Waiting for review: the invoice run's draft for goods delivered to Hamburg (invoiced on delivery) …
  await orderAndShip(
    { customerId: bakery, customerPoNumber: 'SB-2026-131', lines: [orderLine('FILM-500', '10'), orderLine('HOSE-12-2M', '4')] },
    { ordered: 6, shipped: 4, delivered: 2 },
    { carrier: 'DHL Paket', trackingNumber: '00340434161094058822', weightKg: '9.7', receivedBy: 'H. Schröder' },
  );
  await runInvoicing(tx, context, { customerId: bakery });
  // … and a manual draft for next year's maintenance contract in Austria (reverse charge).
  const maintenance = await createOrder(tx, context, { customerId: holzbau, customerPoNumber: 'HÖ-2026-0944', orderDate: daysAgo(3), lines: [orderLine('SVC-MAINT', '1')] }, 'api');
  await submitOrder(tx, context, maintenance.id);
  await createInvoiceDraft(tx, context, { orderIds: [maintenance.id], origin: 'manual', notes: 'Maintenance contract 2027: confirm the start date with Mr Österreicher before issuing.' });
}
