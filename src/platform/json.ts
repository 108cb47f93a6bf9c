/**
 * JSON text for the database and logs. bigint (money in minor units) becomes a
 * decimal string instead of throwing, and Dates become ISO instants.
 */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
