import { Big, type BusinessDate, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError } from '../../platform/errors/app-error';
import './ledger.tables';

export interface ExchangeRateView {
  fromCurrency: string;
  toCurrency: string;
  rateDate: string;
  rate: string;
  source: 'manual' | 'csv';
  updatedBy: string;
}

/** The rate for a date is the latest one on or before it; null when none is known. */
export async function findRate(executor: Executor, tenantId: string, from: string, to: string, date: BusinessDate): Promise<{ rate: Decimal; rateDate: string } | null> {
  const row = await executor
    .selectFrom('exchange_rates')
    .select(['rate', 'rate_date'])
    .where('tenant_id', '=', tenantId)
    .where('from_currency', '=', from)
    .where('to_currency', '=', to)
    .where('rate_date', '<=', date)
    .orderBy('rate_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : { rate: new Big(row.rate), rateDate: row.rate_date };
}

export async function requireRate(executor: Executor, tenantId: string, from: string, to: string, date: BusinessDate): Promise<Decimal> {
  const found = await findRate(executor, tenantId, from, to, date);
  if (found === null) {
    throw new AppError('O2C_EXCHANGE_RATE_MISSING', `no ${from}→${to} exchange rate on or before ${date}; enter one under exchange rates and post again`, [
      { path: 'body.currency', message: `needs a ${from}→${to} rate on or before ${date}` },
    ]);
  }
  return found.rate;
}

/** Sets the rate of a pair for a date (replacing one entered before for that date). */
export async function setRates(
  tx: Tx,
  context: RequestContext,
  rates: ReadonlyArray<{ fromCurrency: string; toCurrency: string; rateDate: string; rate: Decimal }>,
  source: 'manual' | 'csv',
): Promise<ExchangeRateView[]> {
  if (rates.length === 0) return [];
  const rows = await tx
    .insertInto('exchange_rates')
    .values(
      rates.map((rate) => ({
        tenant_id: context.actor.tenantId,
        from_currency: rate.fromCurrency,
        to_currency: rate.toCurrency,
        rate_date: rate.rateDate,
        rate: rate.rate.toFixed(),
        source,
        updated_by: context.actor.name,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'from_currency', 'to_currency', 'rate_date']).doUpdateSet((eb) => ({
        rate: eb.ref('excluded.rate'),
        source: eb.ref('excluded.source'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: new Date(),
      })),
    )
    .returningAll()
    .execute();
  const views = rows.map(toRateView);
  await recordAudit(tx, context, { action: 'exchange_rates.set', entityType: 'exchange_rate', entityId: `${source}:${views.length}`, after: views.slice(0, 100) });
  return views;
}

function toRateView(row: { from_currency: string; to_currency: string; rate_date: string; rate: string; source: 'manual' | 'csv'; updated_by: string }): ExchangeRateView {
  return { fromCurrency: row.from_currency, toCurrency: row.to_currency, rateDate: row.rate_date, rate: new Big(row.rate).toFixed(), source: row.source, updatedBy: row.updated_by };
}

export async function listRates(executor: Executor, tenantId: string, filter: { currency?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number }): Promise<ExchangeRateView[]> {
  let query = executor.selectFrom('exchange_rates').selectAll().where('tenant_id', '=', tenantId);
  if (filter.currency !== undefined) query = query.where((where) => where.or([where('from_currency', '=', filter.currency!), where('to_currency', '=', filter.currency!)]));
  if (filter.from !== undefined) query = query.where('rate_date', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('rate_date', '<=', filter.to);
  return (await query.orderBy('rate_date', 'desc').orderBy('from_currency').limit(filter.limit).execute()).map(toRateView);
}
