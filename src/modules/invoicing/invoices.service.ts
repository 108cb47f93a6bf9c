import { sql } from 'kysely';
import { Big, businessDateAt, decimalToMinor, formatMinor, minorToDecimal, newId, yearOf, type BusinessDate, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { toJsonText } from '../../platform/json';
import { nextNumber } from '../../platform/number-series/number-series';
import { emitEvent } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import { defaultRevenueAccount } from '../catalog';
import { discountAmountMinor, discountDeadline, dueDate, getCustomerForOrder } from '../customers';
import { findRate, postEntry, vatPayableKey, type PostingLineInput } from '../ledger';
import { lockOrdersForInvoicing, recordInvoicedCharges, recordInvoicedQuantities } from '../orders';
import { priceInvoice, type ChargeToBill, type LineToBill } from './invoice-pricing.rules';
import { toInvoiceView, toListItem, type InvoiceLineRow, type InvoiceListItem, type InvoiceRow, type InvoiceView, type RelatedDocument } from './invoice-view';
import type { InvoiceKind, InvoiceOrigin, InvoiceLinesTable, PaymentStatus, SendingStatus } from './invoicing.tables';
import { creditorReferenceFor } from './payment-reference.rules';
import { recordMovements } from './balance.service';
import './invoicing.tables';
import type { Insertable } from 'kysely';



export async function todayFor(executor: Executor, tenantId: string): Promise<BusinessDate> {
  const tenant = await getTenant(executor, tenantId);
  return businessDateAt(new Date(), tenant.timeZone);
}

// ————————————————————————————————————————————— reading

export async function findInvoiceRow(executor: Executor, tenantId: string, id: string): Promise<InvoiceRow> {
  const row = await executor.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('invoice', id);
  return row;
}

export async function linesOf(executor: Executor, tenantId: string, invoiceId: string): Promise<InvoiceLineRow[]> {
  return executor.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', '=', invoiceId).orderBy('line_no').execute();
}

function related(row: InvoiceRow): RelatedDocument {
  return { id: row.id, number: row.number, kind: row.kind, status: row.status, issueDate: row.issue_date, gross: formatMinor(row.gross_minor, row.currency) };
}

export async function loadInvoice(executor: Executor, tenantId: string, id: string): Promise<InvoiceView> {
  const row = await findInvoiceRow(executor, tenantId, id);
  // The documents linked both ways, each part through its own index (an OR across the columns would scan every invoice).
  const linksOut = [row.credited_invoice_id, row.corrects_invoice_id].filter((linkedId): linkedId is string => linkedId !== null);
  const documents = executor.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId);
  let linkedQuery = documents.where('credited_invoice_id', '=', id).union(documents.where('corrects_invoice_id', '=', id));
  if (linksOut.length > 0) linkedQuery = linkedQuery.union(documents.where('id', 'in', linksOut));
  const linked = (await linkedQuery.execute()).filter((document) => document.id !== id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const [lines, attempts, today] = await Promise.all([
    linesOf(executor, tenantId, id),
    executor.selectFrom('invoice_send_attempts').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', '=', id).orderBy('attempted_at').orderBy('attempt_no').execute(),
    todayFor(executor, tenantId),
  ]);
  const credited = await executor
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as c', (join) => join.onRef('c.tenant_id', '=', 'l.tenant_id').onRef('c.id', '=', 'l.invoice_id'))
    .select(['l.credited_line_id', sql<string>`sum(case when l.is_price_reduction then 0 else l.quantity end)`.as('quantity'), sql<string>`sum(l.taxable_minor)`.as('taxable_minor')])
    .where('l.tenant_id', '=', tenantId)
    .where('c.credited_invoice_id', '=', id)
    .where('c.status', '=', 'issued')
    .groupBy('l.credited_line_id')
    .execute();
  const creditedByLine = new Map(credited.flatMap((entry) => (entry.credited_line_id === null ? [] : [[entry.credited_line_id, { quantity: entry.quantity, taxableMinor: BigInt(entry.taxable_minor) }] as const])));
  const creditedInvoice = linked.find((other) => other.id === row.credited_invoice_id);
  const corrects = linked.find((other) => other.id === row.corrects_invoice_id);
  return toInvoiceView(
    row,
    lines,
    attempts,
    {
      creditNotes: linked.filter((other) => other.credited_invoice_id === id).map(related),
      creditedInvoice: creditedInvoice === undefined ? null : related(creditedInvoice),
      corrects: corrects === undefined ? null : related(corrects),
      correctedBy: linked.filter((other) => other.corrects_invoice_id === id).map(related),
    },
    today,
    creditedByLine,
  );
}

export interface InvoiceFilter {
  kind?: InvoiceKind | undefined;
  status?: 'draft' | 'issued' | undefined;
  sendingStatus?: SendingStatus | undefined;
  paymentStatus?: PaymentStatus | undefined;
  overdue?: boolean | undefined;
  customerId?: string | undefined;
  /** Documents with a line from this sales order. */
  orderId?: string | undefined;
  dueFrom?: BusinessDate | undefined;
  dueTo?: BusinessDate | undefined;
  /** Part of the number or the customer's name or number. */
  search?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first. */
export async function listInvoices(executor: Executor, tenantId: string, filter: InvoiceFilter): Promise<Page<InvoiceListItem>> {
  const today = await todayFor(executor, tenantId);
  let query = executor.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.sendingStatus !== undefined) query = query.where('sending_status', '=', filter.sendingStatus);
  if (filter.paymentStatus !== undefined) query = query.where('payment_status', '=', filter.paymentStatus);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.orderId !== undefined) {
    const orderId = filter.orderId;
    query = query.where('id', 'in', (lines) => lines.selectFrom('invoice_lines').select('invoice_id').where('tenant_id', '=', tenantId).where('order_id', '=', orderId));
  }
  if (filter.dueFrom !== undefined) query = query.where('due_date', '>=', filter.dueFrom);
  if (filter.dueTo !== undefined) query = query.where('due_date', '<=', filter.dueTo);
  if (filter.overdue === true) query = query.where('kind', '=', 'invoice').where('status', '=', 'issued').where('open_minor', '>', 0n).where('due_date', '<', today);
  if (filter.overdue === false) query = query.where((where) => where.or([where('kind', '=', 'credit_note'), where('status', '=', 'draft'), where('open_minor', '=', 0n), where('due_date', '>=', today)]));
  const search = filter.search?.trim() ?? '';
  if (search !== '') {
    const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) => where.or([where('number', 'ilike', pattern), where('customer_name', 'ilike', pattern), where('customer_number', 'ilike', pattern)]));
  }
  if (filter.cursor !== undefined) {
    const [beforeId] = decodeCursor(filter.cursor, 1) as [string];
    query = query.where('id', '<', beforeId);
  }
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, (row) => toListItem(row, today), (row) => [row.id]);
}

