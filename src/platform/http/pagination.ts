import { z } from 'zod';
import { invalidValue } from '../errors/app-error';

/** Query fields every list accepts. Query strings are text, so limit is read from digits. */
export const pageQuery = {
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional()
    .describe('Page size, 1–200 (default 50).'),
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page.'),
};

export const defaultPageSize = 50;

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** A cursor is the sort key of the last row seen, opaque to clients. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts && key.every((part) => typeof part === 'string')) return key as string[];
  } catch {
    // fall through to the refusal below
  }
  throw invalidValue('query.cursor', 'is not a cursor this list produced; start again without it');
}

/** Takes one row more than the page to know whether another page follows. */
export function toPage<Row, Item>(rows: Row[], limit: number, map: (row: Row) => Item, key: (row: Row) => string[]): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(map), nextCursor: hasMore && last !== undefined ? encodeCursor(key(last)) : null };
}
