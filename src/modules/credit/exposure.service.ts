import { sql } from 'kysely';
import { Big, daysBetween, decimalToMinor, formatMinor, minorToDecimal, type BusinessDate, type Decimal } from '../../kernel';
import type { Executor } from '../../platform/db/database';
import { notFound } from '../../platform/errors/app-error';
import { getTenant } from '../../platform/tenants/tenants';
import { todayFor } from '../invoicing';
import { findRate } from '../ledger';
import { effectiveLimit, exposureTotal, type ExposureParts, type LimitSource } from './credit.rules';
import type { CreditBlock } from './credit.tables';
import './credit.tables';

/** Converts amounts of the customer's business into its currency at the ledger's latest rates (through the base currency). */
export interface Converter {
  readonly currency: string;
  /** The amount in the customer's currency, or null when a rate is missing (the currency is then listed in `missing`). */
  convert(amountMinor: bigint, from: string): bigint | null;
  readonly missing: readonly string[];
}

export async function converterTo(executor: Executor, tenantId: string, currency: string, today: BusinessDate, from: Iterable<string>): Promise<Converter> {
  const base = (await getTenant(executor, tenantId)).baseCurrency;
  const one = new Big('1');
  const toBase = async (code: string) => (code === base ? null : ((await findRate(executor, tenantId, code, base, today))?.rate ?? undefined));
  const target = await toBase(currency);
  const rates = new Map<string, Decimal | undefined>();
  for (const code of new Set(from)) {
    if (code === currency) continue;
    const source = await toBase(code);
    // rate from → customer currency: (from → base) ÷ (customer → base); the base currency itself has rate 1.
    if (source === undefined || target === undefined) rates.set(code, undefined);
    else rates.set(code, (source ?? one).div(target ?? one));
  }
  const missing = [...rates].filter(([, rate]) => rate === undefined).map(([code]) => code).sort();
  return {
    currency,
    missing,
    convert(amountMinor, code) {
      if (code === currency) return amountMinor;
      const rate = rates.get(code);
      if (rate === undefined) return null;
      return decimalToMinor(minorToDecimal(amountMinor, code).times(rate), currency);
    },
  };
}

interface CurrencyAmounts {
  currency: string;
  open_receivables: string;
  shipped_not_invoiced: string;
  approved_not_shipped: string;
}

/**
 * What each order still adds to exposure, tax included, per currency: goods
 * shipped and not invoiced, open goods not shipped, services and charges not yet
 * invoiced. Line values are the line's taxable amount plus tax, in proportion to
 * the quantity (rounded half away from zero).
 */
function orderAmounts(tenantId: string, where: ReturnType<typeof sql>) {
  return sql`
    select o.currency,
           0::numeric as open_receivables,
           coalesce(sum(case when l.item_kind = 'goods' and l.quantity_shipped > l.quantity_invoiced
                             then round((l.taxable_minor + l.tax_minor) * (l.quantity_shipped - l.quantity_invoiced) / l.quantity) else 0 end), 0) as shipped_not_invoiced,
           coalesce(sum(case when l.item_kind = 'goods'
                             then greatest(round((l.taxable_minor + l.tax_minor) * (l.quantity - l.quantity_shipped - l.quantity_cancelled) / l.quantity), 0)
                             else greatest(round((l.taxable_minor + l.tax_minor) * (l.quantity - l.quantity_cancelled - l.quantity_invoiced) / l.quantity), 0) end), 0) as approved_not_shipped
      from sales_orders o
      join sales_order_lines l on l.tenant_id = o.tenant_id and l.order_id = o.id
     where o.tenant_id = ${tenantId} and ${where}
       and (case when l.item_kind = 'goods' then l.quantity_shipped > l.quantity_invoiced or l.quantity > l.quantity_shipped + l.quantity_cancelled
                 else l.quantity > l.quantity_cancelled + l.quantity_invoiced end)
     group by o.currency
    union all
    select o.currency, 0, 0, sum(c.amount_minor + c.tax_minor)
      from sales_orders o
      join sales_order_charges c on c.tenant_id = o.tenant_id and c.order_id = o.id and c.invoice_id is null
     where o.tenant_id = ${tenantId} and ${where}
     group by o.currency`;
}