// ————————————————————————————————————————————— what is ready to invoice

export interface ReadyLine {
  readonly customerId: string;
  readonly customerName: string;
  readonly currency: string;
  readonly orderId: string;
  readonly orderNumber: string;
  readonly orderLineId: string;
  readonly lineNo: number;
  readonly shipmentId: string | null;
  readonly shipmentNumber: string | null;
  readonly shipmentLineId: string | null;
  readonly shipDate: string | null;
  readonly itemKind: 'goods' | 'service';
  readonly sku: string;
  readonly description: string;
  readonly quantity: Decimal;
}

/**
 * What can be billed now: shipped goods of shipments that are ready to invoice (on
 * shipment, or on delivery for customers invoiced on delivery) less what invoices
 * already bill and plus what credit notes gave back; and service lines of approved
 * orders not yet invoiced or cancelled.
 */
export async function readyToInvoice(executor: Executor, tenantId: string, scope: { customerId?: string; orderIds?: readonly string[]; shipmentIds?: readonly string[] } = {}): Promise<ReadyLine[]> {
  const byCustomer = scope.customerId === undefined ? sql`` : sql` and o.customer_id = ${scope.customerId}`;
  const goodsScope =
    scope.shipmentIds !== undefined || scope.orderIds !== undefined
      ? sql` and (s.id = any(${scope.shipmentIds ?? []}::uuid[]) or o.id = any(${scope.orderIds ?? []}::uuid[]))`
      : sql``;
  const serviceScope = scope.shipmentIds !== undefined || scope.orderIds !== undefined ? sql` and o.id = any(${scope.orderIds ?? []}::uuid[])` : sql``;
  const result = await sql<{
    customer_id: string;
    customer_name: string;
    currency: string;
    order_id: string;
    order_number: string;
    order_line_id: string;
    line_no: number;
    shipment_id: string | null;
    shipment_number: string | null;
    shipment_line_id: string | null;
    ship_date: string | null;
    item_kind: 'goods' | 'service';
    sku: string;
    description: string;
    remaining: string;
  }>`
    select * from (
      select o.customer_id, o.customer_name, o.currency, o.id as order_id, o.number as order_number, l.id as order_line_id, l.line_no,
        s.id as shipment_id, s.number as shipment_number, sl.id as shipment_line_id, s.ship_date, l.item_kind, l.sku, l.description,
        sl.quantity
          - coalesce((select sum(il.quantity) from invoice_lines il join invoices i on i.tenant_id = il.tenant_id and i.id = il.invoice_id
                      where il.tenant_id = sl.tenant_id and il.shipment_line_id = sl.id and i.kind = 'invoice'), 0)
          + coalesce((select sum(cl.quantity) from invoice_lines cl join invoices c on c.tenant_id = cl.tenant_id and c.id = cl.invoice_id
                      where cl.tenant_id = sl.tenant_id and cl.shipment_line_id = sl.id and c.kind = 'credit_note' and not cl.is_price_reduction and not cl.goods_returned), 0) as remaining
      from sales_order_lines l
      join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
      join shipment_lines sl on sl.tenant_id = l.tenant_id and sl.order_line_id = l.id
      join shipments s on s.tenant_id = sl.tenant_id and s.id = sl.shipment_id
      where l.tenant_id = ${tenantId} and l.item_kind = 'goods' and l.quantity_shipped > l.quantity_invoiced
        and s.ready_to_invoice and s.status in ('shipped', 'delivered')${byCustomer}${goodsScope}
      union all
      select o.customer_id, o.customer_name, o.currency, o.id, o.number, l.id, l.line_no, null, null, null, null, l.item_kind, l.sku, l.description,
        l.quantity - l.quantity_cancelled - l.quantity_invoiced
      from sales_order_lines l
      join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
      where l.tenant_id = ${tenantId} and l.item_kind = 'service' and l.quantity > l.quantity_cancelled + l.quantity_invoiced
        and o.status in ('approved', 'partially_shipped', 'shipped')${byCustomer}${serviceScope}
    ) ready
    where remaining > 0
    order by customer_name, customer_id, order_number, shipment_number nulls last, line_no
    limit 5000`.execute(executor);
  return result.rows.map((row) => ({
    customerId: row.customer_id,
    customerName: row.customer_name,
    currency: row.currency,
    orderId: row.order_id,
    orderNumber: row.order_number,
    orderLineId: row.order_line_id,
    lineNo: row.line_no,
    shipmentId: row.shipment_id,
    shipmentNumber: row.shipment_number,
    shipmentLineId: row.shipment_line_id,
    shipDate: row.ship_date,
    itemKind: row.item_kind,
    sku: row.sku,
    description: row.description,
    quantity: new Big(row.remaining),
  }));
}

