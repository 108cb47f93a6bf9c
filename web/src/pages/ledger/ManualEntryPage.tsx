import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ActionKey, ApiError, createJournalEntry, type Account, type CustomerSummary, type EntrySide, type ManualEntryInput } from '../../api';
import { describeError } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { addDecimal, compareDecimal, isPositiveDecimal, parseDecimalInput, subtractDecimal } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { usePageTitle } from '../../usePageTitle';
import { CustomerCombobox } from '../orders/orderParts';
import { accountText, useAccounts } from './ledgerParts';

interface LineDraft {
  readonly key: number;
  readonly accountId: string;
  readonly debit: string;
  readonly credit: string;
  readonly customer: CustomerSummary | null;
  readonly description: string;
}

let nextKey = 1;
const emptyLine = (): LineDraft => ({ key: nextKey++, accountId: '', debit: '', credit: '', customer: null, description: '' });

interface LineCheck {
  readonly side: EntrySide | null;
  readonly amount: string | null;
  /** What is wrong with the line as typed, before the server sees it. */
  readonly problem: string | null;
}

function checkLine(line: LineDraft, account: Account | undefined): LineCheck {
  const debitText = line.debit.trim();
  const creditText = line.credit.trim();
  if (debitText !== '' && creditText !== '') return { side: null, amount: null, problem: 'Enter a debit or a credit, not both.' };
  const side: EntrySide | null = debitText !== '' ? 'debit' : creditText !== '' ? 'credit' : null;
  const amount = side === null ? null : parseDecimalInput(side === 'debit' ? debitText : creditText);
  if (side !== null && !isPositiveDecimal(amount)) return { side, amount: null, problem: 'The amount must be a number above zero.' };
  if (account?.requiresCustomer === true && line.customer === null) return { side, amount, problem: `Account ${account.number} needs the customer.` };
  return { side, amount, problem: null };
}

