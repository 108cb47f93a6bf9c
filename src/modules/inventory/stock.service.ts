import { sql } from 'kysely';
import { Big, formatQuantity, newId, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { emitEvent } from '../../platform/outbox/outbox';
import { getItemsByIds } from '../catalog';
import { available, planReservations, stockKey, type ReservationPolicy } from './inventory.rules';
import { getWarehouse } from './warehouses.service';
import './inventory.tables';

export interface StockLevelView {
  itemId: string;
  warehouseId: string;
  onHand: string;
  reserved: string;
  available: string;
}

interface StockRow {
  item_id: string;
  warehouse_id: string;
  on_hand: string;
  reserved: string;
}

function toStockView(row: StockRow): StockLevelView {
  const onHand = new Big(row.on_hand);
  const reserved = new Big(row.reserved);
  return {
    itemId: row.item_id,
    warehouseId: row.warehouse_id,
    onHand: formatQuantity(onHand),
    reserved: formatQuantity(reserved),
    available: formatQuantity(available(onHand, reserved)),
  };
}

/** Stock of goods items only: services have none. */
async function requireGoodsItem(executor: Executor, tenantId: string, itemId: string, path: string): Promise<void> {
  const item = (await getItemsByIds(executor, tenantId, [itemId])).get(itemId);
  if (item === undefined) throw notFound('item', itemId);
  if (item.kind !== 'goods') throw invalidValue(path, `item ${item.sku} is a service and has no stock`);
}

async function requireActiveWarehouse(executor: Executor, tenantId: string, warehouseId: string): Promise<void> {
  const warehouse = await getWarehouse(executor, tenantId, warehouseId);
  if (!warehouse.active) throw new AppError('O2C_BUSINESS_RULE', `warehouse ${warehouse.code} is not active`);
}

/**
 * Locks the stock rows of the given items and warehouses, creating missing ones.
 * Rows are inserted and locked in one fixed order (item, then warehouse): PostgreSQL
 * takes FOR UPDATE locks after sorting, so concurrent callers queue instead of
 * deadlocking.
 */
async function lockStockRows(tx: Tx, tenantId: string, keys: ReadonlyArray<{ itemId: string; warehouseId: string }>): Promise<Map<string, StockRow>> {
  const unique = [...new Map(keys.map((key) => [stockKey(key.itemId, key.warehouseId), key])).values()].sort((a, b) =>
    a.itemId === b.itemId ? (a.warehouseId < b.warehouseId ? -1 : 1) : a.itemId < b.itemId ? -1 : 1,
  );
  if (unique.length === 0) return new Map();
  const lockRows = () =>
    tx
      .selectFrom('stock_levels')
      .select(['item_id', 'warehouse_id', 'on_hand', 'reserved'])
      .where('tenant_id', '=', tenantId)
      .where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('item_id', 'warehouse_id'),
          'in',
          unique.map((key) => tuple(key.itemId, key.warehouseId)),
        ),
      )
      .orderBy('item_id')
      .orderBy('warehouse_id')
      .forUpdate()
      .execute();
  let rows = await lockRows();
  if (rows.length < unique.length) {
    // First stock for an item in a warehouse: create its row, then lock them all in order. Two
    // transactions creating the same new row at once may deadlock; PostgreSQL aborts one, which
    // answers 409 and can be repeated.
    await tx
      .insertInto('stock_levels')
      .values(unique.map((key) => ({ tenant_id: tenantId, item_id: key.itemId, warehouse_id: key.warehouseId })))
      .onConflict((conflict) => conflict.columns(['tenant_id', 'item_id', 'warehouse_id']).doNothing())
      .execute();
    rows = await lockRows();
  }
  return new Map(rows.map((row) => [stockKey(row.item_id, row.warehouse_id), row]));
}

interface MovementInput {
  itemId: string;
  warehouseId: string;
  kind: 'receipt' | 'adjustment' | 'reservation' | 'release' | 'shipment';
  onHandDelta: Decimal;
  reservedDelta: Decimal;
  reason: string | null;
  reference: { type: string; id: string } | null;
}

