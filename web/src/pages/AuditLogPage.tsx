import { Fragment, useCallback, useState, type FormEvent } from 'react';
import { listAuditEvents, type AuditEvent, type AuditFilter } from '../api';
import type { CsvColumn } from '../csv';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { ExportCsvButton, ListFooter } from '../components/ListControls';
import { useFormatters } from '../session';
import { usePagedList } from '../usePagedList';
import { usePageTitle } from '../usePageTitle';

/** Suggestions for the filters; the log may hold others, typed by hand. */
const knownEntityTypes = ['api_key', 'session', 'tenant', 'user'];
const knownActions = [
  'api_key.created',
  'api_key.revoked',
  'session.signed_in',
  'tenant.created',
  'tenant.profile_updated',
  'user.created',
  'user.password_changed',
  'user.password_reset',
  'user.updated',
];

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

const csvColumns: readonly CsvColumn<AuditEvent>[] = [
  { header: 'id', value: (event) => event.id },
  { header: 'occurredAt', value: (event) => event.occurredAt },
  { header: 'actorType', value: (event) => event.actorType },
  { header: 'actorId', value: (event) => event.actorId },
  { header: 'actorName', value: (event) => event.actorName },
  { header: 'action', value: (event) => event.action },
  { header: 'entityType', value: (event) => event.entityType },
  { header: 'entityId', value: (event) => event.entityId },
  { header: 'before', value: (event) => json(event.before) },
  { header: 'after', value: (event) => json(event.after) },
  { header: 'requestId', value: (event) => event.requestId },
];

const actorTypeLabels: Record<AuditEvent['actorType'], string> = { user: 'user', api_key: 'API key', system: 'system' };

export function AuditLogPage() {
  usePageTitle('Audit log');
  const format = useFormatters();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entityType, setEntityType] = useState('');
  const [action, setAction] = useState('');
  const [entityId, setEntityId] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const fetchPage = useCallback((cursor?: string) => listAuditEvents(filter, cursor), [filter]);
  const list = usePagedList(fetchPage);

  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    const clean = (text: string) => (text.trim() === '' ? undefined : text.trim());
    setFilter({ entityType: clean(entityType), action: clean(action), entityId: clean(entityId) });
  };

  const clearFilter = () => {
    setEntityType('');
    setAction('');
    setEntityId('');
    setFilter({});
  };

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <h1>Audit log</h1>
      <p className="page-intro">Every change made by a person or a key, newest first. Entries cannot be changed or deleted.</p>
      <form className="filters" onSubmit={onFilter} aria-label="Filter audit events">
        <Field label="Entity type" value={entityType} onChange={setEntityType} list="audit-entity-types" autoComplete="off" />
        <Field label="Action" value={action} onChange={setAction} list="audit-actions" autoComplete="off" />
        <Field label="Entity id" value={entityId} onChange={setEntityId} autoComplete="off" />
        <datalist id="audit-entity-types">
          {knownEntityTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <datalist id="audit-actions">
          {knownActions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <div className="filter-actions">
          <button type="submit">Filter</button>
          <button type="button" className="secondary" onClick={clearFilter}>
            Clear
          </button>
          <ExportCsvButton fileName="audit-events.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>
      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Audit events</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">When</th>
              <th scope="col" role="columnheader">Who</th>
              <th scope="col" role="columnheader">Action</th>
              <th scope="col" role="columnheader">Entity</th>
              <th scope="col" role="columnheader">
                <span className="visually-hidden">Changes</span>
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((event) => {
              const open = expanded.has(event.id);
              const hasChanges = event.before !== null || event.after !== null;
              const detailsId = `audit-details-${event.id}`;
              return (
                <Fragment key={event.id}>
                  <tr role="row">
                    <td role="cell" className="nowrap" data-label="When">
                      {format.instant(event.occurredAt)}
                    </td>
                    <td role="cell" data-label="Who">
                      {event.actorName} <span className="muted">({actorTypeLabels[event.actorType]})</span>
                    </td>
                    <td role="cell" data-label="Action">
                      <code>{event.action}</code>
                    </td>
                    <td role="cell" data-label="Entity">
                      {event.entityType} <code className="muted">{event.entityId}</code>
                    </td>
                    <td role="cell" className="cell-actions">
                      {hasChanges ? (
                        <button type="button" className="secondary small" aria-expanded={open} aria-controls={detailsId} onClick={() => toggle(event.id)}>
                          {open ? 'Hide changes' : 'Show changes'}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                  {open ? (
                    <tr role="row" id={detailsId} className="row-details">
                      <td role="cell" colSpan={5}>
                        <div className="json-pair">
                          <div>
                            <h3>Before</h3>
                            <pre>{event.before === null ? '—' : JSON.stringify(event.before, null, 2)}</pre>
                          </div>
                          <div>
                            <h3>After</h3>
                            <pre>{event.after === null ? '—' : JSON.stringify(event.after, null, 2)}</pre>
                          </div>
                        </div>
                        {event.requestId === null ? null : <p className="muted">Request {event.requestId}</p>}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={5} className="empty">
                  No audit events match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="events" />
    </>
  );
}
