import type { Violation } from './invariants';

/** One tenant's result: which tenant, and what broke there. */
export interface TenantResult {
  readonly tenant: { readonly id: string; readonly slug: string };
  readonly violations: readonly Violation[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A value as it reads on one line: strings as they are, unless they need quotes. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
  return text === '' || /[\s="]/.test(text) ? JSON.stringify(text) : text;
}

/**
 * One violation as a block of plain text: the invariant and its rule, the message,
 * then each record behind it as key=value pairs.
 */
export function formatViolation(violation: Violation): string {
  const lines = [`invariant ${violation.invariant}: ${violation.rule}`, `  ${violation.message}`];
  for (const record of violation.records) {
    lines.push(`    ${Object.entries(record).map(([key, value]) => `${key}=${show(value)}`).join(' ')}`);
  }
  return lines.join('\n');
}

/** The closing line: how many invariants were checked and how many violations were found. */
export function formatSummary(invariantsChecked: number, violations: number): string {
  return `${plural(invariantsChecked, 'invariant')} checked, ${plural(violations, 'violation')}`;
}

/**
 * The report of a run: per tenant a heading and one block per violation, then the
 * summary line ("9 invariants checked, 0 violations").
 */
export function formatReport(results: readonly TenantResult[], invariantsChecked: number): string {
  const sections = results.map((result) => {
    const heading = `tenant ${result.tenant.slug}: ${result.violations.length === 0 ? 'all invariants hold' : plural(result.violations.length, 'violation')}`;
    return [heading, ...result.violations.map(formatViolation)].join('\n\n');
  });
  const total = results.reduce((sum, result) => sum + result.violations.length, 0);
  const tenants = results.length === 1 ? '' : ` (${plural(results.length, 'tenant')})`;
  return `${[...sections, `${formatSummary(invariantsChecked, total)}${tenants}`].join('\n\n')}\n`;
}