/** Applies a change to one locked stock row and writes its movement. */
async function applyMovement(tx: Tx, context: RequestContext, row: StockRow, movement: MovementInput): Promise<StockRow> {
  const rows = new Map([[stockKey(row.item_id, row.warehouse_id), row]]);
  return (await applyMovements(tx, context, rows, [movement])).get(stockKey(row.item_id, row.warehouse_id))!;
}

/**
 * Applies many changes to locked stock rows in three statements: the new levels
 * are worked out here, checked against 0 <= reserved <= on hand (the database
 * checks again), written with one UPDATE, and each change gets its movement row
 * with the levels after it.
 */
async function applyMovements(tx: Tx, context: RequestContext, rows: Map<string, StockRow>, movements: readonly MovementInput[]): Promise<Map<string, StockRow>> {
  if (movements.length === 0) return rows;
  const tenantId = context.actor.tenantId;
  const levels = new Map([...rows].map(([key, row]) => [key, { onHand: new Big(row.on_hand), reserved: new Big(row.reserved) }]));
  const movementRows = movements.map((movement) => {
    const key = stockKey(movement.itemId, movement.warehouseId);
    const level = levels.get(key);
    if (level === undefined) throw new Error(`stock row ${key} was not locked before changing it`);
    level.onHand = level.onHand.plus(movement.onHandDelta);
    level.reserved = level.reserved.plus(movement.reservedDelta);
    if (level.onHand.lt('0') || level.reserved.lt('0') || level.reserved.gt(level.onHand)) {
      throw new AppError(
        'O2C_INSUFFICIENT_STOCK',
        `on hand would be ${formatQuantity(level.onHand)} with ${formatQuantity(level.reserved)} reserved; on hand may not fall below what is reserved or below zero`,
      );
    }
    return {
      tenant_id: tenantId,
      id: newId(),
      item_id: movement.itemId,
      warehouse_id: movement.warehouseId,
      kind: movement.kind,
      on_hand_delta: movement.onHandDelta.toFixed(),
      reserved_delta: movement.reservedDelta.toFixed(),
      on_hand_after: level.onHand.toFixed(),
      reserved_after: level.reserved.toFixed(),
      reason: movement.reason,
      reference_type: movement.reference?.type ?? null,
      reference_id: movement.reference?.id ?? null,
      actor_name: context.actor.name,
    };
  });
  const changed = [...new Set(movements.map((movement) => stockKey(movement.itemId, movement.warehouseId)))].map((key) => ({ key, row: rows.get(key)!, level: levels.get(key)! }));
  const values = sql.join(changed.map(({ row, level }) => sql`(${row.item_id}::uuid, ${row.warehouse_id}::uuid, ${level.onHand.toFixed()}::numeric, ${level.reserved.toFixed()}::numeric)`));
  await sql`update stock_levels as s set on_hand = v.on_hand, reserved = v.reserved, updated_at = now()
    from (values ${values}) as v (item_id, warehouse_id, on_hand, reserved)
    where s.tenant_id = ${tenantId} and s.item_id = v.item_id and s.warehouse_id = v.warehouse_id`.execute(tx);
  await tx.insertInto('stock_movements').values(movementRows).execute();
  const updated = new Map(rows);
  for (const { key, row, level } of changed) updated.set(key, { ...row, on_hand: level.onHand.toFixed(), reserved: level.reserved.toFixed() });
  return updated;
}