async function exposureRows(executor: Executor, tenantId: string, customerId: string, excludeOrderId: string | null): Promise<CurrencyAmounts[]> {
  const exclude = excludeOrderId === null ? sql`true` : sql`o.id <> ${excludeOrderId}`;
  const result = await sql<CurrencyAmounts>`
    select currency, sum(open_receivables)::text as open_receivables, sum(shipped_not_invoiced)::text as shipped_not_invoiced, sum(approved_not_shipped)::text as approved_not_shipped
      from (
        select i.currency, sum(case when i.kind = 'invoice' then i.open_minor else -i.open_minor end)::numeric as open_receivables, 0::numeric as shipped_not_invoiced, 0::numeric as approved_not_shipped
          from invoices i
         where i.tenant_id = ${tenantId} and i.customer_id = ${customerId} and i.status = 'issued' and i.open_minor > 0
         group by i.currency
        union all
        select p.currency, -sum(p.unapplied_minor)::numeric, 0, 0
          from payments p
         where p.tenant_id = ${tenantId} and p.customer_id = ${customerId} and p.unapplied_minor > 0
         group by p.currency
        union all
        select d.currency, 0, sum(d.gross_minor)::numeric, 0
          from invoices d
         where d.tenant_id = ${tenantId} and d.customer_id = ${customerId} and d.status = 'draft' and d.kind = 'invoice'
         group by d.currency
        union all
        ${orderAmounts(tenantId, sql`o.customer_id = ${customerId} and o.status in ('approved', 'partially_shipped', 'shipped') and ${exclude}`)}
      ) parts
     group by currency`.execute(executor);
  // A currency with nothing in it needs no rate.
  return result.rows.filter((row) => row.open_receivables !== '0' || row.shipped_not_invoiced !== '0' || row.approved_not_shipped !== '0');
}

/** What one order still adds to its customer's exposure, in the order's currency. */
export async function orderValueMinor(executor: Executor, tenantId: string, orderId: string): Promise<{ currency: string; minor: bigint }> {
  const result = await sql<CurrencyAmounts>`select currency, sum(shipped_not_invoiced)::text as shipped_not_invoiced, sum(approved_not_shipped)::text as approved_not_shipped, '0' as open_receivables
      from (${orderAmounts(tenantId, sql`o.id = ${orderId}`)}) a group by currency`.execute(executor);
  const row = result.rows[0];
  if (row === undefined) {
    const order = await executor.selectFrom('sales_orders').select('currency').where('tenant_id', '=', tenantId).where('id', '=', orderId).executeTakeFirst();
    if (order === undefined) throw notFound('order', orderId);
    return { currency: order.currency, minor: 0n };
  }
  return { currency: row.currency, minor: BigInt(row.shipped_not_invoiced) + BigInt(row.approved_not_shipped) };
}

export interface OverdueFacts {
  readonly oldestOverdueDays: number | null;
  readonly overdueMinor: bigint;
  readonly items: ReadonlyArray<{ id: string; number: string; currency: string; dueDate: string; open: string; daysPastDue: number }>;
}

