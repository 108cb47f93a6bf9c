import type { HistoryEntry } from '../api';
import { useFormatters } from '../session';
import { useLoad } from '../useLoad';
import { ErrorMessage } from './ErrorMessage';

/**
 * A record's history (GET …/history) as a timeline, oldest first: what happened,
 * when and by whom, and the facts the page picks out of each entry.
 */
export function HistoryTimeline({
  load,
  label,
  describe,
  facts,
}: {
  /** Kept stable by the caller (useCallback), so the history loads once per record. */
  readonly load: () => Promise<{ items: HistoryEntry[] }>;
  readonly label: string;
  readonly describe: (entry: HistoryEntry) => string;
  readonly facts: (entry: HistoryEntry) => string[];
}) {
  const format = useFormatters();
  const history = useLoad(load);
  if (history.error !== null) return <ErrorMessage error={history.error} />;
  if (history.data === null) {
    return (
      <p className="loading" role="status">
        Loading history…
      </p>
    );
  }
  return (
    <ol className="timeline" aria-label={label}>
      {history.data.items.map((entry, index) => {
        const entryFacts = facts(entry);
        return (
          <li key={`${entry.occurredAt}-${index}`} className="timeline-entry">
            <div className="timeline-head">
              <strong>{describe(entry)}</strong>
              <span className="muted small">
                {format.instant(entry.occurredAt)} · {entry.actorName}
              </span>
            </div>
            {entryFacts.length === 0 ? null : <p className="timeline-facts">{entryFacts.join(' · ')}</p>}
          </li>
        );
      })}
      {history.data.items.length === 0 ? <li className="muted">Nothing recorded yet.</li> : null}
    </ol>
  );
}