// ————————————————————————————————————————————— drafts

export type NewLine = Omit<Insertable<InvoiceLinesTable>, 'tenant_id' | 'invoice_id' | 'line_no' | 'gross_minor' | 'discount_minor' | 'net_minor' | 'allowance_share_minor' | 'taxable_minor' | 'tax_minor'> & {
  fixed?: LineToBill['fixed'];
};

/** Prices lines as they will be stored: item lines first (in the given order), then charges. */
function billLines(currency: string, lines: readonly NewLine[]) {
  const items = lines.filter((line) => line.kind === 'item');
  const charges = lines.filter((line) => line.kind === 'charge');
  const tax = (line: NewLine) => ({
    categoryCode: line.tax_category,
    ratePercent: new Big(line.tax_rate_percent).toFixed(),
    exemptionReasonCode: line.tax_exemption_reason_code ?? null,
    exemptionReason: line.tax_exemption_reason ?? null,
  });
  const toBill: LineToBill[] = items.map((line) => ({
    unitPrice: new Big(line.unit_price),
    quantity: new Big(line.quantity),
    discountPercent: line.discount_percent == null ? null : new Big(line.discount_percent),
    allowanceGroup: line.order_id ?? null,
    allowancePercent: line.allowance_percent == null ? null : new Big(line.allowance_percent),
    tax: tax(line),
    fixed: line.fixed,
  }));
  const chargesToBill: ChargeToBill[] = charges.map((line) => ({ amountMinor: line.fixed?.grossMinor ?? decimalToMinor(new Big(line.unit_price), currency), tax: tax(line) }));
  const billed = priceInvoice(currency, toBill, chargesToBill);
  const ordered = [...items, ...charges];
  const amounts = [
    ...billed.lines,
    ...billed.charges.map((charge) => ({ grossMinor: charge.amountMinor, discountMinor: 0n, netMinor: charge.amountMinor, allowanceShareMinor: 0n, taxableMinor: charge.amountMinor, taxMinor: charge.taxMinor })),
  ];
  return { billed, lines: ordered.map((line, index) => ({ line, amounts: amounts[index]! })) };
}

function totalsColumns(billed: ReturnType<typeof priceInvoice>) {
  return {
    lines_net_minor: billed.linesNetMinor,
    allowances_minor: billed.allowancesMinor,
    charges_minor: billed.chargesMinor,
    taxable_minor: billed.taxableMinor,
    tax_minor: billed.taxMinor,
    gross_minor: billed.grossMinor,
    tax_breakdown: toJsonText(
      billed.breakdown.map((row) => ({
        categoryCode: row.categoryCode,
        ratePercent: row.ratePercent,
        exemptionReasonCode: row.exemptionReasonCode,
        exemptionReason: row.exemptionReason,
        taxableMinor: row.taxableMinor.toString(),
        taxMinor: row.taxMinor.toString(),
      })),
    ),
  };
}

