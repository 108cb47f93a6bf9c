import { useCallback, useState, type FormEvent } from 'react';
import { allows } from '../../access';
import { ActionKey, ApiError, createExchangeRate, importExchangeRates, listExchangeRates } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { parseDecimalInput } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';

export function ExchangeRatesPage() {
  usePageTitle('Exchange rates');
  const me = useMe();
  const format = useFormatters();
  const canEdit = allows(me.actor.roles, 'editLedger');
  const [currency, setCurrency] = useState('');
  const [filter, setFilter] = useState('');
  const load = useCallback(async () => (await listExchangeRates({ currency: filter === '' ? undefined : filter, limit: 200 })).items, [filter]);
  const rates = useLoad(load);

  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    setFilter(currency.trim().toUpperCase());
  };

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>Exchange rates</h1>
      </div>
      <p className="page-intro">
        Entries in another currency are converted to {me.tenant.baseCurrency} at the latest rate on or before their date. A rate reads “1 unit of
        the first currency is this many of the second”.
      </p>
      {canEdit ? (
        <div className="cards">
          <AddRateForm baseCurrency={me.tenant.baseCurrency} today={todayIn(me.tenant.timeZone)} onAdded={rates.reload} />
          <ImportRatesForm onImported={rates.reload} />
        </div>
      ) : null}
      <form className="filters" onSubmit={onFilter} aria-label="Filter exchange rates">
        <Field label="Currency" maxLength={3} className="uppercase field-narrow" value={currency} onChange={setCurrency} />
        <div className="filter-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      <ErrorMessage error={rates.error} />
      <div className="table-wrap">
        <table role="table" aria-busy={rates.loading}>
          <caption className="visually-hidden">Exchange rates</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Date</th>
              <th scope="col" role="columnheader">From</th>
              <th scope="col" role="columnheader">To</th>
              <th scope="col" role="columnheader" className="num">Rate</th>
              <th scope="col" role="columnheader">Source</th>
              <th scope="col" role="columnheader">Entered by</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {(rates.data ?? []).map((rate) => (
              <tr role="row" key={`${rate.fromCurrency}-${rate.toCurrency}-${rate.rateDate}`}>
                <td role="cell" data-label="Date" className="nowrap">{format.date(rate.rateDate)}</td>
                <td role="cell" data-label="From">{rate.fromCurrency}</td>
                <td role="cell" data-label="To">{rate.toCurrency}</td>
                <td role="cell" data-label="Rate" className="num">{format.quantity(rate.rate)}</td>
                <td role="cell" data-label="Source">{rate.source === 'csv' ? 'CSV import' : 'Entered'}</td>
                <td role="cell" data-label="Entered by">{rate.updatedBy}</td>
              </tr>
            ))}
            {!rates.loading && (rates.data ?? []).length === 0 && rates.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={6} className="empty">
                  No exchange rates.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

function AddRateForm({ baseCurrency, today, onAdded }: { readonly baseCurrency: string; readonly today: string; onAdded(): void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [fromCurrency, setFromCurrency] = useState('');
  const [toCurrency, setToCurrency] = useState(baseCurrency);
  const [rateDate, setRateDate] = useState(today);
  const [rate, setRate] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const parsed = parseDecimalInput(rate);
      const body = { fromCurrency: fromCurrency.trim().toUpperCase(), toCurrency: toCurrency.trim().toUpperCase(), rateDate, rate: parsed ?? rate.trim() };
      const saved = await actionKey.run(body, (key) => createExchangeRate(body, key));
      setNotice(`Rate ${saved.fromCurrency}→${saved.toCurrency} of ${saved.rateDate} saved.`);
      setRate('');
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="card" aria-labelledby="add-rate-heading">
      <h2 id="add-rate-heading">Add a rate</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        <div className="field-grid">
          <Field label="From currency" required maxLength={3} className="uppercase field-narrow" value={fromCurrency} onChange={setFromCurrency} error={apiError?.fieldError('fromCurrency')} />
          <Field label="To currency" required maxLength={3} className="uppercase field-narrow" value={toCurrency} onChange={setToCurrency} error={apiError?.fieldError('toCurrency')} />
          <Field label="Rate date" type="date" required value={rateDate} onChange={setRateDate} error={apiError?.fieldError('rateDate')} className="field-date" />
          <Field label="Rate" required inputMode="decimal" value={rate} onChange={setRate} error={apiError?.fieldError('rate')} hint="e.g. 0.9210" />
        </div>
        <ErrorMessage error={error} shownFields={['fromCurrency', 'toCurrency', 'rateDate', 'rate']} />
        {notice === null ? null : (
          <div className="message message-success" role="status">
            {notice}
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save rate
          </button>
        </div>
      </form>
    </section>
  );
}

function ImportRatesForm({ onImported }: { readonly onImported: () => void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFile = async (file: File | undefined) => {
    setError(null);
    setNotice(null);
    setCsv(file === undefined ? null : { name: file.name, text: await file.text() });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (csv === null) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const result = await actionKey.run(csv, (key) => importExchangeRates(csv.text, key));
      setNotice(`${result.imported} rates imported from ${csv.name}.`);
      onImported();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="import-rates-heading">
      <h2 id="import-rates-heading">Import rates from CSV</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        <div className="field">
          <label htmlFor="rates-file">CSV file</label>
          <input id="rates-file" type="file" accept=".csv,text/csv" onChange={(event) => void onFile(event.target.files?.[0])} aria-describedby="rates-file-hint" />
          <small id="rates-file-hint" className="field-hint">
            Columns: from_currency,to_currency,date,rate — one rate a row. A file with any bad row imports nothing.
          </small>
        </div>
        <ErrorMessage error={error} />
        {notice === null ? null : (
          <div className="message message-success" role="status">
            {notice}
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || csv === null}>
            Import
          </button>
        </div>
      </form>
    </section>
  );
}
