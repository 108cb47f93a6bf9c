import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { roleLabels } from '../access';
import { ActionKey, ApiError, createUser, getUser, listUsers, resetUserPassword, roles, updateUser, type Role, type User, type UserFilter } from '../api';
import type { CsvColumn } from '../csv';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { ExportCsvButton, ListFooter } from '../components/ListControls';
import { RoleCheckboxes, RoleList } from '../components/RoleCheckboxes';
import { ListTableHead } from '../components/TableParts';
import { useFormatters, useMe } from '../session';
import { usePagedList } from '../usePagedList';
import { usePageTitle } from '../usePageTitle';

const minimumPasswordLength = 10;

const csvColumns: readonly CsvColumn<User>[] = [
  { header: 'id', value: (user) => user.id },
  { header: 'email', value: (user) => user.email },
  { header: 'displayName', value: (user) => user.displayName },
  { header: 'roles', value: (user) => user.roles.join(' ') },
  { header: 'status', value: (user) => user.status },
  { header: 'createdAt', value: (user) => user.createdAt },
  { header: 'lastLoginAt', value: (user) => user.lastLoginAt },
];

export function UsersPage() {
  usePageTitle('Users');
  const format = useFormatters();
  const [filter, setFilter] = useState<UserFilter>({});
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const fetchPage = useCallback((cursor?: string) => listUsers(filter, cursor), [filter]);
  const list = usePagedList(fetchPage);
  const editing = list.items.find((user) => user.id === editingId) ?? null;

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilter((current) => ({ ...current, q: search.trim() === '' ? undefined : search.trim() }));
  };

  return (
    <>
      <div className="page-heading">
        <h1>Users</h1>
        <button type="button" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
          {creating ? 'Close new user form' : 'New user'}
        </button>
      </div>

      {creating ? (
        <CreateUserForm
          onCreated={() => {
            setCreating(false);
            list.reload();
          }}
        />
      ) : null}

      {editing === null ? null : (
        <EditUserPanel
          key={editing.id}
          user={editing}
          onChanged={(user) => list.replace(user)}
          onClose={() => setEditingId(null)}
        />
      )}

      <form className="filters" onSubmit={onSearch} aria-label="Filter users">
        <Field label="Search" type="search" value={search} onChange={setSearch} placeholder="Name or e-mail" />
        <div className="field">
          <label htmlFor="user-status-filter">Status</label>
          <select
            id="user-status-filter"
            value={filter.status ?? ''}
            onChange={(event) => {
              const value = event.target.value;
              setFilter((current) => ({ ...current, status: value === 'active' || value === 'disabled' ? value : undefined }));
            }}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-role-filter">Role</label>
          <select
            id="user-role-filter"
            value={filter.role ?? ''}
            onChange={(event) => {
              const value = roles.find((role) => role === event.target.value);
              setFilter((current) => ({ ...current, role: value }));
            }}
          >
            <option value="">Any</option>
            {roles.map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit">Search</button>
          <ExportCsvButton fileName="users.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>

      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Users</caption>
          <ListTableHead columns={['Name', 'E-mail', 'Roles', 'Status', 'Last sign-in', 'Created']} />
          <tbody role="rowgroup">
            {list.items.map((user) => (
              <tr role="row" key={user.id} className={user.status === 'disabled' ? 'row-muted' : undefined}>
                <td role="cell" data-label="Name">{user.displayName}</td>
                <td role="cell" data-label="E-mail">{user.email}</td>
                <td role="cell" data-label="Roles">
                  <RoleList roles={user.roles} />
                </td>
                <td role="cell" data-label="Status">
                  <span className={`status status-${user.status}`}>{user.status === 'active' ? 'Active' : 'Disabled'}</span>
                </td>
                <td role="cell" data-label="Last sign-in">{format.instant(user.lastLoginAt)}</td>
                <td role="cell" data-label="Created">{format.instant(user.createdAt)}</td>
                <td role="cell" className="cell-actions">
                  <button type="button" className="secondary small" onClick={() => setEditingId(user.id)} aria-label={`Edit ${user.displayName}`}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={7} className="empty">
                  No users match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="users" />
    </>
  );
}

function CreateUserForm({ onCreated }: { readonly onCreated: (user: User) => void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [selectedRoles, setSelectedRoles] = useState<Role[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [rolesMissing, setRolesMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setRolesMissing(selectedRoles.length === 0);
    if (selectedRoles.length === 0) return;
    setBusy(true);
    try {
      const body = { email: email.trim(), displayName: displayName.trim(), password, roles: selectedRoles };
      onCreated(await actionKey.run(body, (key) => createUser(body, key)));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card" aria-labelledby="new-user-heading">
      <h2 id="new-user-heading">New user</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        <div className="field-grid">
          <Field label="E-mail" type="email" required value={email} onChange={setEmail} autoComplete="off" error={apiError?.fieldError('email')} />
          <Field label="Name" required value={displayName} onChange={setDisplayName} autoComplete="off" error={apiError?.fieldError('displayName')} />
          <Field
            label="Initial password"
            type="password"
            required
            minLength={minimumPasswordLength}
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
            hint={`At least ${minimumPasswordLength} characters; tell the person to change it after signing in.`}
            error={apiError?.fieldError('password')}
          />
        </div>
        <RoleCheckboxes
          selected={selectedRoles}
          onChange={setSelectedRoles}
          error={rolesMissing ? 'Choose at least one role.' : apiError?.fieldError('roles')}
        />
        <ErrorMessage error={error} shownFields={['email', 'displayName', 'password', 'roles']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Create user
          </button>
        </div>
      </form>
    </section>
  );
}

interface EditUserPanelProps {
  readonly user: User;
  readonly onChanged: (user: User) => void;
  readonly onClose: () => void;
}

function EditUserPanel({ user, onChanged, onClose }: EditUserPanelProps) {
  const me = useMe();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [selectedRoles, setSelectedRoles] = useState<Role[]>(user.roles);
  const [status, setStatus] = useState(user.status);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isSelf = me.user?.id === user.id;
  const panel = useRef<HTMLElement>(null);

  // Opening the editor moves focus to it: it appears above the list.
  useEffect(() => {
    panel.current?.focus();
  }, []);

  const reset = (fresh: User) => {
    setDisplayName(fresh.displayName);
    setSelectedRoles(fresh.roles);
    setStatus(fresh.status);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const changes: { displayName?: string; roles?: Role[]; status?: 'active' | 'disabled' } = {};
    if (displayName.trim() !== user.displayName) changes.displayName = displayName.trim();
    if (selectedRoles.join() !== user.roles.join()) changes.roles = selectedRoles;
    if (status !== user.status) changes.status = status;
    if (Object.keys(changes).length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    setBusy(true);
    try {
      const updated = await updateUser(user.id, { version: user.version, ...changes });
      onChanged(updated);
      reset(updated);
      setNotice('Saved.');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    setError(null);
    try {
      const fresh = await getUser(user.id);
      onChanged(fresh);
      reset(fresh);
    } catch (failure) {
      setError(failure);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card card-highlight" aria-labelledby="edit-user-heading" ref={panel} tabIndex={-1}>
      <div className="page-heading">
        <h2 id="edit-user-heading">Edit {user.displayName}</h2>
        <button type="button" className="secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="page-meta">{user.email}</p>
      <form onSubmit={(event) => void onSubmit(event)}>
        <div className="field-grid">
          <Field label="Name" required value={displayName} onChange={setDisplayName} error={apiError?.fieldError('displayName')} />
          <div className="field">
            <label htmlFor="edit-user-status">Status</label>
            <select id="edit-user-status" value={status} onChange={(event) => setStatus(event.target.value === 'disabled' ? 'disabled' : 'active')}>
              <option value="active">Active</option>
              <option value="disabled">Disabled (cannot sign in)</option>
            </select>
          </div>
        </div>
        <RoleCheckboxes selected={selectedRoles} onChange={setSelectedRoles} error={apiError?.fieldError('roles')} />
        {isSelf ? <p className="field-hint">This is your own account: removing your admin role or disabling it locks you out of this page.</p> : null}
        {apiError?.code === 'O2C_VERSION_CONFLICT' ? (
          <div className="message message-error" role="alert">
            <p>Someone else changed this user in the meantime — reload to see the current values, then apply your change again.</p>
            <button type="button" onClick={() => void reload()}>
              Reload
            </button>
          </div>
        ) : (
          <ErrorMessage error={error} shownFields={['displayName', 'roles']} />
        )}
        {notice === null ? null : (
          <p className="message message-success" role="status">
            {notice}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save changes
          </button>
        </div>
      </form>
      <ResetPasswordForm user={user} />
    </section>
  );
}

function ResetPasswordForm({ user }: { readonly user: User }) {
  const [actionKey] = useState(() => new ActionKey());
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(false);
    setBusy(true);
    try {
      await actionKey.run({ id: user.id, password }, (key) => resetUserPassword(user.id, password, key));
      setPassword('');
      setDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="subform" onSubmit={(event) => void onSubmit(event)} aria-label={`Reset password of ${user.displayName}`}>
      <h3>Reset password</h3>
      {/* Tells password managers whose password this is. */}
      <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
      <Field
        label="New password for this user"
        type="password"
        required
        minLength={minimumPasswordLength}
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        hint="Their sessions end; give them the new password in person."
        error={error instanceof ApiError ? error.fieldError('password') : undefined}
      />
      <ErrorMessage error={error} shownFields={['password']} />
      {done ? (
        <p className="message message-success" role="status">
          The password has been reset.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          Reset password
        </button>
      </div>
    </form>
  );
}
