import type { ReactNode } from 'react';

export interface Column {
  readonly label: string;
  readonly className?: string;
}

/** A table's header row: the named columns and, with `actions`, an unlabelled last column for the row actions. */
export function TableHead({ columns, actions = false }: { readonly columns: readonly (string | Column)[]; readonly actions?: boolean }) {
  return (
    <thead role="rowgroup">
      <tr role="row">
        {columns.map((column) => {
          const { label, className } = typeof column === 'string' ? { label: column, className: undefined } : column;
          return (
            <th key={label} scope="col" role="columnheader" className={className}>
              {label}
            </th>
          );
        })}
        {actions ? (
          <th scope="col" role="columnheader">
            <span className="visually-hidden">Actions</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}

/** A list table's header row: the named columns, then an unlabelled column for the row actions. */
export function ListTableHead({ columns }: { readonly columns: readonly (string | Column)[] }) {
  return <TableHead columns={columns} actions />;
}

interface DataTableProps {
  /** Read by screen readers and names the table. */
  readonly caption: ReactNode;
  readonly columns: readonly (string | Column)[];
  /** An unlabelled last column for the row actions. */
  readonly actions?: boolean;
  /** More classes for the scrolling wrapper. */
  readonly className?: string;
  readonly busy?: boolean;
  /** The rows. */
  readonly children: ReactNode;
}

/** A table in its scrolling wrapper: the hidden caption, the header row and the rows. */
export function DataTable({ caption, columns, actions = false, className, busy, children }: DataTableProps) {
  return (
    <div className={className === undefined ? 'table-wrap' : `table-wrap ${className}`} aria-busy={busy}>
      <table role="table">
        <caption className="visually-hidden">{caption}</caption>
        <TableHead columns={columns} actions={actions} />
        <tbody role="rowgroup">{children}</tbody>
      </table>
    </div>
  );
}

/** A table row spanning all columns that holds a row's inline form. */
export function DetailsRow({ colSpan, children }: { readonly colSpan: number; readonly children: ReactNode }) {
  return (
    <tr role="row" className="row-details">
      <td role="cell" colSpan={colSpan}>
        {children}
      </td>
    </tr>
  );
}

/** The row of a table with nothing to list: why it is empty, across all columns. */
export function EmptyRow({ colSpan, children }: { readonly colSpan: number; readonly children: ReactNode }) {
  return (
    <tr role="row">
      <td role="cell" colSpan={colSpan} className="empty">
        {children}
      </td>
    </tr>
  );
}

interface CellInputProps {
  /** The input's accessible name, e.g. "Amount applied to INV-…". */
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** What is wrong with the entry; shown by CellError with the same id. */
  readonly error: string | undefined;
  readonly errorId: string;
  readonly size?: number;
  readonly placeholder?: string;
  readonly disabled?: boolean;
}

/** An amount typed into a table cell, tied to its error for screen readers. */
export function CellInput({ label, value, onChange, error, errorId, size = 10, placeholder, disabled }: CellInputProps) {
  return (
    <input
      className="num-input"
      inputMode="decimal"
      size={size}
      aria-label={label}
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={error === undefined ? undefined : true}
      aria-describedby={error === undefined ? undefined : errorId}
    />
  );
}

/** The error of a table cell's entry, under it. */
export function CellError({ id, error }: { readonly id: string; readonly error: string | undefined }) {
  return error === undefined ? null : (
    <small id={id} className="field-error">
      {error}
    </small>
  );
}
