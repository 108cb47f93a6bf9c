/**
 * A value that breaks a kernel rule (an unknown currency, too many decimals, a date
 * that does not exist). The platform maps it to a 400 or 422 problem at the edge.
 */
export class KernelValueError extends Error {
  constructor(
    readonly reason: 'currency' | 'decimal' | 'precision' | 'date' | 'time_zone' | 'allocation' | 'currency_mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'KernelValueError';
  }
}
