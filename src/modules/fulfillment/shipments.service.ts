import { sql } from 'kysely';
import { Big, businessDateAt, formatQuantity, newId, parsePositiveQuantity, type BusinessDate, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound, readAt, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { nextNumber } from '../../platform/number-series/number-series';
import { emitEvents, type DomainEvent } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import { getCustomerForOrder } from '../customers';
import { shipReserved } from '../inventory';
import { lockOrderForShipping, orderLineReference, recordShipment } from '../orders';
import { checkShipmentTransition, detectMediaType, maxProofBytes, shipmentActions, type ShipmentAction } from './fulfillment.rules';
import type { ShipmentStatus, ShipmentsTable } from './fulfillment.tables';
import type { ShipmentView } from './shipment-view';
import './fulfillment.tables';
import type { Selectable } from 'kysely';

type ShipmentRow = Selectable<ShipmentsTable>;
const openStatuses: ShipmentStatus[] = ['created', 'picked', 'packed'];

export async function loadShipment(executor: Executor, tenantId: string, id: string): Promise<ShipmentView> {
  const row = await executor.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('shipment', id);
  return viewOf(executor, row);
}

async function viewOf(executor: Executor, row: ShipmentRow): Promise<ShipmentView> {
  const tenantId = row.tenant_id;
  const [lines, packages, documents, header] = await Promise.all([
    executor.selectFrom('shipment_lines').selectAll().where('tenant_id', '=', tenantId).where('shipment_id', '=', row.id).orderBy('line_no').execute(),
    executor.selectFrom('shipment_packages').selectAll().where('tenant_id', '=', tenantId).where('shipment_id', '=', row.id).orderBy('package_no').execute(),
    executor.selectFrom('shipment_documents').select(['id', 'kind', 'file_name', 'media_type', 'size_bytes', 'uploaded_at']).where('tenant_id', '=', tenantId).where('shipment_id', '=', row.id).orderBy('uploaded_at').execute(),
    executor
      .selectFrom('sales_orders as o')
      .innerJoin('warehouses as w', (join) => join.onRef('w.tenant_id', '=', 'o.tenant_id').on('w.id', '=', row.warehouse_id))
      .select(['o.number', 'o.customer_po_number', 'o.customer_number', 'o.customer_name', 'w.code', 'w.name'])
      .where('o.tenant_id', '=', tenantId)
      .where('o.id', '=', row.order_id)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    orderId: row.order_id,
    orderNumber: header.number,
    customerPoNumber: header.customer_po_number,
    customer: { id: row.customer_id, number: header.customer_number, name: header.customer_name },
    warehouse: { id: row.warehouse_id, code: header.code, name: header.name },
    shipTo: { name: row.ship_to_name, line1: row.ship_to_line1, line2: row.ship_to_line2, postalCode: row.ship_to_postal_code, city: row.ship_to_city, countryCode: row.ship_to_country_code },
    carrier: row.carrier,
    serviceLevel: row.service_level,
    trackingNumber: row.tracking_number,
    shipDate: row.ship_date,
    expectedDeliveryDate: row.expected_delivery_date,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    receivedBy: row.received_by,
    deliveryException: row.delivery_exception,
    deliveryNote: row.delivery_note,
    readyToInvoice: row.ready_to_invoice,
    lines: lines.map((line) => ({ id: line.id, lineNo: line.line_no, orderLineId: line.order_line_id, itemId: line.item_id, sku: line.sku, description: line.description, unit: line.unit, quantity: formatQuantity(new Big(line.quantity)) })),
    packages: packages.map((item) => ({ packageNo: item.package_no, packageType: item.package_type, weightKg: item.weight_kg === null ? null : formatQuantity(new Big(item.weight_kg)) })),
    documents: documents.map((document) => ({ id: document.id, kind: document.kind, fileName: document.file_name, mediaType: document.media_type, sizeBytes: document.size_bytes, uploadedAt: document.uploaded_at.toISOString() })),
    availableActions: shipmentActions(row.status),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What each order line holds in open (not yet shipped) shipments. */
async function allocatedInOpenShipments(tx: Executor, tenantId: string, orderId: string): Promise<Map<string, Decimal>> {
  const rows = await tx
    .selectFrom('shipment_lines as l')
    .innerJoin('shipments as s', (join) => join.onRef('s.tenant_id', '=', 'l.tenant_id').onRef('s.id', '=', 'l.shipment_id'))
    .select(['l.order_line_id', sql<string>`sum(l.quantity)`.as('quantity')])
    .where('l.tenant_id', '=', tenantId)
    .where('s.order_id', '=', orderId)
    .where('s.status', 'in', openStatuses)
    .groupBy('l.order_line_id')
    .execute();
  return new Map(rows.map((row) => [row.order_line_id, new Big(row.quantity)]));
}

/**
 * Creates a shipment for reserved goods of one order (its ship-to and warehouse):
 * by default everything reserved that no open shipment holds yet, or the given
 * lines and quantities. The order row is locked, so two shipments cannot take the
 * same reserved units.
 */
export async function createShipment(
  tx: Tx,
  context: RequestContext,
  input: { orderId: string; lines?: ReadonlyArray<{ orderLineId: string; quantity: string }> | undefined },
): Promise<ShipmentView> {
  const tenantId = context.actor.tenantId;
  const { order, lines } = await lockOrderForShipping(tx, tenantId, input.orderId);
  const allocated = await allocatedInOpenShipments(tx, tenantId, order.id);
  const free = (line: (typeof lines)[number]) => new Big(line.quantity_reserved).minus(allocated.get(line.id) ?? new Big('0'));
  const wanted =
    input.lines === undefined
      ? lines.filter((line) => line.item_kind === 'goods' && free(line).gt('0')).map((line) => ({ line, quantity: free(line) }))
      : input.lines.map((entry, index) => {
          const line = lines.find((candidate) => candidate.id === entry.orderLineId);
          if (line === undefined) throw new AppError('O2C_NOT_FOUND', `line ${entry.orderLineId} is not a line of ${order.number}`, [{ path: `body.lines.${index}.orderLineId`, message: 'not a line of this order' }]);
          if (line.item_kind !== 'goods') throw invalidValue(`body.lines.${index}.orderLineId`, `line ${line.line_no} (${line.sku}) is a service and does not ship`);
          const path = `body.lines.${index}.quantity`;
          const quantity = readAt(path, () => parsePositiveQuantity(entry.quantity, path));
          if (quantity.gt(free(line))) {
            throw new AppError('O2C_INSUFFICIENT_STOCK', `line ${line.line_no} (${line.sku}) has ${formatQuantity(free(line))} reserved and not yet in a shipment; ${formatQuantity(quantity)} cannot ship`, [
              { path, message: `at most ${formatQuantity(free(line))}` },
            ]);
          }
          return { line, quantity };
        });
  if (wanted.length === 0) throw new AppError('O2C_BUSINESS_RULE', `${order.number} has nothing reserved to ship yet`);
  const tenant = await getTenant(tx, tenantId);
  const id = newId();
  const number = await nextNumber(tx, tenantId, 'shipment', businessDateAt(new Date(), tenant.timeZone));
  await tx
    .insertInto('shipments')
    .values({
      tenant_id: tenantId,
      id,
      number,
      status: 'created',
      order_id: order.id,
      customer_id: order.customer_id,
      warehouse_id: order.warehouse_id,
      ship_to_name: order.ship_to_name,
      ship_to_line1: order.ship_to_line1,
      ship_to_line2: order.ship_to_line2,
      ship_to_postal_code: order.ship_to_postal_code,
      ship_to_city: order.ship_to_city,
      ship_to_country_code: order.ship_to_country_code,
      carrier: null,
      service_level: null,
      tracking_number: null,
      ship_date: null,
      expected_delivery_date: null,
      received_by: null,
      delivery_exception: null,
      delivery_note: null,
      created_by: context.actor.name,
    })
    .execute();
  await tx
    .insertInto('shipment_lines')
    .values(
      wanted.map(({ line, quantity }, index) => ({
        tenant_id: tenantId,
        id: newId(),
        shipment_id: id,
        order_line_id: line.id,
        line_no: index + 1,
        item_id: line.item_id,
        sku: line.sku,
        description: line.description,
        unit: line.unit,
        quantity: quantity.toFixed(),
      })),
    )
    .execute();
  await recordAudit(tx, context, { action: 'shipment.created', entityType: 'shipment', entityId: id, after: { number, order: order.number, lines: wanted.length } });
  return loadShipment(tx, tenantId, id);
}

async function lockShipment(tx: Tx, tenantId: string, id: string, action: ShipmentAction, version?: number): Promise<ShipmentRow> {
  const row = await tx.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('shipment', id);
  if (version !== undefined && row.version !== version) throw versionConflict('shipment', row.number, version);
  const check = checkShipmentTransition(row.status, action);
  if (!check.allowed) throw new AppError('O2C_STATE_CONFLICT', `${row.number}: ${check.reason}`);
  return row;
}

async function moveTo(
  tx: Tx,
  context: RequestContext,
  row: ShipmentRow,
  status: ShipmentStatus,
  changes: Partial<Omit<ShipmentRow, 'tenant_id' | 'id'>>,
  events: DomainEvent[] = [],
  action = `shipment.${status}`,
): Promise<ShipmentView> {
  const tenantId = context.actor.tenantId;
  await tx
    .updateTable('shipments')
    .set({ ...changes, status, version: row.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', row.id)
    .execute();
  await recordAudit(tx, context, { action, entityType: 'shipment', entityId: row.id, before: { status: row.status }, after: { status, ...changes } });
  await emitEvents(tx, tenantId, events);
  return loadShipment(tx, tenantId, row.id);
}

export async function pickShipment(tx: Tx, context: RequestContext, id: string): Promise<ShipmentView> {
  return moveTo(tx, context, await lockShipment(tx, context.actor.tenantId, id, 'pick'), 'picked', {});
}

export async function packShipment(tx: Tx, context: RequestContext, id: string, packages: ReadonlyArray<{ packageType?: string | undefined; weightKg?: string | null | undefined }>): Promise<ShipmentView> {
  const tenantId = context.actor.tenantId;
  const row = await lockShipment(tx, tenantId, id, 'pack');
  await tx
    .insertInto('shipment_packages')
    .values(
      packages.map((item, index) => {
        const path = `body.packages.${index}.weightKg`;
        const weight = item.weightKg === undefined || item.weightKg === null ? null : readAt(path, () => parsePositiveQuantity(item.weightKg!, path)).toFixed();
        return { tenant_id: tenantId, id: newId(), shipment_id: id, package_no: index + 1, package_type: item.packageType ?? 'box', weight_kg: weight };
      }),
    )
    .execute();
  return moveTo(tx, context, row, 'packed', {});
}

/**
 * Ships a packed shipment: the goods leave on-hand and reserved stock (inventory),
 * the order lines' shipped quantities and the order's state follow (orders), all in
 * this transaction. A shipment of a customer invoiced on shipment becomes ready to
 * invoice.
 */
export async function shipShipment(
  tx: Tx,
  context: RequestContext,
  id: string,
  input: { carrier: string; serviceLevel?: string | null | undefined; trackingNumber?: string | null | undefined; shipDate?: string | undefined; expectedDeliveryDate?: string | null | undefined },
): Promise<ShipmentView> {
  const tenantId = context.actor.tenantId;
  const row = await lockShipment(tx, tenantId, id, 'ship');
  const tenant = await getTenant(tx, tenantId);
  const shipDate: BusinessDate = input.shipDate ?? businessDateAt(new Date(), tenant.timeZone);
  if (input.expectedDeliveryDate != null && input.expectedDeliveryDate < shipDate) {
    throw invalidValue('body.expectedDeliveryDate', `must not be before the ship date ${shipDate}`);
  }
  const shippable = await lockOrderForShipping(tx, tenantId, row.order_id);
  const lines = await tx.selectFrom('shipment_lines').selectAll().where('tenant_id', '=', tenantId).where('shipment_id', '=', id).orderBy('line_no').execute();
  await shipReserved(
    tx,
    context,
    orderLineReference,
    lines.map((line) => ({ referenceId: line.order_line_id, itemId: line.item_id, warehouseId: row.warehouse_id, quantity: new Big(line.quantity) })),
    id,
  );
  await recordShipment(tx, context, shippable, lines.map((line) => ({ orderLineId: line.order_line_id, quantity: new Big(line.quantity) })));
  const customer = await getCustomerForOrder(tx, tenantId, row.customer_id);
  const readyToInvoice = customer.invoicingMoment === 'shipment';
  const payload = { number: row.number, orderId: row.order_id, shipDate };
  return moveTo(
    tx,
    context,
    row,
    'shipped',
    {
      carrier: input.carrier,
      service_level: input.serviceLevel ?? null,
      tracking_number: input.trackingNumber ?? null,
      ship_date: shipDate,
      expected_delivery_date: input.expectedDeliveryDate ?? null,
      ready_to_invoice: readyToInvoice,
    },
    [
      { type: 'shipment.shipped', aggregateType: 'shipment', aggregateId: id, payload },
      ...(readyToInvoice ? [{ type: 'shipment.ready_to_invoice', aggregateType: 'shipment', aggregateId: id, payload }] : []),
    ],
  );
}

export async function deliverShipment(tx: Tx, context: RequestContext, id: string, input: { deliveredAt?: string | undefined; receivedBy: string }): Promise<ShipmentView> {
  const tenantId = context.actor.tenantId;
  const row = await lockShipment(tx, tenantId, id, 'deliver');
  const tenant = await getTenant(tx, tenantId);
  const deliveredAt = input.deliveredAt === undefined ? new Date() : new Date(input.deliveredAt);
  const deliveredOn = businessDateAt(deliveredAt, tenant.timeZone);
  if (row.ship_date !== null && deliveredOn < row.ship_date) {
    throw invalidValue('body.deliveredAt', `the delivery date ${deliveredOn} is before the ship date ${row.ship_date}`);
  }
  const customer = await getCustomerForOrder(tx, tenantId, row.customer_id);
  const readyNow = customer.invoicingMoment === 'delivery' && !row.ready_to_invoice;
  const payload = { number: row.number, orderId: row.order_id, deliveredAt: deliveredAt.toISOString() };
  return moveTo(
    tx,
    context,
    row,
    'delivered',
    { delivered_at: deliveredAt, received_by: input.receivedBy, ready_to_invoice: row.ready_to_invoice || readyNow },
    [
      { type: 'shipment.delivered', aggregateType: 'shipment', aggregateId: id, payload },
      ...(readyNow ? [{ type: 'shipment.ready_to_invoice', aggregateType: 'shipment', aggregateId: id, payload }] : []),
    ],
  );
}

export async function reportDeliveryException(tx: Tx, context: RequestContext, id: string, input: { kind: 'damaged' | 'refused' | 'lost'; note: string }): Promise<ShipmentView> {
  const row = await lockShipment(tx, context.actor.tenantId, id, 'report_exception');
  return moveTo(
    tx,
    context,
    row,
    'shipped',
    { delivery_exception: input.kind, delivery_note: input.note },
    [{ type: 'shipment.delivery_exception', aggregateType: 'shipment', aggregateId: id, payload: { number: row.number, kind: input.kind } }],
    'shipment.delivery_exception',
  );
}

/** Cancels a shipment before it ships; what it held stays reserved for the order. */
export async function cancelShipment(tx: Tx, context: RequestContext, id: string, reason: string): Promise<ShipmentView> {
  const row = await lockShipment(tx, context.actor.tenantId, id, 'cancel');
  return moveTo(tx, context, row, 'cancelled', { delivery_note: reason });
}

/** Stores a proof of delivery (PDF, PNG or JPEG, judged by content, at most 5 MiB). */
export async function attachProofOfDelivery(tx: Tx, context: RequestContext, id: string, input: { fileName: string; content: Buffer }): Promise<ShipmentView> {
  const tenantId = context.actor.tenantId;
  const row = await tx.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('shipment', id);
  if (row.status !== 'shipped' && row.status !== 'delivered') throw new AppError('O2C_STATE_CONFLICT', `${row.number} is ${row.status}; a proof of delivery belongs to a shipped or delivered shipment`);
  if (input.content.length === 0) throw invalidValue('body', 'the file is empty');
  if (input.content.length > maxProofBytes) throw new AppError('O2C_BODY_TOO_LARGE', `the file has ${input.content.length} bytes; at most ${maxProofBytes} are accepted`);
  const mediaType = detectMediaType(input.content);
  if (mediaType === null) throw new AppError('O2C_UNSUPPORTED_MEDIA_TYPE', 'the file is not a PDF, PNG or JPEG (judged by its content)');
  const documentId = newId();
  await tx
    .insertInto('shipment_documents')
    .values({ tenant_id: tenantId, id: documentId, shipment_id: id, kind: 'proof_of_delivery', file_name: input.fileName.slice(0, 200), media_type: mediaType, size_bytes: input.content.length, content: input.content, uploaded_by: context.actor.name })
    .execute();
  await tx.updateTable('shipments').set({ version: row.version + 1, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await recordAudit(tx, context, { action: 'shipment.proof_attached', entityType: 'shipment', entityId: id, after: { documentId, fileName: input.fileName, mediaType, sizeBytes: input.content.length } });
  return loadShipment(tx, tenantId, id);
}

export async function readDocument(executor: Executor, tenantId: string, shipmentId: string, documentId: string) {
  const document = await executor
    .selectFrom('shipment_documents')
    .select(['file_name', 'media_type', 'content'])
    .where('tenant_id', '=', tenantId)
    .where('shipment_id', '=', shipmentId)
    .where('id', '=', documentId)
    .executeTakeFirst();
  if (document === undefined) throw notFound('document', documentId);
  return document;
}

export async function listShipments(
  executor: Executor,
  tenantId: string,
  filter: { status?: ShipmentStatus | undefined; orderId?: string | undefined; readyToInvoice?: boolean | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<ShipmentView>> {
  let query = executor.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
  if (filter.readyToInvoice !== undefined) query = query.where('ready_to_invoice', '=', filter.readyToInvoice);
  if (filter.cursor !== undefined) query = query.where('id', '<', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const page = toPage(rows, filter.limit, (row) => row, (row) => [row.id]);
  return { items: await Promise.all(page.items.map((row) => viewOf(executor, row))), nextCursor: page.nextCursor };
}

/** Orders with reserved goods no open shipment holds yet, by requested delivery date: the warehouse's queue. */
export async function shippingQueue(executor: Executor, tenantId: string, limit: number) {
  const rows = await sql<{ id: string; number: string; customer_name: string; requested_delivery_date: string | null; order_date: string; status: string; reservation_status: string; lines: string }>`
    select o.id, o.number, o.customer_name, o.requested_delivery_date, o.order_date, o.status, o.reservation_status, count(*) as lines
    from sales_orders o
    join sales_order_lines l on l.tenant_id = o.tenant_id and l.order_id = o.id
    where o.tenant_id = ${tenantId} and o.status in ('approved', 'partially_shipped') and l.item_kind = 'goods'
      and l.quantity_reserved > coalesce((
        select sum(sl.quantity) from shipment_lines sl join shipments s on s.tenant_id = sl.tenant_id and s.id = sl.shipment_id
        where sl.tenant_id = l.tenant_id and sl.order_line_id = l.id and s.status in ('created', 'picked', 'packed')), 0)
    group by o.id, o.number, o.customer_name, o.requested_delivery_date, o.order_date, o.status, o.reservation_status
    order by o.requested_delivery_date nulls last, o.order_date, o.number
    limit ${limit}`.execute(executor);
  return rows.rows.map((row) => ({
    orderId: row.id,
    orderNumber: row.number,
    customerName: row.customer_name,
    requestedDeliveryDate: row.requested_delivery_date,
    orderDate: row.order_date,
    status: row.status,
    reservationStatus: row.reservation_status,
    linesReady: Number(row.lines),
  }));
}
