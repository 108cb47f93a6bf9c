/** The invariant checker: `o2c check` and `assertInvariants` for tests (docs/RELIABILITY.md). */
export { checkInvariants, invariantChecks, type InvariantCheck, type Violation } from './invariants';
export { formatReport, formatSummary, formatViolation, type TenantResult } from './report';
export { assertInvariants, checkTenant, checkTenants, invariantsChecked, InvariantViolationError, pendingMigrations, reportOf, UnknownTenantError } from './run';
