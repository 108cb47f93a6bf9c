import { Big, allocateMinor, lineAmountMinor, money, percentageOf, type Decimal } from '../../kernel';
import { computeDocumentTax } from '../catalog';
import type { EnTaxCategory } from './invoicing.tables';

/**
 * The amounts of an invoice or credit note, as one pure rule. Quantities and prices
 * come from the order; the invoice recomputes its own amounts for what it bills, so
 * a partial shipment is billed for what shipped:
 *
 * 1. each line: gross = unit price × quantity, rounded to the currency; its discount
 *    = gross × percent, rounded; net = gross − discount. A line may instead carry
 *    fixed amounts (`fixed`): the last part of a line credited in pieces takes
 *    exactly what is left, so the pieces add up to the original;
 * 2. the order discount (the document allowance) per allowance group — the lines of
 *    one order — is the group's summed net × its percent, rounded once, and shared
 *    over the group's lines by their nets (largest remainder);
 * 3. charges keep the tax they were given on the order;
 * 4. tax per category and rate on the summed taxable base (EN 16931 BR-CO-17),
 *    allocated back to lines and charges by largest remainder.
 *
 * gross = lines net − allowances + charges + tax holds exactly.
 */
export interface InvoiceTax {
  readonly categoryCode: EnTaxCategory;
  readonly ratePercent: string;
  readonly exemptionReasonCode: string | null;
  readonly exemptionReason: string | null;
}

export interface LineToBill {
  readonly unitPrice: Decimal;
  readonly quantity: Decimal;
  readonly discountPercent: Decimal | null;
  /** Lines with the same group (an order) share one allowance computed at `allowancePercent`. */
  readonly allowanceGroup: string | null;
  readonly allowancePercent: Decimal | null;
  readonly tax: InvoiceTax;
  /** Amounts taken as they are instead of computed (the remainder of a line credited in parts). */
  readonly fixed?: { readonly grossMinor: bigint; readonly discountMinor: bigint; readonly allowanceShareMinor: bigint } | undefined;
}

export interface ChargeToBill {
  readonly amountMinor: bigint;
  readonly tax: InvoiceTax;
}

