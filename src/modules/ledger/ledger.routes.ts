import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { isBusinessDate, isKnownCurrency, parseDecimal, parseMoney } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { AppError, notFound, readAt, type FieldIssue } from '../../platform/errors/app-error';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { createAccount, deleteAccount, getAccount, listAccounts, updateAccount } from './accounts.service';
import { periodOf } from './ledger.rules';
import { listPeriods, setPeriodStatus } from './periods.service';
import { postEntry, reverseEntry } from './posting.service';
import { listRates, setRates } from './rates.service';
import { accountLedger, getEntry, listEntries, trialBalance } from './reports.service';
import { sendCsv, toCsv } from '../../platform/http/csv';

const controllers = { access: { roles: ['admin', 'controller'] } } as const;
const readers = { access: { roles: ['admin', 'controller', 'billing', 'collector', 'cashapp', 'viewer'] } } as const;
const date = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');
const accountType = z.enum(['asset', 'liability', 'equity', 'revenue', 'expense']);

const accountSchema = z
  .object({ id: z.uuid(), number: z.string(), name: z.string(), type: accountType, systemKey: z.string().nullable(), requiresCustomer: z.boolean(), active: z.boolean(), version: z.number().int() })
  .meta({ id: 'Account' });
const entrySchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    kind: z.enum(['manual', 'automatic']),
    businessDate: z.string(),
    postingDate: z.string(),
    description: z.string(),
    sourceType: z.string(),
    sourceId: z.string(),
    currency: z.string(),
    baseCurrency: z.string(),
    exchangeRate: z.string(),
    reversesEntryId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        accountId: z.uuid(),
        accountNumber: z.string(),
        accountName: z.string(),
        side: z.enum(['debit', 'credit']),
        amount: z.string(),
        baseAmount: z.string(),
        customerId: z.string().nullable(),
        description: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'JournalEntry' });
const rateSchema = z
  .object({ fromCurrency: z.string(), toCurrency: z.string(), rateDate: z.string(), rate: z.string(), source: z.enum(['manual', 'csv']), updatedBy: z.string() })
  .meta({ id: 'ExchangeRate' });
const periodSchema = z
  .object({ period: z.string(), year: z.number().int(), month: z.number().int(), status: z.enum(['open', 'closed']), changedBy: z.string().nullable(), changedAt: z.string().nullable() })
  .meta({ id: 'AccountingPeriod' });
const csvQuery = { format: z.enum(['json', 'csv']).optional().describe('csv for a spreadsheet export') };
const rangeQuery = { from: date, to: date };

/** The ledger: chart of accounts, journal, manual postings and reversals, exchange rates, periods, reports. */
/** Entries that documents post and undo themselves: reversing one by hand would leave its document behind. */
const documentSources = new Set(['invoice', 'credit_note', 'payment', 'payment_application', 'refund', 'write_off']);

