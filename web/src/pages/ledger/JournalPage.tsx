import { useCallback, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { allows } from '../../access';
import { listJournalEntries, type JournalEntry } from '../../api';
import { addDecimal } from '../../decimal';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { FilterActions, ListFooter } from '../../components/ListControls';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { accountText, useAccounts } from './ledgerParts';
import { EntryLinesTable } from './EntryLinesTable';

export function JournalPage() {
  usePageTitle('Journal');
  const me = useMe();
  const format = useFormatters();
  const accounts = useAccounts();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const accountId = params.get('accountId') ?? undefined;
  const sourceType = params.get('sourceType') ?? undefined;
  const q = params.get('q') ?? undefined;
  const [search, setSearch] = useState(q ?? '');
  const [source, setSource] = useState(sourceType ?? '');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const fetchPage = useCallback(
    (cursor?: string) => listJournalEntries({ from, to, accountId, sourceType, q }, cursor),
    [from, to, accountId, sourceType, q],
  );
  const list = usePagedList<JournalEntry>(fetchPage);

  const setParam = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value === undefined || value === '') next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace: true },
    );

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setParam({ q: search.trim(), sourceType: source.trim() });
  };

  const toggle = (entryId: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(entryId)) next.delete(entryId);
      else next.add(entryId);
      return next;
    });

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>Journal</h1>
        {allows(me.actor.roles, 'editLedger') ? (
          <Link className="button" to="/ledger/journal/new">
            New manual entry
          </Link>
        ) : null}
      </div>

      <form className="filters" onSubmit={onSearch} aria-label="Filter journal entries">
        <Field label="Search" type="search" value={search} onChange={setSearch} placeholder="Entry number, description or reference" />
        <SelectField label="Account" value={accountId ?? ''} onChange={(value) => setParam({ accountId: value })}>
          <option value="">All accounts</option>
          {(accounts.data ?? []).map((account) => (
            <option key={account.id} value={account.id}>
              {accountText(account)}
            </option>
          ))}
        </SelectField>
        <Field label="Source type" value={source} onChange={setSource} placeholder="e.g. manual, invoice" className="field-narrow" />
        <Field label="Date from" type="date" value={from ?? ''} onChange={(value) => setParam({ from: value })} className="field-date" />
        <Field label="to" type="date" value={to ?? ''} onChange={(value) => setParam({ to: value })} className="field-date" />
        <FilterActions
          onClear={() => {
            setSearch('');
            setSource('');
            setParams({}, { replace: true });
          }}
        />
      </form>

      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Journal entries, newest first</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">
                <span className="visually-hidden">Lines</span>
              </th>
              <th scope="col" role="columnheader">Entry</th>
              <th scope="col" role="columnheader">Date</th>
              <th scope="col" role="columnheader">Description</th>
              <th scope="col" role="columnheader">Source</th>
              <th scope="col" role="columnheader" className="num">Amount</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((entry) => {
              const expanded = open.has(entry.id);
              return (
                <JournalRow key={entry.id} entry={entry} expanded={expanded} onToggle={() => toggle(entry.id)} dateText={format.date(entry.businessDate)} />
              );
            })}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={6} className="empty">
                  No journal entries match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="entries" />
    </>
  );
}

/** The size of a balanced entry: the sum of its debits, exactly. */
function entryTotal(entry: JournalEntry): string {
  return entry.lines.filter((line) => line.side === 'debit').reduce((sum, line) => addDecimal(sum, line.amount), '0');
}

function JournalRow({ entry, expanded, onToggle, dateText }: { readonly entry: JournalEntry; readonly expanded: boolean; onToggle(): void; readonly dateText: string }) {
  const format = useFormatters();
  const linesId = `entry-${entry.id}-lines`;
  return (
    <>
      <tr role="row" data-testid={`entry-${entry.number}`}>
        <td role="cell">
          <button
            type="button"
            className="secondary small"
            aria-expanded={expanded}
            aria-controls={linesId}
            aria-label={`${expanded ? 'Hide' : 'Show'} lines of ${entry.number}`}
            onClick={onToggle}
          >
            {expanded ? '▾' : '▸'}
          </button>
        </td>
        <td role="cell" data-label="Entry" className="nowrap">
          <Link to={`/ledger/journal/${entry.id}`}>{entry.number}</Link>
          {entry.kind === 'manual' ? <span className="badge badge-outline badge-neutral">Manual</span> : null}
        </td>
        <td role="cell" data-label="Date" className="nowrap">{dateText}</td>
        <td role="cell" data-label="Description">
          {entry.description}
          {entry.reversesEntryId !== null ? <span className="muted small"> · reversal</span> : null}
        </td>
        <td role="cell" data-label="Source">
          <span className="muted small">{entry.sourceType}</span> {entry.sourceId}
        </td>
        <td role="cell" data-label="Amount" className="num">{format.money(entryTotal(entry), entry.currency)}</td>
      </tr>
      {expanded ? (
        <tr role="row" className="row-details" id={linesId}>
          <td role="cell" colSpan={6}>
            <EntryLinesTable entry={entry} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
