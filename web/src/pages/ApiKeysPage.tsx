import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ActionKey, ApiError, createApiKey, listApiKeys, revokeApiKey, type ApiKey, type Role } from '../api';
import type { CsvColumn } from '../csv';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { ExportCsvButton, ListFooter } from '../components/ListControls';
import { RoleCheckboxes, RoleList } from '../components/RoleCheckboxes';
import { SecretBox } from '../components/SecretBox';
import { ListTableHead } from '../components/TableParts';
import { useFormatters } from '../session';
import { usePagedList } from '../usePagedList';
import { usePageTitle } from '../usePageTitle';

const csvColumns: readonly CsvColumn<ApiKey>[] = [
  { header: 'id', value: (key) => key.id },
  { header: 'name', value: (key) => key.name },
  { header: 'prefix', value: (key) => key.prefix },
  { header: 'roles', value: (key) => key.roles.join(' ') },
  { header: 'createdAt', value: (key) => key.createdAt },
  { header: 'lastUsedAt', value: (key) => key.lastUsedAt },
  { header: 'revokedAt', value: (key) => key.revokedAt },
];

interface CreatedKey {
  readonly apiKey: ApiKey;
  readonly secret: string;
}

export function ApiKeysPage() {
  usePageTitle('API keys');
  const format = useFormatters();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  // The secret lives only here, in memory: it is gone on reload, as the server keeps only its hash.
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const fetchPage = useCallback((cursor?: string) => listApiKeys(includeRevoked, cursor), [includeRevoked]);
  const list = usePagedList(fetchPage);

  return (
    <>
      <h1>API keys</h1>
      <p className="page-intro">
        Programs such as an ERP or a shop sign in with an API key: <code>Authorization: Bearer &lt;secret&gt;</code>. A key acts with the
        roles it is given; revoke it when it is no longer needed or may have leaked.
      </p>

      {created === null ? null : (
        <SecretBox name={created.apiKey.name} secret={created.secret} onDone={() => setCreated(null)} />
      )}

      <CreateApiKeyForm
        onCreated={(result) => {
          setCreated(result);
          list.reload();
        }}
      />

      <div className="list-toolbar">
        <h2>Keys</h2>
        <label className="checkbox">
          <input type="checkbox" checked={includeRevoked} onChange={(event) => setIncludeRevoked(event.target.checked)} />
          Show revoked keys
        </label>
        <ExportCsvButton fileName="api-keys.csv" columns={csvColumns} rows={list.items} />
      </div>
      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">API keys</caption>
          <ListTableHead columns={['Name', 'Prefix', 'Roles', 'Created', 'Last used', 'Status']} />
          <tbody role="rowgroup">
            {list.items.map((key) => (
              <ApiKeyRow key={key.id} apiKey={key} onRevoked={list.replace} formatInstant={format.instant} />
            ))}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={7} className="empty">
                  No API keys yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="keys" />
    </>
  );
}

function CreateApiKeyForm({ onCreated }: { readonly onCreated: (result: CreatedKey) => void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [name, setName] = useState('');
  const [selectedRoles, setSelectedRoles] = useState<Role[]>([]);
  const [rolesMissing, setRolesMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setRolesMissing(selectedRoles.length === 0);
    if (selectedRoles.length === 0) return;
    setBusy(true);
    try {
      const body = { name: name.trim(), roles: selectedRoles };
      const result = await actionKey.run(body, (key) => createApiKey(body, key));
      setName('');
      setSelectedRoles([]);
      onCreated(result);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading">New API key</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        <Field
          label="Key name"
          required
          maxLength={100}
          value={name}
          onChange={setName}
          autoComplete="off"
          hint="Say who uses it, e.g. “ERP sync”."
          error={apiError?.fieldError('name')}
        />
        <RoleCheckboxes
          selected={selectedRoles}
          onChange={setSelectedRoles}
          error={rolesMissing ? 'Choose at least one role.' : apiError?.fieldError('roles')}
        />
        <ErrorMessage error={error} shownFields={['name', 'roles']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Create API key
          </button>
        </div>
      </form>
    </section>
  );
}

interface ApiKeyRowProps {
  readonly apiKey: ApiKey;
  readonly onRevoked: (key: ApiKey) => void;
  readonly formatInstant: (iso: string | null) => string;
}

function ApiKeyRow({ apiKey, onRevoked, formatInstant }: ApiKeyRowProps) {
  const [actionKey] = useState(() => new ActionKey());
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Back from the confirmation (cancelled), focus returns to the Revoke button.
  useEffect(() => {
    if (wasConfirming.current && !confirming) revokeButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      onRevoked(await actionKey.run({ revoke: apiKey.id }, (key) => revokeApiKey(apiKey.id, key)));
      setConfirming(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const revoked = apiKey.revokedAt !== null;
  return (
    <>
      <tr role="row" className={revoked ? 'row-muted' : undefined}>
        <td role="cell" data-label="Name">{apiKey.name}</td>
        <td role="cell" data-label="Prefix">
          <code>{apiKey.prefix}</code>
        </td>
        <td role="cell" data-label="Roles">
          <RoleList roles={apiKey.roles} />
        </td>
        <td role="cell" data-label="Created">{formatInstant(apiKey.createdAt)}</td>
        <td role="cell" data-label="Last used">{apiKey.lastUsedAt === null ? 'Never' : formatInstant(apiKey.lastUsedAt)}</td>
        <td role="cell" data-label="Status">
          {revoked ? (
            <span className="status status-disabled">Revoked {formatInstant(apiKey.revokedAt)}</span>
          ) : (
            <span className="status status-active">Active</span>
          )}
        </td>
        <td role="cell" className="cell-actions">
          {revoked || confirming ? null : (
            <button
              type="button"
              ref={revokeButton}
              className="danger small"
              onClick={() => setConfirming(true)}
              aria-label={`Revoke ${apiKey.name}`}
            >
              Revoke
            </button>
          )}
        </td>
      </tr>
      {confirming ? (
        <tr role="row" className="row-confirm">
          <td role="cell" colSpan={7}>
            <div className="confirm" role="alertdialog" aria-label={`Revoke ${apiKey.name}?`}>
              <p>
                Revoke <strong>{apiKey.name}</strong> ({apiKey.prefix})? Programs using it are refused at once. This cannot be undone.
              </p>
              <ErrorMessage error={error} />
              <div className="actions">
                <button type="button" className="danger" onClick={() => void revoke()} disabled={busy} autoFocus>
                  Revoke key
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={busy}>
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
