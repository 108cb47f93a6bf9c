import { parse } from 'csv-parse/sync';
import { isBusinessDate } from '../kernel';
import { sql } from 'kysely';
import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { AppError, type FieldIssue } from '../platform/errors/app-error';
import { createOrder, findOrderByCustomerPo, type OrderInput } from '../modules/orders';
import { findCustomerIdByNumber } from '../modules/customers';
import { submitOrder } from './submit-order';
import { lockCustomer } from '../modules/customers';

/**
 * Order import from CSV: one row per order line, grouped into orders by customer
 * number and PO number (which together identify an order, so importing a file
 * twice creates nothing new). All or nothing: every bad row is reported with its
 * row number and reason, and nothing is written unless every row is good.
 */
export const importColumns = {
  customer_number: 'required: the customer number, e.g. C000001',
  po_number: 'required: the customer’s purchase order number; rows with the same customer and PO form one order',
  sku: 'required: the item SKU',
  quantity: 'required: a decimal quantity greater than zero, e.g. 10 or 2.5',
  order_date: 'optional: YYYY-MM-DD (default today in the tenant time zone)',
  requested_delivery_date: 'optional: YYYY-MM-DD',
  currency: 'optional: ISO 4217 code (default the customer currency)',
  unit_price: 'optional: overrides the price list (needs the price_override permission and a price_override_reason)',
  price_override_reason: 'optional: why the price differs from the list',
  discount_percent: 'optional: line discount in percent, e.g. 5',
  description: 'optional: line text (default the item name)',
  shipping_policy: 'optional: partial (default) or complete',
  notes: 'optional: order notes (taken from the first row of the order)',
} as const;

type Column = keyof typeof importColumns;
const requiredColumns: readonly Column[] = ['customer_number', 'po_number', 'sku', 'quantity'];
/** The first data row is row 2: row 1 is the header. */
const firstDataRow = 2;
export const maxImportRows = 50_000;

export interface ImportResult {
  readonly rows: number;
  readonly created: Array<{ number: string; id: string; customerNumber: string; poNumber: string; lines: number; status: string }>;
  readonly skipped: Array<{ number: string; customerNumber: string; poNumber: string; reason: string }>;
}

interface OrderGroup {
  readonly customerNumber: string;
  readonly poNumber: string;
  readonly rows: Array<{ rowNumber: number; values: Record<Column, string | undefined> }>;
}

export async function importOrders(
  tx: Tx,
  context: RequestContext,
  csvText: string,
  options: { submit: boolean; onProgress?: (done: number, total: number) => void },
): Promise<ImportResult> {
  const { groups, rowCount } = readCsv(csvText);
  const problems: FieldIssue[] = [];
  const created: ImportResult['created'] = [];
  const skipped: ImportResult['skipped'] = [];
  let done = 0;
  if (options.submit) {
    // Credit decisions lock customers first; a file with many customers takes them all at once, in id order, so it never waits on a submit holding one of them.
    const ids = await Promise.all([...new Set(groups.map((group) => group.customerNumber))].map((number) => findCustomerIdByNumber(tx, context.actor.tenantId, number)));
    for (const id of [...new Set(ids.filter((id): id is string => id !== null))].sort()) await lockCustomer(tx, context.actor.tenantId, id);
  }
  for (const group of groups) {
    const customerId = await findCustomerIdByNumber(tx, context.actor.tenantId, group.customerNumber);
    if (customerId === null) {
      for (const row of group.rows) problems.push({ path: `row ${row.rowNumber}`, message: `customer_number: no customer ${group.customerNumber}` });
    } else {
      const existing = await findOrderByCustomerPo(tx, context.actor.tenantId, customerId, group.poNumber);
      if (existing !== undefined) {
        skipped.push({ number: existing.number, customerNumber: group.customerNumber, poNumber: group.poNumber, reason: `already imported as ${existing.number}` });
      } else {
        await sql`savepoint import_order`.execute(tx);
        try {
          const order = await createOrder(tx, context, toOrderInput(customerId, group), 'csv');
          const final = options.submit ? await submitOrder(tx, context, order.id) : order;
          await sql`release savepoint import_order`.execute(tx);
          created.push({ number: final.number, id: final.id, customerNumber: group.customerNumber, poNumber: group.poNumber, lines: final.lines.length, status: final.status });
        } catch (error) {
          if (!(error instanceof AppError) || error.status >= 500) throw error;
          await sql`rollback to savepoint import_order`.execute(tx);
          problems.push(...rowProblems(group, error));
        }
      }
    }
    done += 1;
    options.onProgress?.(done, groups.length);
  }
  if (problems.length > 0) {
    throw new AppError('O2C_IMPORT_REJECTED', `${problems.length} problem${problems.length === 1 ? '' : 's'} in the file; nothing was imported: ${summarise(problems)}`, problems);
  }
  return { rows: rowCount, created, skipped };
}

function summarise(problems: readonly FieldIssue[]): string {
  const shown = problems.slice(0, 5).map((problem) => `${problem.path}: ${problem.message}`);
  return problems.length > 5 ? `${shown.join('; ')}; … and ${problems.length - 5} more` : shown.join('; ');
}

/** Maps an order's problems (paths like body.lines.2.quantity) back to the CSV rows they came from. */
function rowProblems(group: OrderGroup, error: AppError): FieldIssue[] {
  const issues = error.errors.length > 0 ? error.errors : [{ path: 'body', message: error.detail }];
  return issues.map((issue) => {
    const line = /^body\.lines\.(\d+)\.?(\w*)/.exec(issue.path);
    const row = line === null ? group.rows[0]! : group.rows[Number(line[1])] ?? group.rows[0]!;
    const field = line?.[2] ? `${columnOf(line[2])}: ` : issue.path.startsWith('body.') ? `${columnOf(issue.path.slice(5))}: ` : '';
    const message = line === null && error.errors.length === 0 ? `order ${group.customerNumber}/${group.poNumber}: ${issue.message}` : `${field}${issue.message}`;
    return { path: `row ${row.rowNumber}`, message };
  });
}

