import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, createItem, listAll, listItems, listTaxCategories, listUnits, type Item, type ItemFilter } from '../../api';
import { ActiveBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { SectionTabs, catalogTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { UnitLabel } from '../../units';
import { usePageTitle } from '../../usePageTitle';
import { ItemForm } from './ItemForm';

const csvColumns: readonly CsvColumn<Item>[] = [
  { header: 'sku', value: (item) => item.sku },
  { header: 'name', value: (item) => item.name },
  { header: 'kind', value: (item) => item.kind },
  { header: 'unit', value: (item) => item.unit },
  { header: 'taxCategoryCode', value: (item) => item.taxCategoryCode },
  { header: 'revenueAccount', value: (item) => item.revenueAccount },
  { header: 'active', value: (item) => item.active },
  { header: 'description', value: (item) => item.description },
  { header: 'id', value: (item) => item.id },
];

export const loadItemReferences = async () => {
  const [units, taxCategories] = await Promise.all([listUnits(), listAll((cursor) => listTaxCategories(cursor))]);
  return { units: units.items, taxCategories };
};

export function ItemsPage() {
  usePageTitle('Items');
  const me = useMe();
  const navigate = useNavigate();
  const canEdit = allows(me.actor.roles, 'editCatalog');
  const [filter, setFilter] = useState<ItemFilter>({ active: 'true' });
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [actionKey] = useState(() => new ActionKey());
  const fetchPage = useCallback((cursor?: string) => listItems(filter, cursor), [filter]);
  const list = usePagedList(fetchPage);
  const references = useLoad(loadItemReferences);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilter((current) => ({ ...current, q: search.trim() === '' ? undefined : search.trim() }));
  };

  return (
    <>
      <SectionTabs label="Items and prices" links={catalogTabs} />
      <div className="page-heading">
        <h1>Items</h1>
        {canEdit ? (
          <button type="button" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            {creating ? 'Close new item form' : 'New item'}
          </button>
        ) : null}
      </div>

      {creating ? (
        <section className="card" aria-labelledby="new-item-heading">
          <h2 id="new-item-heading">New item</h2>
          {references.data === null ? (
            <ErrorMessage error={references.error} />
          ) : (
            <ItemForm
              item={null}
              units={references.data.units}
              taxCategories={references.data.taxCategories}
              submitLabel="Create item"
              onSubmit={async (fields) => {
                const created = await actionKey.run(fields, (key) => createItem(fields, key));
                void navigate(`/items/${created.id}`);
              }}
              onCancel={() => setCreating(false)}
            />
          )}
        </section>
      ) : null}

      <form className="filters" onSubmit={onSearch} aria-label="Filter items">
        <Field label="Search" type="search" value={search} onChange={setSearch} placeholder="SKU or name" />
        <SelectField
          label="Kind"
          value={filter.kind ?? ''}
          onChange={(value) => setFilter((current) => ({ ...current, kind: value === 'goods' || value === 'service' ? value : undefined }))}
        >
          <option value="">Goods and services</option>
          <option value="goods">Goods</option>
          <option value="service">Services</option>
        </SelectField>
        <SelectField
          label="Active"
          value={filter.active ?? ''}
          onChange={(value) => setFilter((current) => ({ ...current, active: value === 'true' || value === 'false' ? value : undefined }))}
        >
          <option value="true">Active only</option>
          <option value="false">Inactive only</option>
          <option value="">All</option>
        </SelectField>
        <div className="filter-actions">
          <button type="submit">Search</button>
          <ExportCsvButton fileName="items.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>

      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Items</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">SKU</th>
              <th scope="col" role="columnheader">Name</th>
              <th scope="col" role="columnheader">Kind</th>
              <th scope="col" role="columnheader">Unit</th>
              <th scope="col" role="columnheader">Tax category</th>
              <th scope="col" role="columnheader">Status</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((item) => (
              <tr role="row" key={item.id} className={item.active ? undefined : 'row-muted'}>
                <td role="cell" data-label="SKU">
                  <Link to={`/items/${item.id}`}>
                    <code>{item.sku}</code>
                  </Link>
                </td>
                <td role="cell" data-label="Name">{item.name}</td>
                <td role="cell" data-label="Kind">{item.kind === 'goods' ? 'Goods' : 'Service'}</td>
                <td role="cell" data-label="Unit">
                  <UnitLabel code={item.unit} />
                </td>
                <td role="cell" data-label="Tax category">{item.taxCategoryCode}</td>
                <td role="cell" data-label="Status">
                  <ActiveBadge active={item.active} />
                </td>
              </tr>
            ))}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={6} className="empty">
                  No items match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="items" />
    </>
  );
}