export async function receiveStock(
  tx: Tx,
  context: RequestContext,
  input: { itemId: string; warehouseId: string; quantity: Decimal; reason: string | null },
): Promise<StockLevelView> {
  const tenantId = context.actor.tenantId;
  if (input.quantity.lte('0')) throw invalidValue('body.quantity', 'must be greater than zero');
  await requireGoodsItem(tx, tenantId, input.itemId, 'body.itemId');
  await requireActiveWarehouse(tx, tenantId, input.warehouseId);
  const rows = await lockStockRows(tx, tenantId, [input]);
  const after = await applyMovement(tx, context, rows.get(stockKey(input.itemId, input.warehouseId))!, {
    itemId: input.itemId,
    warehouseId: input.warehouseId,
    kind: 'receipt',
    onHandDelta: input.quantity,
    reservedDelta: new Big('0'),
    reason: input.reason,
    reference: null,
  });
  const view = toStockView(after);
  await recordAudit(tx, context, {
    action: 'stock.received',
    entityType: 'stock',
    entityId: stockKey(input.itemId, input.warehouseId),
    after: { ...view, quantity: formatQuantity(input.quantity), reason: input.reason },
  });
  // Backordered lines wait for this: the backorder job reserves them oldest order first.
  await emitEvent(tx, tenantId, {
    type: 'inventory.stock_received',
    aggregateType: 'stock',
    aggregateId: stockKey(input.itemId, input.warehouseId),
    payload: { itemId: input.itemId, warehouseId: input.warehouseId, quantity: formatQuantity(input.quantity) },
  });
  return view;
}

/** Sets on hand to a counted quantity or moves it by a delta, with a reason; never below what is reserved. */
export async function adjustStock(
  tx: Tx,
  context: RequestContext,
  input: { itemId: string; warehouseId: string; reason: string } & ({ countedQuantity: Decimal } | { delta: Decimal }),
): Promise<StockLevelView> {
  const tenantId = context.actor.tenantId;
  await requireGoodsItem(tx, tenantId, input.itemId, 'body.itemId');
  await requireActiveWarehouse(tx, tenantId, input.warehouseId);
  const row = (await lockStockRows(tx, tenantId, [input])).get(stockKey(input.itemId, input.warehouseId))!;
  const delta = 'delta' in input ? input.delta : input.countedQuantity.minus(new Big(row.on_hand));
  if (delta.eq('0')) throw invalidValue('delta' in input ? 'body.delta' : 'body.countedQuantity', 'changes nothing');
  const before = toStockView(row);
  const after = toStockView(
    await applyMovement(tx, context, row, {
      itemId: input.itemId,
      warehouseId: input.warehouseId,
      kind: 'adjustment',
      onHandDelta: delta,
      reservedDelta: new Big('0'),
      reason: input.reason,
      reference: null,
    }),
  );
  await recordAudit(tx, context, {
    action: 'stock.adjusted',
    entityType: 'stock',
    entityId: stockKey(input.itemId, input.warehouseId),
    before,
    after: { ...after, delta: formatQuantity(delta), reason: input.reason },
  });
  return after;
}

export interface ReservationLine {
  readonly referenceId: string;
  readonly itemId: string;
  readonly warehouseId: string;
  readonly quantity: Decimal;
}

/**
 * Reserves stock for the lines of one document (an order's lines), in one fixed
 * lock order. Returns the quantity reserved per line (in the order given). With
 * 'complete' nothing is reserved unless every line can be met in full.
 */
export async function reserveStock(
  tx: Tx,
  context: RequestContext,
  referenceType: string,
  lines: readonly ReservationLine[],
  policy: ReservationPolicy,
): Promise<Decimal[]> {
  if (lines.length === 0) return [];
  const tenantId = context.actor.tenantId;
  const rows = await lockStockRows(tx, tenantId, lines);
  const availableByKey = new Map([...rows].map(([key, row]) => [key, available(new Big(row.on_hand), new Big(row.reserved))]));
  const planned = planReservations(
    lines.map((line) => ({ stockKey: stockKey(line.itemId, line.warehouseId), requested: line.quantity })),
    availableByKey,
    policy,
  );
  const granted = lines.flatMap((line, index) => (planned[index]!.gt('0') ? [{ line, quantity: planned[index]! }] : []));
  await applyMovements(
    tx,
    context,
    rows,
    granted.map(({ line, quantity }) => ({
      itemId: line.itemId,
      warehouseId: line.warehouseId,
      kind: 'reservation' as const,
      onHandDelta: new Big('0'),
      reservedDelta: quantity,
      reason: null,
      reference: { type: referenceType, id: line.referenceId },
    })),
  );
  if (granted.length > 0) {
    await tx
      .insertInto('stock_reservations')
      .values(
        granted.map(({ line, quantity }) => ({
          tenant_id: tenantId,
          id: newId(),
          item_id: line.itemId,
          warehouse_id: line.warehouseId,
          reference_type: referenceType,
          reference_id: line.referenceId,
          quantity: quantity.toFixed(),
        })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['tenant_id', 'reference_type', 'reference_id', 'item_id', 'warehouse_id'])
          .doUpdateSet({ quantity: sql`stock_reservations.quantity + excluded.quantity`, updated_at: new Date() }),
      )
      .execute();
  }
  return planned;
}

