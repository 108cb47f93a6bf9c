import { addDays, formatMinor, type BusinessDate } from '../kernel';
import type { RequestContext } from '../platform/auth/actor';
import type { Role } from '../platform/auth/roles';
import type { Tx } from '../platform/db/database';
import {
  blockCredit,
  customersToCheck,
  evaluateAutomaticBlock,
  rejectReview,
  releaseReview,
  requestLimit,
  scoreAndStore,
  setCreditLimit,
  updateCreditSettings,
} from '../modules/credit';
import { createShipment, packShipment, pickShipment, shipShipment } from '../modules/fulfillment';
import { createInvoiceDraft, issueDocument, todayFor, updateDraft } from '../modules/invoicing';
import { createOrder } from '../modules/orders';
import { recordPayment } from '../modules/payments';
import { submitOrder } from '../workflows/submit-order';
import { demoCustomers } from './demo-support';

/** A demo user acting in person, so releases and requests carry a name and segregation of duties applies. */
async function personContext(tx: Tx, tenantId: string, email: string, roles: Role[]): Promise<RequestContext> {
  const user = await tx.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', tenantId).where('email', '=', email).executeTakeFirstOrThrow();
  return { actor: { tenantId, type: 'user', id: user.id, name: user.email, roles, permissions: [] }, requestId: null };
}

/**
 * Half a year of history for two customers who pay badly, loaded before the other
 * demo invoices (invoice dates only move forward): Kowalczyk Stahlbau pays three
 * weeks late and has an invoice overdue now; Berger Metallhandel paid six weeks
 * late, then stopped — an invoice 80 days past due. Each invoice is paid before
 * the customer's next order is entered, as it happened.
 */
export async function loadCreditHistoryDemo(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  const today = await todayFor(tx, tenantId);
  const daysAgo = (days: number): BusinessDate => addDays(today, -days);
  const customer = demoCustomers(tx, tenantId);
  const kowalczyk = await customer('C000013');
  const berger = await customer('C000014');
  const invoiced = async (customerId: string, issuedDaysAgo: number, quantity: string, reference: string) => {
    const order = await createOrder(tx, context, { customerId, customerPoNumber: reference, orderDate: daysAgo(issuedDaysAgo + 3), lines: [{ sku: 'BRG-6204-2RS', quantity }] }, 'api');
    await submitOrder(tx, context, order.id);
    const shipment = await createShipment(tx, context, { orderId: order.id });
    await pickShipment(tx, context, shipment.id);
    await packShipment(tx, context, shipment.id, [{ packageType: 'box', weightKg: '4.5' }]);
    await shipShipment(tx, context, shipment.id, { carrier: 'DHL', trackingNumber: `00340434${reference.replace(/\D/g, '').padStart(10, '0')}`, shipDate: daysAgo(issuedDaysAgo) });
    const draft = await createInvoiceDraft(tx, context, { shipmentIds: [shipment.id], origin: 'manual' });
    const dated = await updateDraft(tx, context, draft.id, { version: draft.version, issueDate: daysAgo(issuedDaysAgo) });
    return issueDocument(tx, context, dated.id, dated.version);
  };
  const paid = async (customerId: string, invoice: { id: string; gross: string; currency: string }, paidDaysAgo: number) =>
    recordPayment(tx, context, { customerId, amount: invoice.gross, currency: invoice.currency, method: 'bank_transfer', valueDate: daysAgo(paidDaysAgo), applications: [{ invoiceId: invoice.id }] });

  const k1 = await invoiced(kowalczyk, 200, '12', 'KS-4410');
  const b1 = await invoiced(berger, 190, '8', 'BM-0071');
  await paid(kowalczyk, k1, 148); // due 170 days ago: 22 days late
  await paid(berger, b1, 115); // due 160 days ago: 45 days late
  const b2 = await invoiced(berger, 160, '10', 'BM-0083');
  const k2 = await invoiced(kowalczyk, 150, '15', 'KS-4471');
  await paid(berger, b2, 85); // 45 days late
  await paid(kowalczyk, k2, 95); // 25 days late
  const k3 = await invoiced(kowalczyk, 120, '10', 'KS-4529');
  await paid(kowalczyk, k3, 62); // 28 days late
  await invoiced(berger, 110, '12', 'BM-0102'); // never paid: 80 days past due today
  await invoiced(kowalczyk, 55, '9', 'KS-4602'); // 25 days past due today
}

