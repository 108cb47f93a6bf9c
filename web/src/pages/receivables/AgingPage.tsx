import { Fragment, useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { agingBuckets, agingCsvUrl, getAging, type Aging, type AgingAmounts } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LoadedContent } from '../../components/LoadedContent';
import { SectionTabs } from '../../components/SectionTabs';
import { DataTable, EmptyRow } from '../../components/TableParts';
import { compareDecimal, proportion, subtractDecimal } from '../../decimal';
import type { Formatters } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { AsOfFilter, agingColumns, agingHeaders, bucketLabels, receivablesTabs, useAsOf } from './receivablesParts';

const pageSize = 50;

interface MoreCustomers {
  /** The first page these follow; another report (a new date) starts afresh. */
  readonly after: Aging;
  readonly customers: Aging['customers'];
  readonly nextOffset: number | null;
}

export function AgingPage() {
  usePageTitle('Aging');
  const me = useMe();
  const format = useFormatters();
  const date = useAsOf();
  const { today, asOf } = date;
  const report = useLoad(useCallback(() => getAging({ asOf, limit: pageSize }), [asOf]));
  const [more, setMore] = useState<MoreCustomers | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const data = report.data;
  const extra = more !== null && more.after === data ? more : null;
  const customers = data === null ? [] : [...data.customers, ...(extra?.customers ?? [])];
  const nextOffset = extra === null ? (data?.nextOffset ?? null) : extra.nextOffset;

  const loadMore = async () => {
    if (data === null || nextOffset === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await getAging({ asOf, offset: nextOffset, limit: pageSize });
      setMore({ after: data, customers: [...(extra?.customers ?? []), ...page.customers], nextOffset: page.nextOffset });
    } catch (failure) {
      setMoreError(failure);
    } finally {
      setLoadingMore(false);
    }
  };

  const accountLink = (customerId: string) => `/customers/${customerId}/account${asOf === undefined ? '' : `?asOf=${asOf}`}`;

  return (
    <>
      <SectionTabs label="Receivables" links={receivablesTabs} />
      <div className="page-heading">
        <h1>Aging</h1>
        <div className="actions">
          {allows(me.actor.roles, 'reconcileReceivables') ? (
            <Link className="button secondary" to={`/receivables/reconciliation${asOf === undefined ? '' : `?asOf=${asOf}`}`}>
              Reconciliation with the ledger
            </Link>
          ) : null}
          <a className="button secondary" href={agingCsvUrl(asOf)} download={`aging-${asOf ?? today}.csv`}>
            Download CSV
          </a>
        </div>
      </div>
      <p className="page-intro">What customers owe by days past due, with credit items and unapplied cash beside it; totals in each currency and, at the ledger's rates of the day, in {me.tenant.baseCurrency}.</p>
      <AsOfFilter label="Aging date" date={date} />

      <LoadedContent loaded={report} loadingText="Loading aging…">
        {(data) => (
          <div aria-busy={report.loading}>
            {data.totals.missingRates.length === 0 ? null : (
              <div className="message message-warning" role="note">
                <p>
                  No exchange rate to {data.baseCurrency} on or before {format.date(data.asOf)} for {data.totals.missingRates.join(', ')}: those amounts are left out of the totals in {data.baseCurrency}.{' '}
                  {allows(me.actor.roles, 'editLedger') ? <Link to="/ledger/exchange-rates">Enter the rates</Link> : null}
                </p>
              </div>
            )}
            <BucketChart amounts={data.totals.inBaseCurrency} currency={data.baseCurrency} asOf={data.asOf} />

            <section className="section" aria-labelledby="aging-currencies-heading">
              <h2 id="aging-currencies-heading">Per currency</h2>
              {data.totals.byCurrency.length === 0 ? (
                <p className="muted">Nothing is open.</p>
              ) : (
                <DataTable caption="Aging totals per currency" columns={['Currency', ...agingHeaders]}>
                  {data.totals.byCurrency.map((line) => (
                    <tr role="row" key={line.currency}>
                      <td role="cell" data-label="Currency" className="strong">
                        {line.currency}
                      </td>
                      <BucketCells amounts={line} currency={line.currency} format={format} />
                    </tr>
                  ))}
                  {data.totals.byCurrency.length > 1 || data.totals.byCurrency[0]?.currency !== data.baseCurrency ? (
                    <tr role="row" className="row-total">
                      <td role="cell" data-label="Currency">
                        All in {data.baseCurrency}
                      </td>
                      <BucketCells amounts={data.totals.inBaseCurrency} currency={data.baseCurrency} format={format} />
                    </tr>
                  ) : null}
                </DataTable>
              )}
            </section>

            <section className="section" aria-labelledby="aging-customers-heading">
              <div className="list-toolbar">
                <h2 id="aging-customers-heading">Customers</h2>
                <span className="muted small">largest balance first</span>
              </div>
              <DataTable caption="Aging per customer" columns={['Customer', 'Currency', ...agingHeaders]}>
                {customers.map((customer) => (
                  <Fragment key={customer.id}>
                    {customer.byCurrency.map((line, index) => (
                      <tr role="row" key={line.currency} data-testid={index === 0 ? `aging-${customer.name}` : undefined}>
                        <td role="cell" data-label="Customer">
                          {index === 0 ? <Link to={accountLink(customer.id)}>{customer.name}</Link> : <span className="visually-hidden">{customer.name}</span>}
                          {index === 0 && customer.inBaseCurrency !== null && (customer.byCurrency.length > 1 || line.currency !== data.baseCurrency) ? (
                            <div className="muted small">{format.money(customer.inBaseCurrency.total, data.baseCurrency)} in all</div>
                          ) : null}
                        </td>
                        <td role="cell" data-label="Currency">{line.currency}</td>
                        <BucketCells amounts={line} currency={line.currency} format={format} />
                      </tr>
                    ))}
                  </Fragment>
                ))}
                {customers.length === 0 ? <EmptyRow colSpan={2 + agingColumns.length}>No customer owes anything on {format.date(data.asOf)}.</EmptyRow> : null}
              </DataTable>
              <ErrorMessage error={moreError} />
              <div className="list-footer">
                <span aria-live="polite">
                  {loadingMore ? 'Loading…' : `${customers.length} of ${data.customerCount} ${data.customerCount === 1 ? 'customer' : 'customers'} shown`}
                </span>
                {nextOffset === null ? null : (
                  <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                    More
                  </button>
                )}
              </div>
            </section>
          </div>
        )}
      </LoadedContent>
    </>
  );
}

