import { useCallback, useState } from 'react';
import { allows } from '../../access';
import { ActionKey, ApiError, createWarehouse, listWarehouses, updateWarehouse, type Warehouse } from '../../api';
import { ActiveBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { SaveError } from '../../components/SaveError';
import { SectionTabs, stockTabs } from '../../components/SectionTabs';
import { DetailsRow, ListTableHead } from '../../components/TableParts';
import { useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { useSubmit } from '../../useSubmit';

export function WarehousesPage() {
  usePageTitle('Warehouses');
  const me = useMe();
  const canEdit = allows(me.actor.roles, 'moveStock');
  const load = useCallback(async () => (await listWarehouses()).items, []);
  const warehouses = useLoad(load);
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);

  return (
    <>
      <SectionTabs label="Stock" links={stockTabs} />
      <div className="page-heading">
        <h1>Warehouses</h1>
        {canEdit ? (
          <button type="button" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            {creating ? 'Close new warehouse form' : 'New warehouse'}
          </button>
        ) : null}
      </div>
      <p className="page-intro">Orders reserve and ship from one warehouse; the default one is used unless an order names another.</p>
      {creating ? (
        <CreateWarehouseForm
          onCreated={() => {
            setCreating(false);
            warehouses.reload();
          }}
        />
      ) : null}
      <ErrorMessage error={warehouses.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Warehouses</caption>
          <ListTableHead columns={['Code', 'Name', 'Country', 'Default', 'Status']} />
          <tbody role="rowgroup">
            {(warehouses.data ?? []).map((warehouse) =>
              editingId === warehouse.id ? (
                <DetailsRow key={warehouse.id} colSpan={6}>
                  <EditWarehouseForm
                    warehouse={warehouse}
                    onDone={() => {
                      setEditingId(null);
                      warehouses.reload();
                    }}
                    onClose={() => setEditingId(null)}
                  />
                </DetailsRow>
              ) : (
                <tr role="row" key={warehouse.id} className={warehouse.active ? undefined : 'row-muted'}>
                  <td role="cell" data-label="Code">
                    <code>{warehouse.code}</code>
                  </td>
                  <td role="cell" data-label="Name">{warehouse.name}</td>
                  <td role="cell" data-label="Country">{warehouse.countryCode}</td>
                  <td role="cell" data-label="Default">{warehouse.isDefault ? 'Default' : '—'}</td>
                  <td role="cell" data-label="Status">
                    <ActiveBadge active={warehouse.active} />
                  </td>
                  <td role="cell" className="cell-actions">
                    {canEdit ? (
                      <button type="button" className="secondary small" onClick={() => setEditingId(warehouse.id)} aria-label={`Edit ${warehouse.code}`}>
                        Edit
                      </button>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CreateWarehouseForm({ onCreated }: { readonly onCreated: () => void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [countryCode, setCountryCode] = useState('DE');
  const [isDefault, setIsDefault] = useState(false);
  const { error, busy, run } = useSubmit(async () => {
    const body = { code: code.trim(), name: name.trim(), countryCode: countryCode.trim().toUpperCase(), isDefault };
    await actionKey.run(body, (key) => createWarehouse(body, key));
    onCreated();
  });

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card" aria-labelledby="new-warehouse-heading">
      <h2 id="new-warehouse-heading">New warehouse</h2>
      <form onSubmit={(event) => void run(event)}>
        <div className="field-grid">
          <Field label="Code" required maxLength={20} value={code} onChange={setCode} error={apiError?.fieldError('code')} hint="Short, e.g. HAM" />
          <Field label="Name" required value={name} onChange={setName} error={apiError?.fieldError('name')} />
          <Field label="Country" required maxLength={2} className="uppercase" value={countryCode} onChange={setCountryCode} error={apiError?.fieldError('countryCode')} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={isDefault} onChange={(event) => setIsDefault(event.target.checked)} />
          Default warehouse
        </label>
        <ErrorMessage error={error} shownFields={['code', 'name', 'countryCode']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Create warehouse
          </button>
        </div>
      </form>
    </section>
  );
}

function EditWarehouseForm({ warehouse, onDone, onClose }: { readonly warehouse: Warehouse; readonly onDone: () => void; readonly onClose: () => void }) {
  const [name, setName] = useState(warehouse.name);
  const [isDefault, setIsDefault] = useState(warehouse.isDefault);
  const [active, setActive] = useState(warehouse.active);
  const { error, busy, run } = useSubmit(async () => {
    const changes: { name?: string; isDefault?: boolean; active?: boolean } = {};
    if (name.trim() !== warehouse.name) changes.name = name.trim();
    if (isDefault !== warehouse.isDefault) changes.isDefault = isDefault;
    if (active !== warehouse.active) changes.active = active;
    if (Object.keys(changes).length > 0) await updateWarehouse(warehouse.id, { version: warehouse.version, ...changes });
    onDone();
  });

  const apiError = error instanceof ApiError ? error : null;
  return (
    <form onSubmit={(event) => void run(event)} aria-label={`Edit warehouse ${warehouse.code}`}>
      <div className="field-grid">
        <Field label="Name" required value={name} onChange={setName} error={apiError?.fieldError('name')} />
      </div>
      <div className="checkbox-grid">
        <label className="checkbox">
          <input type="checkbox" checked={isDefault} onChange={(event) => setIsDefault(event.target.checked)} />
          Default warehouse
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
          Active
        </label>
      </div>
      <SaveError error={error} shownFields={['name']} onReload={onDone} noun="this warehouse" />
      <FormActions submit="Save" busy={busy} onCancel={onClose} />
    </form>
  );
}
