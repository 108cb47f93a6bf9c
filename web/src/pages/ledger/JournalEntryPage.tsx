import { useCallback, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, ApiError, getJournalEntry, reverseJournalEntry } from '../../api';
import { ErrorMessage, describeError } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { EntryLinesTable } from './EntryLinesTable';

interface NoticeState {
  readonly notice?: string;
}

export function JournalEntryPage() {
  const { entryId = '' } = useParams();
  const me = useMe();
  const format = useFormatters();
  const location = useLocation();
  const notice = (location.state as NoticeState | null)?.notice;
  const load = useCallback(() => getJournalEntry(entryId), [entryId]);
  const entry = useLoad(load);
  const [reversing, setReversing] = useState(false);
  usePageTitle(entry.data === null ? 'Journal entry' : `Journal entry ${entry.data.number}`);

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <p className="breadcrumb">
        <Link to="/ledger/journal">Journal</Link>
      </p>
      <ErrorMessage error={entry.error} />
      {entry.data === null ? (
        entry.loading ? (
          <p className="loading" role="status">
            Loading…
          </p>
        ) : null
      ) : (
        <>
          <div className="page-heading">
            <h1>Journal entry {entry.data.number}</h1>
            {allows(me.actor.roles, 'editLedger') && !reversing ? (
              <button type="button" className="secondary" onClick={() => setReversing(true)}>
                Reverse
              </button>
            ) : null}
          </div>
          {notice === undefined ? null : (
            <div className="message message-success" role="status">
              {notice}
            </div>
          )}
          {reversing ? <ReversePanel entryId={entry.data.id} number={entry.data.number} onClose={() => setReversing(false)} /> : null}
          <dl className="details">
            <dt>Business date</dt>
            <dd>{format.date(entry.data.businessDate)}</dd>
            <dt>Posted</dt>
            <dd>
              {format.date(entry.data.postingDate)} · {entry.data.createdBy}
            </dd>
            <dt>Description</dt>
            <dd>{entry.data.description}</dd>
            <dt>Source</dt>
            <dd>
              {entry.data.kind === 'manual' ? 'Manual entry' : entry.data.sourceType} {entry.data.sourceId === '' ? '' : `· ${entry.data.sourceId}`}
            </dd>
            <dt>Currency</dt>
            <dd>
              {entry.data.currency}
              {entry.data.currency === entry.data.baseCurrency ? null : (
                <span className="muted">
                  {' '}
                  · rate {format.quantity(entry.data.exchangeRate)} to {entry.data.baseCurrency}
                </span>
              )}
            </dd>
            {entry.data.reversesEntryId === null ? null : (
              <>
                <dt>Reverses</dt>
                <dd>
                  <Link to={`/ledger/journal/${entry.data.reversesEntryId}`}>the original entry</Link>
                </dd>
              </>
            )}
          </dl>
          <section className="section" aria-labelledby="lines-heading">
            <h2 id="lines-heading">Lines</h2>
            <div className="table-wrap">
              <EntryLinesTable entry={entry.data} />
            </div>
          </section>
        </>
      )}
    </>
  );
}

function ReversePanel({ entryId, number, onClose }: { readonly entryId: string; readonly number: string; onClose(): void }) {
  const me = useMe();
  const navigate = useNavigate();
  const [actionKey] = useState(() => new ActionKey());
  const [businessDate, setBusinessDate] = useState(() => todayIn(me.tenant.timeZone));
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { businessDate, ...(description.trim() === '' ? {} : { description: description.trim() }) };
      const reversal = await actionKey.run(body, (key) => reverseJournalEntry(entryId, body, key));
      void navigate(`/ledger/journal/${reversal.id}`, { state: { notice: `Entry ${number} reversed by ${reversal.number}.` } satisfies NoticeState });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <form className="confirm card card-highlight" role="group" aria-labelledby="reverse-heading" onSubmit={(event) => void onSubmit(event)}>
      <h2 id="reverse-heading">Reverse {number}</h2>
      <p>A new entry with every line on the other side is posted on the date you choose; the original stays as it is.</p>
      <div className="field-grid">
        <Field label="Date of the reversal" type="date" required value={businessDate} onChange={setBusinessDate} error={apiError?.fieldError('businessDate')} autoFocus />
        <Field label="Description (optional)" maxLength={500} value={description} onChange={setDescription} placeholder={`Reversal of ${number}`} />
      </div>
      {error === null ? null : (
        <div className="message message-error" role="alert">
          {describeError(error)}
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={busy || businessDate === ''}>
          Post reversal
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          Back
        </button>
      </div>
    </form>
  );
}
