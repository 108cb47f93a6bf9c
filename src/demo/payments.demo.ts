import { addDays, Big, formatMinor, type BusinessDate } from '../kernel';
import { systemContext, type RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { demoCustomers } from './demo-support';
import { todayFor } from '../modules/invoicing';
import { setRates } from '../modules/ledger';
import { decideWriteOff, discountFor, recordPayment, refund, requestWriteOff, reversePayment } from '../modules/payments';

/**
 * Demo payments, on the demo invoices:
 *
 * - Müller pays within the discount period, taking the 2 % early-payment discount
 *   (its VAT corrected at 19 % and 7 %, none on the exempt course);
 * - Holzbau Österreicher pays part of its overdue invoice; Sanne de Vries has not
 *   paid hers (both overdue);
 * - Great Lakes pays its USD invoice in USD when the dollar stands higher (a
 *   realised exchange gain), less 4.00 USD of bank charges, written off (asked by
 *   the collector, approved by the controller);
 * - Thornbury pays half its GBP invoice;
 * - Lumière's transfer arrives twice; the second is refunded;
 * - Łódź Technika's cheque bounces and is reversed; they pay again by transfer,
 *   2.50 EUR short (bank fee), accepted as a difference;
 * - Lumière pays 150.00 EUR on account without saying for what: unapplied cash.
 */
export async function loadPaymentsDemo(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  const today = await todayFor(tx, tenantId);
  const daysAgo = (days: number): BusinessDate => addDays(today, -days);
  const customer = demoCustomers(tx, tenantId);
  /** The customer's first issued invoice with something open. */
  const invoiceOf = async (customerId: string) =>
    tx
      .selectFrom('invoices')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('customer_id', '=', customerId)
      .where('kind', '=', 'invoice')
      .where('status', '=', 'issued')
      .where('open_minor', '>', 0n)
      .orderBy('issue_date')
      .executeTakeFirstOrThrow();
  const amount = (minor: bigint, currency: string) => formatMinor(minor, currency);

  const muller = await customer('C000001');
  const lumiere = await customer('C000004');
  const holzbau = await customer('C000005');
  const greatLakes = await customer('C000007');
  const thornbury = await customer('C000008');
  const lodz = await customer('C000011');

  // Müller: within the discount period; the discount is granted because the payment covers the discounted balance.
  const munich = await invoiceOf(muller);
  const munichValueDate = munich.discount_deadline ?? daysAgo(31);
  const munichDiscount = discountFor(munich, 0n, munichValueDate);
  await recordPayment(tx, context, {
    customerId: muller,
    amount: amount(munich.open_minor - munichDiscount, munich.currency),
    currency: munich.currency,
    method: 'bank_transfer',
    valueDate: munichValueDate,
    payerReference: munich.payment_reference,
    bankAccount: 'DE02 1203 0000 0000 2020 51',
    applications: [{ invoiceId: munich.id }],
  });

  // Holzbau: part of its overdue invoice, the rest still owed.
  const graz = await invoiceOf(holzbau);
  const part = (graz.open_minor * 6n) / 10n;
  await recordPayment(tx, context, {
    customerId: holzbau,
    amount: amount(part, graz.currency),
    currency: graz.currency,
    method: 'bank_transfer',
    valueDate: daysAgo(20),
    payerReference: `${graz.number} first part`,
    applications: [{ invoiceId: graz.id, amount: amount(part, graz.currency) }],
  });

  // Great Lakes: USD paid when the dollar stood higher than on the invoice date, less 4.00 USD of bank charges
  // abroad, which are written off (asked by the collector, approved by the controller).
  const chicago = await invoiceOf(greatLakes);
  const charges = 400n;
  await setRates(tx, context, [{ fromCurrency: 'USD', toCurrency: 'EUR', rateDate: daysAgo(3), rate: new Big('0.9305') }], 'manual');
  await recordPayment(tx, context, {
    customerId: greatLakes,
    amount: amount(chicago.open_minor - charges, chicago.currency),
    currency: chicago.currency,
    method: 'bank_transfer',
    valueDate: daysAgo(2),
    payerReference: `GL remittance ${chicago.number}`,
    applications: [{ invoiceId: chicago.id, amount: amount(chicago.open_minor - charges, chicago.currency) }],
  });
  const collector = systemContext(tenantId, 'Colin Collector');
  const controllerActor = systemContext(tenantId, 'Carla Controller').actor;
  const controller = { ...systemContext(tenantId, 'Carla Controller'), actor: { ...controllerActor, roles: ['controller' as const] } };
  const writeOff = await requestWriteOff(tx, collector, { invoiceId: chicago.id, reason: 'Bank charges abroad deducted by the customer’s bank; not worth pursuing' });
  await decideWriteOff(tx, controller, writeOff.id, { approve: true, note: 'Agreed' });

  // Thornbury: half of its GBP invoice.
  const london = await invoiceOf(thornbury);
  const half = london.open_minor / 2n;
  await recordPayment(tx, context, { customerId: thornbury, amount: amount(half, london.currency), currency: london.currency, method: 'card', valueDate: daysAgo(4), payerReference: 'First instalment', applications: [{ invoiceId: london.id, amount: amount(half, london.currency) }] });

  // Lumière: a transfer made twice by mistake, the second paid back.
  await recordPayment(tx, context, { customerId: lumiere, amount: '40.00', currency: 'EUR', method: 'bank_transfer', valueDate: daysAgo(9), payerReference: 'VIR ATELIER LUMIERE' });
  const twice = await recordPayment(tx, context, { customerId: lumiere, amount: '40.00', currency: 'EUR', method: 'bank_transfer', valueDate: daysAgo(9), payerReference: 'VIR ATELIER LUMIERE' });
  await refund(tx, context, { type: 'payment', id: twice.id }, { method: 'bank_transfer', reference: 'FR76 3000 6000 0112 3456 7890 189', reason: 'The same transfer arrived twice' });

  // Łódź Technika: the cheque bounces; the transfer that follows is 2.50 EUR short, accepted.
  const lodzInvoice = await invoiceOf(lodz);
  const cheque = await recordPayment(tx, context, {
    customerId: lodz,
    amount: amount(lodzInvoice.open_minor, lodzInvoice.currency),
    currency: lodzInvoice.currency,
    method: 'cheque',
    valueDate: daysAgo(3),
    payerReference: 'Cheque 004471',
    applications: [{ invoiceId: lodzInvoice.id }],
  });
  await reversePayment(tx, context, cheque.id, { reason: 'Cheque 004471 returned unpaid by the bank' });
  await recordPayment(tx, context, {
    customerId: lodz,
    amount: amount(lodzInvoice.open_minor - 250n, lodzInvoice.currency),
    currency: lodzInvoice.currency,
    method: 'bank_transfer',
    valueDate: daysAgo(1),
    payerReference: `${lodzInvoice.number} replaces cheque`,
    applications: [{ invoiceId: lodzInvoice.id, acceptDifference: true }],
  });

  // Lumière: money on account, not yet placed.
  await recordPayment(tx, context, { customerId: lumiere, amount: '150.00', currency: 'EUR', method: 'bank_transfer', valueDate: daysAgo(1), payerReference: 'ACOMPTE LUMIERE' });

}
