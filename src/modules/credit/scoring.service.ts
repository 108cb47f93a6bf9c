import { sql } from 'kysely';
import { addDays, businessDateAt, daysBetween, formatMinor } from '../../kernel';
import type { Executor } from '../../platform/db/database';
import { getTenant } from '../../platform/tenants/tenants';
import { toJsonText } from '../../platform/json';
import { creditPosition, type CreditPosition } from './exposure.service';
import { riskClasses, scoreCustomer, type RiskClass, type ScoreFactor, type ScoringInput } from './scoring.rules';

interface HistoryRow {
  currency: string;
  amount_minor: string;
  due_date: string | null;
  settled_on: string | null;
}

/**
 * The facts a score is made of, read from the customer's own documents: invoices
 * settled in the last 12 months with the day they were paid (the value date of
 * the last payment applied, else the day the last of their balance went),
 * open invoices, what was invoiced per month, reversed payments, and tenure.
 * Amounts in other currencies are converted at the ledger's latest rates.
 */
export async function scoringInput(executor: Executor, tenantId: string, position: CreditPosition): Promise<ScoringInput> {
  const customerId = position.customer.id;
  const asOf = position.today;
  const yearAgo = addDays(asOf, -365);
  const [paid, open, billed, reversed, first] = await Promise.all([
    sql<HistoryRow>`
      select i.currency, i.gross_minor::text as amount_minor, i.due_date::text as due_date, coalesce(a.paid_on, m.settled_on)::text as settled_on
        from invoices i
        join (select invoice_id, max(business_date) as settled_on from invoice_balance_movements
               where tenant_id = ${tenantId} and customer_id = ${customerId} group by invoice_id) m on m.invoice_id = i.id
        -- the day the customer paid is the payment's value date, not the day the cash was applied
        left join (select a.invoice_id, max(case when a.source_type = 'payment' then p.value_date else a.business_date end) as paid_on
                     from payment_applications a left join payments p on p.tenant_id = a.tenant_id and p.id = a.payment_id
                    where a.tenant_id = ${tenantId} and a.customer_id = ${customerId} and a.status = 'active' group by a.invoice_id) a on a.invoice_id = i.id
       where i.tenant_id = ${tenantId} and i.customer_id = ${customerId} and i.kind = 'invoice' and i.status = 'issued'
         and i.open_minor = 0 and i.credited_minor < i.gross_minor and m.settled_on >= ${yearAgo}`.execute(executor),
    sql<HistoryRow>`
      select currency, open_minor::text as amount_minor, due_date::text as due_date, null as settled_on
        from invoices where tenant_id = ${tenantId} and customer_id = ${customerId} and kind = 'invoice' and status = 'issued' and open_minor > 0`.execute(executor),
    sql<{ currency: string; amount_minor: string }>`
      select currency, sum(gross_minor)::text as amount_minor from invoices
       where tenant_id = ${tenantId} and customer_id = ${customerId} and kind = 'invoice' and status = 'issued' and issue_date > ${yearAgo}
       group by currency`.execute(executor),
    sql<{ count: string }>`select count(*)::text as count from payments where tenant_id = ${tenantId} and customer_id = ${customerId} and status = 'reversed' and reversal_date > ${yearAgo}`.execute(executor),
    sql<{ first: string | null }>`select min(issue_date)::text as first from invoices where tenant_id = ${tenantId} and customer_id = ${customerId} and status = 'issued'`.execute(executor),
  ]);
  const convert = (row: { currency: string; amount_minor: string }) => position.converter.convert(BigInt(row.amount_minor), row.currency);
  const timeZone = (await getTenant(executor, tenantId)).timeZone;
  const billedMinor = billed.rows.reduce((total, row) => total + (convert(row) ?? 0n), 0n);
  return {
    asOf,
    currency: position.customer.currency,
    paidInvoices: paid.rows.flatMap((row) => {
      const amountMinor = convert(row);
      return amountMinor === null || row.due_date === null || row.settled_on === null ? [] : [{ amountMinor, daysLate: daysBetween(row.due_date, row.settled_on) }];
    }),
    openInvoices: open.rows.flatMap((row) => {
      const openMinor = convert(row);
      return openMinor === null || row.due_date === null ? [] : [{ openMinor, daysPastDue: daysBetween(row.due_date, asOf) }];
    }),
    limitMinor: position.limit.minor,
    exposureMinor: position.exposureMinor,
    customerSince: first.rows[0]?.first ?? businessDateAt(position.customer.createdAt, timeZone),
    reversedPayments: Number(reversed.rows[0]?.count ?? '0'),
    monthlyBilledMinor: billedMinor / 12n,
    startingClass: asRiskClass(position.settings.startingClass),
  };
}

