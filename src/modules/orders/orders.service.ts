import { sql } from 'kysely';
import { Big, formatQuantity, newId, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit, recordAudits } from '../../platform/audit/audit';
import { personKey } from '../../platform/auth/person';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, versionConflict } from '../../platform/errors/app-error';
import { toJsonText } from '../../platform/json';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { nextNumber } from '../../platform/number-series/number-series';
import { emitEvent, emitEvents } from '../../platform/outbox/outbox';
import { getItemsByIds } from '../catalog';
import { getCustomerStatus } from '../customers';
import { getAvailability, releaseReservations, reserveStock, type ReservationPolicy } from '../inventory';
import { buildDraft, type Draft, type OrderInput } from './order-draft';
import { checkTransition, type OrderAction } from './order-lifecycle.rules';
import { toOrderView, type OrderChargeRow, type OrderLineRow, type OrderRow, type OrderView } from './order-view';
import type { OrderSource, OrderStatus, ReservationStatus } from './orders.tables';
import './orders.tables';

export const orderLineReference = 'sales_order_line';

export async function loadOrder(executor: Executor, tenantId: string, id: string): Promise<OrderView> {
  const order = await executor.selectFrom('sales_orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (order === undefined) throw notFound('order', id);
  return viewOf(executor, order);
}

async function viewOf(executor: Executor, order: OrderRow): Promise<OrderView> {
  const [lines, charges] = await Promise.all([
    executor.selectFrom('sales_order_lines').selectAll().where('tenant_id', '=', order.tenant_id).where('order_id', '=', order.id).orderBy('line_no').execute(),
    executor.selectFrom('sales_order_charges').selectAll().where('tenant_id', '=', order.tenant_id).where('order_id', '=', order.id).orderBy('id').execute(),
  ]);
  return toOrderView(order, lines, charges);
}

/** Locks the order row for a state change and checks the action is allowed from its state. */
export async function lockOrder(tx: Tx, tenantId: string, id: string, action: OrderAction, version?: number): Promise<OrderRow> {
  const order = await tx.selectFrom('sales_orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (order === undefined) throw notFound('order', id);
  if (version !== undefined && order.version !== version) throw versionConflict('order', order.number, version);
  const check = checkTransition(order.status, action);
  if (!check.allowed) throw new AppError('O2C_STATE_CONFLICT', `${order.number}: ${check.reason}`);
  return order;
}

function headerColumns(draft: Draft) {
  return {
    customer_id: draft.customer.id,
    customer_number: draft.customer.number,
    customer_name: draft.customer.name,
    customer_po_number: draft.customerPoNumber,
    currency: draft.currency,
    order_date: draft.orderDate,
    requested_delivery_date: draft.requestedDeliveryDate,
    ship_to_name: draft.shipTo.name,
    ship_to_line1: draft.shipTo.line1,
    ship_to_line2: draft.shipTo.line2,
    ship_to_postal_code: draft.shipTo.postalCode,
    ship_to_city: draft.shipTo.city,
    ship_to_country_code: draft.shipTo.countryCode,
    buyer_country_code: draft.customer.countryCode,
    buyer_vat_id: draft.customer.vatId,
    seller_country_code: draft.sellerCountryCode,
    warehouse_id: draft.warehouseId,
    shipping_policy: draft.shippingPolicy,
    price_list_id: draft.customer.priceListId,
    payment_terms_code: draft.customer.paymentTerms.code,
    order_discount_percent: draft.orderDiscountPercent?.toFixed() ?? null,
    allow_over_delivery: draft.allowOverDelivery,
    over_delivery_tolerance_percent: draft.overDeliveryTolerancePercent.toFixed(),
    notes: draft.notes,
    ...totalsColumns(draft),
  };
}

function totalsColumns(draft: Draft) {
  const priced = draft.priced;
  return {
    lines_net_minor: priced.linesNetMinor,
    order_discount_minor: priced.orderDiscountMinor,
    charges_minor: priced.chargesMinor,
    taxable_minor: priced.taxableMinor,
    tax_minor: priced.taxMinor,
    gross_minor: priced.grossMinor,
    tax_breakdown: toJsonText(priced.taxBreakdown),
  };
}

/** Writes the lines and charges of a draft (keeping the ids of lines it keeps) and returns the rows as stored. */
async function writeLinesAndCharges(
  tx: Tx,
  tenantId: string,
  orderId: string,
  draft: Draft,
  keep: ReadonlyMap<string, OrderLineRow>,
): Promise<{ lines: OrderLineRow[]; charges: OrderChargeRow[] }> {
  const fresh = keep.size === 0;
  if (!fresh) await tx.deleteFrom('sales_order_charges').where('tenant_id', '=', tenantId).where('order_id', '=', orderId).execute();
  const keptIds = new Set(draft.lines.flatMap((line) => (line.lineId === undefined ? [] : [line.lineId])));
  const removable = [...keep.values()].filter((row) => !keptIds.has(row.id));
  for (const row of removable) {
    if (new Big(row.quantity_shipped).gt('0')) {
      throw new AppError('O2C_STATE_CONFLICT', `line ${row.line_no} (${row.sku}) has shipped quantities and cannot be removed; cancel its open quantity instead`);
    }
  }
  if (removable.length > 0) {
    await tx.deleteFrom('sales_order_lines').where('tenant_id', '=', tenantId).where('id', 'in', removable.map((row) => row.id)).execute();
  }
  let nextLineNo = Math.max(0, ...[...keep.values()].map((row) => row.line_no)) + 1;
  const rows = draft.lines.map((line, index) => {
    const existing = line.lineId === undefined ? undefined : keep.get(line.lineId);
    if (line.lineId !== undefined && existing === undefined) {
      throw new AppError('O2C_NOT_FOUND', `line ${line.lineId} is not a line of this order`, [{ path: `body.lines.${index}.lineId`, message: 'not a line of this order' }]);
    }
    if (existing !== undefined && line.quantity.lt(new Big(existing.quantity_shipped).plus(new Big(existing.quantity_cancelled)))) {
      throw new AppError('O2C_BUSINESS_RULE', `line ${existing.line_no}: the quantity cannot go below what is shipped or cancelled`, [
        { path: `body.lines.${index}.quantity`, message: 'is below the shipped and cancelled quantity' },
      ]);
    }
    const priced = draft.priced.lines[index]!;
    return {
      tenant_id: tenantId,
      id: existing?.id ?? newId(),
      order_id: orderId,
      line_no: existing?.line_no ?? nextLineNo++,
      item_id: line.item.id,
      sku: line.item.sku,
      description: line.description,
      item_kind: line.item.kind,
      unit: line.item.unit,
      quantity: line.quantity.toFixed(),
      unit_price: line.unitPrice.toFixed(),
      price_source: line.priceSource,
      price_list_id: line.priceListId,
      price_override_reason: line.priceOverrideReason,
      discount_percent: line.discountPercent?.toFixed() ?? null,
      gross_minor: priced.grossMinor,
      discount_minor: priced.discountMinor,
      net_minor: priced.netMinor,
      order_discount_share_minor: priced.orderDiscountShareMinor,
      taxable_minor: priced.taxableMinor,
      tax_category: line.tax.categoryCode,
      tax_rate_percent: line.tax.ratePercent,
      tax_exemption_reason_code: line.tax.exemptionReasonCode,
      tax_exemption_reason: line.tax.exemptionReason,
      tax_minor: priced.taxMinor,
      revenue_account: line.item.revenueAccount,
      quantity_shipped: existing?.quantity_shipped ?? '0',
      quantity_cancelled: existing?.quantity_cancelled ?? '0',
      quantity_invoiced: existing?.quantity_invoiced ?? '0',
      quantity_reserved: '0',
      promised_ship_date: null,
    };
  });
  const insertedLines = await tx
    .insertInto('sales_order_lines')
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
        item_id: eb.ref('excluded.item_id'),
        sku: eb.ref('excluded.sku'),
        description: eb.ref('excluded.description'),
        item_kind: eb.ref('excluded.item_kind'),
        unit: eb.ref('excluded.unit'),
        quantity: eb.ref('excluded.quantity'),
        unit_price: eb.ref('excluded.unit_price'),
        price_source: eb.ref('excluded.price_source'),
        price_list_id: eb.ref('excluded.price_list_id'),
        price_override_reason: eb.ref('excluded.price_override_reason'),
        discount_percent: eb.ref('excluded.discount_percent'),
        gross_minor: eb.ref('excluded.gross_minor'),
        discount_minor: eb.ref('excluded.discount_minor'),
        net_minor: eb.ref('excluded.net_minor'),
        order_discount_share_minor: eb.ref('excluded.order_discount_share_minor'),
        taxable_minor: eb.ref('excluded.taxable_minor'),
        tax_category: eb.ref('excluded.tax_category'),
        tax_rate_percent: eb.ref('excluded.tax_rate_percent'),
        tax_exemption_reason_code: eb.ref('excluded.tax_exemption_reason_code'),
        tax_exemption_reason: eb.ref('excluded.tax_exemption_reason'),
        tax_minor: eb.ref('excluded.tax_minor'),
        revenue_account: eb.ref('excluded.revenue_account'),
        quantity_reserved: eb.ref('excluded.quantity_reserved'),
        promised_ship_date: eb.ref('excluded.promised_ship_date'),
      })),
    )
    .returningAll()
    .execute();
  const storedLines = [...insertedLines].sort((a, b) => a.line_no - b.line_no);
  if (draft.charges.length === 0) return { lines: storedLines, charges: [] };
  const charges = await tx
      .insertInto('sales_order_charges')
      .values(
        draft.charges.map((charge, index) => {
          const priced = draft.priced.charges[index]!;
          return {
            tenant_id: tenantId,
            id: newId(),
            order_id: orderId,
            kind: charge.kind,
            description: charge.description,
            amount_minor: charge.amountMinor,
            tax_category: priced.tax.categoryCode,
            tax_rate_percent: priced.tax.ratePercent,
            tax_exemption_reason_code: priced.tax.exemptionReasonCode,
            tax_minor: priced.taxMinor,
          };
        }),
      )
      .returningAll()
      .execute();
  return { lines: storedLines, charges };
}

