import { Big, allocateMinor, decimalToMinor, minorToDecimal, type CurrencyCode, type Decimal } from '../../kernel';
import { rateRefusal, type EnTaxCategory } from './tax.rules';

/**
 * The tax of a document (order, invoice, credit note) as one pure rule.
 *
 * EN 16931 BR-CO-17: per VAT category and rate, the tax is the category's summed
 * taxable amount times the rate, rounded to the currency (half away from zero) —
 * not the sum of rounded line taxes. The group's tax is then allocated back to its
 * lines, so each line carries a share and the shares add up to the group exactly.
 */
export interface TaxPart {
  readonly netMinor: bigint;
  readonly categoryCode: EnTaxCategory;
  /** A percentage as a decimal string: "19", "5.5", "0". */
  readonly ratePercent: string;
  readonly exemptionReasonCode?: string | null;
  readonly exemptionReason?: string | null;
}

export interface TaxBreakdownLine {
  readonly categoryCode: EnTaxCategory;
  /** Canonical decimal text: "19", "5.5", "0". */
  readonly ratePercent: string;
  readonly exemptionReasonCode: string | null;
  readonly exemptionReason: string | null;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export interface DocumentTax {
  /** Each part's share of its group's tax, in the order of the parts. */
  readonly partTaxMinor: bigint[];
  /** One line per category, rate and exemption reason, sorted by category, then rate, then reason. */
  readonly breakdown: TaxBreakdownLine[];
  readonly totalTaxableMinor: bigint;
  readonly totalTaxMinor: bigint;
}

const categoryOrder: Readonly<Record<EnTaxCategory, number>> = { S: 0, Z: 1, E: 2, AE: 3, K: 4, G: 5, O: 6 };

const hundred = new Big('100');
const zero = new Big('0');

/** Categories that carry an exemption reason on the breakdown (BT-120/BT-121); S and Z carry none. */
const reasonedCategories: ReadonlySet<EnTaxCategory> = new Set(['E', 'AE', 'K', 'G', 'O']);

interface Group {
  readonly categoryCode: EnTaxCategory;
  readonly rate: Decimal;
  readonly exemptionReasonCode: string | null;
  readonly exemptionReason: string | null;
  readonly partIndexes: number[];
}

/**
 * Groups the parts by (category, rate) — and, for the categories that state an
 * exemption reason (E, AE, K, G, O: all taxed at 0), by reason too, so two exempt
 * lines with different legal grounds keep their own reason on the breakdown —
 * then computes and allocates each group's tax.
 */
export function computeDocumentTax(parts: readonly TaxPart[], currency: CurrencyCode): DocumentTax {
  const groups = new Map<string, Group>();
  parts.forEach((part, index) => {
    const rate = readRate(part, index);
    const reasoned = reasonedCategories.has(part.categoryCode);
    const exemptionReasonCode = reasoned ? (part.exemptionReasonCode ?? null) : null;
    const exemptionReason = reasoned ? (part.exemptionReason ?? null) : null;
    const key = JSON.stringify([part.categoryCode, rate.toFixed(), exemptionReasonCode, exemptionReason]);
    const group = groups.get(key) ?? { categoryCode: part.categoryCode, rate, exemptionReasonCode, exemptionReason, partIndexes: [] };
    group.partIndexes.push(index);
    groups.set(key, group);
  });

  const partTaxMinor = parts.map(() => 0n);
  const breakdown: TaxBreakdownLine[] = [];
  for (const group of groups.values()) {
    const nets = group.partIndexes.map((index) => parts[index]!.netMinor);
    const taxableMinor = nets.reduce((sum, net) => sum + net, 0n);
    const taxMinor = taxOf(taxableMinor, group.rate, currency);
    const shares = allocateGroupTax(taxMinor, nets, group.rate, currency);
    group.partIndexes.forEach((partIndex, position) => {
      partTaxMinor[partIndex] = shares[position]!;
    });
    breakdown.push({
      categoryCode: group.categoryCode,
      ratePercent: group.rate.toFixed(),
      exemptionReasonCode: group.exemptionReasonCode,
      exemptionReason: group.exemptionReason,
      taxableMinor,
      taxMinor,
    });
  }
  breakdown.sort(compareBreakdown);
  return {
    partTaxMinor,
    breakdown,
    totalTaxableMinor: breakdown.reduce((sum, line) => sum + line.taxableMinor, 0n),
    totalTaxMinor: breakdown.reduce((sum, line) => sum + line.taxMinor, 0n),
  };
}

/** BR-CO-17: the taxable amount times the rate, rounded once, to the currency. */
function taxOf(taxableMinor: bigint, rate: Decimal, currency: CurrencyCode): bigint {
  if (rate.eq(zero)) return 0n;
  return decimalToMinor(minorToDecimal(taxableMinor, currency).times(rate).div(hundred), currency);
}

/**
 * Splits a group's tax over its parts by largest remainder (kernel allocateMinor),
 * which needs non-negative weights that are not all zero. Parts may be negative
 * (an allowance or discount line) or zero, so the parts are split in two:
 *
 * - the charges (net ≥ 0) receive the rounded tax of their own sum, allocated over
 *   their nets;
 * - the allowances (net < 0) receive the rest — the group's tax minus the charges'
 *   share — allocated over the size of their nets, so each keeps a negative sign.
 *
 * Rounding is monotone, so the allowances' share is never positive and the
 * charges' never negative; both sides add up exactly, so the group does too. A
 * part with net 0 gets 0, and a side whose nets are all 0 has tax 0 to split.
 */
function allocateGroupTax(taxMinor: bigint, nets: readonly bigint[], rate: Decimal, currency: CurrencyCode): bigint[] {
  const chargeWeights = nets.map((net) => (net > 0n ? net : 0n));
  const allowanceWeights = nets.map((net) => (net < 0n ? -net : 0n));
  const chargesTaxMinor = taxOf(chargeWeights.reduce((sum, net) => sum + net, 0n), rate, currency);
  const allowancesTaxMinor = taxMinor - chargesTaxMinor;
  const charges = split(chargesTaxMinor, chargeWeights);
  const allowances = split(allowancesTaxMinor, allowanceWeights);
  return nets.map((_net, index) => charges[index]! + allowances[index]!);
}

function split(totalMinor: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.every((weight) => weight === 0n)) {
    if (totalMinor !== 0n) throw new Error(`tax allocation: ${totalMinor} minor units to split over nothing`);
    return weights.map(() => 0n);
  }
  return allocateMinor(totalMinor, weights);
}

/** Checks each part's rate: a decimal percentage from 0 to below 100 that fits its category. */
function readRate(part: TaxPart, index: number): Decimal {
  if (!/^\d{1,2}(\.\d{1,4})?$/.test(part.ratePercent)) {
    throw new Error(`tax part ${index}: rate "${part.ratePercent}" is not a percentage like "19" or "5.5"`);
  }
  const rate = new Big(part.ratePercent);
  const refusal = rateRefusal(part.categoryCode, rate.eq(zero));
  if (refusal !== null) throw new Error(`tax part ${index}: ${refusal}`);
  return rate;
}

function compareBreakdown(a: TaxBreakdownLine, b: TaxBreakdownLine): number {
  const byCategory = categoryOrder[a.categoryCode] - categoryOrder[b.categoryCode];
  if (byCategory !== 0) return byCategory;
  const byRate = new Big(a.ratePercent).cmp(new Big(b.ratePercent));
  if (byRate !== 0) return byRate;
  return (a.exemptionReasonCode ?? '').localeCompare(b.exemptionReasonCode ?? '') || (a.exemptionReason ?? '').localeCompare(b.exemptionReason ?? '');
}