export async function createDraftLines(tx: Tx, tenantId: string, invoiceId: string, currency: string, lines: readonly NewLine[]) {
  const { billed, lines: priced } = billLines(currency, lines);
  if (priced.length > 0) {
    await tx
      .insertInto('invoice_lines')
      .values(
        priced.map(({ line, amounts }, index) => {
          const { fixed: _fixed, ...columns } = line;
          return {
            ...columns,
            tenant_id: tenantId,
            invoice_id: invoiceId,
            line_no: index + 1,
            gross_minor: amounts.grossMinor,
            discount_minor: amounts.discountMinor,
            net_minor: amounts.netMinor,
            allowance_share_minor: amounts.allowanceShareMinor,
            taxable_minor: amounts.taxableMinor,
            tax_minor: amounts.taxMinor,
          };
        }),
      )
      .execute();
  }
  await tx.updateTable('invoices').set(totalsColumns(billed)).where('tenant_id', '=', tenantId).where('id', '=', invoiceId).execute();
  return billed;
}

/**
 * Creates a draft invoice from what is ready to bill in the given shipments and
 * orders (all of one customer and currency): the remaining shipped quantities, the
 * open service lines of the orders, and the orders' charges not yet billed. The
 * orders are locked first, so two requests cannot bill the same quantities; the
 * draft claims them on the order lines at once (deleting the draft gives them back).
 */
export async function createInvoiceDraft(
  tx: Tx,
  context: RequestContext,
  input: { shipmentIds?: readonly string[] | undefined; orderIds?: readonly string[] | undefined; origin: InvoiceOrigin; notes?: string | null | undefined },
): Promise<InvoiceView> {
  const tenantId = context.actor.tenantId;
  const shipmentIds = [...new Set(input.shipmentIds ?? [])];
  const orderIds = [...new Set(input.orderIds ?? [])];
  if (shipmentIds.length === 0 && orderIds.length === 0) throw invalidValue('body', 'name at least one shipment (shipmentIds) or order (orderIds) to invoice');
  const shipmentOrders = shipmentIds.length === 0 ? [] : await tx.selectFrom('shipments').select(['id', 'order_id', 'number', 'ready_to_invoice', 'status']).where('tenant_id', '=', tenantId).where('id', 'in', shipmentIds).execute();
  shipmentIds.forEach((id, index) => {
    if (!shipmentOrders.some((shipment) => shipment.id === id)) throw new AppError('O2C_NOT_FOUND', `shipment ${id} does not exist`, [{ path: `body.shipmentIds.${index}`, message: 'no such shipment' }]);
  });
  const knownOrders = orderIds.length === 0 ? [] : await tx.selectFrom('sales_orders').select('id').where('tenant_id', '=', tenantId).where('id', 'in', orderIds).execute();
  orderIds.forEach((id, index) => {
    if (!knownOrders.some((order) => order.id === id)) throw new AppError('O2C_NOT_FOUND', `order ${id} does not exist`, [{ path: `body.orderIds.${index}`, message: 'no such order' }]);
  });
  const allOrderIds = [...new Set([...orderIds, ...shipmentOrders.map((shipment) => shipment.order_id)])];
  await lockOrdersForInvoicing(tx, tenantId, allOrderIds);
  const ready = await readyToInvoice(tx, tenantId, { shipmentIds, orderIds });
  if (ready.length === 0) {
    const notReady = shipmentOrders.find((shipment) => !shipment.ready_to_invoice);
    throw new AppError(
      'O2C_NOTHING_TO_INVOICE',
      notReady !== undefined
        ? `shipment ${notReady.number} is not ready to invoice yet (it is ${notReady.status}; customers invoiced on delivery are billed once it is delivered)`
        : 'everything named is already invoiced, or nothing has shipped and no service line is open',
    );
  }
  return createDraftFromReady(tx, context, ready, input.origin, input.notes ?? null);
}

