import { useState } from 'react';
import { allows } from '../../access';
import { ActionKey, ApiError, accountTypes, createAccount, deleteAccount, updateAccount, type Account, type AccountType } from '../../api';
import { ActiveBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { SaveError } from '../../components/SaveError';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { DetailsRow, ListTableHead } from '../../components/TableParts';
import { useMe } from '../../session';
import { usePageTitle } from '../../usePageTitle';
import { useSubmit } from '../../useSubmit';
import { SystemBadge, accountTypeLabels, useAccounts } from './ledgerParts';

export function AccountsPage() {
  usePageTitle('Chart of accounts');
  const me = useMe();
  const canEdit = allows(me.actor.roles, 'editLedger');
  const accounts = useAccounts();
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>Chart of accounts</h1>
        {canEdit ? (
          <button type="button" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            {creating ? 'Close new account form' : 'New account'}
          </button>
        ) : null}
      </div>
      <p className="page-intro">
        System accounts are the ones o2c posts to by itself (bank, receivables, VAT, revenue): they can be renamed and renumbered, but their type and
        status are fixed and they cannot be deleted.
      </p>
      {creating ? (
        <CreateAccountForm
          onCreated={() => {
            setCreating(false);
            accounts.reload();
          }}
        />
      ) : null}
      <ErrorMessage error={accounts.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Chart of accounts</caption>
          <ListTableHead columns={['Number', 'Name', 'Type', 'System', 'Status']} />
          <tbody role="rowgroup">
            {(accounts.data ?? []).map((account) =>
              editingId === account.id ? (
                <DetailsRow key={account.id} colSpan={6}>
                  <EditAccountForm
                    account={account}
                    onDone={() => {
                      setEditingId(null);
                      accounts.reload();
                    }}
                    onClose={() => setEditingId(null)}
                  />
                </DetailsRow>
              ) : (
                <AccountRow
                  key={account.id}
                  account={account}
                  canEdit={canEdit}
                  deleting={deletingId === account.id}
                  onEdit={() => setEditingId(account.id)}
                  onDelete={() => setDeletingId(account.id)}
                  onCloseDelete={() => setDeletingId(null)}
                  onDeleted={() => {
                    setDeletingId(null);
                    accounts.reload();
                  }}
                />
              ),
            )}
            {!accounts.loading && (accounts.data ?? []).length === 0 && accounts.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={6} className="empty">
                  No accounts yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface AccountRowProps {
  readonly account: Account;
  readonly canEdit: boolean;
  readonly deleting: boolean;
  onEdit(): void;
  onDelete(): void;
  onCloseDelete(): void;
  onDeleted(): void;
}

function AccountRow({ account, canEdit, deleting, onEdit, onDelete, onCloseDelete, onDeleted }: AccountRowProps) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(account.id);
      onDeleted();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <tr role="row" className={account.active ? undefined : 'row-muted'}>
        <td role="cell" data-label="Number">
          <code>{account.number}</code>
        </td>
        <td role="cell" data-label="Name">
          {account.name}
          {account.requiresCustomer ? <span className="muted small"> · lines name a customer</span> : null}
        </td>
        <td role="cell" data-label="Type">{accountTypeLabels[account.type]}</td>
        <td role="cell" data-label="System">
          <SystemBadge systemKey={account.systemKey} />
        </td>
        <td role="cell" data-label="Status">
          <ActiveBadge active={account.active} />
        </td>
        <td role="cell" className="cell-actions nowrap">
          {canEdit ? (
            <>
              <button type="button" className="secondary small" onClick={onEdit} aria-label={`Edit account ${account.number}`}>
                Edit
              </button>{' '}
              {account.systemKey === null ? (
                <button type="button" className="danger small" onClick={onDelete} aria-label={`Delete account ${account.number}`}>
                  Delete
                </button>
              ) : null}
            </>
          ) : null}
        </td>
      </tr>
      {deleting ? (
        <tr role="row" className="row-confirm">
          <td role="cell" colSpan={6}>
            <div className="confirm" role="alertdialog" aria-label={`Delete account ${account.number}?`}>
              <p>
                Delete account <strong>{account.number} {account.name}</strong>? Only an account nothing was posted to can be deleted; otherwise set it
                inactive instead.
              </p>
              <ErrorMessage error={error} />
              <div className="actions">
                <button type="button" className="danger" onClick={() => void remove()} disabled={busy} autoFocus>
                  Delete account
                </button>
                <button type="button" className="secondary" onClick={onCloseDelete} disabled={busy}>
                  Cancel
                </button>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function CreateAccountForm({ onCreated }: { readonly onCreated: () => void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [number, setNumber] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<AccountType>('expense');
  const { error, busy, run } = useSubmit(async () => {
    const body = { number: number.trim(), name: name.trim(), type };
    await actionKey.run(body, (key) => createAccount(body, key));
    onCreated();
  });

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card" aria-labelledby="new-account-heading">
      <h2 id="new-account-heading">New account</h2>
      <form onSubmit={(event) => void run(event)}>
        <div className="field-grid">
          <Field label="Number" required maxLength={20} value={number} onChange={setNumber} error={apiError?.fieldError('number')} hint="Letters, digits, . _ -" />
          <Field label="Name" required maxLength={200} value={name} onChange={setName} error={apiError?.fieldError('name')} />
          <SelectField label="Type" value={type} onChange={(value) => setType(value as AccountType)} error={apiError?.fieldError('type')}>
            {accountTypes.map((candidate) => (
              <option key={candidate} value={candidate}>
                {accountTypeLabels[candidate]}
              </option>
            ))}
          </SelectField>
        </div>
        <ErrorMessage error={error} shownFields={['number', 'name', 'type']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Create account
          </button>
        </div>
      </form>
    </section>
  );
}

function EditAccountForm({ account, onDone, onClose }: { readonly account: Account; readonly onDone: () => void; readonly onClose: () => void }) {
  const system = account.systemKey !== null;
  const [number, setNumber] = useState(account.number);
  const [name, setName] = useState(account.name);
  const [type, setType] = useState<AccountType>(account.type);
  const [active, setActive] = useState(account.active);
  const { error, busy, run } = useSubmit(async () => {
    const changes: { number?: string; name?: string; type?: AccountType; active?: boolean } = {};
    if (number.trim() !== account.number) changes.number = number.trim();
    if (name.trim() !== account.name) changes.name = name.trim();
    if (!system && type !== account.type) changes.type = type;
    if (!system && active !== account.active) changes.active = active;
    if (Object.keys(changes).length > 0) await updateAccount(account.id, { version: account.version, ...changes });
    onDone();
  });

  const apiError = error instanceof ApiError ? error : null;
  const lockedHint = system ? `A system account (${account.systemKey}): o2c posts to it itself, so its type and status cannot change.` : undefined;
  return (
    <form onSubmit={(event) => void run(event)} aria-label={`Edit account ${account.number}`}>
      <div className="field-grid">
        <Field label="Number" required maxLength={20} value={number} onChange={setNumber} error={apiError?.fieldError('number')} />
        <Field label="Name" required maxLength={200} value={name} onChange={setName} error={apiError?.fieldError('name')} />
        <SelectField label="Type" value={type} onChange={(value) => setType(value as AccountType)} disabled={system} hint={lockedHint} error={apiError?.fieldError('type')}>
          {accountTypes.map((candidate) => (
            <option key={candidate} value={candidate}>
              {accountTypeLabels[candidate]}
            </option>
          ))}
        </SelectField>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={active} disabled={system} onChange={(event) => setActive(event.target.checked)} />
        Active {system ? <span className="muted small">(locked for system accounts)</span> : null}
      </label>
      <SaveError error={error} shownFields={['number', 'name', 'type']} onReload={onDone} noun="this account" />
      <FormActions submit="Save" busy={busy} onCancel={onClose} />
    </form>
  );
}