const fieldToColumn: Record<string, Column> = {
  itemId: 'sku',
  sku: 'sku',
  quantity: 'quantity',
  unitPrice: 'unit_price',
  priceOverrideReason: 'price_override_reason',
  discountPercent: 'discount_percent',
  description: 'description',
  orderDate: 'order_date',
  requestedDeliveryDate: 'requested_delivery_date',
  currency: 'currency',
  shippingPolicy: 'shipping_policy',
  notes: 'notes',
};

function columnOf(field: string): string {
  return fieldToColumn[field] ?? field;
}

function readCsv(csvText: string): { groups: OrderGroup[]; rowCount: number } {
  let records: string[][];
  try {
    records = parse(csvText.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: true, delimiter: [',', ';'] }) as string[][];
  } catch (error) {
    throw new AppError('O2C_IMPORT_REJECTED', `the file is not valid CSV: ${(error as Error).message}`, [{ path: 'file', message: (error as Error).message }]);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new AppError('O2C_IMPORT_REJECTED', 'the file is empty; the first row must name the columns', [{ path: 'row 1', message: 'missing header' }]);
  const columns = header.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(name in importColumns));
  const missing = requiredColumns.filter((name) => !columns.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    const issues = [
      ...unknown.map((name) => ({ path: 'row 1', message: `unknown column "${name}"` })),
      ...missing.map((name) => ({ path: 'row 1', message: `missing column "${name}"` })),
    ];
    throw new AppError('O2C_IMPORT_REJECTED', `the header row is wrong: ${issues.map((issue) => issue.message).join('; ')}; columns are ${Object.keys(importColumns).join(', ')}`, issues);
  }
  if (rows.length === 0) throw new AppError('O2C_IMPORT_REJECTED', 'the file has a header but no rows', [{ path: 'row 2', message: 'no data rows' }]);
  if (rows.length > maxImportRows) throw new AppError('O2C_IMPORT_REJECTED', `the file has ${rows.length} rows; split it into files of at most ${maxImportRows}`);
  const problems: FieldIssue[] = [];
  const groups = new Map<string, OrderGroup>();
  rows.forEach((cells, index) => {
    const rowNumber = index + firstDataRow;
    const values = Object.fromEntries(columns.map((name, position) => [name, cells[position] === '' ? undefined : cells[position]])) as Record<Column, string | undefined>;
    const empty = requiredColumns.filter((name) => values[name] === undefined);
    if (empty.length > 0) {
      problems.push({ path: `row ${rowNumber}`, message: `${empty.join(', ')} must not be empty` });
      return;
    }
    problems.push(...rowValueProblems(rowNumber, values));
    const key = `${values.customer_number}\u0000${values.po_number}`;
    const group = groups.get(key) ?? { customerNumber: values.customer_number!, poNumber: values.po_number!, rows: [] };
    group.rows.push({ rowNumber, values });
    groups.set(key, group);
  });
  if (problems.length > 0) throw new AppError('O2C_IMPORT_REJECTED', `${problems.length} problems in the file; nothing was imported: ${summarise(problems)}`, problems);
  return { groups: [...groups.values()], rowCount: rows.length };
}

/** Checks the values a schema would check for an API call: dates, policy, currency. */
function rowValueProblems(rowNumber: number, values: Record<Column, string | undefined>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const path = `row ${rowNumber}`;
  for (const column of ['order_date', 'requested_delivery_date'] as const) {
    const value = values[column];
    if (value !== undefined && !isBusinessDate(value)) issues.push({ path, message: `${column}: "${value}" is not a calendar date YYYY-MM-DD` });
  }
  const policy = values.shipping_policy;
  if (policy !== undefined && policy !== 'partial' && policy !== 'complete') issues.push({ path, message: `shipping_policy: "${policy}" must be partial or complete` });
  const currency = values.currency;
  if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency)) issues.push({ path, message: `currency: "${currency}" is not an ISO 4217 code` });
  for (const column of ['customer_number', 'po_number', 'sku'] as const) {
    if ((values[column]?.length ?? 0) > 100) issues.push({ path, message: `${column}: longer than 100 characters` });
  }
  return issues;
}

function toOrderInput(customerId: string, group: OrderGroup): OrderInput {
  const first = group.rows[0]!.values;
  const policy = first.shipping_policy;
  return {
    customerId,
    customerPoNumber: group.poNumber,
    ...(first.order_date === undefined ? {} : { orderDate: first.order_date }),
    ...(first.requested_delivery_date === undefined ? {} : { requestedDeliveryDate: first.requested_delivery_date }),
    ...(first.currency === undefined ? {} : { currency: first.currency.toUpperCase() }),
    ...(policy === 'partial' || policy === 'complete' ? { shippingPolicy: policy } : {}),
    ...(first.notes === undefined ? {} : { notes: first.notes }),
    lines: group.rows.map(({ values }) => ({
      sku: values.sku!,
      quantity: values.quantity!,
      ...(values.unit_price === undefined ? {} : { unitPrice: values.unit_price }),
      ...(values.price_override_reason === undefined ? {} : { priceOverrideReason: values.price_override_reason }),
      ...(values.discount_percent === undefined ? {} : { discountPercent: values.discount_percent }),
      ...(values.description === undefined ? {} : { description: values.description }),
    })),
  };
}