/** Releases everything reserved for the given references (order lines). Returns the quantity released per reference. */
export async function releaseReservations(
  tx: Tx,
  context: RequestContext,
  referenceType: string,
  referenceIds: readonly string[],
): Promise<Map<string, Decimal>> {
  const released = new Map<string, Decimal>();
  if (referenceIds.length === 0) return released;
  const tenantId = context.actor.tenantId;
  const reservations = await tx
    .selectFrom('stock_reservations')
    .select(['id', 'item_id', 'warehouse_id', 'reference_id', 'quantity'])
    .where('tenant_id', '=', tenantId)
    .where('reference_type', '=', referenceType)
    .where('reference_id', 'in', [...referenceIds])
    .execute();
  if (reservations.length === 0) return released;
  const rows = await lockStockRows(
    tx,
    tenantId,
    reservations.map((reservation) => ({ itemId: reservation.item_id, warehouseId: reservation.warehouse_id })),
  );
  await applyMovements(
    tx,
    context,
    rows,
    reservations.map((reservation) => ({
      itemId: reservation.item_id,
      warehouseId: reservation.warehouse_id,
      kind: 'release' as const,
      onHandDelta: new Big('0'),
      reservedDelta: new Big(reservation.quantity).times('-1'),
      reason: null,
      reference: { type: referenceType, id: reservation.reference_id },
    })),
  );
  await tx.deleteFrom('stock_reservations').where('tenant_id', '=', tenantId).where('id', 'in', reservations.map((reservation) => reservation.id)).execute();
  for (const reservation of reservations) {
    released.set(reservation.reference_id, (released.get(reservation.reference_id) ?? new Big('0')).plus(new Big(reservation.quantity)));
  }
  return released;
}

/**
 * Ships reserved goods: takes the quantities out of on hand and out of reserved,
 * and out of the references' reservations, in one fixed lock order. Shipping more
 * than a reference holds is refused: nothing ships that was not reserved.
 */