/** Creates a draft order: checked, priced and numbered, nothing reserved yet. */
export async function createOrder(tx: Tx, context: RequestContext, input: OrderInput, source: OrderSource): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const draft = await buildDraft(tx, context, input, { requireActive: true });
  if (draft.customerPoNumber !== null) await refuseDuplicatePo(tx, tenantId, draft.customer.id, draft.customerPoNumber);
  const id = newId();
  const number = await nextNumber(tx, tenantId, 'sales_order', draft.orderDate);
  const order = await tx
    .insertInto('sales_orders')
    .values({ tenant_id: tenantId, id, number, status: 'draft', source, created_by: context.actor.name, created_by_key: await personKey(tx, context), ...headerColumns(draft) })
    .returningAll()
    .executeTakeFirstOrThrow();
  const stored = await writeLinesAndCharges(tx, tenantId, id, draft, new Map());
  const view = toOrderView(order, stored.lines, stored.charges);
  await recordAudit(tx, context, { action: 'order.created', entityType: 'order', entityId: id, after: { number, totals: view.totals, lines: view.lines.length } });
  await emitEvent(tx, tenantId, { type: 'order.created', aggregateType: 'order', aggregateId: id, payload: { number, customerId: draft.customer.id, source } });
  return view;
}

async function refuseDuplicatePo(tx: Tx, tenantId: string, customerId: string, po: string): Promise<void> {
  const existing = await findOrderByCustomerPo(tx, tenantId, customerId, po);
  if (existing !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `order ${existing.number} already carries this customer's PO number ${po}`, [
      { path: 'body.customerPoNumber', message: `already used by ${existing.number}` },
    ]);
  }
}

