import type { ReactNode } from 'react';

export interface Column {
  readonly label: string;
  readonly className?: string;
}

/** A list table's header row: the named columns, then an unlabelled column for the row actions. */
export function ListTableHead({ columns }: { readonly columns: readonly (string | Column)[] }) {
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
        <th scope="col" role="columnheader">
          <span className="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
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
