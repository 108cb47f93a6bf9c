import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { getItem, listStockMovements, listWarehouses, stockMovementKinds, type Item, type StockMovement, type StockMovementKind } from '../../api';
import { humanize } from '../../components/Badges';
import { Combobox } from '../../components/Combobox';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField } from '../../components/Field';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { SectionTabs, stockTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { compareDecimal } from '../../decimal';
import { useFormatters } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { itemText, loadItemsById, searchGoods } from './StockPage';

export function StockMovementsPage() {
  usePageTitle('Stock movements');
  const format = useFormatters();
  const [params, setParams] = useSearchParams();
  const itemId = params.get('itemId') ?? undefined;
  const warehouseId = params.get('warehouseId') ?? undefined;
  const kindParam = params.get('kind');
  const kind = stockMovementKinds.find((candidate) => candidate === kindParam);
  const [item, setItem] = useState<Item | null>(null);
  const loadWarehouses = useCallback(async () => (await listWarehouses()).items, []);
  const warehouses = useLoad(loadWarehouses);
  const items = useLoad(loadItemsById);
  const warehouseById = useMemo(() => new Map((warehouses.data ?? []).map((warehouse) => [warehouse.id, warehouse])), [warehouses.data]);
  const fetchPage = useCallback((cursor?: string) => listStockMovements({ itemId, warehouseId, kind }, cursor), [itemId, warehouseId, kind]);
  const list = usePagedList<StockMovement>(fetchPage);

  // The item of the address shows in the item filter.
  useEffect(() => {
    if (itemId === undefined) {
      setItem(null);
      return;
    }
    if (item?.id === itemId) return;
    let live = true;
    getItem(itemId).then(
      (found) => {
        if (live) setItem(found);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [itemId, item?.id]);

  const setParam = (name: string, value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === undefined || value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );

  const csvColumns: readonly CsvColumn<StockMovement>[] = [
    { header: 'occurredAt', value: (movement) => movement.occurredAt },
    { header: 'sku', value: (movement) => items.data?.get(movement.itemId)?.sku },
    { header: 'warehouse', value: (movement) => warehouseById.get(movement.warehouseId)?.code },
    { header: 'kind', value: (movement) => movement.kind },
    { header: 'onHandDelta', value: (movement) => movement.onHandDelta },
    { header: 'reservedDelta', value: (movement) => movement.reservedDelta },
    { header: 'onHandAfter', value: (movement) => movement.onHandAfter },
    { header: 'reservedAfter', value: (movement) => movement.reservedAfter },
    { header: 'reason', value: (movement) => movement.reason },
    { header: 'referenceType', value: (movement) => movement.referenceType },
    { header: 'referenceId', value: (movement) => movement.referenceId },
    { header: 'actorName', value: (movement) => movement.actorName },
  ];

  const signed = (value: string) => (compareDecimal(value, '0') > 0 ? `+${format.quantity(value)}` : compareDecimal(value, '0') === 0 ? '—' : format.quantity(value));

  return (
    <>
      <SectionTabs label="Stock" links={stockTabs} />
      <h1>Stock movements{item === null ? '' : ` of ${item.sku}`}</h1>
      <p className="page-intro">Every change of on-hand or reserved stock, newest first.</p>
      <form className="filters" aria-label="Filter movements" onSubmit={(event) => event.preventDefault()}>
        <Combobox<Item>
          label="Item"
          value={item}
          onSelect={(chosen) => {
            setItem(chosen);
            if (chosen !== null || itemId !== undefined) setParam('itemId', chosen?.id);
          }}
          search={searchGoods}
          getKey={(candidate) => candidate.id}
          display={itemText}
          exactMatch={(candidate, text) => candidate.sku.toLowerCase() === text.toLowerCase()}
          placeholder="All items — type a SKU or name"
        />
        <SelectField label="Warehouse" value={warehouseId ?? ''} onChange={(value) => setParam('warehouseId', value)}>
          <option value="">All warehouses</option>
          {(warehouses.data ?? []).map((warehouse) => (
            <option key={warehouse.id} value={warehouse.id}>
              {warehouse.code} — {warehouse.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Kind" value={kind ?? ''} onChange={(value) => setParam('kind', value)}>
          <option value="">All kinds</option>
          {stockMovementKinds.map((candidate: StockMovementKind) => (
            <option key={candidate} value={candidate}>
              {humanize(candidate)}
            </option>
          ))}
        </SelectField>
        <div className="filter-actions">
          <ExportCsvButton fileName="stock-movements.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>
      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Stock movements</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">When</th>
              <th scope="col" role="columnheader">Item</th>
              <th scope="col" role="columnheader">Warehouse</th>
              <th scope="col" role="columnheader">Kind</th>
              <th scope="col" role="columnheader" className="num">On hand ±</th>
              <th scope="col" role="columnheader" className="num">Reserved ±</th>
              <th scope="col" role="columnheader" className="num">
                On hand <span className="visually-hidden">after</span>
              </th>
              <th scope="col" role="columnheader" className="num">
                Reserved <span className="visually-hidden">after</span>
              </th>
              <th scope="col" role="columnheader">Reason, by</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((movement) => {
              const movedItem = items.data?.get(movement.itemId);
              return (
                <tr role="row" key={movement.id}>
                  <td role="cell" data-label="When" className="nowrap">{format.instant(movement.occurredAt)}</td>
                  <td role="cell" data-label="Item">
                    <Link to={`/items/${movement.itemId}`}>
                      <code>{movedItem?.sku ?? movement.itemId}</code>
                    </Link>
                  </td>
                  <td role="cell" data-label="Warehouse">{warehouseById.get(movement.warehouseId)?.code ?? '…'}</td>
                  <td role="cell" data-label="Kind">{humanize(movement.kind)}</td>
                  <td role="cell" data-label="On hand ±" className="num">{signed(movement.onHandDelta)}</td>
                  <td role="cell" data-label="Reserved ±" className="num">{signed(movement.reservedDelta)}</td>
                  <td role="cell" data-label="On hand after" className="num strong">{format.quantity(movement.onHandAfter)}</td>
                  <td role="cell" data-label="Reserved after" className="num">{format.quantity(movement.reservedAfter)}</td>
                  <td role="cell" data-label="Reason, by">
                    {movement.reason ?? (movement.referenceType === null ? '—' : humanize(movement.referenceType))}
                    <div className="muted small">{movement.actorName}</div>
                  </td>
                </tr>
              );
            })}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={9} className="empty">
                  No movements match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="movements" />
    </>
  );
}