/** The order that carries a customer's PO number, if any (customer + PO identify an order). */
export async function findOrderByCustomerPo(executor: Executor, tenantId: string, customerId: string, po: string): Promise<{ id: string; number: string } | undefined> {
  return executor
    .selectFrom('sales_orders')
    .select(['id', 'number'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('customer_po_number', '=', po)
    .executeTakeFirst();
}

/** Prices an order without writing it: lines, tax, totals and availability, for the entry form. */
export async function quoteOrder(executor: Executor, context: RequestContext, input: OrderInput) {
  const draft = await buildDraft(executor, context, input, { requireActive: false });
  const goods = draft.lines.filter((line) => line.item.kind === 'goods').map((line) => line.item.id);
  const stock = await getAvailability(executor, context.actor.tenantId, [...new Set(goods)], draft.warehouseId);
  const availableByItem = new Map(stock.map((level) => [level.itemId, level.available]));
  return { draft, availableByItem };
}

export interface OrderFilter {
  status?: OrderStatus | undefined;
  customerId?: string | undefined;
  search?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listOrders(executor: Executor, tenantId: string, filter: OrderFilter): Promise<Page<OrderListItem>> {
  let query = executor.selectFrom('sales_orders').selectAll().where('tenant_id', '=', tenantId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.from !== undefined) query = query.where('order_date', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('order_date', '<=', filter.to);
  if (filter.search !== undefined && filter.search !== '') {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) =>
      where.or([where('number', 'ilike', pattern), where('customer_name', 'ilike', pattern), where('customer_number', 'ilike', pattern), where('customer_po_number', 'ilike', pattern)]),
    );
  }
  if (filter.cursor !== undefined) query = query.where('id', '<', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toListItem, (row) => [row.id]);
}

export type OrderListItem = ReturnType<typeof toListItem>;

function toListItem(row: OrderRow) {
  const view = toOrderView(row, [], []);
  return {
    id: view.id,
    number: view.number,
    status: view.status,
    reservationStatus: view.reservationStatus,
    customer: view.customer,
    customerPoNumber: view.customerPoNumber,
    currency: view.currency,
    orderDate: view.orderDate,
    requestedDeliveryDate: view.requestedDeliveryDate,
    totals: view.totals,
    source: view.source,
    version: view.version,
  };
}

/** Changes the header fields that do not affect prices. */
export async function updateOrderHeader(
  tx: Tx,
  context: RequestContext,
  id: string,
  change: { version: number; customerPoNumber?: string | null | undefined; requestedDeliveryDate?: string | null | undefined; notes?: string | null | undefined },
): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const order = await lockOrder(tx, tenantId, id, 'change_lines', change.version);
  const po = change.customerPoNumber === undefined ? order.customer_po_number : change.customerPoNumber?.trim() || null;
  if (po !== null && po !== order.customer_po_number) await refuseDuplicatePo(tx, tenantId, order.customer_id, po);
  const requested = change.requestedDeliveryDate === undefined ? order.requested_delivery_date : change.requestedDeliveryDate;
  if (requested !== null && requested < order.order_date) {
    throw new AppError('O2C_VALIDATION_FAILED', `requestedDeliveryDate must not be before the order date ${order.order_date}`, [
      { path: 'body.requestedDeliveryDate', message: `must not be before ${order.order_date}` },
    ]);
  }
  await tx
    .updateTable('sales_orders')
    .set({
      customer_po_number: po,
      requested_delivery_date: requested,
      notes: change.notes === undefined ? order.notes : change.notes?.trim() || null,
      version: order.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  const view = await loadOrder(tx, tenantId, id);
  await recordAudit(tx, context, {
    action: 'order.updated',
    entityType: 'order',
    entityId: id,
    before: { customerPoNumber: order.customer_po_number, requestedDeliveryDate: order.requested_delivery_date, notes: order.notes },
    after: { customerPoNumber: view.customerPoNumber, requestedDeliveryDate: view.requestedDeliveryDate, notes: view.notes },
  });
  return view;
}

async function linesOf(tx: Executor, tenantId: string, orderId: string): Promise<OrderLineRow[]> {
  return tx.selectFrom('sales_order_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
}

/**
 * Replaces the lines, charges and order discount of a draft, approved or held
 * order in one transaction: re-prices everything, and for an approved order
 * releases and re-reserves its stock (unless `reserve: false`: the caller decides
 * credit first and reserves with `reserveOrderLines`).
 */
export async function replaceOrderLines(
  tx: Tx,
  context: RequestContext,
  id: string,
  change: { version: number; lines: OrderInput['lines']; charges?: OrderInput['charges']; orderDiscountPercent?: string | null | undefined },
  options: { reserve?: boolean } = {},
): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const order = await lockOrder(tx, tenantId, id, 'change_lines', change.version);
  const before = await loadOrder(tx, tenantId, id);
  const existing = await linesOf(tx, tenantId, id);
  const draft = await buildDraft(
    tx,
    context,
    {
      customerId: order.customer_id,
      currency: order.currency,
      orderDate: order.order_date,
      requestedDeliveryDate: order.requested_delivery_date,
      shipTo: { name: order.ship_to_name, line1: order.ship_to_line1, line2: order.ship_to_line2, postalCode: order.ship_to_postal_code, city: order.ship_to_city, countryCode: order.ship_to_country_code },
      warehouseId: order.warehouse_id,
      shippingPolicy: order.shipping_policy,
      orderDiscountPercent: change.orderDiscountPercent === undefined ? order.order_discount_percent : change.orderDiscountPercent,
      lines: change.lines,
      charges: change.charges ?? before.charges.map((charge) => ({ kind: charge.kind, amount: charge.amount, description: charge.description })),
    },
    { requireActive: true },
  );
  // A held order may still hold what it reserved before a change put it on hold; the new lines start from nothing.
  if (order.status === 'approved' || order.status === 'on_credit_hold') await releaseReservations(tx, context, orderLineReference, existing.map((line) => line.id));
  await writeLinesAndCharges(tx, tenantId, id, draft, new Map(existing.map((line) => [line.id, line])));
  await tx
    .updateTable('sales_orders')
    .set({ ...totalsColumns(draft), order_discount_percent: draft.orderDiscountPercent?.toFixed() ?? null, version: order.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  if (order.status === 'approved' && options.reserve !== false) await reserveOrder(tx, context, id);
  const after = await loadOrder(tx, tenantId, id);
  await recordAudit(tx, context, {
    action: 'order.lines_changed',
    entityType: 'order',
    entityId: id,
    before: { totals: before.totals, lines: before.lines.map(lineSummary) },
    after: { totals: after.totals, lines: after.lines.map(lineSummary) },
  });
  await emitEvent(tx, tenantId, {
    type: 'order.lines_changed',
    aggregateType: 'order',
    aggregateId: id,
    payload: { number: order.number, grossBefore: before.totals.gross, grossAfter: after.totals.gross },
  });
  return after;
}

const lineSummary = (line: OrderView['lines'][number]) => ({ lineNo: line.lineNo, sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice, netAmount: line.netAmount });

/**
 * Reserves stock for the open quantity of every goods line, in the order's
 * shipping policy, and records what each line holds and the promised ship date.
 * Returns the lines as stored and the order's reservation status (which the
 * caller writes with its own update of the order).
 */
async function reserveLines(
  tx: Tx,
  context: RequestContext,
  order: OrderRow,
  lines: readonly OrderLineRow[],
  caps?: ReadonlyMap<string, Decimal>,
): Promise<{ lines: OrderLineRow[]; status: ReservationStatus }> {
  const tenantId = context.actor.tenantId;
  const openOf = (line: OrderLineRow) => new Big(line.quantity).minus(new Big(line.quantity_shipped)).minus(new Big(line.quantity_cancelled));
  const targetOf = (line: OrderLineRow) => {
    const cap = caps === undefined ? undefined : (caps.get(line.id) ?? new Big('0'));
    return cap !== undefined && cap.lt(openOf(line)) ? cap : openOf(line);
  };
  const wanted = lines
    .filter((line) => line.item_kind === 'goods')
    .map((line) => ({ line, missing: targetOf(line).minus(new Big(line.quantity_reserved)) }))
    .filter((entry) => entry.missing.gt('0'));
  const reserved = await reserveStock(
    tx,
    context,
    orderLineReference,
    wanted.map((entry) => ({ referenceId: entry.line.id, itemId: entry.line.item_id, warehouseId: order.warehouse_id, quantity: entry.missing })),
    order.shipping_policy as ReservationPolicy,
  );
  const heldByLine = new Map<string, Decimal>(wanted.map((entry, index) => [entry.line.id, new Big(entry.line.quantity_reserved).plus(reserved[index]!)]));
  const heldOf = (line: OrderLineRow) => heldByLine.get(line.id) ?? new Big(line.quantity_reserved);
  const values = sql.join(
    lines.map((line) => {
      const promised = line.item_kind === 'service' || heldOf(line).gte(openOf(line)) ? order.order_date : null;
      return sql`(${line.id}::uuid, ${heldOf(line).toFixed()}::numeric, ${promised}::date)`;
    }),
  );
  const stored = await sql<OrderLineRow>`update sales_order_lines as l set quantity_reserved = v.held, promised_ship_date = v.promised
    from (values ${values}) as v (id, held, promised)
    where l.tenant_id = ${tenantId} and l.id = v.id
    returning l.*`.execute(tx);
  const status = reservationStatusOf(lines.map((line) => ({ kind: line.item_kind, open: openOf(line), held: heldOf(line) })));
  return { lines: [...stored.rows].sort((a, b) => a.line_no - b.line_no), status };
}

/**
 * Reserves what an order still misses and records its reservation status; with
 * `caps`, at most that much per line (an order put back on hold keeps no more than
 * it held before).
 */
export async function reserveOrderLines(tx: Tx, context: RequestContext, id: string, caps?: ReadonlyMap<string, Decimal>): Promise<ReservationStatus> {
  return reserveOrder(tx, context, id, caps);
}

async function reserveOrder(tx: Tx, context: RequestContext, id: string, caps?: ReadonlyMap<string, Decimal>): Promise<ReservationStatus> {
  const tenantId = context.actor.tenantId;
  const order = await tx.selectFrom('sales_orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
  const { status } = await reserveLines(tx, context, order, await linesOf(tx, tenantId, id), caps);
  await tx.updateTable('sales_orders').set({ reservation_status: status }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  return status;
}

export function reservationStatusOf(lines: ReadonlyArray<{ kind: 'goods' | 'service'; open: Decimal; held: Decimal }>): ReservationStatus {
  const goods = lines.filter((line) => line.kind === 'goods' && line.open.gt('0'));
  if (goods.length === 0) return 'not_needed';
  if (goods.every((line) => line.held.gte(line.open))) return 'complete';
  return goods.some((line) => line.held.gt('0')) ? 'partial' : 'backordered';
}

export interface CreditDecision {
  readonly outcome: 'approve' | 'hold';
  readonly reasons: readonly string[];
  readonly decidedAt: string;
  readonly inputs: Record<string, unknown>;
}

/** A draft being submitted: locked and checked, waiting for its credit decision. */
export interface Submission {
  readonly order: OrderRow;
  readonly lines: OrderLineRow[];
  readonly view: OrderView;
}

/**
 * The first half of submitting: locks the draft and checks everything again — the
 * customer may have been blocked or an item deactivated since the draft was
 * written, and every line needs a price and a quantity. Prices and tax stay as
 * entered: they were fixed when the order was taken.
 */
export async function prepareSubmission(tx: Tx, context: RequestContext, id: string): Promise<Submission> {
  const tenantId = context.actor.tenantId;
  const order = await lockOrder(tx, tenantId, id, 'submit');
  const lines = await linesOf(tx, tenantId, id);
  if (lines.length === 0) throw new AppError('O2C_BUSINESS_RULE', `${order.number} has no lines; add at least one before submitting`);
  const customer = await getCustomerStatus(tx, tenantId, order.customer_id);
  if (customer.status !== 'active') {
    throw new AppError('O2C_CUSTOMER_NOT_ACTIVE', `customer ${customer.number} is ${customer.status}; ${order.number} cannot be submitted`);
  }
  const items = await getItemsByIds(tx, tenantId, [...new Set(lines.map((line) => line.item_id))]);
  const inactive = lines.filter((line) => items.get(line.item_id)?.active !== true);
  if (inactive.length > 0) {
    throw new AppError(
      'O2C_ITEM_INACTIVE',
      `${inactive.map((line) => `line ${line.line_no} (${line.sku})`).join(', ')} ${inactive.length === 1 ? 'is' : 'are'} no longer active; change the lines before submitting`,
    );
  }
  const charges = order.charges_minor > 0n ? await chargesOf(tx, tenantId, id) : [];
  return { order, lines, view: toOrderView(order, lines, charges) };
}

/**
 * The second half: with the credit decision, approve the order and reserve its
 * stock (locking stock rows last, so other orders wait on them as briefly as
 * possible), or put it on credit hold, reserving nothing.
 */
export async function completeSubmission(tx: Tx, context: RequestContext, submission: Submission, decision: CreditDecision): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const { order } = submission;
  const approved = decision.outcome === 'approve';
  const events = [
    { type: 'order.submitted', aggregateType: 'order', aggregateId: order.id, payload: { number: order.number } },
    approved
      ? { type: 'order.approved', aggregateType: 'order', aggregateId: order.id, payload: { number: order.number } }
      : { type: 'order.on_credit_hold', aggregateType: 'order', aggregateId: order.id, payload: { number: order.number, reasons: decision.reasons } },
  ];
  await recordAudits(tx, context, [
    { action: 'order.submitted', entityType: 'order', entityId: order.id, after: { status: 'submitted', gross: submission.view.totals.gross } },
    { action: approved ? 'order.approved' : 'order.held', entityType: 'order', entityId: order.id, after: { status: approved ? 'approved' : 'on_credit_hold', decision } },
  ]);
  await emitEvents(tx, tenantId, events);
  const reservation = approved ? await reserveLines(tx, context, order, submission.lines) : { lines: submission.lines, status: order.reservation_status };
  const now = new Date();
  const stored = await tx
    .updateTable('sales_orders')
    .set({
      status: approved ? 'approved' : 'on_credit_hold',
      reservation_status: reservation.status,
      submitted_at: now,
      approved_at: approved ? now : null,
      credit_decision: toJsonText(decision),
      version: order.version + 1,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', order.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOrderView(stored, reservation.lines, submission.view.charges.length === 0 ? [] : await chargesOf(tx, tenantId, order.id));
}

/** An order's customer, state and value, read without a lock: credit decisions lock the customer before the order. */
export async function orderHeadline(executor: Executor, tenantId: string, id: string): Promise<{ customerId: string; status: OrderStatus; grossMinor: bigint }> {
  const row = await executor.selectFrom('sales_orders').select(['customer_id', 'status', 'gross_minor']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('order', id);
  return { customerId: row.customer_id, status: row.status, grossMinor: row.gross_minor };
}

/** Stores a credit decision taken again for an approved order (after a change) that stays approved. */
export async function storeCreditDecision(tx: Tx, context: RequestContext, id: string, decision: CreditDecision): Promise<void> {
  const tenantId = context.actor.tenantId;
  await tx.updateTable('sales_orders').set({ credit_decision: toJsonText(decision), updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await recordAudit(tx, context, { action: 'order.credit_decided', entityType: 'order', entityId: id, after: { decision } });
  await emitEvent(tx, tenantId, { type: 'order.credit_decided', aggregateType: 'order', aggregateId: id, payload: { outcome: decision.outcome, reasons: decision.reasons } });
}

/**
 * Puts an approved order back on credit hold after a change raised its value and
 * the credit decision said hold. What it had reserved stays reserved until a
 * credit manager decides; nothing ships while it is held.
 */
export async function holdOrder(tx: Tx, context: RequestContext, id: string, decision: CreditDecision): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const order = await lockOrder(tx, tenantId, id, 'hold');
  await tx
    .updateTable('sales_orders')
    .set({ status: 'on_credit_hold', approved_at: null, credit_decision: toJsonText(decision), version: order.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, { action: 'order.held', entityType: 'order', entityId: id, before: { status: order.status }, after: { status: 'on_credit_hold', decision } });
  await emitEvent(tx, tenantId, { type: 'order.on_credit_hold', aggregateType: 'order', aggregateId: id, payload: { number: order.number, reasons: decision.reasons } });
  return loadOrder(tx, tenantId, id);
}

/**
 * Releases an order from credit hold: a credit manager decided, with a reason.
 * The order is approved and reserves its stock now, like an order approved at submit.
 */
export async function releaseHeldOrder(tx: Tx, context: RequestContext, id: string, release: { reason: string; reviewId: string }): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const order = await lockOrder(tx, tenantId, id, 'release');
  const lines = await linesOf(tx, tenantId, id);
  const reservation = await reserveLines(tx, context, order, lines);
  const now = new Date();
  await tx
    .updateTable('sales_orders')
    .set({ status: 'approved', reservation_status: reservation.status, approved_at: now, version: order.version + 1, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, {
    action: 'order.released',
    entityType: 'order',
    entityId: id,
    before: { status: order.status },
    after: { status: 'approved', reservationStatus: reservation.status, releasedBy: context.actor.name, reason: release.reason, reviewId: release.reviewId },
  });
  await emitEvent(tx, tenantId, { type: 'order.released', aggregateType: 'order', aggregateId: id, payload: { number: order.number, reason: release.reason, releasedBy: context.actor.name } });
  return loadOrder(tx, tenantId, id);
}

async function chargesOf(executor: Executor, tenantId: string, orderId: string): Promise<OrderChargeRow[]> {
  return executor.selectFrom('sales_order_charges').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('id').execute();
}

/**
 * Cancels everything not yet shipped (services: not yet billed) and releases its
 * stock. An order with nothing done becomes cancelled; a partly done one is
 * short-closed: what shipped or was billed stays, the rest is cancelled, and it
 * counts as shipped.
 */
export async function cancelOrder(tx: Tx, context: RequestContext, id: string, reason: string): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const order = await lockOrder(tx, tenantId, id, 'cancel');
  const lines = await linesOf(tx, tenantId, id);
  await releaseReservations(tx, context, orderLineReference, lines.map((line) => line.id));
  let anyShipped = false;
  // What is done stays: goods shipped, services already billed (a service does not ship; its invoice delivers it).
  const doneOf = (line: OrderLineRow) => new Big(line.item_kind === 'service' ? line.quantity_invoiced : line.quantity_shipped);
  for (const line of lines) {
    const done = doneOf(line);
    if (done.gt('0')) anyShipped = true;
    await tx
      .updateTable('sales_order_lines')
      .set({ quantity_cancelled: new Big(line.quantity).minus(done).toFixed(), quantity_reserved: '0', promised_ship_date: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', line.id)
      .execute();
  }
  const status: OrderStatus = anyShipped ? 'shipped' : 'cancelled';
  await tx
    .updateTable('sales_orders')
    .set({ status, reservation_status: 'none', cancel_reason: reason, cancelled_at: new Date(), version: order.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, {
    action: anyShipped ? 'order.short_closed' : 'order.cancelled',
    entityType: 'order',
    entityId: id,
    before: { status: order.status },
    after: { status, reason, cancelled: lines.map((line) => ({ lineNo: line.line_no, quantity: formatQuantity(new Big(line.quantity).minus(doneOf(line))) })) },
  });
  await emitEvent(tx, tenantId, { type: 'order.cancelled', aggregateType: 'order', aggregateId: id, payload: { number: order.number, shortClosed: anyShipped, reason } });
  return loadOrder(tx, tenantId, id);
}

/** An order's lines as fulfillment needs them: what is reserved and not yet shipped. */
export interface ShippableOrder {
  readonly order: OrderRow;
  readonly lines: OrderLineRow[];
}

/** Locks an order for shipping from it (approved or partly shipped) and returns its lines. */
export async function lockOrderForShipping(tx: Tx, tenantId: string, orderId: string): Promise<ShippableOrder> {
  const order = await lockOrder(tx, tenantId, orderId, 'ship_partially');
  return { order, lines: await linesOf(tx, tenantId, orderId) };
}

/**
 * Records goods that shipped: per line the shipped quantity grows and the reserved
 * one shrinks (invariant 4: shipped <= ordered unless over-delivery is allowed, within
 * its tolerance). The order becomes shipped when every line is shipped or cancelled,
 * else partially shipped.
 */
export async function recordShipment(tx: Tx, context: RequestContext, shippable: ShippableOrder, shipped: ReadonlyArray<{ orderLineId: string; quantity: Decimal }>): Promise<OrderStatus> {
  const tenantId = context.actor.tenantId;
  const { order } = shippable;
  const tolerance = new Big('1').plus(new Big(order.over_delivery_tolerance_percent).div(new Big('100')));
  const byLine = new Map(shippable.lines.map((line) => [line.id, line]));
  const updated = new Map<string, { shipped: Decimal; reserved: Decimal }>();
  for (const entry of shipped) {
    const line = byLine.get(entry.orderLineId);
    if (line === undefined) throw new AppError('O2C_NOT_FOUND', `line ${entry.orderLineId} is not a line of ${order.number}`);
    const newShipped = new Big(line.quantity_shipped).plus(entry.quantity);
    const limit = order.allow_over_delivery ? new Big(line.quantity).times(tolerance) : new Big(line.quantity);
    if (newShipped.plus(new Big(line.quantity_cancelled)).gt(limit)) {
      throw new AppError('O2C_BUSINESS_RULE', `line ${line.line_no} (${line.sku}) would ship ${formatQuantity(newShipped)} of ${formatQuantity(new Big(line.quantity))} ordered`);
    }
    const reserved = new Big(line.quantity_reserved).minus(entry.quantity);
    updated.set(line.id, { shipped: newShipped, reserved: reserved.lt('0') ? new Big('0') : reserved });
  }
  const values = sql.join([...updated].map(([id, value]) => sql`(${id}::uuid, ${value.shipped.toFixed()}::numeric, ${value.reserved.toFixed()}::numeric)`));
  await sql`update sales_order_lines as l set quantity_shipped = v.shipped, quantity_reserved = v.reserved
    from (values ${values}) as v (id, shipped, reserved) where l.tenant_id = ${tenantId} and l.id = v.id`.execute(tx);
  // Services do not ship: the order is shipped when every goods line is shipped or cancelled.
  const complete = shippable.lines.filter((line) => line.item_kind === 'goods').every((line) => {
    const shippedNow = updated.get(line.id)?.shipped ?? new Big(line.quantity_shipped);
    return shippedNow.plus(new Big(line.quantity_cancelled)).gte(new Big(line.quantity));
  });
  const status: OrderStatus = complete ? 'shipped' : 'partially_shipped';
  await tx.updateTable('sales_orders').set({ status, version: order.version + 1, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', order.id).execute();
  await recordAudit(tx, context, { action: 'order.shipped', entityType: 'order', entityId: order.id, after: { status, lines: [...updated].map(([id, value]) => ({ id, shipped: formatQuantity(value.shipped) })) } });
  return status;
}

/**
 * Reserves stock that arrived for backordered orders, oldest approved order first
 * (each per its shipping policy), until the stock or the waiting orders run out.
 * Bounded to `limit` orders per run; the job runs again on the next receipt.
 */
export async function reserveBackorders(tx: Tx, context: RequestContext, itemId: string, warehouseId: string, limit = 200): Promise<string[]> {
  const tenantId = context.actor.tenantId;
  const waiting = await tx
    .selectFrom('sales_orders as o')
    .select(['o.id', 'o.number'])
    .where('o.tenant_id', '=', tenantId)
    .where('o.status', 'in', ['approved', 'partially_shipped'])
    .where('o.reservation_status', 'in', ['backordered', 'partial'])
    .where('o.warehouse_id', '=', warehouseId)
    .where((where) =>
      where.exists(
        where
          .selectFrom('sales_order_lines as l')
          .select('l.id')
          .whereRef('l.tenant_id', '=', 'o.tenant_id')
          .whereRef('l.order_id', '=', 'o.id')
          .where('l.item_id', '=', itemId)
          .where(sql<boolean>`l.quantity - l.quantity_shipped - l.quantity_cancelled - l.quantity_reserved > 0`),
      ),
    )
    .orderBy('o.approved_at')
    .orderBy('o.id')
    .limit(limit)
    .execute();
  const reserved: string[] = [];
  for (const order of waiting) {
    const before = await tx.selectFrom('sales_orders').select('reservation_status').where('tenant_id', '=', tenantId).where('id', '=', order.id).forUpdate().executeTakeFirstOrThrow();
    const status = await reserveOrder(tx, context, order.id);
    if (status !== before.reservation_status) {
      reserved.push(order.number);
      await recordAudit(tx, context, { action: 'order.backorder_reserved', entityType: 'order', entityId: order.id, before, after: { reservation_status: status } });
    }
  }
  return reserved;
}

export interface BackorderLine {
  orderId: string;
  orderNumber: string;
  customerName: string;
  approvedAt: string | null;
  requestedDeliveryDate: string | null;
  lineNo: number;
  itemId: string;
  sku: string;
  waiting: string;
  shippingPolicy: 'partial' | 'complete';
}

/** Order lines waiting for stock, oldest order first: what the order desk sees as backorders. */
export async function listBackorders(executor: Executor, tenantId: string, limit: number): Promise<BackorderLine[]> {
  const rows = await executor
    .selectFrom('sales_order_lines as l')
    .innerJoin('sales_orders as o', (join) => join.onRef('o.tenant_id', '=', 'l.tenant_id').onRef('o.id', '=', 'l.order_id'))
    .select(['o.id as order_id', 'o.number', 'o.customer_name', 'o.approved_at', 'o.requested_delivery_date', 'o.shipping_policy', 'l.line_no', 'l.item_id', 'l.sku', 'l.quantity', 'l.quantity_shipped', 'l.quantity_cancelled', 'l.quantity_reserved'])
    .where('l.tenant_id', '=', tenantId)
    .where('o.status', 'in', ['approved', 'partially_shipped'])
    .where('l.item_kind', '=', 'goods')
    .where(sql<boolean>`l.quantity - l.quantity_shipped - l.quantity_cancelled - l.quantity_reserved > 0`)
    .orderBy('o.approved_at')
    .orderBy('l.line_no')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    orderId: row.order_id,
    orderNumber: row.number,
    customerName: row.customer_name,
    approvedAt: row.approved_at?.toISOString() ?? null,
    requestedDeliveryDate: row.requested_delivery_date,
    lineNo: row.line_no,
    itemId: row.item_id,
    sku: row.sku,
    waiting: formatQuantity(new Big(row.quantity).minus(new Big(row.quantity_shipped)).minus(new Big(row.quantity_cancelled)).minus(new Big(row.quantity_reserved))),
    shippingPolicy: row.shipping_policy,
  }));
}

/**
 * Locks the given orders for invoicing, in id order so concurrent invoice runs
 * queue instead of deadlocking: while one transaction bills an order's shipped or
 * service lines, another cannot bill the same quantities.
 */
export async function lockOrdersForInvoicing(tx: Tx, tenantId: string, orderIds: readonly string[]): Promise<void> {
  const ids = [...new Set(orderIds)].sort();
  if (ids.length === 0) return;
  await tx.selectFrom('sales_orders').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/**
 * Moves the invoiced quantities of order lines by signed deltas: a draft invoice
 * claims what it bills, deleting a draft or crediting quantities gives them back.
 * The database refuses more invoiced than shipped for goods, and more than ordered
 * for services (invariant 4), also when two transactions race.
 */
export async function recordInvoicedQuantities(tx: Tx, tenantId: string, deltas: ReadonlyArray<{ orderLineId: string; quantity: Decimal }>): Promise<void> {
  const byLine = new Map<string, Decimal>();
  for (const delta of deltas) byLine.set(delta.orderLineId, (byLine.get(delta.orderLineId) ?? new Big('0')).plus(delta.quantity));
  const changes = [...byLine].filter(([, quantity]) => !quantity.eq('0'));
  if (changes.length === 0) return;
  const values = sql.join(changes.map(([id, quantity]) => sql`(${id}::uuid, ${quantity.toFixed()}::numeric)`));
  await sql`update sales_order_lines as l set quantity_invoiced = l.quantity_invoiced + v.delta
    from (values ${values}) as v (id, delta) where l.tenant_id = ${tenantId} and l.id = v.id`.execute(tx);
}

/** Marks order charges as billed by an invoice (or frees them again with `invoiceId` null). */
export async function recordInvoicedCharges(tx: Tx, tenantId: string, chargeIds: readonly string[], invoiceId: string | null): Promise<void> {
  if (chargeIds.length === 0) return;
  await tx.updateTable('sales_order_charges').set({ invoice_id: invoiceId }).where('tenant_id', '=', tenantId).where('id', 'in', [...chargeIds]).execute();
}
