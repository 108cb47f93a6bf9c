import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  ApiError,
  adjustStock,
  listAll,
  listItems,
  listStock,
  listWarehouses,
  receiveStock,
  type Item,
  type StockLevel,
  type Warehouse,
} from '../../api';
import { Combobox } from '../../components/Combobox';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { SectionTabs, stockTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { compareDecimal, parseDecimalInput } from '../../decimal';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { UnitLabel } from '../../units';
import { usePageTitle } from '../../usePageTitle';

type Row = StockLevel & { readonly id: string };

/** Every item, to show SKU and name beside stock rows (the stock API answers item ids only). */
export const loadItemsById = async (): Promise<Map<string, Item>> =>
  new Map((await listAll((cursor) => listItems({}, cursor, 200))).map((item) => [item.id, item]));

export const searchGoods = async (text: string): Promise<Item[]> =>
  (await listItems({ q: text === '' ? undefined : text, kind: 'goods' }, undefined, 20)).items;

export function itemText(item: Item): string {
  return `${item.sku} — ${item.name}`;
}

type Panel = 'receipt' | 'adjustment' | null;

export function StockPage() {
  usePageTitle('Stock');
  const me = useMe();
  const format = useFormatters();
  const canMove = allows(me.actor.roles, 'moveStock');
  const [warehouseId, setWarehouseId] = useState('');
  const [itemFilter, setItemFilter] = useState<Item | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loadWarehouses = useCallback(async () => (await listWarehouses()).items, []);
  const warehouses = useLoad(loadWarehouses);
  const items = useLoad(loadItemsById);
  const fetchPage = useCallback(
    async (cursor?: string) => {
      const page = await listStock({ warehouseId: warehouseId === '' ? undefined : warehouseId, itemId: itemFilter?.id }, cursor, 100);
      return { items: page.items.map((level) => ({ ...level, id: `${level.itemId}|${level.warehouseId}` })), nextCursor: page.nextCursor };
    },
    [warehouseId, itemFilter],
  );
  const list = usePagedList<Row>(fetchPage);
  const warehouseById = useMemo(() => new Map((warehouses.data ?? []).map((warehouse) => [warehouse.id, warehouse])), [warehouses.data]);

  const csvColumns: readonly CsvColumn<Row>[] = [
    { header: 'sku', value: (row) => items.data?.get(row.itemId)?.sku },
    { header: 'name', value: (row) => items.data?.get(row.itemId)?.name },
    { header: 'warehouse', value: (row) => warehouseById.get(row.warehouseId)?.code },
    { header: 'onHand', value: (row) => row.onHand },
    { header: 'reserved', value: (row) => row.reserved },
    { header: 'available', value: (row) => row.available },
    { header: 'itemId', value: (row) => row.itemId },
    { header: 'warehouseId', value: (row) => row.warehouseId },
  ];

  const onMoved = (message: string) => {
    setPanel(null);
    setNotice(message);
    list.reload();
  };

  return (
    <>
      <SectionTabs label="Stock" links={stockTabs} />
      <div className="page-heading">
        <h1>Stock</h1>
        {canMove ? (
          <div className="actions">
            <button type="button" onClick={() => setPanel(panel === 'receipt' ? null : 'receipt')} aria-expanded={panel === 'receipt'}>
              Receive goods
            </button>
            <button type="button" className="secondary" onClick={() => setPanel(panel === 'adjustment' ? null : 'adjustment')} aria-expanded={panel === 'adjustment'}>
              Adjust stock
            </button>
          </div>
        ) : null}
      </div>
      <p className="page-intro">Available is what can still be promised: on hand less what open orders have reserved.</p>
      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      {panel === null ? null : (
        <StockMoveForm
          key={panel}
          kind={panel}
          warehouses={warehouses.data ?? []}
          onDone={onMoved}
          onClose={() => setPanel(null)}
        />
      )}

      <form className="filters" aria-label="Filter stock" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="Warehouse" value={warehouseId} onChange={setWarehouseId}>
          <option value="">All warehouses</option>
          {(warehouses.data ?? []).map((warehouse) => (
            <option key={warehouse.id} value={warehouse.id}>
              {warehouse.code} — {warehouse.name}
            </option>
          ))}
        </SelectField>
        <Combobox<Item>
          label="Item"
          value={itemFilter}
          onSelect={setItemFilter}
          search={searchGoods}
          getKey={(item) => item.id}
          display={itemText}
          exactMatch={(item, text) => item.sku.toLowerCase() === text.toLowerCase()}
          placeholder="All items — type a SKU or name"
        />
        <div className="filter-actions">
          {itemFilter === null ? null : (
            <button type="button" className="secondary" onClick={() => setItemFilter(null)}>
              All items
            </button>
          )}
          <ExportCsvButton fileName="stock.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>

      <ErrorMessage error={list.error ?? items.error ?? warehouses.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Stock levels</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">SKU</th>
              <th scope="col" role="columnheader">Item</th>
              <th scope="col" role="columnheader">Warehouse</th>
              <th scope="col" role="columnheader" className="num">On hand</th>
              <th scope="col" role="columnheader" className="num">Reserved</th>
              <th scope="col" role="columnheader" className="num">Available</th>
              <th scope="col" role="columnheader">
                <span className="visually-hidden">History</span>
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((row) => {
              const item = items.data?.get(row.itemId);
              const warehouse = warehouseById.get(row.warehouseId);
              const short = compareDecimal(row.available, '0') <= 0;
              return (
                <tr role="row" key={row.id}>
                  <td role="cell" data-label="SKU">
                    <Link to={`/items/${row.itemId}`}>
                      <code>{item?.sku ?? row.itemId}</code>
                    </Link>
                  </td>
                  <td role="cell" data-label="Item">
                    {item?.name ?? '…'} {item === undefined ? null : <span className="muted">(<UnitLabel code={item.unit} />)</span>}
                  </td>
                  <td role="cell" data-label="Warehouse">{warehouse?.code ?? '…'}</td>
                  <td role="cell" data-label="On hand" className="num">{format.quantity(row.onHand)}</td>
                  <td role="cell" data-label="Reserved" className="num">{format.quantity(row.reserved)}</td>
                  <td role="cell" data-label="Available" className={short ? 'num strong text-danger' : 'num strong'}>
                    {format.quantity(row.available)}
                  </td>
                  <td role="cell" className="cell-actions">
                    <Link to={`/stock/movements?itemId=${row.itemId}&warehouseId=${row.warehouseId}`} aria-label={`Movements of ${item?.sku ?? 'item'} in ${warehouse?.code ?? 'warehouse'}`}>
                      Movements
                    </Link>
                  </td>
                </tr>
              );
            })}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={7} className="empty">
                  No stock recorded.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="stock rows" />
    </>
  );
}

interface StockMoveFormProps {
  readonly kind: 'receipt' | 'adjustment';
  readonly warehouses: readonly Warehouse[];
  readonly onDone: (message: string) => void;
  readonly onClose: () => void;
}

/** Receive goods, or correct on-hand stock to a count or by a delta (always with a reason). */
function StockMoveForm({ kind, warehouses, onDone, onClose }: StockMoveFormProps) {
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const [item, setItem] = useState<Item | null>(null);
  const [warehouseId, setWarehouseId] = useState(() => warehouses.find((warehouse) => warehouse.isDefault)?.id ?? warehouses[0]?.id ?? '');
  const [mode, setMode] = useState<'counted' | 'delta'>('counted');
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<{ item?: string; quantity?: string }>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const value = parseDecimalInput(quantity);
    const problems: { item?: string; quantity?: string } = {};
    if (item === null) problems.item = 'Choose an item.';
    if (value === null) problems.quantity = 'Enter a quantity such as 12 or 2.5.';
    setLocalErrors(problems);
    if (item === null || value === null) return;
    setBusy(true);
    try {
      let level: StockLevel;
      if (kind === 'receipt') {
        const body = { itemId: item.id, warehouseId, quantity: value, reason: reason.trim() === '' ? null : reason.trim() };
        level = await actionKey.run(body, (key) => receiveStock(body, key));
      } else {
        const body =
          mode === 'counted'
            ? { itemId: item.id, warehouseId, countedQuantity: value, reason: reason.trim() }
            : { itemId: item.id, warehouseId, delta: value, reason: reason.trim() };
        level = await actionKey.run(body, (key) => adjustStock(body, key));
      }
      const warehouse = warehouses.find((candidate) => candidate.id === warehouseId);
      onDone(
        `${kind === 'receipt' ? 'Received' : 'Adjusted'} ${item.sku} in ${warehouse?.code ?? 'the warehouse'}: on hand ${format.quantity(level.onHand)}, reserved ${format.quantity(level.reserved)}, available ${format.quantity(level.available)}.`,
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const title = kind === 'receipt' ? 'Receive goods' : 'Adjust stock';
  return (
    <section className="card card-highlight" aria-labelledby="stock-move-heading">
      <h2 id="stock-move-heading">{title}</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        <div className="field-grid">
          <Combobox<Item>
            label="Item"
            value={item}
            onSelect={setItem}
            search={searchGoods}
            getKey={(candidate) => candidate.id}
            display={itemText}
            exactMatch={(candidate, text) => candidate.sku.toLowerCase() === text.toLowerCase()}
            placeholder="SKU or name"
            required
            error={localErrors.item ?? apiError?.fieldError('itemId')}
          />
          <SelectField label="Warehouse" value={warehouseId} onChange={setWarehouseId} error={apiError?.fieldError('warehouseId')}>
            {warehouses
              .filter((warehouse) => warehouse.active)
              .map((warehouse) => (
                <option key={warehouse.id} value={warehouse.id}>
                  {warehouse.code} — {warehouse.name}
                </option>
              ))}
          </SelectField>
          {kind === 'adjustment' ? (
            <SelectField label="Correction" value={mode} onChange={(value) => setMode(value === 'delta' ? 'delta' : 'counted')}>
              <option value="counted">Set to the counted quantity</option>
              <option value="delta">Add or remove a quantity (±)</option>
            </SelectField>
          ) : null}
          <Field
            label={kind === 'receipt' ? 'Quantity received' : mode === 'counted' ? 'Counted quantity' : 'Change (e.g. -3 or 5)'}
            required
            inputMode="decimal"
            className="num-input"
            value={quantity}
            onChange={setQuantity}
            error={localErrors.quantity ?? apiError?.fieldError('quantity') ?? apiError?.fieldError('countedQuantity') ?? apiError?.fieldError('delta')}
          />
        </div>
        <Field
          label={kind === 'receipt' ? 'Reference (optional)' : 'Reason'}
          required={kind === 'adjustment'}
          maxLength={500}
          value={reason}
          onChange={setReason}
          hint={kind === 'receipt' ? 'e.g. delivery note or purchase order' : 'e.g. stocktaking 2026, damaged in storage'}
          error={apiError?.fieldError('reason')}
        />
        <ErrorMessage error={error} shownFields={['itemId', 'warehouseId', 'quantity', 'countedQuantity', 'delta', 'reason']} />
        <FormActions submit={kind === 'receipt' ? 'Receive' : 'Adjust'} busy={busy} onCancel={onClose} />
      </form>
    </section>
  );
}