export const ledgerRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/accounts',
    {
      config: { access: { roles: anyRole } },
      schema: {
        tags: ['ledger'],
        summary: 'The chart of accounts',
        querystring: z.strictObject({ type: accountType.optional(), active: z.enum(['true', 'false']).optional(), q: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(accountSchema) }) },
      },
    },
    async (request) =>
      ({
        items: await listAccounts(deps.db, contextOf(request).actor.tenantId, {
          type: request.query.type,
          active: request.query.active === undefined ? undefined : request.query.active === 'true',
          q: request.query.q,
        }),
      }),
  );
  app.post(
    '/accounts',
    {
      config: controllers,
      schema: {
        tags: ['ledger'],
        summary: 'Add an account',
        body: z.strictObject({ number: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/, 'must be 1–20 letters, digits, . _ or -'), name: z.string().trim().min(1).max(200), type: accountType }),
        response: { 201: accountSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createAccount(tx, context, request.body))),
  );
  app.patch(
    '/accounts/:id',
    {
      config: controllers,
      schema: {
        tags: ['ledger'],
        summary: 'Rename or renumber an account (system accounts keep their type)',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          number: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/, 'must be 1–20 letters, digits, . _ or -').optional(),
          name: z.string().trim().min(1).max(200).optional(),
          type: accountType.optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: accountSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateAccount(tx, context, request.params.id, request.body))),
  );
  app.delete(
    '/accounts/:id',
    { config: controllers, schema: { tags: ['ledger'], summary: 'Delete an account nobody posted to (not a system account)', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await command(deps.db, request, reply, async (tx, context) => {
        await deleteAccount(tx, context, request.params.id);
        return { status: 204, body: null };
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/journal-entries',
    {
      config: readers,
      schema: {
        tags: ['ledger'],
        summary: 'The journal, newest first, with filters',
        querystring: z.strictObject({
          ...pageQuery,
          from: date.optional(),
          to: date.optional(),
          accountId: z.uuid().optional(),
          sourceType: z.string().max(50).optional(),
          sourceId: z.string().max(100).optional(),
          q: z.string().max(200).optional(),
        }),
        response: { 200: pageSchema(entrySchema) },
      },
    },
    async (request) => listEntries(deps.db, contextOf(request).actor.tenantId, { ...request.query, limit: request.query.limit ?? defaultPageSize }),
  );
  app.get(
    '/journal-entries/:id',
    { config: readers, schema: { tags: ['ledger'], summary: 'One journal entry with its lines', params: idParams, response: { 200: entrySchema } } },
    async (request) => {
      const entry = await getEntry(deps.db, contextOf(request).actor.tenantId, request.params.id);
      if (entry === undefined) throw notFound('journal entry', request.params.id);
      return entry;
    },
  );
  app.post(
    '/journal-entries',
    {
      config: controllers,
      schema: {
        tags: ['ledger'],
        summary: 'Post a manual journal entry (refused in a closed period)',
        body: z.strictObject({
          businessDate: date,
          description: z.string().trim().min(1).max(500),
          currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
          reference: z.string().trim().max(100).optional().describe('Your reference (stored as the source id)'),
          lines: z
            .array(
              z.strictObject({
                accountId: z.uuid(),
                side: z.enum(['debit', 'credit']),
                amount: z.string().min(1).max(40).describe('Positive decimal amount in the entry currency'),
                customerId: z.uuid().nullable().optional(),
                description: z.string().trim().max(500).nullable().optional(),
              }),
            )
            .min(2)
            .max(500),
        }),
        response: { 201: entrySchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const body = request.body;
        if (!isKnownCurrency(body.currency)) throw new AppError('O2C_INVALID_VALUE', `"${body.currency}" is not an ISO 4217 currency code`, [{ path: 'body.currency', message: 'is not an ISO 4217 code' }]);
        const lines = body.lines.map((line, index) => {
          const path = `body.lines.${index}.amount`;
          const amount = readAt(path, () => parseMoney(line.amount, body.currency, path));
          if (amount.amountMinor <= 0n) throw new AppError('O2C_INVALID_VALUE', `${path}: must be greater than zero; the side says which way`, [{ path, message: 'must be greater than zero' }]);
          return { accountId: line.accountId, side: line.side, amountMinor: amount.amountMinor, customerId: line.customerId ?? null, description: line.description ?? null };
        });
        const posted = await postEntry(tx, context, {
          businessDate: body.businessDate,
          description: body.description,
          source: { type: 'manual', id: body.reference ?? '-' },
          currency: body.currency,
          kind: 'manual',
          lines,
        });
        return created((await getEntry(tx, context.actor.tenantId, posted.id))!);
      }),
  );
  app.post(
    '/journal-entries/:id/reverse',
    {
      config: controllers,
      schema: {
        tags: ['ledger'],
        summary: 'Reverse a posted entry with an entry that swaps its sides and points at it',
        params: idParams,
        body: z.strictObject({ businessDate: date, description: z.string().trim().min(1).max(500).optional() }),
        response: { 201: entrySchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const entry = await getEntry(tx, context.actor.tenantId, request.params.id);
        if (entry !== undefined && documentSources.has(entry.sourceType)) {
          throw new AppError('O2C_BUSINESS_RULE', `entry ${entry.number} was posted by a ${entry.sourceType.replace(/_/g, ' ')}; undo it there (a credit note, an undo, a payment reversal), so the document and the books stay together`);
        }
        const posted = await reverseEntry(tx, context, request.params.id, request.body);
        return created((await getEntry(tx, context.actor.tenantId, posted.id))!);
      }),
  );

  app.get(
    '/exchange-rates',
    {
      config: { access: { roles: anyRole } },
      schema: {
        tags: ['ledger'],
        summary: 'Exchange rates, newest first',
        querystring: z.strictObject({ currency: z.string().regex(/^[A-Z]{3}$/).optional(), from: date.optional(), to: date.optional(), limit: pageQuery.limit }),
        response: { 200: z.object({ items: z.array(rateSchema) }) },
      },
    },
    async (request) => ({ items: await listRates(deps.db, contextOf(request).actor.tenantId, { ...request.query, limit: request.query.limit ?? 200 }) }),
  );
  app.post(
    '/exchange-rates',
    {
      config: controllers,
      schema: {
        tags: ['ledger'],
        summary: 'Set the rate of a currency pair for a date (units of toCurrency per one fromCurrency)',
        body: z.strictObject({ fromCurrency: z.string().regex(/^[A-Z]{3}$/), toCurrency: z.string().regex(/^[A-Z]{3}$/), rateDate: date, rate: z.string().min(1).max(40) }),
        response: { 201: rateSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const [rate] = await setRates(tx, context, [readRate(request.body, 'body')], 'manual');
        return created(rate!);
      }),
  );
  app.post(
    '/exchange-rate-imports',
    {
      config: controllers,
      schema: {
        tags: ['ledger'],
        summary: 'Import exchange rates from CSV (columns from_currency,to_currency,date,rate); all or nothing',
        consumes: ['text/csv'],
        body: z.string().min(1),
        response: { 200: z.object({ imported: z.number().int() }) },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok({ imported: (await setRates(tx, context, readRatesCsv(request.body), 'csv')).length })),
  );

  app.get(
    '/periods',
    {
      config: readers,
      schema: { tags: ['ledger'], summary: 'The months of a year and whether each is open', querystring: z.strictObject({ year: z.string().regex(/^\d{4}$/).transform(Number) }), response: { 200: z.object({ items: z.array(periodSchema) }) } },
    },
    async (request) => ({ items: await listPeriods(deps.db, contextOf(request).actor.tenantId, request.query.year) }),
  );
  for (const action of ['close', 'reopen'] as const) {
    app.post(
      `/periods/:period/${action}`,
      {
        config: { access: { roles: ['controller'] } },
        schema: {
          tags: ['ledger'],
          summary: action === 'close' ? 'Close a month: manual postings into it are refused, automatic ones move to the next open month' : 'Reopen a closed month',
          params: z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }),
          response: { 200: periodSchema },
        },
      },
      async (request, reply) =>
        command(deps.db, request, reply, async (tx, context) => ok(await setPeriodStatus(tx, context, periodOf(`${request.params.period}-01`), action === 'close' ? 'closed' : 'open'))),
    );
  }

  app.get(
    '/reports/trial-balance',
    {
      config: readers,
      schema: {
        tags: ['ledger'],
        summary: 'Trial balance in the base currency: opening, debits, credits and closing per account',
        querystring: z.strictObject({ ...rangeQuery, ...csvQuery }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            currency: z.string(),
            accounts: z.array(z.object({ accountId: z.uuid(), number: z.string(), name: z.string(), type: z.string(), openingDebit: z.string(), openingCredit: z.string(), debits: z.string(), credits: z.string(), closingDebit: z.string(), closingCredit: z.string() })),
            totals: z.object({ openingDebit: z.string(), openingCredit: z.string(), debits: z.string(), credits: z.string(), closingDebit: z.string(), closingCredit: z.string() }),
          }),
        },
      },
    },
    async (request, reply) => {
      const report = await trialBalance(deps.db, contextOf(request).actor.tenantId, request.query.from, request.query.to);
      if (request.query.format !== 'csv') return report;
      const header = ['account', 'name', 'type', 'opening debit', 'opening credit', 'debits', 'credits', 'closing debit', 'closing credit'];
      const rows = report.accounts.map((row) => [row.number, row.name, row.type, row.openingDebit, row.openingCredit, row.debits, row.credits, row.closingDebit, row.closingCredit]);
      return sendCsv(reply, `trial-balance-${report.from}-${report.to}.csv`, toCsv(header, [...rows, ['', 'Total', '', ...Object.values(report.totals)]]));
    },
  );
  app.get(
    '/reports/account-ledger',
    {
      config: readers,
      schema: {
        tags: ['ledger'],
        summary: 'One account’s postings with a running balance (base currency)',
        querystring: z.strictObject({ accountId: z.uuid(), ...rangeQuery, ...csvQuery }),
        response: {
          200: z.object({
            account: accountSchema,
            from: z.string(),
            to: z.string(),
            currency: z.string(),
            openingBalance: z.string(),
            closingBalance: z.string(),
            truncated: z.boolean(),
            lines: z.array(
              z.object({
                entryId: z.uuid(),
                entryNumber: z.string(),
                postingDate: z.string(),
                businessDate: z.string(),
                description: z.string(),
                sourceType: z.string(),
                sourceId: z.string(),
                side: z.enum(['debit', 'credit']),
                currency: z.string(),
                amount: z.string(),
                baseAmount: z.string(),
                balance: z.string(),
                customerId: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const tenantId = contextOf(request).actor.tenantId;
      await getAccount(deps.db, tenantId, request.query.accountId);
      const report = await accountLedger(deps.db, tenantId, request.query.accountId, request.query.from, request.query.to);
      if (request.query.format !== 'csv') return report;
      const header = ['posting date', 'business date', 'entry', 'description', 'side', 'amount', 'currency', 'base amount', 'balance'];
      const rows = report.lines.map((line) => [line.postingDate, line.businessDate, line.entryNumber, line.description, line.side, line.amount, line.currency, line.baseAmount, line.balance]);
      return sendCsv(reply, `ledger-${report.account.number}-${report.from}-${report.to}.csv`, toCsv(header, rows));
    },
  );
};

function readRate(input: { fromCurrency: string; toCurrency: string; rateDate: string; rate: string }, path: string) {
  const issues: FieldIssue[] = [];
  for (const field of ['fromCurrency', 'toCurrency'] as const) {
    if (!isKnownCurrency(input[field])) issues.push({ path: `${path}.${field}`, message: `"${input[field]}" is not an ISO 4217 code` });
  }
  if (input.fromCurrency === input.toCurrency) issues.push({ path: `${path}.toCurrency`, message: 'must differ from fromCurrency' });
  if (!isBusinessDate(input.rateDate)) issues.push({ path: `${path}.rateDate`, message: 'must be a calendar date YYYY-MM-DD that exists' });
  let rate;
  try {
    rate = parseDecimal(input.rate, 10, 'the rate');
    if (rate.lte('0')) issues.push({ path: `${path}.rate`, message: 'must be greater than zero' });
  } catch (error) {
    issues.push({ path: `${path}.rate`, message: (error as Error).message });
  }
  if (issues.length > 0 || rate === undefined) throw new AppError('O2C_VALIDATION_FAILED', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
  return { fromCurrency: input.fromCurrency, toCurrency: input.toCurrency, rateDate: input.rateDate, rate };
}

function readRatesCsv(text: string) {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true, delimiter: [',', ';'] }) as string[][];
  } catch (error) {
    throw new AppError('O2C_IMPORT_REJECTED', `the file is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  const columns = (header ?? []).map((name) => name.toLowerCase());
  const expected = ['from_currency', 'to_currency', 'date', 'rate'];
  if (expected.some((name, index) => columns[index] !== name) || columns.length !== expected.length) {
    throw new AppError('O2C_IMPORT_REJECTED', `the header must be ${expected.join(',')}`, [{ path: 'row 1', message: `expected ${expected.join(',')}` }]);
  }
  if (rows.length > 100_000) throw new AppError('O2C_IMPORT_REJECTED', 'at most 100000 rates per file');
  const problems: FieldIssue[] = [];
  const rates = rows.flatMap((cells, index) => {
    try {
      return [readRate({ fromCurrency: cells[0] ?? '', toCurrency: cells[1] ?? '', rateDate: cells[2] ?? '', rate: cells[3] ?? '' }, `row ${index + 2}`)];
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(...error.errors.map((issue) => ({ path: `row ${index + 2}`, message: `${issue.path.split('.').pop()}: ${issue.message}` })));
      return [];
    }
  });
  if (problems.length > 0) throw new AppError('O2C_IMPORT_REJECTED', `${problems.length} problems in the file; nothing was imported`, problems);
  return rates;
}