async function overdueFacts(executor: Executor, tenantId: string, customerId: string, today: BusinessDate, converter: Converter): Promise<OverdueFacts> {
  const rows = await executor
    .selectFrom('invoices')
    .select(['id', 'number', 'currency', 'due_date', 'open_minor'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'invoice')
    .where('status', '=', 'issued')
    .where('open_minor', '>', 0n)
    .where('due_date', '<', today)
    .orderBy('due_date')
    .orderBy('number')
    .execute();
  let overdueMinor = 0n;
  for (const row of rows) overdueMinor += converter.convert(row.open_minor, row.currency) ?? 0n;
  const items = rows.map((row) => ({
    id: row.id,
    number: row.number!,
    currency: row.currency,
    dueDate: row.due_date!,
    open: formatMinor(row.open_minor, row.currency),
    daysPastDue: daysBetween(row.due_date!, today),
  }));
  return { oldestOverdueDays: items[0]?.daysPastDue ?? null, overdueMinor, items };
}

/** Everything the credit decision and the credit pages know about a customer today. */
export interface CreditPosition {
  readonly customer: { id: string; number: string; name: string; currency: string; status: string; createdAt: Date };
  readonly today: BusinessDate;
  readonly limit: { minor: bigint | null; source: LimitSource; customerMinor: bigint | null; temporaryMinor: bigint | null; temporaryUntil: string | null; defaultMinor: bigint | null };
  readonly exposure: ExposureParts;
  readonly exposureMinor: bigint;
  readonly overdue: OverdueFacts;
  readonly block: { state: CreditBlock; reason: string | null; since: Date | null };
  readonly settings: CreditSettings;
  readonly converter: Converter;
}

export interface CreditSettings {
  readonly defaultLimitMinor: bigint;
  readonly graceDays: number;
  readonly blockAfterDays: number;
  readonly startingClass: string;
}

export async function readCreditSettings(executor: Executor, tenantId: string): Promise<CreditSettings> {
  const row = await executor.selectFrom('credit_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  if (row === undefined) return { defaultLimitMinor: 0n, graceDays: 30, blockAfterDays: 60, startingClass: 'C' };
  return { defaultLimitMinor: row.default_limit_minor, graceDays: row.grace_days, blockAfterDays: row.block_after_days, startingClass: row.starting_class };
}

/** A customer's credit position: limit in force, exposure by part, overdue items and block, in the customer's currency. */
export async function creditPosition(executor: Executor, tenantId: string, customerId: string, options: { excludeOrderId?: string | null; extraCurrencies?: readonly string[] } = {}): Promise<CreditPosition> {
  const customer = await executor
    .selectFrom('customers')
    .select(['id', 'number', 'name', 'currency', 'status', 'credit_limit_minor', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (customer === undefined) throw notFound('customer', customerId);
  const [today, settings, state, rows, base] = await Promise.all([
    todayFor(executor, tenantId),
    readCreditSettings(executor, tenantId),
    executor.selectFrom('customer_credit').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).executeTakeFirst(),
    exposureRows(executor, tenantId, customerId, options.excludeOrderId ?? null),
    getTenant(executor, tenantId).then((tenant) => tenant.baseCurrency),
  ]);
  const overdueCurrencies = await executor
    .selectFrom('invoices')
    .select('currency')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'issued')
    .where('open_minor', '>', 0n)
    .execute();
  const converter = await converterTo(executor, tenantId, customer.currency, today, [
    ...rows.map((row) => row.currency),
    ...overdueCurrencies.map((row) => row.currency),
    ...(options.extraCurrencies ?? []),
    ...(customer.credit_limit_minor === null && !(state?.temporary_limit_until != null && state.temporary_limit_until >= today) ? [base] : []),
  ]);
  const sum = (pick: (row: CurrencyAmounts) => string) => rows.reduce((total, row) => total + (converter.convert(BigInt(pick(row)), row.currency) ?? 0n), 0n);
  const exposure: ExposureParts = {
    openReceivablesMinor: sum((row) => row.open_receivables),
    shippedNotInvoicedMinor: sum((row) => row.shipped_not_invoiced),
    approvedNotShippedMinor: sum((row) => row.approved_not_shipped),
  };
  const defaultMinor = converter.convert(settings.defaultLimitMinor, base);
  const limit = effectiveLimit({
    customerLimitMinor: customer.credit_limit_minor,
    temporaryLimitMinor: state?.temporary_limit_minor ?? null,
    temporaryUntil: state?.temporary_limit_until ?? null,
    defaultLimitMinor: defaultMinor,
    today,
  });
  return {
    customer: { id: customer.id, number: customer.number, name: customer.name, currency: customer.currency, status: customer.status, createdAt: customer.created_at },
    today,
    limit: {
      minor: limit.limitMinor,
      source: limit.source,
      customerMinor: customer.credit_limit_minor,
      temporaryMinor: state?.temporary_limit_minor ?? null,
      temporaryUntil: state?.temporary_limit_until ?? null,
      defaultMinor,
    },
    exposure,
    exposureMinor: exposureTotal(exposure),
    overdue: await overdueFacts(executor, tenantId, customerId, today, converter),
    block: { state: state?.block ?? 'none', reason: state?.block_reason ?? null, since: state?.blocked_at ?? null },
    settings,
    converter,
  };
}

/** The position as the API shows it: decimal strings in the customer's currency. */
export function positionView(position: CreditPosition) {
  const currency = position.customer.currency;
  const show = (minor: bigint | null) => (minor === null ? null : formatMinor(minor, currency));
  return {
    customer: { id: position.customer.id, number: position.customer.number, name: position.customer.name, status: position.customer.status },
    currency,
    asOf: position.today,
    limit: show(position.limit.minor),
    limitSource: position.limit.source,
    customerLimit: show(position.limit.customerMinor),
    temporaryLimit: show(position.limit.temporaryMinor),
    temporaryLimitUntil: position.limit.temporaryUntil,
    defaultLimit: show(position.limit.defaultMinor),
    exposure: {
      openReceivables: formatMinor(position.exposure.openReceivablesMinor, currency),
      shippedNotInvoiced: formatMinor(position.exposure.shippedNotInvoicedMinor, currency),
      approvedNotShipped: formatMinor(position.exposure.approvedNotShippedMinor, currency),
      total: formatMinor(position.exposureMinor, currency),
    },
    available: position.limit.minor === null ? null : formatMinor(position.limit.minor - position.exposureMinor, currency),
    missingRates: [...position.converter.missing],
    overdue: {
      amount: formatMinor(position.overdue.overdueMinor, currency),
      oldestDays: position.overdue.oldestOverdueDays,
      items: [...position.overdue.items],
    },
    block: { state: position.block.state, reason: position.block.reason, since: position.block.since?.toISOString() ?? null },
  };
}