function asRiskClass(text: string): RiskClass {
  return (riskClasses as readonly string[]).includes(text) ? (text as RiskClass) : 'C';
}

/** A short summary of how the customer pays, for the review screen. */
export function paymentHistorySummary(input: ScoringInput) {
  const late = input.paidInvoices.filter((invoice) => invoice.daysLate > 0);
  const weight = input.paidInvoices.reduce((total, invoice) => total + invoice.amountMinor, 0n);
  const weighted = input.paidInvoices.reduce((total, invoice) => total + invoice.amountMinor * BigInt(Math.max(0, invoice.daysLate)), 0n);
  // one decimal, rounded half up, without floats
  const tenths = weight === 0n ? 0n : (weighted * 20n + weight) / (2n * weight);
  return {
    paidInvoices: input.paidInvoices.length,
    paidLate: late.length,
    averageDaysLate: `${tenths / 10n}.${tenths % 10n}`,
    openInvoices: input.openInvoices.length,
    reversedPayments: input.reversedPayments,
    monthlyInvoiced: formatMinor(input.monthlyBilledMinor, input.currency),
    customerSince: input.customerSince,
  };
}

export interface ScoreView {
  scoredOn: string;
  score: number;
  riskClass: string;
  recommendedLimit: string;
  currency: string;
  hasHistory: boolean;
  factors: ScoreFactor[];
}

/** Scores a customer now and keeps the score as today's (a second run on a day replaces that day's). */
export async function scoreAndStore(executor: Executor, tenantId: string, customerId: string): Promise<ScoreView> {
  const position = await creditPosition(executor, tenantId, customerId);
  const input = await scoringInput(executor, tenantId, position);
  const result = scoreCustomer(input);
  const row = {
    tenant_id: tenantId,
    customer_id: customerId,
    scored_on: position.today,
    score: result.score,
    risk_class: result.riskClass,
    recommended_limit_minor: result.recommendedLimitMinor,
    currency: input.currency,
    has_history: result.hasHistory,
    factors: toJsonText(result.factors),
  };
  await executor
    .insertInto('credit_scores')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'customer_id', 'scored_on']).doUpdateSet({
        score: row.score,
        risk_class: row.risk_class,
        recommended_limit_minor: row.recommended_limit_minor,
        currency: row.currency,
        has_history: row.has_history,
        factors: row.factors,
        created_at: new Date(),
      }),
    )
    .execute();
  return { scoredOn: position.today, score: result.score, riskClass: result.riskClass, recommendedLimit: formatMinor(result.recommendedLimitMinor, input.currency), currency: input.currency, hasHistory: result.hasHistory, factors: [...result.factors] };
}

/** The customer's scores, oldest first (the trend), at most the last `limit` days scored. */
export async function scoreHistory(executor: Executor, tenantId: string, customerId: string, limit = 90): Promise<ScoreView[]> {
  const rows = await executor.selectFrom('credit_scores').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).orderBy('scored_on', 'desc').limit(limit).execute();
  return rows.reverse().map((row) => ({
    scoredOn: row.scored_on,
    score: row.score,
    riskClass: row.risk_class,
    recommendedLimit: formatMinor(row.recommended_limit_minor, row.currency),
    currency: row.currency,
    hasHistory: row.has_history,
    factors: row.factors as ScoreFactor[],
  }));
}