export async function shipReserved(tx: Tx, context: RequestContext, referenceType: string, lines: readonly ReservationLine[], shipmentId: string): Promise<void> {
  if (lines.length === 0) return;
  const tenantId = context.actor.tenantId;
  const rows = await lockStockRows(tx, tenantId, lines);
  const reservations = await tx
    .selectFrom('stock_reservations')
    .select(['id', 'reference_id', 'item_id', 'warehouse_id', 'quantity'])
    .where('tenant_id', '=', tenantId)
    .where('reference_type', '=', referenceType)
    .where('reference_id', 'in', lines.map((line) => line.referenceId))
    .execute();
  for (const line of lines) {
    const reservation = reservations.find((candidate) => candidate.reference_id === line.referenceId && candidate.item_id === line.itemId && candidate.warehouse_id === line.warehouseId);
    const held = reservation === undefined ? new Big('0') : new Big(reservation.quantity);
    if (line.quantity.gt(held)) {
      throw new AppError('O2C_INSUFFICIENT_STOCK', `only ${formatQuantity(held)} is reserved for this order line; ${formatQuantity(line.quantity)} cannot ship`);
    }
    const rest = held.minus(line.quantity);
    if (rest.eq('0')) await tx.deleteFrom('stock_reservations').where('tenant_id', '=', tenantId).where('id', '=', reservation!.id).execute();
    else await tx.updateTable('stock_reservations').set({ quantity: rest.toFixed(), updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', reservation!.id).execute();
  }
  await applyMovements(
    tx,
    context,
    rows,
    lines.map((line) => ({
      itemId: line.itemId,
      warehouseId: line.warehouseId,
      kind: 'shipment' as const,
      onHandDelta: line.quantity.times('-1'),
      reservedDelta: line.quantity.times('-1'),
      reason: null,
      reference: { type: 'shipment', id: shipmentId },
    })),
  );
}

/** Stock per item and warehouse; items without a stock row have none. */
export async function getAvailability(
  executor: Executor,
  tenantId: string,
  itemIds: readonly string[],
  warehouseId?: string,
): Promise<StockLevelView[]> {
  if (itemIds.length === 0) return [];
  let query = executor
    .selectFrom('stock_levels')
    .select(['item_id', 'warehouse_id', 'on_hand', 'reserved'])
    .where('tenant_id', '=', tenantId)
    .where('item_id', 'in', [...itemIds]);
  if (warehouseId !== undefined) query = query.where('warehouse_id', '=', warehouseId);
  return (await query.orderBy('item_id').orderBy('warehouse_id').execute()).map(toStockView);
}

export async function listStockLevels(
  executor: Executor,
  tenantId: string,
  filter: { warehouseId?: string | undefined; itemId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<StockLevelView>> {
  let query = executor.selectFrom('stock_levels').select(['item_id', 'warehouse_id', 'on_hand', 'reserved']).where('tenant_id', '=', tenantId);
  if (filter.warehouseId !== undefined) query = query.where('warehouse_id', '=', filter.warehouseId);
  if (filter.itemId !== undefined) query = query.where('item_id', '=', filter.itemId);
  if (filter.cursor !== undefined) {
    const [itemId, warehouseId] = decodeCursor(filter.cursor, 2) as [string, string];
    query = query.where((where) =>
      where.or([where('item_id', '>', itemId), where.and([where('item_id', '=', itemId), where('warehouse_id', '>', warehouseId)])]),
    );
  }
  const rows = await query.orderBy('item_id').orderBy('warehouse_id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toStockView, (row) => [row.item_id, row.warehouse_id]);
}

export interface MovementView {
  id: string;
  itemId: string;
  warehouseId: string;
  kind: string;
  onHandDelta: string;
  reservedDelta: string;
  onHandAfter: string;
  reservedAfter: string;
  reason: string | null;
  referenceType: string | null;
  referenceId: string | null;
  actorName: string;
  occurredAt: string;
}

export async function listMovements(
  executor: Executor,
  tenantId: string,
  filter: { itemId?: string | undefined; warehouseId?: string | undefined; kind?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<MovementView>> {
  let query = executor.selectFrom('stock_movements').selectAll().where('tenant_id', '=', tenantId);
  if (filter.itemId !== undefined) query = query.where('item_id', '=', filter.itemId);
  if (filter.warehouseId !== undefined) query = query.where('warehouse_id', '=', filter.warehouseId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind as MovementInput['kind']);
  if (filter.cursor !== undefined) query = query.where('id', '<', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const show = (text: string) => formatQuantity(new Big(text));
  return toPage(
    rows,
    filter.limit,
    (row) => ({
      id: row.id,
      itemId: row.item_id,
      warehouseId: row.warehouse_id,
      kind: row.kind,
      onHandDelta: show(row.on_hand_delta),
      reservedDelta: show(row.reserved_delta),
      onHandAfter: show(row.on_hand_after),
      reservedAfter: show(row.reserved_after),
      reason: row.reason,
      referenceType: row.reference_type,
      referenceId: row.reference_id,
      actorName: row.actor_name,
      occurredAt: row.occurred_at.toISOString(),
    }),
    (row) => [row.id],
  );
}