async function createDraftFromReady(tx: Tx, context: RequestContext, ready: readonly ReadyLine[], origin: InvoiceOrigin, notes: string | null): Promise<InvoiceView> {
  const tenantId = context.actor.tenantId;
  const customers = new Set(ready.map((line) => `${line.customerId} ${line.currency}`));
  if (customers.size > 1) throw new AppError('O2C_BUSINESS_RULE', 'one invoice bills one customer in one currency; the shipments and orders named belong to several');
  const first = ready[0]!;
  const orderIds = [...new Set(ready.map((line) => line.orderId))];
  const [orders, orderLines, charges] = await Promise.all([
    tx.selectFrom('sales_orders').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', orderIds).execute(),
    tx.selectFrom('sales_order_lines').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', [...new Set(ready.map((line) => line.orderLineId))]).execute(),
    tx.selectFrom('sales_order_charges').selectAll().where('tenant_id', '=', tenantId).where('order_id', 'in', orderIds).where('invoice_id', 'is', null).orderBy('id').execute(),
  ]);
  const orderOf = new Map(orders.map((order) => [order.id, order]));
  const lineOf = new Map(orderLines.map((line) => [line.id, line]));
  let lines: NewLine[] = ready.map((entry) => {
    const line = lineOf.get(entry.orderLineId)!;
    const order = orderOf.get(entry.orderId)!;
    return {
      id: newId(),
      kind: 'item',
      order_id: order.id,
      order_number: order.number,
      customer_po_number: order.customer_po_number,
      order_line_id: line.id,
      order_line_no: line.line_no,
      order_charge_id: null,
      shipment_id: entry.shipmentId,
      shipment_number: entry.shipmentNumber,
      shipment_line_id: entry.shipmentLineId,
      ship_date: entry.shipDate,
      credited_line_id: null,
      item_id: line.item_id,
      item_kind: line.item_kind,
      sku: line.sku,
      description: line.description,
      unit: line.unit,
      charge_kind: null,
      quantity: entry.quantity.toFixed(),
      unit_price: line.unit_price,
      discount_percent: line.discount_percent,
      allowance_percent: order.order_discount_percent,
      tax_category: line.tax_category,
      tax_rate_percent: line.tax_rate_percent,
      tax_exemption_reason_code: line.tax_exemption_reason_code,
      tax_exemption_reason: line.tax_exemption_reason,
      revenue_account: line.revenue_account,
    };
  });
  for (const charge of charges) {
    const order = orderOf.get(charge.order_id)!;
    lines.push({
      id: newId(),
      kind: 'charge',
      order_id: order.id,
      order_number: order.number,
      customer_po_number: order.customer_po_number,
      order_line_id: null,
      order_line_no: null,
      order_charge_id: charge.id,
      shipment_id: null,
      shipment_number: null,
      shipment_line_id: null,
      ship_date: null,
      credited_line_id: null,
      item_id: null,
      item_kind: null,
      sku: null,
      description: charge.description,
      unit: 'C62',
      charge_kind: charge.kind,
      quantity: '1',
      unit_price: minorToDecimal(charge.amount_minor, order.currency).toFixed(),
      discount_percent: null,
      allowance_percent: null,
      tax_category: charge.tax_category,
      tax_rate_percent: charge.tax_rate_percent,
      tax_exemption_reason_code: charge.tax_exemption_reason_code,
      tax_exemption_reason: null,
      revenue_account: defaultRevenueAccount,
      fixed: { grossMinor: charge.amount_minor, discountMinor: 0n, allowanceShareMinor: 0n },
    });
  }
  // A charge's exemption reason text follows the item lines of the same category.
  for (const line of lines) {
    if (line.kind === 'charge' && line.tax_exemption_reason == null) line.tax_exemption_reason = lines.find((other) => other.kind === 'item' && other.tax_category === line.tax_category)?.tax_exemption_reason ?? null;
  }
  // EN 16931 BR-O-11: a document with supplies not subject to VAT (O) has no other
  // category. Such lines wait for an invoice of their own; they stay ready.
  const notSubject = lines.filter((line) => line.tax_category === 'O');
  if (notSubject.length > 0 && notSubject.length < lines.length && lines.some((line) => line.kind === 'item' && line.tax_category !== 'O')) {
    lines = lines.filter((line) => line.tax_category !== 'O');
  }
  const id = newId();
  await insertDraftHeader(tx, context, id, { customerId: first.customerId, currency: first.currency, origin, notes, orders, lines });
  const billed = await createDraftLines(tx, tenantId, id, first.currency, lines);
  await claim(tx, tenantId, id, lines, 1);
  await recordAudit(tx, context, { action: 'invoice.drafted', entityType: 'invoice', entityId: id, after: { origin, orders: orders.map((order) => order.number), lines: lines.length, gross: formatMinor(billed.grossMinor, first.currency) } });
  return loadInvoice(tx, tenantId, id);
}

/** Takes (sign 1) or gives back (sign −1) the quantities and charges a draft bills. */
async function claim(tx: Tx, tenantId: string, invoiceId: string, lines: ReadonlyArray<Pick<NewLine, 'kind' | 'order_line_id' | 'order_charge_id' | 'quantity'>>, sign: 1 | -1) {
  await recordInvoicedQuantities(
    tx,
    tenantId,
    lines.flatMap((line) => (line.kind === 'item' && line.order_line_id != null ? [{ orderLineId: line.order_line_id, quantity: sign === 1 ? new Big(line.quantity) : new Big(line.quantity).neg() }] : [])),
  );
  await recordInvoicedCharges(
    tx,
    tenantId,
    lines.flatMap((line) => (line.kind === 'charge' && line.order_charge_id != null ? [line.order_charge_id] : [])),
    sign === 1 ? invoiceId : null,
  );
}