export interface BilledLine {
  readonly grossMinor: bigint;
  readonly discountMinor: bigint;
  readonly netMinor: bigint;
  readonly allowanceShareMinor: bigint;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export interface BilledCharge {
  readonly amountMinor: bigint;
  readonly taxMinor: bigint;
}

export interface BreakdownRow extends InvoiceTax {
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export interface BilledDocument {
  readonly lines: BilledLine[];
  readonly charges: BilledCharge[];
  readonly linesNetMinor: bigint;
  readonly allowancesMinor: bigint;
  readonly chargesMinor: bigint;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
  readonly grossMinor: bigint;
  readonly breakdown: BreakdownRow[];
}

export function priceInvoice(currency: string, lines: readonly LineToBill[], charges: readonly ChargeToBill[]): BilledDocument {
  const amounts = lines.map((line) => {
    if (line.fixed !== undefined) return { grossMinor: line.fixed.grossMinor, discountMinor: line.fixed.discountMinor };
    const grossMinor = lineAmountMinor(line.unitPrice, line.quantity, currency);
    const discountMinor = line.discountPercent === null ? 0n : percentOfMinor(grossMinor, line.discountPercent, currency);
    return { grossMinor, discountMinor };
  });
  const shares = allowanceShares(lines, amounts.map((amount) => amount.grossMinor - amount.discountMinor), currency);
  const parts = [
    ...lines.map((line, index) => ({ netMinor: amounts[index]!.grossMinor - amounts[index]!.discountMinor - shares[index]!, ...taxPart(line.tax) })),
    ...charges.map((charge) => ({ netMinor: charge.amountMinor, ...taxPart(charge.tax) })),
  ];
  const tax = computeDocumentTax(parts, currency);
  const billedLines = lines.map((_line, index) => {
    const { grossMinor, discountMinor } = amounts[index]!;
    const netMinor = grossMinor - discountMinor;
    return { grossMinor, discountMinor, netMinor, allowanceShareMinor: shares[index]!, taxableMinor: netMinor - shares[index]!, taxMinor: tax.partTaxMinor[index]! };
  });
  const billedCharges = charges.map((charge, index) => ({ amountMinor: charge.amountMinor, taxMinor: tax.partTaxMinor[lines.length + index]! }));
  const linesNetMinor = billedLines.reduce((sum, line) => sum + line.netMinor, 0n);
  const allowancesMinor = billedLines.reduce((sum, line) => sum + line.allowanceShareMinor, 0n);
  const chargesMinor = billedCharges.reduce((sum, charge) => sum + charge.amountMinor, 0n);
  const taxableMinor = linesNetMinor - allowancesMinor + chargesMinor;
  const grossMinor = taxableMinor + tax.totalTaxMinor;
  if (taxableMinor !== tax.totalTaxableMinor) throw new Error(`invoice pricing: taxable ${taxableMinor} differs from the tax base ${tax.totalTaxableMinor}`);
  return {
    lines: billedLines,
    charges: billedCharges,
    linesNetMinor,
    allowancesMinor,
    chargesMinor,
    taxableMinor,
    taxMinor: tax.totalTaxMinor,
    grossMinor,
    breakdown: tax.breakdown.map((row) => ({ ...row, categoryCode: row.categoryCode })),
  };
}

/** A percentage of an amount in minor units, rounded half away from zero to the currency. */
export function percentOfMinor(amountMinor: bigint, percent: Decimal, currency: string): bigint {
  return percentageOf(money(amountMinor, currency), percent).amountMinor;
}

function taxPart(tax: InvoiceTax) {
  return { categoryCode: tax.categoryCode, ratePercent: tax.ratePercent, exemptionReasonCode: tax.exemptionReasonCode, exemptionReason: tax.exemptionReason };
}

/** Each allowance group's discount, rounded once and shared over its lines by net (largest remainder). */
function allowanceShares(lines: readonly LineToBill[], nets: readonly bigint[], currency: string): bigint[] {
  const shares = lines.map((line) => line.fixed?.allowanceShareMinor ?? 0n);
  const groups = new Map<string, number[]>();
  lines.forEach((line, index) => {
    if (line.fixed !== undefined || line.allowanceGroup === null || line.allowancePercent === null || line.allowancePercent.eq('0')) return;
    const key = `${line.allowanceGroup}|${line.allowancePercent.toFixed()}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  for (const indexes of groups.values()) {
    const percent = lines[indexes[0]!]!.allowancePercent!;
    const weights = indexes.map((index) => (nets[index]! > 0n ? nets[index]! : 0n));
    const base = weights.reduce((sum, weight) => sum + weight, 0n);
    if (base === 0n) continue;
    const allowance = percentOfMinor(base, percent, currency);
    allocateMinor(allowance, weights).forEach((share, position) => {
      shares[indexes[position]!] = share;
    });
  }
  return shares;
}

/** A VAT group of a document: its category, rate and exemption reason, with taxable and tax. */
export interface TaxGroupAmounts extends InvoiceTax {
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export function taxGroupKey(tax: InvoiceTax): string {
  return JSON.stringify([tax.categoryCode, new Big(tax.ratePercent).toFixed(), tax.exemptionReasonCode, tax.exemptionReason]);
}

/**
 * The tax a credit note carries per VAT group, so that the credit notes of an
 * invoice together reverse its VAT to the cent: each takes the rounded tax on all
 * that is credited of the group so far, less what earlier credit notes took. The
 * one that credits the rest of a group thus takes exactly the rest of its tax (the
 * invoice's tax is the rounded tax on the whole group, BR-CO-17). Returns, per group
 * of the new credit note, the tax to carry; a group the invoice does not have keeps
 * its own.
 */
export function cumulativeCreditTax(
  invoiceGroups: readonly TaxGroupAmounts[],
  creditedBefore: readonly TaxGroupAmounts[],
  thisNote: readonly TaxGroupAmounts[],
  currency: string,
): Map<string, bigint> {
  const sum = (groups: readonly TaxGroupAmounts[]) => {
    const byKey = new Map<string, { taxableMinor: bigint; taxMinor: bigint }>();
    for (const group of groups) {
      const key = taxGroupKey(group);
      const before = byKey.get(key) ?? { taxableMinor: 0n, taxMinor: 0n };
      byKey.set(key, { taxableMinor: before.taxableMinor + group.taxableMinor, taxMinor: before.taxMinor + group.taxMinor });
    }
    return byKey;
  };
  const invoiced = sum(invoiceGroups);
  const before = sum(creditedBefore);
  const result = new Map<string, bigint>();
  for (const group of thisNote) {
    const key = taxGroupKey(group);
    const whole = invoiced.get(key);
    if (whole === undefined) {
      result.set(key, group.taxMinor);
      continue;
    }
    const earlier = before.get(key) ?? { taxableMinor: 0n, taxMinor: 0n };
    const creditedTaxable = earlier.taxableMinor + group.taxableMinor;
    const cumulative = creditedTaxable >= whole.taxableMinor ? whole.taxMinor : percentOfMinor(creditedTaxable, new Big(group.ratePercent), currency);
    const tax = cumulative - earlier.taxMinor;
    const left = whole.taxMinor - earlier.taxMinor;
    result.set(key, tax < 0n ? 0n : tax > left ? left : tax);
  }
  return result;
}
