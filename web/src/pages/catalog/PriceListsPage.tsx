import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, ApiError, createPriceList, listPriceLists, type PriceList, type PriceListFilter } from '../../api';
import { ActiveBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { SectionTabs, catalogTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';

const csvColumns: readonly CsvColumn<PriceList>[] = [
  { header: 'name', value: (list) => list.name },
  { header: 'currency', value: (list) => list.currency },
  { header: 'validFrom', value: (list) => list.validFrom },
  { header: 'validTo', value: (list) => list.validTo },
  { header: 'isDefault', value: (list) => list.isDefault },
  { header: 'active', value: (list) => list.active },
  { header: 'id', value: (list) => list.id },
];

export function PriceListsPage() {
  usePageTitle('Price lists');
  const me = useMe();
  const format = useFormatters();
  const canEdit = allows(me.actor.roles, 'editCatalog');
  const [filter, setFilter] = useState<PriceListFilter>({});
  const [search, setSearch] = useState('');
  const [currency, setCurrency] = useState('');
  const [creating, setCreating] = useState(false);
  const fetchPage = useCallback((cursor?: string) => listPriceLists(filter, cursor), [filter]);
  const list = usePagedList(fetchPage);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilter((current) => ({
      ...current,
      q: search.trim() === '' ? undefined : search.trim(),
      currency: currency.trim() === '' ? undefined : currency.trim().toUpperCase(),
    }));
  };

  return (
    <>
      <SectionTabs label="Items and prices" links={catalogTabs} />
      <div className="page-heading">
        <h1>Price lists</h1>
        {canEdit ? (
          <button type="button" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            {creating ? 'Close new price list form' : 'New price list'}
          </button>
        ) : null}
      </div>
      <p className="page-intro">
        A customer's own list prices the items it holds; everything else comes from the default list of the order currency. Quantity breaks lower
        the unit price from a quantity on.
      </p>
      {creating ? <CreatePriceListForm baseCurrency={me.tenant.baseCurrency} timeZone={me.tenant.timeZone} /> : null}

      <form className="filters" onSubmit={onSearch} aria-label="Filter price lists">
        <Field label="Search" type="search" value={search} onChange={setSearch} placeholder="Name" />
        <Field label="Currency" value={currency} onChange={setCurrency} maxLength={3} className="uppercase field-narrow" placeholder="EUR" />
        <SelectField
          label="Active"
          value={filter.active ?? ''}
          onChange={(value) => setFilter((current) => ({ ...current, active: value === 'true' || value === 'false' ? value : undefined }))}
        >
          <option value="">All</option>
          <option value="true">Active only</option>
          <option value="false">Inactive only</option>
        </SelectField>
        <div className="filter-actions">
          <button type="submit">Search</button>
          <ExportCsvButton fileName="price-lists.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>

      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Price lists</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Name</th>
              <th scope="col" role="columnheader">Currency</th>
              <th scope="col" role="columnheader">Valid from</th>
              <th scope="col" role="columnheader">Valid to</th>
              <th scope="col" role="columnheader">Default</th>
              <th scope="col" role="columnheader">Status</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((priceList) => (
              <tr role="row" key={priceList.id} className={priceList.active ? undefined : 'row-muted'}>
                <td role="cell" data-label="Name">
                  <Link to={`/price-lists/${priceList.id}`}>{priceList.name}</Link>
                </td>
                <td role="cell" data-label="Currency">{priceList.currency}</td>
                <td role="cell" data-label="Valid from">{format.date(priceList.validFrom)}</td>
                <td role="cell" data-label="Valid to">{priceList.validTo === null ? 'open' : format.date(priceList.validTo)}</td>
                <td role="cell" data-label="Default">{priceList.isDefault ? `Default for ${priceList.currency}` : '—'}</td>
                <td role="cell" data-label="Status">
                  <ActiveBadge active={priceList.active} />
                </td>
              </tr>
            ))}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={6} className="empty">
                  No price lists match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="price lists" />
    </>
  );
}

function CreatePriceListForm({ baseCurrency, timeZone }: { readonly baseCurrency: string; readonly timeZone: string }) {
  const navigate = useNavigate();
  const [actionKey] = useState(() => new ActionKey());
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(baseCurrency);
  const [validFrom, setValidFrom] = useState(() => todayIn(timeZone));
  const [validTo, setValidTo] = useState('');
  const [isDefault, setIsDefault] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), currency: currency.trim().toUpperCase(), validFrom, validTo: validTo === '' ? null : validTo, isDefault, active: true };
      const created = await actionKey.run(body, (key) => createPriceList(body, key));
      void navigate(`/price-lists/${created.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card" aria-labelledby="new-price-list-heading">
      <h2 id="new-price-list-heading">New price list</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        <div className="field-grid">
          <Field label="Name" required value={name} onChange={setName} error={apiError?.fieldError('name')} autoComplete="off" />
          <Field label="Currency" required maxLength={3} className="uppercase" value={currency} onChange={setCurrency} error={apiError?.fieldError('currency')} />
          <Field label="Valid from" type="date" required value={validFrom} onChange={setValidFrom} error={apiError?.fieldError('validFrom')} />
          <Field label="Valid to" type="date" value={validTo} onChange={setValidTo} error={apiError?.fieldError('validTo')} hint="Empty: open-ended" />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={isDefault} onChange={(event) => setIsDefault(event.target.checked)} />
          Default list of its currency
        </label>
        <ErrorMessage error={error} shownFields={['name', 'currency', 'validFrom', 'validTo']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Create price list
          </button>
        </div>
      </form>
    </section>
  );
}
