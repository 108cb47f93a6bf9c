import { useEffect, useState } from 'react';
import { getCustomer, listCustomers, listItems, type CustomerSummary, type Item, type OrderTotals, type TaxBreakdownEntry } from '../../api';
import { Combobox, type ComboboxProps } from '../../components/Combobox';
import { compareDecimal } from '../../decimal';
import { useFormatters } from '../../session';

export const searchCustomers = async (text: string): Promise<CustomerSummary[]> =>
  (await listCustomers({ q: text === '' ? undefined : text }, undefined, 20)).items;

export const customerText = (customer: CustomerSummary) => customer.name;

export function renderCustomerOption(customer: CustomerSummary) {
  return (
    <span className="option-two-lines">
      <span>
        {customer.name} {customer.status === 'blocked' ? <span className="badge badge-bad">Blocked</span> : null}
      </span>
      <span className="muted small">
        {customer.number} · {customer.countryCode} · {customer.currency}
      </span>
    </span>
  );
}

/** Active items, searched by SKU or name. */
export const searchSellableItems = async (text: string): Promise<Item[]> =>
  (await listItems({ q: text === '' ? undefined : text, active: 'true' }, undefined, 20)).items;

export function renderItemOption(item: Pick<Item, 'sku' | 'name' | 'kind' | 'unit'>) {
  return (
    <span className="option-two-lines">
      <span>
        <code>{item.sku}</code>
      </span>
      <span className="muted small">
        {item.name} · {item.kind === 'goods' ? item.unit : 'service'}
      </span>
    </span>
  );
}

export const chargeKindLabels: Record<string, string> = { freight: 'Freight', handling: 'Handling', other: 'Other charge' };

export const shippingPolicyLabels: Record<string, string> = {
  partial: 'Ship what is there, backorder the rest',
  complete: 'Ship complete only',
};

const taxCategoryNames: Record<string, string> = {
  S: 'Standard',
  Z: 'Zero rated',
  E: 'Exempt',
  AE: 'Reverse charge',
  K: 'Intra-EU supply',
  G: 'Export',
  O: 'Outside scope',
};

/** "S" → "Standard", the EN 16931 VAT category codes the order answers. */
export const taxCategoryName = (code: string) => taxCategoryNames[code] ?? code;

/**
 * A line's VAT as people read it: the rate, and the category when it is not the
 * plain taxable one (S covers standard and reduced rates alike).
 */
export function TaxLabel({ category, ratePercent }: { readonly category: string; readonly ratePercent: string }) {
  const format = useFormatters();
  return (
    <span className="nowrap">
      {format.percent(ratePercent)}
      {category === 'S' ? null : <span className="muted small"> {taxCategoryName(category)}</span>}{' '}
      <abbr className="tax-code" title={`VAT category ${category} (EN 16931): ${taxCategoryName(category)}`}>
        {category}
      </abbr>
    </span>
  );
}

interface TotalsProps {
  readonly totals: OrderTotals;
  readonly taxBreakdown: readonly TaxBreakdownEntry[];
  readonly currency: string;
  readonly heading?: string;
  readonly stale?: boolean;
}

/** The order totals and the VAT summary per category and rate. */
export function TotalsBox({ totals, taxBreakdown, currency, heading = 'Totals', stale = false }: TotalsProps) {
  const format = useFormatters();
  const hasDiscount = compareDecimal(totals.orderDiscount, '0') !== 0;
  const hasCharges = compareDecimal(totals.charges, '0') !== 0;
  return (
    <section className={stale ? 'totals-box stale' : 'totals-box'} aria-labelledby="totals-heading" aria-busy={stale}>
      <h2 id="totals-heading">{heading}</h2>
      <dl className="totals">
        <dt>Lines net</dt>
        <dd data-testid="total-lines-net">{format.money(totals.linesNet, currency)}</dd>
        {hasDiscount ? (
          <>
            <dt>Order discount</dt>
            <dd>−{format.money(totals.orderDiscount, currency)}</dd>
          </>
        ) : null}
        {hasCharges ? (
          <>
            <dt>Charges</dt>
            <dd data-testid="total-charges">{format.money(totals.charges, currency)}</dd>
          </>
        ) : null}
        <dt>Net</dt>
        <dd>{format.money(totals.taxable, currency)}</dd>
        <dt>VAT</dt>
        <dd data-testid="total-tax">{format.money(totals.tax, currency)}</dd>
        <dt className="grand">Total</dt>
        <dd className="grand" data-testid="total-gross">
          {format.money(totals.gross, currency)}
        </dd>
      </dl>
      {taxBreakdown.length === 0 ? null : (
        <table className="plain-table tax-summary">
          <caption>VAT summary</caption>
          <thead>
            <tr>
              <th scope="col">VAT rate</th>
              <th scope="col" className="num">Taxable</th>
              <th scope="col" className="num">VAT</th>
            </tr>
          </thead>
          <tbody>
            {taxBreakdown.map((entry) => (
              <tr key={`${entry.categoryCode}-${entry.ratePercent}`}>
                <td>
                  <TaxLabel category={entry.categoryCode} ratePercent={entry.ratePercent} />
                  {entry.exemptionReasonCode === null || entry.exemptionReasonCode === undefined ? null : (
                    <span className="muted small"> {entry.exemptionReasonCode}</span>
                  )}
                </td>
                <td className="num">{format.money(entry.taxableAmount, currency)}</td>
                <td className="num">{format.money(entry.taxAmount, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A Combobox that finds customers by name or number. */
export function CustomerCombobox(props: Omit<ComboboxProps<CustomerSummary>, 'search' | 'getKey' | 'display' | 'renderOption'>) {
  return <Combobox<CustomerSummary> {...props} search={searchCustomers} getKey={(candidate) => candidate.id} display={customerText} renderOption={renderCustomerOption} />;
}

/** A customer filter kept in the address as customerId; the chosen customer's name shows after a reload too. */
export function CustomerFilter({ customerId, onChange }: { readonly customerId: string | undefined; readonly onChange: (customerId: string | undefined) => void }) {
  const [customer, setCustomer] = useState<CustomerSummary | null>(null);
  useEffect(() => {
    if (customerId === undefined) {
      setCustomer(null);
      return;
    }
    if (customer?.id === customerId) return;
    let live = true;
    getCustomer(customerId).then(
      (found) => {
        if (live) setCustomer(found);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [customerId, customer?.id]);
  return (
    <CustomerCombobox
      label="Customer"
      value={customer}
      onSelect={(chosen) => {
        setCustomer(chosen);
        if (chosen !== null || customerId !== undefined) onChange(chosen?.id);
      }}
      placeholder="All customers"
    />
  );
}
