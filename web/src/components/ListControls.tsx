import type { ReactNode } from 'react';
import { downloadCsv, type CsvColumn } from '../csv';

interface ListFooterProps {
  readonly count: number;
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly onMore: () => void;
  readonly noun: string;
}

/** "12 users loaded" and the More button of a cursor-paged list. */
export function ListFooter({ count, hasMore, loading, onMore, noun }: ListFooterProps) {
  return (
    <div className="list-footer">
      <span aria-live="polite">
        {loading ? 'Loading…' : `${count} ${noun} loaded${hasMore ? '; more are available' : ''}`}
      </span>
      {hasMore ? (
        <button type="button" onClick={onMore} disabled={loading}>
          More
        </button>
      ) : null}
    </div>
  );
}

interface ExportCsvButtonProps<Row> {
  readonly fileName: string;
  readonly columns: readonly CsvColumn<Row>[];
  readonly rows: readonly Row[];
}

/** Exports the rows loaded so far. */
export function ExportCsvButton<Row>({ fileName, columns, rows }: ExportCsvButtonProps<Row>) {
  return (
    <button type="button" className="secondary" onClick={() => downloadCsv(fileName, columns, rows)} disabled={rows.length === 0}>
      Export CSV
    </button>
  );
}

interface FilterActionsProps {
  /** Empties the filter. */
  readonly onClear: () => void;
  /** What follows the buttons, e.g. the CSV export. */
  readonly children?: ReactNode;
}

/** A filter form's Search and Clear buttons. */
export function FilterActions({ onClear, children }: FilterActionsProps) {
  return (
    <div className="filter-actions">
      <button type="submit">Search</button>
      <button type="button" className="secondary" onClick={onClear}>
        Clear
      </button>
      {children}
    </div>
  );
}
