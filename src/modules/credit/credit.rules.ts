import { formatMinor, type BusinessDate } from '../../kernel';
import type { CreditBlock } from './credit.tables';

/** What a customer owes and will owe, in its currency, tax included. */
export interface ExposureParts {
  /** Open invoices less credit items and unapplied cash. */
  readonly openReceivablesMinor: bigint;
  /** Goods shipped and not yet on an issued invoice (drafts included). */
  readonly shippedNotInvoicedMinor: bigint;
  /** Approved orders not yet shipped: open goods, services and charges not yet invoiced. */
  readonly approvedNotShippedMinor: bigint;
}

export function exposureTotal(parts: ExposureParts): bigint {
  return parts.openReceivablesMinor + parts.shippedNotInvoicedMinor + parts.approvedNotShippedMinor;
}

export type LimitSource = 'temporary' | 'customer' | 'default';

export interface LimitInput {
  readonly customerLimitMinor: bigint | null;
  readonly temporaryLimitMinor: bigint | null;
  readonly temporaryUntil: BusinessDate | null;
  /** The tenant's default limit in the customer's currency; null when it cannot be converted. */
  readonly defaultLimitMinor: bigint | null;
  readonly today: BusinessDate;
}

/**
 * The limit in force: a temporary limit until its last day (inclusive), else the
 * customer's own, else the tenant's default.
 */
export function effectiveLimit(input: LimitInput): { limitMinor: bigint | null; source: LimitSource } {
  if (input.temporaryLimitMinor !== null && input.temporaryUntil !== null && input.temporaryUntil >= input.today) return { limitMinor: input.temporaryLimitMinor, source: 'temporary' };
  if (input.customerLimitMinor !== null) return { limitMinor: input.customerLimitMinor, source: 'customer' };
  return { limitMinor: input.defaultLimitMinor, source: 'default' };
}

export interface CreditCheckInput {
  readonly currency: string;
  readonly limitMinor: bigint | null;
  readonly limitSource: LimitSource;
  readonly exposure: ExposureParts;
  /** What this order adds: its value not yet shipped or invoiced, tax included, in the customer's currency. */
  readonly orderValueMinor: bigint;
  /** Days the oldest open invoice is past due (null: nothing is past due). */
  readonly oldestOverdueDays: number | null;
  readonly overdueMinor: bigint;
  readonly graceDays: number;
  readonly block: CreditBlock;
  readonly blockReason: string | null;
  /** Currencies of the customer's business that have no rate to its currency: exposure cannot be told. */
  readonly missingRates: readonly string[];
}

export interface CreditCheck {
  readonly outcome: 'approve' | 'hold';
  /** Every reason to hold, or the one reason it passed. */
  readonly reasons: readonly string[];
  readonly exposureAfterMinor: bigint;
  /** Limit less exposure after the order; negative when over. Null without a limit. */
  readonly headroomMinor: bigint | null;
}

/**
 * The credit decision for an order, explainable: hold with every reason when the
 * customer is credit-blocked, when an item is more than the grace days past due,
 * when exposure after the order would be more than the limit (equal passes), when
 * the customer has no limit of its own and the default is 0 (every order with a
 * value is reviewed, whatever the customer has on account), or when exposure
 * cannot be told; otherwise approve.
 */
export function checkCredit(input: CreditCheckInput): CreditCheck {
  const show = (minor: bigint) => `${formatMinor(minor, input.currency)} ${input.currency}`;
  const exposureAfterMinor = exposureTotal(input.exposure) + input.orderValueMinor;
  const headroomMinor = input.limitMinor === null ? null : input.limitMinor - exposureAfterMinor;
  const reasons: string[] = [];
  if (input.block !== 'none') {
    reasons.push(`the customer is credit-blocked (${input.block === 'manual' ? 'by a credit manager' : 'automatically'}): ${input.blockReason ?? 'no reason given'}`);
  }
  if (input.oldestOverdueDays !== null && input.oldestOverdueDays > input.graceDays) {
    reasons.push(`${show(input.overdueMinor)} is past due, the oldest item ${input.oldestOverdueDays} days; more than the ${input.graceDays} grace days`);
  }
  if (input.missingRates.length > 0) {
    reasons.push(`exposure cannot be told: no exchange rate from ${input.missingRates.join(', ')} to ${input.currency}`);
  } else if (input.limitMinor === null) {
    reasons.push(`the tenant's default limit cannot be converted to ${input.currency}: no exchange rate`);
  } else if (input.limitMinor === 0n && input.limitSource === 'default' && input.orderValueMinor > 0n) {
    reasons.push(`the customer has no credit limit of its own and the tenant's default limit is 0: every order on credit is reviewed`);
  } else if (exposureAfterMinor > input.limitMinor) {
    const source = input.limitSource === 'default' ? "the tenant's default limit" : input.limitSource === 'temporary' ? 'the temporary limit' : 'the credit limit';
    reasons.push(`exposure after this order ${show(exposureAfterMinor)} is over ${source} ${show(input.limitMinor)} by ${show(exposureAfterMinor - input.limitMinor)}`);
  }
  if (reasons.length > 0) return { outcome: 'hold', reasons, exposureAfterMinor, headroomMinor };
  return {
    outcome: 'approve',
    reasons: [`exposure after this order ${show(exposureAfterMinor)} is within the limit ${show(input.limitMinor!)}; nothing is past due beyond ${input.graceDays} grace days`],
    exposureAfterMinor,
    headroomMinor,
  };
}

export interface BlockFacts {
  readonly oldestOverdueDays: number | null;
  readonly blockAfterDays: number;
  /** Numbers of reversed payments whose invoices are open again. */
  readonly reversedPayments: readonly string[];
}

/** Why a customer should be credit-blocked automatically, or null when it should not. */
export function automaticBlockReason(facts: BlockFacts): string | null {
  const reasons: string[] = [];
  if (facts.oldestOverdueDays !== null && facts.oldestOverdueDays > facts.blockAfterDays) reasons.push(`an item is ${facts.oldestOverdueDays} days past due (more than ${facts.blockAfterDays})`);
  if (facts.reversedPayments.length > 0) reasons.push(`reversed payment ${facts.reversedPayments.join(', ')} left invoices open`);
  return reasons.length === 0 ? null : reasons.join('; ');
}