export async function insertDraftHeader(
  tx: Tx,
  context: RequestContext,
  id: string,
  input: {
    customerId: string;
    currency: string;
    origin: InvoiceOrigin;
    notes: string | null;
    orders: ReadonlyArray<{ number: string; customer_po_number: string | null; ship_to_name: string; ship_to_line1: string; ship_to_line2: string | null; ship_to_postal_code: string; ship_to_city: string; ship_to_country_code: string }>;
    lines: ReadonlyArray<Pick<NewLine, 'ship_date'>>;
    kind?: InvoiceKind;
    creditedInvoiceId?: string;
    correctsInvoiceId?: string;
    creditReason?: string;
  },
) {
  const tenantId = context.actor.tenantId;
  const [tenant, customer] = await Promise.all([getTenant(tx, tenantId), getCustomerForOrder(tx, tenantId, input.customerId)]);
  const shipTos = new Set(input.orders.map((order) => JSON.stringify([order.ship_to_name, order.ship_to_line1, order.ship_to_line2, order.ship_to_postal_code, order.ship_to_city, order.ship_to_country_code])));
  const shipTo = shipTos.size === 1 ? input.orders[0]! : undefined;
  const shipDates = input.lines.flatMap((line) => (line.ship_date == null ? [] : [line.ship_date])).sort();
  const po = input.orders.length === 1 ? input.orders[0]!.customer_po_number : null;
  await tx
    .insertInto('invoices')
    .values({
      tenant_id: tenantId,
      id,
      kind: input.kind ?? 'invoice',
      number: null,
      status: 'draft',
      origin: input.origin,
      ...customerColumns(customer),
      deliver_to_name: shipTo?.ship_to_name ?? null,
      deliver_to_line1: shipTo?.ship_to_line1 ?? null,
      deliver_to_line2: shipTo?.ship_to_line2 ?? null,
      deliver_to_postal_code: shipTo?.ship_to_postal_code ?? null,
      deliver_to_city: shipTo?.ship_to_city ?? null,
      deliver_to_country_code: shipTo?.ship_to_country_code ?? null,
      currency: input.currency,
      base_currency: tenant.baseCurrency,
      exchange_rate: null,
      tax_base_minor: null,
      issue_date: null,
      delivery_date: shipDates.at(-1) ?? null,
      due_date: null,
      discount_deadline: null,
      discount_minor: null,
      payment_reference: null,
      buyer_reference: po ?? customer.number,
      order_discount_percent: null,
      credited_invoice_id: input.creditedInvoiceId ?? null,
      corrects_invoice_id: input.correctsInvoiceId ?? null,
      credit_reason: input.creditReason ?? null,
      notes: input.notes,
      journal_entry_id: null,
      created_by: context.actor.name,
    })
    .execute();
}

type CustomerSnapshot = Awaited<ReturnType<typeof getCustomerForOrder>>;

/** The customer as the document states it; refreshed when a draft is issued, fixed after. */
function customerColumns(customer: CustomerSnapshot) {
  return {
    customer_id: customer.id,
    customer_number: customer.number,
    customer_name: customer.name,
    customer_legal_name: customer.legalName,
    customer_vat_id: customer.vatId,
    customer_email: customer.invoiceEmail,
    billing_line1: customer.billingAddress.line1,
    billing_line2: customer.billingAddress.line2,
    billing_postal_code: customer.billingAddress.postalCode,
    billing_city: customer.billingAddress.city,
    billing_country_code: customer.billingAddress.countryCode,
    payment_terms_code: customer.paymentTerms.code,
    payment_terms_name: customer.paymentTerms.name,
    payment_terms_net_days: customer.paymentTerms.netDays,
    payment_terms_basis: customer.paymentTerms.basis,
    payment_terms_discount_percent: customer.paymentTerms.discountPercent,
    payment_terms_discount_days: customer.paymentTerms.discountDays,
  };
}

export async function lockInvoice(tx: Tx, tenantId: string, id: string, version?: number): Promise<InvoiceRow> {
  const row = await tx.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('invoice', id);
  if (version !== undefined && row.version !== version) throw versionConflict(row.kind === 'invoice' ? 'invoice' : 'credit note', row.number ?? 'draft', version);
  return row;
}

function requireDraft(row: InvoiceRow, doing: string): void {
  if (row.status !== 'draft') throw new AppError('O2C_INVOICE_ISSUED', `${row.number} is issued and cannot ${doing}; credit it or correct it instead`);
}