export function ManualEntryPage() {
  usePageTitle('New manual entry');
  const me = useMe();
  const format = useFormatters();
  const navigate = useNavigate();
  const accounts = useAccounts();
  const [actionKey] = useState(() => new ActionKey());
  const [businessDate, setBusinessDate] = useState(() => todayIn(me.tenant.timeZone));
  const [description, setDescription] = useState('');
  const [currency, setCurrency] = useState(me.tenant.baseCurrency);
  const [reference, setReference] = useState('');
  const [lines, setLines] = useState<readonly LineDraft[]>(() => [emptyLine(), emptyLine()]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const accountById = new Map((accounts.data ?? []).map((account) => [account.id, account]));
  const checks = lines.map((line) => checkLine(line, accountById.get(line.accountId)));
  let debits = '0';
  let credits = '0';
  for (const check of checks) {
    if (check.amount === null) continue;
    if (check.side === 'debit') debits = addDecimal(debits, check.amount);
    else credits = addDecimal(credits, check.amount);
  }
  const difference = subtractDecimal(debits, credits);
  const balanced = compareDecimal(difference, '0') === 0;
  const usedLines = lines.filter((line, index) => line.accountId !== '' || checks[index]!.side !== null);
  const complete =
    usedLines.length >= 2 &&
    lines.every((line, index) => {
      const check = checks[index]!;
      const unused = line.accountId === '' && check.side === null;
      return unused || (line.accountId !== '' && check.amount !== null && check.problem === null);
    });
  const currencyText = currency.trim().toUpperCase();
  const ready = complete && balanced && compareDecimal(debits, '0') > 0 && businessDate !== '' && description.trim() !== '' && /^[A-Z]{3}$/.test(currencyText);

  const updateLine = (key: number, changes: Partial<LineDraft>) => setLines((current) => current.map((line) => (line.key === key ? { ...line, ...changes } : line)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const body: ManualEntryInput = {
        businessDate,
        description: description.trim(),
        currency: currencyText,
        ...(reference.trim() === '' ? {} : { reference: reference.trim() }),
        lines: lines.flatMap((line, index) => {
          const check = checks[index]!;
          if (line.accountId === '' || check.side === null || check.amount === null) return [];
          return [
            {
              accountId: line.accountId,
              side: check.side,
              amount: check.amount,
              ...(line.customer === null ? {} : { customerId: line.customer.id }),
              ...(line.description.trim() === '' ? {} : { description: line.description.trim() }),
            },
          ];
        }),
      };
      const entry = await actionKey.run(body, (key) => createJournalEntry(body, key));
      void navigate(`/ledger/journal/${entry.id}`, { state: { notice: `Entry ${entry.number} posted.` } });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  // Server paths count only the lines sent; map them back to the rows on screen.
  const sentIndex = (() => {
    const map = new Map<number, number>();
    let sent = 0;
    lines.forEach((line, index) => {
      const check = checks[index]!;
      if (line.accountId !== '' && check.side !== null && check.amount !== null) map.set(index, sent++);
    });
    return map;
  })();
  const serverLineError = (index: number) => {
    const sent = sentIndex.get(index);
    return sent === undefined ? undefined : apiError?.errorAt(`lines.${sent}`, true);
  };
  const activeAccounts = (accounts.data ?? []).filter((account) => account.active);

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>New manual entry</h1>
      </div>
      <p className="page-intro">Each line goes to one account, as a debit or a credit. Debits and credits must be equal before the entry can be posted.</p>
      <form onSubmit={(event) => void onSubmit(event)} aria-label="New manual entry">
        <div className="field-grid">
          <Field label="Date" type="date" required value={businessDate} onChange={setBusinessDate} error={apiError?.fieldError('businessDate')} className="field-date" />
          <Field label="Description" required maxLength={500} value={description} onChange={setDescription} error={apiError?.fieldError('description')} />
          <Field
            label="Currency"
            required
            maxLength={3}
            className="uppercase field-narrow"
            value={currency}
            onChange={setCurrency}
            error={apiError?.fieldError('currency')}
            hint={currencyText === me.tenant.baseCurrency ? 'The base currency' : `Converted to ${me.tenant.baseCurrency} at the rate of the date`}
          />
          <Field label="Reference (optional)" maxLength={100} value={reference} onChange={setReference} error={apiError?.fieldError('reference')} />
        </div>

        <div className="table-wrap">
          <table role="table" className="order-lines">
            <caption className="visually-hidden">Lines</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">#</th>
                <th scope="col" role="columnheader">Account</th>
                <th scope="col" role="columnheader" className="num">Debit</th>
                <th scope="col" role="columnheader" className="num">Credit</th>
                <th scope="col" role="columnheader">Customer</th>
                <th scope="col" role="columnheader">Line text</th>
                <th scope="col" role="columnheader">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {lines.map((line, index) => {
                const number = index + 1;
                const account = accountById.get(line.accountId);
                const check = checks[index]!;
                const touched = line.debit.trim() !== '' || line.credit.trim() !== '';
                const problem = serverLineError(index) ?? (touched || line.customer !== null ? check.problem : null) ?? undefined;
                const problemId = `line-${line.key}-problem`;
                return (
                  <tr role="row" key={line.key} className={problem === undefined ? undefined : 'row-invalid'}>
                    <td role="cell" data-label="#">{number}</td>
                    <td role="cell" data-label="Account">
                      <label className="visually-hidden" htmlFor={`line-${line.key}-account`}>
                        Account, line {number}
                      </label>
                      <select
                        id={`line-${line.key}-account`}
                        value={line.accountId}
                        onChange={(event) => updateLine(line.key, { accountId: event.target.value })}
                        aria-describedby={problem === undefined ? undefined : problemId}
                      >
                        <option value="">Choose an account</option>
                        {activeAccounts.map((candidate) => (
                          <option key={candidate.id} value={candidate.id}>
                            {accountText(candidate)}
                          </option>
                        ))}
                      </select>
                      {problem === undefined ? null : (
                        <small id={problemId} className="field-error">
                          {problem}
                        </small>
                      )}
                    </td>
                    {(['debit', 'credit'] as const).map((side) => (
                      <td role="cell" data-label={side === 'debit' ? 'Debit' : 'Credit'} className="num" key={side}>
                        <input
                          className="num-input"
                          inputMode="decimal"
                          aria-label={`${side === 'debit' ? 'Debit' : 'Credit'}, line ${number}`}
                          value={line[side]}
                          onChange={(event) => updateLine(line.key, { [side]: event.target.value })}
                          aria-invalid={problem === undefined ? undefined : true}
                        />
                      </td>
                    ))}
                    <td role="cell" data-label="Customer">
                      {account?.requiresCustomer === true ? (
                        <CustomerCombobox
                          label={`Customer, line ${number}`}
                          hideLabel
                          value={line.customer}
                          onSelect={(chosen) => updateLine(line.key, { customer: chosen })}
                          placeholder="Customer (required)"
                          required
                        />
                      ) : (
                        <span className="muted small">—</span>
                      )}
                    </td>
                    <td role="cell" data-label="Line text">
                      <input
                        aria-label={`Line text, line ${number}`}
                        maxLength={500}
                        value={line.description}
                        onChange={(event) => updateLine(line.key, { description: event.target.value })}
                      />
                    </td>
                    <td role="cell" className="cell-actions">
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`Remove line ${number}`}
                        disabled={lines.length <= 2}
                        onClick={() => setLines((current) => current.filter((candidate) => candidate.key !== line.key))}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr role="row" className="strong">
                <th scope="row" role="rowheader" colSpan={2}>
                  Total
                </th>
                <td role="cell" className="num" data-testid="entry-debits">
                  {format.money(debits, currencyText.length === 3 ? currencyText : me.tenant.baseCurrency)}
                </td>
                <td role="cell" className="num" data-testid="entry-credits">
                  {format.money(credits, currencyText.length === 3 ? currencyText : me.tenant.baseCurrency)}
                </td>
                <td role="cell" colSpan={3} />
              </tr>
            </tfoot>
          </table>
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setLines((current) => [...current, emptyLine()])}>
            Add line
          </button>
        </div>

        <p className={balanced ? 'status' : 'status text-danger'} aria-live="polite">
          Difference:{' '}
          <strong data-testid="entry-difference">{format.money(difference.startsWith('-') ? difference.slice(1) : difference, currencyText.length === 3 ? currencyText : me.tenant.baseCurrency)}</strong>
          {balanced ? ' — debits equal credits.' : difference.startsWith('-') ? ' more on the credit side.' : ' more on the debit side.'}
        </p>

        {error === null ? null : (
          <div className="message message-error" role="alert">
            <p>{describeError(error)}</p>
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || !ready}>
            Post entry
          </button>
          {!ready && !busy ? <span className="muted small">Post is possible once the date, description and at least two complete lines are filled in and the difference is zero.</span> : null}
        </div>
      </form>
    </>
  );
}
