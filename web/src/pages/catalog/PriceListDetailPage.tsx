import { useCallback, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ApiError,
  getPriceList,
  listItems,
  listPriceListEntries,
  removeItemPrices,
  setItemPrices,
  updatePriceList,
  type Item,
  type ItemPrices,
  type PriceBreak,
  type PriceList,
} from '../../api';
import { ActiveBadge } from '../../components/Badges';
import { Combobox } from '../../components/Combobox';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { ListFooter } from '../../components/ListControls';
import { SaveError } from '../../components/SaveError';
import { SectionTabs, catalogTabs } from '../../components/SectionTabs';
import { DetailsRow, ListTableHead } from '../../components/TableParts';
import { parseDecimalInput } from '../../decimal';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { UnitLabel } from '../../units';
import { usePageTitle } from '../../usePageTitle';

/** Quantity breaks as text: "from 1: 4,85 € · from 10: 4,40 €". */
export function BreaksText({ breaks, currency, unit }: { readonly breaks: readonly PriceBreak[]; readonly currency: string; readonly unit?: string }) {
  const format = useFormatters();
  return (
    <ul className="breaks">
      {breaks.map((priceBreak) => (
        <li key={priceBreak.minQuantity}>
          <span className="muted">from {format.quantity(priceBreak.minQuantity)}</span> <span className="nowrap">{format.unitPrice(priceBreak.unitPrice, currency)}</span>
          {unit === undefined ? null : (
            <span className="muted">
              {' '}
              / <UnitLabel code={unit} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

type Entry = ItemPrices & { readonly id: string };

export function PriceListDetailPage() {
  const { priceListId = '' } = useParams();
  const me = useMe();
  const format = useFormatters();
  const canEdit = allows(me.actor.roles, 'editCatalog');
  const loadList = useCallback(() => getPriceList(priceListId), [priceListId]);
  const priceList = useLoad(loadList);
  const fetchPage = useCallback(
    async (cursor?: string) => {
      const page = await listPriceListEntries(priceListId, {}, cursor, 100);
      return { items: page.items.map((entry) => ({ ...entry, id: entry.itemId })), nextCursor: page.nextCursor };
    },
    [priceListId],
  );
  const entries = usePagedList<Entry>(fetchPage);
  const [editingItem, setEditingItem] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  usePageTitle(priceList.data?.name ?? 'Price list');

  if (priceList.data === null) {
    return priceList.error === null ? (
      <p className="loading" role="status">
        Loading price list…
      </p>
    ) : (
      <ErrorMessage error={priceList.error} />
    );
  }
  const list = priceList.data;

  return (
    <>
      <SectionTabs label="Items and prices" links={catalogTabs} />
      <p className="breadcrumb">
        <Link to="/price-lists">Price lists</Link> › {list.name}
      </p>
      <div className="page-heading">
        <h1>
          {list.name} <ActiveBadge active={list.active} />
        </h1>
      </div>
      <p className="page-meta">
        {list.currency} · valid {format.date(list.validFrom)} – {list.validTo === null ? 'open-ended' : format.date(list.validTo)}
        {list.isDefault ? ` · default list for ${list.currency}` : ''} · version {list.version}
      </p>

      {canEdit ? <PriceListHeaderForm key={list.version} priceList={list} onSaved={priceList.set} onReload={priceList.reload} /> : null}

      <div className="list-toolbar">
        <h2>Prices</h2>
        {canEdit ? (
          <button type="button" onClick={() => setAdding((open) => !open)} aria-expanded={adding}>
            {adding ? 'Close' : 'Add item prices'}
          </button>
        ) : null}
      </div>
      {adding ? (
        <BreaksEditor
          priceList={list}
          entry={null}
          onSaved={() => {
            setAdding(false);
            entries.reload();
          }}
          onClose={() => setAdding(false)}
        />
      ) : null}
      <ErrorMessage error={entries.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Prices in {list.name}</caption>
          <ListTableHead columns={['SKU', 'Item', 'Unit', 'Unit prices by quantity']} />
          <tbody role="rowgroup">
            {entries.items.map((entry) =>
              editingItem === entry.itemId ? (
                <DetailsRow key={entry.id} colSpan={5}>
                  <BreaksEditor
                    priceList={list}
                    entry={entry}
                    onSaved={(saved) => {
                      if (saved === null) entries.reload();
                      else entries.replace({ ...saved, id: saved.itemId });
                      setEditingItem(null);
                    }}
                    onClose={() => setEditingItem(null)}
                  />
                </DetailsRow>
              ) : (
                <tr role="row" key={entry.id}>
                  <td role="cell" data-label="SKU">
                    <Link to={`/items/${entry.itemId}`}>
                      <code>{entry.sku}</code>
                    </Link>
                  </td>
                  <td role="cell" data-label="Item">{entry.itemName}</td>
                  <td role="cell" data-label="Unit">
                    <UnitLabel code={entry.unit} />
                  </td>
                  <td role="cell" data-label="Prices">
                    <BreaksText breaks={entry.breaks} currency={entry.currency} />
                  </td>
                  <td role="cell" className="cell-actions">
                    {canEdit ? (
                      <button type="button" className="secondary small" onClick={() => setEditingItem(entry.itemId)} aria-label={`Edit prices of ${entry.sku}`}>
                        Edit
                      </button>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
            {!entries.loading && entries.items.length === 0 && entries.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={5} className="empty">
                  This list prices no items yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={entries.items.length} hasMore={entries.hasMore} loading={entries.loading} onMore={entries.loadMore} noun="items" />
    </>
  );
}

interface HeaderFormProps {
  readonly priceList: PriceList;
  readonly onSaved: (priceList: PriceList) => void;
  readonly onReload: () => void;
}

function PriceListHeaderForm({ priceList, onSaved, onReload }: HeaderFormProps) {
  const [name, setName] = useState(priceList.name);
  const [validFrom, setValidFrom] = useState(priceList.validFrom);
  const [validTo, setValidTo] = useState(priceList.validTo ?? '');
  const [isDefault, setIsDefault] = useState(priceList.isDefault);
  const [active, setActive] = useState(priceList.active);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const changes: { name?: string; validFrom?: string; validTo?: string | null; isDefault?: boolean; active?: boolean } = {};
      if (name.trim() !== priceList.name) changes.name = name.trim();
      if (validFrom !== priceList.validFrom) changes.validFrom = validFrom;
      if ((validTo === '' ? null : validTo) !== priceList.validTo) changes.validTo = validTo === '' ? null : validTo;
      if (isDefault !== priceList.isDefault) changes.isDefault = isDefault;
      if (active !== priceList.active) changes.active = active;
      if (Object.keys(changes).length > 0) onSaved(await updatePriceList(priceList.id, { version: priceList.version, ...changes }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <details className="card">
      <summary>Change name, period or status</summary>
      <form onSubmit={(event) => void onSubmit(event)} aria-label="Price list">
        <div className="field-grid">
          <Field label="Name" required value={name} onChange={setName} error={apiError?.fieldError('name')} />
          <Field label="Valid from" type="date" required value={validFrom} onChange={setValidFrom} error={apiError?.fieldError('validFrom')} />
          <Field label="Valid to" type="date" value={validTo} onChange={setValidTo} error={apiError?.fieldError('validTo')} hint="Empty: open-ended" />
        </div>
        <div className="checkbox-grid">
          <label className="checkbox">
            <input type="checkbox" checked={isDefault} onChange={(event) => setIsDefault(event.target.checked)} />
            Default list of {priceList.currency}
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
            Active
          </label>
        </div>
        <SaveError error={error} shownFields={['name', 'validFrom', 'validTo']} onReload={onReload} noun="this price list" />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </details>
  );
}

interface BreakDraft {
  readonly key: number;
  minQuantity: string;
  unitPrice: string;
}

let breakKey = 0;

interface BreaksEditorProps {
  readonly priceList: PriceList;
  /** The item's current prices; null to add an item. */
  readonly entry: ItemPrices | null;
  /** The saved prices, or null when they were removed. */
  readonly onSaved: (entry: ItemPrices | null) => void;
  readonly onClose: () => void;
}

/** An item's quantity breaks in one list: each row a quantity from which a unit price applies. */
function BreaksEditor({ priceList, entry, onSaved, onClose }: BreaksEditorProps) {
  const [item, setItem] = useState<Item | null>(null);
  const [rows, setRows] = useState<BreakDraft[]>(() =>
    entry === null ? [{ key: ++breakKey, minQuantity: '1', unitPrice: '' }] : entry.breaks.map((priceBreak) => ({ key: ++breakKey, ...priceBreak })),
  );
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const itemId = entry?.itemId ?? item?.id ?? null;
  const searchItems = useCallback(async (text: string) => (await listItems({ q: text === '' ? undefined : text, active: 'true' }, undefined, 20)).items, []);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setLocalError(null);
    if (itemId === null) {
      setLocalError('Choose an item.');
      return;
    }
    const breaks: PriceBreak[] = [];
    for (const row of rows) {
      const minQuantity = parseDecimalInput(row.minQuantity);
      const unitPrice = parseDecimalInput(row.unitPrice);
      if (minQuantity === null || unitPrice === null) {
        setLocalError('Every row needs a quantity and a unit price, e.g. 10 and 4.40.');
        return;
      }
      breaks.push({ minQuantity, unitPrice });
    }
    setBusy(true);
    try {
      onSaved(await setItemPrices(priceList.id, { itemId, breaks }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (entry === null) return;
    setBusy(true);
    setError(null);
    try {
      await removeItemPrices(priceList.id, entry.itemId);
      onSaved(null);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const title = entry === null ? 'Add item prices' : `Prices of ${entry.sku}`;
  return (
    <form className="card card-highlight breaks-editor" onSubmit={(event) => void onSubmit(event)} aria-label={title}>
      <h3>{title}</h3>
      {entry === null ? (
        <Combobox<Item>
          label="Item"
          value={item}
          onSelect={setItem}
          search={searchItems}
          getKey={(candidate) => candidate.id}
          display={(candidate) => `${candidate.sku} — ${candidate.name}`}
          exactMatch={(candidate, text) => candidate.sku.toLowerCase() === text.toLowerCase()}
          placeholder="SKU or name"
          error={apiError?.fieldError('itemId')}
        />
      ) : null}
      <table className="plain-table">
        <caption className="visually-hidden">Quantity breaks</caption>
        <thead>
          <tr>
            <th scope="col">From quantity</th>
            <th scope="col">Unit price ({priceList.currency})</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.key}>
              <td>
                <input
                  aria-label={`From quantity, row ${index + 1}`}
                  inputMode="decimal"
                  className="num-input"
                  value={row.minQuantity}
                  onChange={(event) => setRows(rows.map((candidate) => (candidate.key === row.key ? { ...candidate, minQuantity: event.target.value } : candidate)))}
                  aria-invalid={apiError?.errorAt(`breaks.${index}.minQuantity`) === undefined ? undefined : true}
                />
                {apiError?.errorAt(`breaks.${index}.minQuantity`) === undefined ? null : <small className="field-error">{apiError.errorAt(`breaks.${index}.minQuantity`)}</small>}
              </td>
              <td>
                <input
                  aria-label={`Unit price, row ${index + 1}`}
                  inputMode="decimal"
                  className="num-input"
                  value={row.unitPrice}
                  onChange={(event) => setRows(rows.map((candidate) => (candidate.key === row.key ? { ...candidate, unitPrice: event.target.value } : candidate)))}
                  aria-invalid={apiError?.errorAt(`breaks.${index}.unitPrice`) === undefined ? undefined : true}
                />
                {apiError?.errorAt(`breaks.${index}.unitPrice`) === undefined ? null : <small className="field-error">{apiError.errorAt(`breaks.${index}.unitPrice`)}</small>}
              </td>
              <td>
                <button
                  type="button"
                  className="secondary small"
                  disabled={rows.length === 1}
                  onClick={() => setRows(rows.filter((candidate) => candidate.key !== row.key))}
                  aria-label={`Remove row ${index + 1}`}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="secondary small" onClick={() => setRows([...rows, { key: ++breakKey, minQuantity: '', unitPrice: '' }])}>
          Add quantity break
        </button>
      </div>
      {localError === null ? null : (
        <p className="message message-error" role="alert">
          {localError}
        </p>
      )}
      <ErrorMessage error={error} shownFields={['itemId']} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save prices
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        {entry !== null && !confirmRemove ? (
          <button type="button" className="danger" onClick={() => setConfirmRemove(true)} disabled={busy}>
            Remove from list
          </button>
        ) : null}
        {entry !== null && confirmRemove ? (
          <span className="confirm-inline" role="group" aria-label="Confirm removal">
            Remove all prices of {entry.sku} from this list?{' '}
            <button type="button" className="danger small" onClick={() => void remove()} disabled={busy} autoFocus>
              Remove
            </button>{' '}
            <button type="button" className="secondary small" onClick={() => setConfirmRemove(false)}>
              Keep
            </button>
          </span>
        ) : null}
      </div>
    </form>
  );
}
