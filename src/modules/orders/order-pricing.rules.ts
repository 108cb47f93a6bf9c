import { Big, allocateMinor, decimalToMinor, lineAmountMinor, minorToDecimal, type Decimal } from '../../kernel';
import { computeDocumentTax } from '../catalog';
import type { EnTaxCategory } from './orders.tables';

/** The tax a line carries: its EN 16931 category and rate, decided from item, seller and buyer. */
export interface LineTax {
  readonly categoryCode: EnTaxCategory;
  readonly ratePercent: string;
  readonly exemptionReasonCode: string | null;
  readonly exemptionReason: string | null;
}

export interface LineToPrice {
  readonly unitPrice: Decimal;
  readonly quantity: Decimal;
  readonly discountPercent: Decimal | null;
  readonly tax: LineTax;
}

export interface ChargeToPrice {
  readonly amountMinor: bigint;
}

export interface PricedLine {
  readonly grossMinor: bigint;
  readonly discountMinor: bigint;
  readonly netMinor: bigint;
  readonly orderDiscountShareMinor: bigint;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export interface PricedCharge {
  readonly amountMinor: bigint;
  readonly tax: LineTax;
  readonly taxMinor: bigint;
}

export interface TaxBreakdownEntry {
  readonly categoryCode: string;
  readonly ratePercent: string;
  readonly exemptionReasonCode: string | null;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export interface PricedOrder {
  readonly lines: PricedLine[];
  readonly charges: PricedCharge[];
  readonly linesNetMinor: bigint;
  readonly orderDiscountMinor: bigint;
  readonly chargesMinor: bigint;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
  readonly grossMinor: bigint;
  readonly taxBreakdown: TaxBreakdownEntry[];
}

const hundred = new Big('100');

/**
 * Prices an order exactly, rounding only at named places:
 * 1. each line: gross = unit price × quantity, rounded to the currency; its
 *    discount = gross × percent, rounded; net = gross − discount;
 * 2. the order discount = sum of line nets × percent, rounded, and shared over the
 *    lines by their nets (largest remainder), so each tax group's base is exact;
 * 3. charges (freight, handling) follow the principal supply: they take the tax
 *    category and rate of the group with the largest taxable amount;
 * 4. tax per category and rate on the summed base (EN 16931 BR-CO-17), allocated
 *    back to lines and charges by largest remainder.
 * The result satisfies gross = lines net − order discount + charges + tax exactly.
 */
export function priceOrder(
  currency: string,
  lines: readonly LineToPrice[],
  charges: readonly ChargeToPrice[],
  orderDiscountPercent: Decimal | null,
): PricedOrder {
  const lineAmounts = lines.map((line) => {
    const grossMinor = lineAmountMinor(line.unitPrice, line.quantity, currency);
    const discountMinor = line.discountPercent === null ? 0n : percentOfMinor(grossMinor, line.discountPercent, currency);
    return { grossMinor, discountMinor, netMinor: grossMinor - discountMinor };
  });
  const linesNetMinor = lineAmounts.reduce((sum, line) => sum + line.netMinor, 0n);
  const orderDiscountMinor = orderDiscountPercent === null || linesNetMinor <= 0n ? 0n : percentOfMinor(linesNetMinor, orderDiscountPercent, currency);
  const shares = orderDiscountMinor === 0n ? lineAmounts.map(() => 0n) : allocateMinor(orderDiscountMinor, lineAmounts.map((line) => line.netMinor));
  const taxableByLine = lineAmounts.map((line, index) => line.netMinor - shares[index]!);

  const principalTax = principalSupplyTax(lines, taxableByLine);
  const chargeTax = (charge: ChargeToPrice) => ({ amountMinor: charge.amountMinor, tax: principalTax });
  const taxedCharges = charges.map(chargeTax);

  const parts = [
    ...lines.map((line, index) => ({ netMinor: taxableByLine[index]!, ...line.tax })),
    ...taxedCharges.map((charge) => ({ netMinor: charge.amountMinor, ...charge.tax })),
  ];
  const documentTax = computeDocumentTax(parts, currency);
  const pricedLines = lineAmounts.map((line, index) => ({
    ...line,
    orderDiscountShareMinor: shares[index]!,
    taxableMinor: taxableByLine[index]!,
    taxMinor: documentTax.partTaxMinor[index]!,
  }));
  const pricedCharges = taxedCharges.map((charge, index) => ({ ...charge, taxMinor: documentTax.partTaxMinor[lines.length + index]! }));
  const chargesMinor = charges.reduce((sum, charge) => sum + charge.amountMinor, 0n);
  const taxMinor = documentTax.partTaxMinor.reduce((sum, tax) => sum + tax, 0n);
  const taxableMinor = linesNetMinor - orderDiscountMinor + chargesMinor;
  return {
    lines: pricedLines,
    charges: pricedCharges,
    linesNetMinor,
    orderDiscountMinor,
    chargesMinor,
    taxableMinor,
    taxMinor,
    grossMinor: taxableMinor + taxMinor,
    taxBreakdown: documentTax.breakdown.map((entry) => ({
      categoryCode: entry.categoryCode,
      ratePercent: entry.ratePercent,
      exemptionReasonCode: entry.exemptionReasonCode,
      taxableMinor: entry.taxableMinor,
      taxMinor: entry.taxMinor,
    })),
  };
}

/** A percentage of an amount in minor units, rounded half away from zero to the currency. */
function percentOfMinor(amountMinor: bigint, percent: Decimal, currency: string): bigint {
  return decimalToMinor(minorToDecimal(amountMinor, currency).times(percent).div(hundred), currency, 'half_away_from_zero');
}

/** The tax of the largest group of lines by taxable amount (first line's on a tie). */
function principalSupplyTax(lines: readonly LineToPrice[], taxableByLine: readonly bigint[]): LineTax {
  const groups = new Map<string, { tax: LineTax; taxableMinor: bigint }>();
  lines.forEach((line, index) => {
    const key = `${line.tax.categoryCode}/${line.tax.ratePercent}`;
    const group = groups.get(key) ?? { tax: line.tax, taxableMinor: 0n };
    group.taxableMinor += taxableByLine[index]!;
    groups.set(key, group);
  });
  let principal: { tax: LineTax; taxableMinor: bigint } | undefined;
  for (const group of groups.values()) if (principal === undefined || group.taxableMinor > principal.taxableMinor) principal = group;
  if (principal === undefined) throw new Error('an order needs at least one line to carry charges');
  return principal.tax;
}