function BucketCells({ amounts, currency, format }: { readonly amounts: AgingAmounts; readonly currency: string; readonly format: Formatters }) {
  return (
    <>
      {agingColumns.map((column) => {
        const zero = compareDecimal(amounts[column], '0') === 0;
        const late = column !== 'current' && column !== 'credits' && column !== 'total' && !zero;
        return (
          <td key={column} role="cell" data-label={bucketLabels[column]} className={['num', column === 'total' ? 'strong' : '', late ? 'text-danger' : '', zero ? 'muted' : ''].join(' ').trim()}>
            {format.money(amounts[column], currency)}
          </td>
        );
      })}
    </>
  );
}

/** The base-currency totals by bucket as horizontal bars, the credits below them. */
function BucketChart({ amounts, currency, asOf }: { readonly amounts: AgingAmounts; readonly currency: string; readonly asOf: string }) {
  const format = useFormatters();
  const credits = subtractDecimal('0', amounts.credits);
  const values = [...agingBuckets.map((bucket) => amounts[bucket]), credits];
  const largest = values.reduce((max, value) => (compareDecimal(value, max) > 0 ? value : max), '0');
  const bars = [...agingBuckets.map((bucket) => ({ key: bucket, label: bucketLabels[bucket], value: amounts[bucket] })), { key: 'credits', label: 'Credits and unapplied cash', value: credits }];
  return (
    <figure className="card bar-chart" aria-labelledby="aging-chart-caption">
      <figcaption id="aging-chart-caption">
        <h2>
          Open on {format.date(asOf)}: {format.money(amounts.total, currency)}
        </h2>
        <span className="muted small">in {currency}, by days past due</span>
      </figcaption>
      <ul className="bars">
        {bars.map((bar) => {
          const share = proportion(bar.value, largest);
          return (
            <li key={bar.key} className={`bar-row bar-${bar.key}`} data-testid={`bar-${bar.key}`}>
              <span className="bar-label">{bar.label}</span>
              <span className="bar-track" aria-hidden="true">
                {compareDecimal(bar.value, '0') > 0 ? <span className="bar" style={{ width: `${share / 10}%` }} /> : null}
              </span>
              <span className="bar-value">{bar.key === 'credits' && compareDecimal(bar.value, '0') !== 0 ? `−${format.money(bar.value, currency)}` : format.money(bar.value, currency)}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
