import type { JournalEntry } from '../../api';
import { addDecimal } from '../../decimal';
import { useFormatters } from '../../session';

/** The lines of an entry: account, debit and credit columns in the entry currency, and the base amounts when the currency differs. */
export function EntryLinesTable({ entry }: { readonly entry: JournalEntry }) {
  const format = useFormatters();
  const foreign = entry.currency !== entry.baseCurrency;
  const sum = (side: 'debit' | 'credit', field: 'amount' | 'baseAmount') =>
    entry.lines.filter((line) => line.side === side).reduce((total, line) => addDecimal(total, line[field]), '0');
  const money = (amount: string | null, currency: string) => (amount === null ? '' : format.money(amount, currency));
  return (
    <table role="table" className="plain-table">
      <caption className="visually-hidden">Lines of {entry.number}</caption>
      <thead role="rowgroup">
        <tr role="row">
          <th scope="col" role="columnheader">Account</th>
          <th scope="col" role="columnheader">Line text</th>
          <th scope="col" role="columnheader" className="num">Debit</th>
          <th scope="col" role="columnheader" className="num">Credit</th>
          {foreign ? (
            <>
              <th scope="col" role="columnheader" className="num">Debit ({entry.baseCurrency})</th>
              <th scope="col" role="columnheader" className="num">Credit ({entry.baseCurrency})</th>
            </>
          ) : null}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {entry.lines.map((line) => (
          <tr role="row" key={line.lineNo}>
            <td role="cell" data-label="Account">
              <code>{line.accountNumber}</code> {line.accountName}
            </td>
            <td role="cell" data-label="Line text">{line.description ?? ''}</td>
            <td role="cell" data-label="Debit" className="num">{money(line.side === 'debit' ? line.amount : null, entry.currency)}</td>
            <td role="cell" data-label="Credit" className="num">{money(line.side === 'credit' ? line.amount : null, entry.currency)}</td>
            {foreign ? (
              <>
                <td role="cell" data-label={`Debit (${entry.baseCurrency})`} className="num">{money(line.side === 'debit' ? line.baseAmount : null, entry.baseCurrency)}</td>
                <td role="cell" data-label={`Credit (${entry.baseCurrency})`} className="num">{money(line.side === 'credit' ? line.baseAmount : null, entry.baseCurrency)}</td>
              </>
            ) : null}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr role="row" className="strong">
          <th scope="row" role="rowheader" colSpan={2}>
            Total
          </th>
          <td role="cell" className="num">{format.money(sum('debit', 'amount'), entry.currency)}</td>
          <td role="cell" className="num">{format.money(sum('credit', 'amount'), entry.currency)}</td>
          {foreign ? (
            <>
              <td role="cell" className="num">{format.money(sum('debit', 'baseAmount'), entry.baseCurrency)}</td>
              <td role="cell" className="num">{format.money(sum('credit', 'baseAmount'), entry.baseCurrency)}</td>
            </>
          ) : null}
        </tr>
      </tfoot>
    </table>
  );
}
