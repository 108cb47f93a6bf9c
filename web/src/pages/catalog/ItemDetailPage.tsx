import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { getItem, listAll, listPriceListEntries, listPriceLists, listStock, listWarehouses, updateItem, type Item, type ItemFields } from '../../api';
import { ActiveBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SectionTabs, catalogTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { ItemForm } from './ItemForm';
import { loadItemReferences } from './ItemsPage';
import { BreaksText } from './PriceListDetailPage';

export function ItemDetailPage() {
  const { itemId = '' } = useParams();
  const me = useMe();
  const format = useFormatters();
  const canEdit = allows(me.actor.roles, 'editCatalog');
  const loadItem = useCallback(() => getItem(itemId), [itemId]);
  const item = useLoad(loadItem);
  const [saved, setSaved] = useState(false);
  const references = useLoad(loadItemReferences);
  const loadPrices = useCallback(async () => {
    const lists = await listAll((cursor) => listPriceLists({ active: 'true' }, cursor, 200));
    const entries = await Promise.all(lists.map(async (list) => ({ list, entry: (await listPriceListEntries(list.id, { itemId })).items[0] ?? null })));
    return entries.filter((row) => row.entry !== null);
  }, [itemId]);
  const prices = useLoad(loadPrices);
  const loadStock = useCallback(async () => {
    const [levels, warehouses] = await Promise.all([listAll((cursor) => listStock({ itemId }, cursor)), listWarehouses()]);
    return levels.map((level) => ({ level, warehouse: warehouses.items.find((warehouse) => warehouse.id === level.warehouseId) }));
  }, [itemId]);
  const stock = useLoad(loadStock);
  usePageTitle(item.data === null ? 'Item' : item.data.sku);

  if (item.data === null) {
    return item.error === null ? (
      <p className="loading" role="status">
        Loading item…
      </p>
    ) : (
      <ErrorMessage error={item.error} />
    );
  }
  const current: Item = item.data;

  const save = async (fields: ItemFields) => {
    const changes: Partial<Omit<ItemFields, 'kind'>> = {};
    for (const name of ['sku', 'name', 'description', 'unit', 'taxCategoryCode', 'revenueAccount', 'active'] as const) {
      if (fields[name] !== current[name]) Object.assign(changes, { [name]: fields[name] });
    }
    setSaved(false);
    if (Object.keys(changes).length > 0) item.set(await updateItem(current.id, { version: current.version, ...changes }));
    setSaved(true);
  };

  return (
    <>
      <SectionTabs label="Items and prices" links={catalogTabs} />
      <p className="breadcrumb">
        <Link to="/items">Items</Link> › {current.sku}
      </p>
      <div className="page-heading">
        <h1>
          <code>{current.sku}</code> {current.name} <ActiveBadge active={current.active} />
        </h1>
      </div>
      <p className="page-meta">
        {current.kind === 'goods' ? 'Goods (stocked)' : 'Service (not stocked)'} · version {current.version}
      </p>

      <section className="card" aria-labelledby="item-fields-heading">
        <h2 id="item-fields-heading">{canEdit ? 'Edit item' : 'Item'}</h2>
        {saved ? (
          <p className="message message-success" role="status">
            Saved.
          </p>
        ) : null}
        {references.data === null ? (
          <ErrorMessage error={references.error} />
        ) : (
          <ItemForm
            key={current.version}
            item={current}
            units={references.data.units}
            taxCategories={references.data.taxCategories}
            readOnly={!canEdit}
            submitLabel="Save changes"
            onSubmit={save}
            onReload={item.reload}
          />
        )}
      </section>

      <section className="section" aria-labelledby="item-prices-heading">
        <div className="list-toolbar">
          <h2 id="item-prices-heading">Prices</h2>
          <Link to="/price-lists">Price lists</Link>
        </div>
        <ErrorMessage error={prices.error} />
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Prices of {current.sku}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Price list</th>
                <th scope="col" role="columnheader">Currency</th>
                <th scope="col" role="columnheader">Unit prices by quantity</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {(prices.data ?? []).map(({ list, entry }) => (
                <tr role="row" key={list.id}>
                  <td role="cell" data-label="Price list">
                    <Link to={`/price-lists/${list.id}`}>{list.name}</Link>
                    {list.isDefault ? (
                      <>
                        {' '}
                        <span className="badge badge-info">default</span>
                      </>
                    ) : null}
                  </td>
                  <td role="cell" data-label="Currency">{list.currency}</td>
                  <td role="cell" data-label="Prices">{entry === null ? '—' : <BreaksText breaks={entry.breaks} currency={list.currency} unit={entry.unit} />}</td>
                </tr>
              ))}
              {prices.data !== null && prices.data.length === 0 ? (
                <tr role="row">
                  <td role="cell" colSpan={3} className="empty">
                    No active price list prices this item.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>

      {current.kind === 'goods' ? (
        <section className="section" aria-labelledby="item-stock-heading">
          <div className="list-toolbar">
            <h2 id="item-stock-heading">Stock</h2>
            <Link to={`/stock/movements?itemId=${current.id}`}>Movement history</Link>
          </div>
          <ErrorMessage error={stock.error} />
          <div className="table-wrap">
            <table role="table">
              <caption className="visually-hidden">Stock of {current.sku}</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">Warehouse</th>
                  <th scope="col" role="columnheader" className="num">On hand</th>
                  <th scope="col" role="columnheader" className="num">Reserved</th>
                  <th scope="col" role="columnheader" className="num">Available</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {(stock.data ?? []).map(({ level, warehouse }) => (
                  <tr role="row" key={level.warehouseId}>
                    <td role="cell" data-label="Warehouse">{warehouse === undefined ? level.warehouseId : `${warehouse.code} — ${warehouse.name}`}</td>
                    <td role="cell" data-label="On hand" className="num">{format.quantity(level.onHand)}</td>
                    <td role="cell" data-label="Reserved" className="num">{format.quantity(level.reserved)}</td>
                    <td role="cell" data-label="Available" className="num strong">{format.quantity(level.available)}</td>
                  </tr>
                ))}
                {stock.data !== null && stock.data.length === 0 ? (
                  <tr role="row">
                    <td role="cell" colSpan={4} className="empty">
                      No stock in any warehouse.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