/** Changes a draft: its issue date, notes and buyer reference, and removes lines (their quantities can be billed again). */
export async function updateDraft(
  tx: Tx,
  context: RequestContext,
  id: string,
  change: { version: number; issueDate?: BusinessDate | null | undefined; notes?: string | null | undefined; buyerReference?: string | null | undefined; removeLineIds?: readonly string[] | undefined },
): Promise<InvoiceView> {
  const tenantId = context.actor.tenantId;
  const row = await lockInvoice(tx, tenantId, id, change.version);
  requireDraft(row, 'be changed');
  if (change.issueDate != null && change.issueDate > (await todayFor(tx, tenantId))) throw invalidValue('body.issueDate', 'an invoice cannot be dated in the future');
  const removeIds = [...new Set(change.removeLineIds ?? [])];
  if (removeIds.length > 0) {
    const lines = await linesOf(tx, tenantId, id);
    removeIds.forEach((lineId, index) => {
      if (!lines.some((line) => line.id === lineId)) throw new AppError('O2C_NOT_FOUND', `line ${lineId} is not a line of this draft`, [{ path: `body.removeLineIds.${index}`, message: 'not a line of this draft' }]);
    });
    const removed = lines.filter((line) => removeIds.includes(line.id));
    const kept = lines.filter((line) => !removeIds.includes(line.id));
    await lockOrdersForInvoicing(tx, tenantId, removed.flatMap((line) => (line.order_id === null ? [] : [line.order_id])));
    await claim(tx, tenantId, id, removed, -1);
    await tx.deleteFrom('invoice_lines').where('tenant_id', '=', tenantId).where('invoice_id', '=', id).execute();
    await createDraftLines(tx, tenantId, id, row.currency, kept.map(storedToNew));
  }
  await tx
    .updateTable('invoices')
    .set({
      ...(change.issueDate === undefined ? {} : { issue_date: change.issueDate }),
      ...(change.notes === undefined ? {} : { notes: change.notes }),
      ...(change.buyerReference === undefined ? {} : { buyer_reference: change.buyerReference }),
      version: row.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, { action: 'invoice.draft_changed', entityType: 'invoice', entityId: id, after: { issueDate: change.issueDate, notes: change.notes, removedLines: removeIds.length } });
  return loadInvoice(tx, tenantId, id);
}

/** A stored line as a line to bill again (its fixed amounts kept for charges and remainders). */
export function storedToNew(line: InvoiceLineRow): NewLine {
  const { tenant_id: _tenant, invoice_id: _invoice, line_no: _lineNo, gross_minor, discount_minor, net_minor: _net, allowance_share_minor, taxable_minor: _taxable, tax_minor: _tax, ...rest } = line;
  const fixed = line.kind === 'charge' || line.is_price_reduction ? { grossMinor: gross_minor, discountMinor: discount_minor, allowanceShareMinor: allowance_share_minor } : undefined;
  return { ...rest, fixed };
}

/** Deletes a draft; what it billed can be invoiced again. Issued documents are never deleted. */
export async function deleteDraft(tx: Tx, context: RequestContext, id: string, version: number): Promise<void> {
  const tenantId = context.actor.tenantId;
  const row = await lockInvoice(tx, tenantId, id, version);
  requireDraft(row, 'be deleted');
  const lines = await linesOf(tx, tenantId, id);
  await lockOrdersForInvoicing(tx, tenantId, lines.flatMap((line) => (line.order_id === null ? [] : [line.order_id])));
  await claim(tx, tenantId, id, lines, -1);
  await tx.deleteFrom('invoice_lines').where('tenant_id', '=', tenantId).where('invoice_id', '=', id).execute();
  await tx.deleteFrom('invoices').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await recordAudit(tx, context, { action: 'invoice.draft_deleted', entityType: 'invoice', entityId: id, before: { customer: row.customer_number, gross: formatMinor(row.gross_minor, row.currency), lines: lines.length } });
}

// ————————————————————————————————————————————— issuing

/**
 * Issues a draft: takes the next number of the series for the issue date (gapless:
 * the counter row is locked until commit and a rollback gives the number back),
 * fixes the customer, terms, due date, early-payment discount and RF reference,
 * and posts receivables against revenue and VAT in the same transaction.
 */
export async function issueDocument(tx: Tx, context: RequestContext, id: string, version?: number): Promise<InvoiceView> {
  const tenantId = context.actor.tenantId;
  const row = await lockInvoice(tx, tenantId, id, version);
  requireDraft(row, 'be issued again');
  const lines = await linesOf(tx, tenantId, id);
  const label = row.kind === 'invoice' ? 'invoice' : 'credit note';
  if (lines.length === 0) throw new AppError('O2C_BUSINESS_RULE', `this draft ${label} has no lines; an empty ${label} cannot be issued (delete the draft instead)`);
  if (row.gross_minor <= 0n) throw new AppError('O2C_BUSINESS_RULE', `this draft ${label} totals ${formatMinor(row.gross_minor, row.currency)} ${row.currency}; only a positive total can be issued`);
  const tenant = await getTenant(tx, tenantId);
  const today = businessDateAt(new Date(), tenant.timeZone);
  const issueDate = row.issue_date ?? today;
  if (issueDate > today) throw new AppError('O2C_BUSINESS_RULE', `the issue date ${issueDate} is in the future; set it to today or earlier`);
  const customer = await getCustomerForOrder(tx, tenantId, row.customer_id);
  const terms = customer.paymentTerms;
  const isInvoice = row.kind === 'invoice';
  const foreign = row.currency !== tenant.baseCurrency;
  const rate = foreign ? await findRate(tx, tenantId, row.currency, tenant.baseCurrency, issueDate) : null;
  if (foreign && rate === null) {
    throw new AppError('O2C_EXCHANGE_RATE_MISSING', `no ${row.currency}→${tenant.baseCurrency} exchange rate on or before ${issueDate}; enter one under Ledger → Exchange rates, then issue again`);
  }
  const entryLines = await postingLines(tx, tenantId, row, lines);
  // The number is taken as late as possible: its counter row stays locked until commit, and every issue of the series waits for it.
  const number = await nextNumber(tx, tenantId, isInvoice ? 'invoice' : 'credit_note', issueDate);
  // Read under the counter's lock, so a concurrent issue cannot slip an earlier date behind a later number.
  const year = yearOf(issueDate);
  const latest = await tx
    .selectFrom('invoices')
    .select(sql<string | null>`max(issue_date)`.as('latest'))
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', row.kind)
    .where('status', '=', 'issued')
    .where('issue_date', '>=', `${year}-01-01`)
    .where('issue_date', '<', `${year + 1}-01-01`)
    .executeTakeFirst();
  if (latest?.latest != null && latest.latest > issueDate) {
    throw new AppError('O2C_BUSINESS_RULE', `the issue date ${issueDate} is before ${latest.latest}, the date of the last issued ${label}; numbers follow dates, so date it ${latest.latest} or later`);
  }
  const entry = await postEntry(tx, context, {
    businessDate: issueDate,
    description: `${isInvoice ? 'Invoice' : 'Credit note'} ${number} ${row.customer_name}`,
    source: { type: row.kind, id },
    currency: row.currency,
    kind: 'automatic',
    lines: entryLines,
  });
  const discountMinor = isInvoice && terms.discountPercent !== null ? discountAmountMinor(terms, row.gross_minor, row.currency) : null;
  const credited = isInvoice ? 0n : row.credited_minor;
  await tx
    .updateTable('invoices')
    .set({
      ...customerColumns(customer),
      // A credit note keeps the invoice's buyer details it was drafted with only if the customer is unchanged; both refresh here.
      status: 'issued',
      number,
      issue_date: issueDate,
      due_date: isInvoice ? dueDate(terms, issueDate) : null,
      discount_deadline: isInvoice ? discountDeadline(terms, issueDate) : null,
      discount_minor: discountMinor === 0n ? null : discountMinor,
      payment_reference: creditorReferenceFor(number),
      exchange_rate: rate === null ? null : rate.rate.toFixed(),
      tax_base_minor: rate === null ? null : decimalToMinor(minorToDecimal(row.tax_minor, row.currency).times(rate.rate), tenant.baseCurrency),
      journal_entry_id: entry.id,
      issued_by: context.actor.name,
      issued_at: new Date(),
      open_minor: row.gross_minor - credited,
      payment_status: row.gross_minor === credited ? 'paid' : 'open',
      version: row.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordMovements(tx, row, [{ deltaMinor: row.gross_minor - credited, kind: 'issued', businessDate: issueDate, source: { type: row.kind, id } }]);
  await recordAudit(tx, context, { action: `${row.kind}.issued`, entityType: 'invoice', entityId: id, after: { number, issueDate, gross: formatMinor(row.gross_minor, row.currency), currency: row.currency, journalEntry: entry.number } });
  await emitEvent(tx, tenantId, {
    type: `${row.kind}.issued`,
    aggregateType: 'invoice',
    aggregateId: id,
    payload: { number, customerId: row.customer_id, currency: row.currency, gross: formatMinor(row.gross_minor, row.currency), issueDate, creditedInvoiceId: row.credited_invoice_id },
  });
  return loadInvoice(tx, tenantId, id);
}

/**
 * The entry of an issue: receivables (gross, with the customer) against revenue per
 * line account (taxable) and VAT payable per rate. A credit note posts the reverse.
 */
const chargeRevenueKey = '<charges>';

async function postingLines(tx: Tx, tenantId: string, row: InvoiceRow, lines: readonly InvoiceLineRow[]): Promise<PostingLineInput[]> {
  const revenueSide = row.kind === 'invoice' ? 'credit' : 'debit';
  const receivablesSide = row.kind === 'invoice' ? 'debit' : 'credit';
  // Item lines post to their item's revenue account; charges (freight, handling) to the revenue system account.
  const byAccount = new Map<string, bigint>();
  for (const line of lines) {
    const key = line.kind === 'charge' ? chargeRevenueKey : line.revenue_account;
    byAccount.set(key, (byAccount.get(key) ?? 0n) + line.taxable_minor);
  }
  const byVatKey = new Map<string, bigint>();
  for (const entry of row.tax_breakdown as Array<{ ratePercent: string; taxMinor: string }>) {
    const taxMinor = BigInt(entry.taxMinor);
    if (taxMinor === 0n) continue;
    const key = await vatPayableKey(tx, tenantId, entry.ratePercent);
    byVatKey.set(key, (byVatKey.get(key) ?? 0n) + taxMinor);
  }
  const description = `${row.customer_number} ${row.customer_name}`;
  return [
    { systemKey: 'receivables', side: receivablesSide, amountMinor: row.gross_minor, customerId: row.customer_id, description },
    ...[...byAccount]
      .filter(([, amount]) => amount !== 0n)
      .map(([account, amountMinor]) => ({
        ...(account === chargeRevenueKey ? { systemKey: 'revenue' } : { accountNumber: account }),
        side: amountMinor > 0n ? revenueSide : receivablesSide,
        amountMinor: amountMinor > 0n ? amountMinor : -amountMinor,
      })),
    ...[...byVatKey].map(([systemKey, amountMinor]) => ({ systemKey, side: revenueSide, amountMinor })),
  ] as PostingLineInput[];
}