/**
 * The credit desk after everything else is loaded: a tighter grace period, a
 * temporary limit for the season, a limit request from sales waiting, a customer
 * blocked by hand, the automatic blocks and scores of the nightly credit control,
 * and orders on credit hold — some waiting in the queue, one released with a
 * one-off increase, one rejected.
 */
export async function loadCreditDemo(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  const today = await todayFor(tx, tenantId);
  const customer = demoCustomers(tx, tenantId);
  const cora = await personContext(tx, tenantId, 'credit@demo.o2c.example', ['credit']);
  const sam = await personContext(tx, tenantId, 'sales@demo.o2c.example', ['sales']);
  const muller = await customer('C000001');
  const lumiere = await customer('C000004');
  const holzbau = await customer('C000005');
  const sanne = await customer('C000006');
  const thornbury = await customer('C000008');
  const lodz = await customer('C000011');
  const berger = await customer('C000014');

  await updateCreditSettings(tx, cora, { graceDays: 21 });
  await setCreditLimit(tx, cora, muller, { limit: '80000.00', reason: 'Christmas stock-up agreed with purchasing; back to 50,000.00 in the new year', expiresOn: addDays(today, 40) });
  await requestLimit(tx, sam, { customerId: lumiere, limit: '30000.00', reason: 'Second showroom opens in Lyon in January; framework order expected' });
  await blockCredit(tx, cora, lodz, 'Credit agency reports a payment default at another supplier; orders only against prepayment');

  // What the nightly credit control finds: Berger has an item 80 days past due.
  for (const customerId of await customersToCheck(tx, tenantId)) await evaluateAutomaticBlock(tx, tenantId, customerId);

  const heldOrder = async (customerId: string, reference: string, lines: Array<{ sku: string; quantity: string }>) => {
    const order = await createOrder(tx, sam, { customerId, customerPoNumber: reference, lines }, 'ui');
    const submitted = await submitOrder(tx, sam, order.id);
    const review = await tx.selectFrom('credit_reviews').select('id').where('tenant_id', '=', tenantId).where('order_id', '=', order.id).where('status', '=', 'open').executeTakeFirst();
    if (review === undefined) throw new Error(`demo order ${reference} was meant to go on credit hold: ${JSON.stringify(submitted.creditDecision)}`);
    return { order: submitted, reviewId: review.id };
  };
  // Waiting in the queue: overdue beyond the grace days, over the default limit, blocked by hand and automatically.
  await heldOrder(holzbau, 'HÖ-2026-1002', [{ sku: 'HOSE-12-2M', quantity: '10' }]);
  await heldOrder(sanne, 'SDV-17', [{ sku: 'BRG-6204-2RS', quantity: '300' }]);
  await heldOrder(lodz, 'LT-2026-55', [{ sku: 'FILM-500', quantity: '4' }]);
  await heldOrder(berger, 'BM-0131', [{ sku: 'BRG-6204-2RS', quantity: '6' }]);
  // Decided: Lumière's showroom order released with a one-off increase, a London order rejected.
  const showroom = await heldOrder(lumiere, 'AL-7840', [{ sku: 'BOOK-HYD', quantity: '420' }]);
  const over = (showroom.order.creditDecision as { inputs: { headroom: string } }).inputs.headroom;
  await releaseReview(tx, cora, showroom.reviewId, { reason: 'Showroom opening order; the owner confirmed payment on delivery by phone', oneOffIncrease: formatMinor(-BigInt(over.replace('.', '')), 'EUR') });
  const london = await heldOrder(thornbury, 'TH-5602', [{ sku: 'BRG-6204-2RS', quantity: '3500' }]);
  await rejectReview(tx, cora, london.reviewId, { reason: 'Half of the October invoice is still open; no further credit until it is paid' });

  // Every customer's score for the day, as the nightly job keeps them.
  const customers = await tx.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('status', '<>', 'archived').orderBy('number').execute();
  for (const row of customers) await scoreAndStore(tx, tenantId, row.id);
}
