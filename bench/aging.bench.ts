import os from 'node:os';
import pg from 'pg';
import { addDays, businessDateAt } from '../src/kernel';
import { creditorReferenceFor, isValidCreditorReference } from '../src/modules/invoicing/payment-reference.rules';
import { createTestTenant } from '../test/support/app';
import { createTestDatabase } from '../test/support/database';
import { loadDemoRecords } from '../test/support/demo-data';
import { prepareDrafts } from './drafts';
import { describeMachine, option, percentiles, startServer, type Figure } from './http-load';

/**
 * Receivables reads at volume: `npm run bench aging -- --invoices 1000000 --customers 50000`.
 *
 * A private PostgreSQL database is made by the migrations and a tenant set up the
 * normal way; then plain SQL (INSERT … SELECT over generate_series, in chunks of one
 * transaction each, --chunk 50000, on --jobs connections side by side, one per core)
 * writes what issuing and paying would have written, every row under the tables'
 * constraints and triggers:
 *   - customers (EUR in Germany, USD in the US, GBP in the UK; 30 days net) with a
 *     billing and a shipping address;
 *   - open issued invoices, issue dates over the last 181 days so due dates run from
 *     150 days ago to 30 days ahead and every aging bucket fills: numbered per year,
 *     RF payment reference, EUR with 19 % VAT, USD and GBP exports at a stored rate;
 *     each with its journal entry (receivables with the customer against revenue and
 *     VAT) and its 'issued' balance movement;
 *   - one in ten of each customer's invoices half paid by a bank transfer: the
 *     payment with its entry, the application with its entry and its 'applied'
 *     movement; the payments of one customer in twenty leave 10.00 unapplied each;
 *   - the number series counters and the accounting periods the entries fall in.
 * Invoice lines are left out: none of the reads timed here touch them. Then VACUUM
 * ANALYZE, and an o2c server process answers, each read repeated (--repeat, 5):
 * aging today, aging as of 60 days ago (from the balance movements), a customer's
 * statement for the last 12 months and the customer's open items today; then invoice
 * issuing at this volume (--issues drafts of 10 lines, made from the demo's items
 * and customers loaded after the seed, issued one at a time after 20 to warm up:
 * the latency shows whether issuing slows as the invoices grow); then, once, the
 * subledger reconciliation, as a check that the seeded ledger agrees.
 * Prints seeding time, median and p99 per read, and what each returned. --keep
 * leaves the database in place for EXPLAIN ANALYZE and prints where it is.
 */
const seededBy = 'benchmark seed';

export async function run(args: string[]): Promise<Figure[]> {
  const invoices = option(args, 'invoices', 1_000_000);
  const customers = option(args, 'customers', 50_000);
  const repeat = option(args, 'repeat', 5);
  const chunk = option(args, 'chunk', 50_000);
  const jobs = option(args, 'jobs', os.cpus().length);
  const port = option(args, 'port', 3957);
  const issues = option(args, 'issues', 300);
  const keep = args.includes('--keep');
  if (!(invoices >= 10 && customers >= 1 && customers <= invoices)) throw new Error('--invoices must be at least 10 and --customers from 1 to the number of invoices');

  const database = await createTestDatabase({ kind: 'postgres' });
  const tenant = await createTestTenant(database.handle, 'bench');
  const connectionString = database.connectionString!;
  const connection = await connectSeeder(connectionString);
  let server: { stop(): Promise<void> } | undefined;
  const figures: Figure[] = [];
  const volume = invoices.toLocaleString('en');
  try {
    const query = async <T extends object = Record<string, string>>(text: string): Promise<T[]> => (await connection.query(text)) as T[];
    const zone = (await query<{ time_zone: string }>(`select time_zone from tenants where id = '${tenant.id}'`))[0]!.time_zone;
    const today = businessDateAt(new Date(), zone);
    // Read on a connection of the pool, which keeps the database's settings.
    process.stdout.write(`${await describeMachine(database.handle.db, 'postgres')}\n`);
    process.stdout.write(`o2c receivables benchmark on PostgreSQL: ${invoices} open invoices over ${customers} customers, today ${today}, seeded in chunks of ${chunk} on ${jobs} connection${jobs === 1 ? '' : 's'}, each read ${repeat} times\n`);

    const seedStarted = performance.now();
    const seeded = await seed(connection.query, { tenantId: tenant.id, invoices, customers, chunk, jobs, today, connect: () => connectSeeder(connectionString) });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const vacuumStarted = performance.now();
    await query('vacuum (analyze)');
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
    const tables = ['customers', 'invoices', 'invoice_balance_movements', 'journal_entries', 'journal_lines', 'payments', 'payment_applications'];
    const counted = (await query<Record<string, string>>(`select ${tables.map((table) => `(select count(*) from ${table})::text as ${table}`).join(', ')}`))[0]!;
    const rowCounts = tables.map((table) => `${table} ${Number(counted[table]).toLocaleString('en')}`).join(', ');
    const size = (await query<{ size: string }>('select pg_size_pretty(pg_database_size(current_database())) as size'))[0]!.size;
    process.stdout.write(`seeded in ${seedSeconds.toFixed(1)} s, VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s, database ${size}: ${rowCounts}\n`);

    // The payment references the SQL computed are the ones the product computes.
    const references = await query<{ number: string; payment_reference: string }>(`select number, payment_reference from invoices where tenant_id = '${tenant.id}' order by random() limit 1000`);
    const wrong = references.filter((row) => row.payment_reference !== creditorReferenceFor(row.number) || !isValidCreditorReference(row.payment_reference));
    if (wrong.length > 0) throw new Error(`seeded payment references differ from the product's: ${wrong[0]!.number} ${wrong[0]!.payment_reference}`);

    // Drafts to issue at this volume: the demo's items and customers (numbered after the seeded ones) and copies of a real draft.
    const draftsStarted = performance.now();
    await loadDemoRecords(database.handle, tenant.id);
    const { drafts } = await prepareDrafts(database.handle, tenant.id, 'Müller Elektrotechnik', issues + 20);
    process.stdout.write(`${drafts.length} drafts of 10 lines made to issue in ${((performance.now() - draftsStarted) / 1000).toFixed(1)} s\n`);

    server = await startServer({ DATABASE_URL: connectionString }, port);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${tenant.keys.collector}` };
    const get = async <T>(path: string): Promise<{ ms: number; body: T }> => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 300)}`);
      return { ms, body: JSON.parse(text) as T };
    };
    const timed = async <T>(label: string, path: string, describe: (body: T) => string): Promise<void> => {
      const runs: Array<{ ms: number; body: T }> = [];
      for (let index = 0; index < repeat; index += 1) runs.push(await get<T>(path));
      const { p50, p99 } = percentiles(runs.map((run) => run.ms));
      process.stdout.write(`${label.padEnd(52)} median ${p50.toFixed(0).padStart(6)} ms   p99 ${p99.toFixed(0).padStart(6)} ms   first ${runs[0]!.ms.toFixed(0).padStart(6)} ms   ${describe(runs[0]!.body)}\n`);
      figures.push({ label: `${label} at ${volume} invoices (median / p99 of ${repeat})`, value: `${p50.toFixed(0)} / ${p99.toFixed(0)} ms` });
    };

    type Aging = { baseCurrency: string; customerCount: number; customers: unknown[]; totals: { byCurrency: Array<{ currency: string; total: string }>; inBaseCurrency: Record<string, string>; missingRates: string[] } };
    const agingText = (body: Aging) => {
      const buckets = body.totals.inBaseCurrency;
      return `${body.customerCount} customers (page of ${body.customers.length}); ${body.baseCurrency} total ${buckets.total}: current ${buckets.current}, 1–30 ${buckets.days1to30}, 31–60 ${buckets.days31to60}, 61–90 ${buckets.days61to90}, >90 ${buckets.over90}, credits ${buckets.credits}${body.totals.missingRates.length > 0 ? `; missing rates ${body.totals.missingRates.join(', ')}` : ''}`;
    };
    const past = addDays(today, -60);
    const yearAgo = addDays(today, -365);
    const subject = seeded.statementCustomer;
    await timed<Aging>('GET /receivables/aging', '/receivables/aging', agingText);
    await timed<Aging>(`GET /receivables/aging?asOf=${past}`, `/receivables/aging?asOf=${past}`, agingText);
    type Statement = { currencies: Array<{ currency: string; opening: string; movements: unknown[]; closing: string }> };
    await timed<Statement>(
      'GET /customers/{id}/statement (12 months)',
      `/customers/${subject.id}/statement?from=${yearAgo}&to=${today}`,
      (body) => `${subject.invoices} invoices, ${subject.payments} payments; ${body.currencies.map((section) => `${section.movements.length} movements in ${section.currency}, closing ${section.closing}`).join('; ')}`,
    );
    type OpenItems = { items: unknown[]; balances: Array<{ currency: string; balance: string }> };
    await timed<OpenItems>('GET /customers/{id}/open-items', `/customers/${subject.id}/open-items`, (body) => `${body.items.length} open items, balance ${body.balances.map((balance) => `${balance.balance} ${balance.currency}`).join(', ')}`);

    // Issuing at this volume, one request at a time: the gapless number, the RF reference, the posting and the balance
    // movement all go into tables holding the seeded invoices; the first 20 issues warm the server and are not counted.
    const billing = { authorization: `Bearer ${tenant.keys.billing}` };
    const latencies: number[] = [];
    for (const [index, id] of drafts.entries()) {
      const started = performance.now();
      const response = await fetch(`${base}/invoices/${id}/issue`, { method: 'POST', headers: billing });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`POST /invoices/${id}/issue: ${response.status} ${text.slice(0, 300)}`);
      if (index >= 20) latencies.push(performance.now() - started);
    }
    const issue = percentiles(latencies);
    const mean = latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length;
    process.stdout.write(`${'POST /invoices/{id}/issue, one at a time'.padEnd(52)} median ${issue.p50.toFixed(1).padStart(6)} ms   p99 ${issue.p99.toFixed(1).padStart(6)} ms   mean ${mean.toFixed(1)} ms   (${latencies.length} issues after 20 to warm up)\n`);
    figures.push({ label: `invoice issue latency at ${volume} invoices (p50 / p99 of ${latencies.length})`, value: `${issue.p50.toFixed(1)} / ${issue.p99.toFixed(1)} ms`, number: issue.p50 });

    process.stdout.write(`load average at the end: ${os.loadavg()[0]!.toFixed(1)}\n`);
    const reconciliation = await get<{ balanced: boolean; differences: unknown[] }>('/receivables/reconciliation');
    process.stdout.write(`check: GET /receivables/reconciliation (subledger = ledger) ${reconciliation.body.balanced ? 'balanced' : `NOT balanced, ${reconciliation.body.differences.length} differences`} in ${reconciliation.ms.toFixed(0)} ms\n`);
    if (!reconciliation.body.balanced) throw new Error('the seeded ledger does not agree with the open items');
    if (keep) process.stdout.write(`database kept: ${connectionString} (tenant ${tenant.id}, customer ${subject.id})\n`);
    return figures;
  } finally {
    await server?.stop();
    await connection.end();
    if (keep) await database.handle.close();
    else await database.drop();
  }
}

type Query = (text: string) => Promise<Array<Record<string, string>>>;

interface Connection {
  readonly query: Query;
  end(): Promise<void>;
}

/** A connection of the seeding: room to sort and hash in memory (the server keeps the database's settings). */
async function connectSeeder(connectionString: string): Promise<Connection> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query(`set work_mem = '256MB'`);
  await client.query(`set maintenance_work_mem = '1GB'`);
  return { query: async (text) => (await client.query(text)).rows as Array<Record<string, string>>, end: () => client.end() };
}

interface SeedPlan {
  readonly tenantId: string;
  readonly invoices: number;
  readonly customers: number;
  readonly chunk: number;
  readonly jobs: number;
  readonly today: string;
  readonly connect: () => Promise<Connection>;
}

/** A number of a series: the sequence padded to at least `width` digits, never cut (formatNumber's padStart). */
const padded = (expression: string, width: number) => `lpad((${expression})::text, greatest(${width}, length((${expression})::text)), '0')`;
/** A time-ordered UUID (version 7) for an instant, as newId() makes them. */
const uuid7 = (instant: string) => {
  const millis = `lpad(to_hex((extract(epoch from ${instant}) * 1000)::bigint), 12, '0')`;
  // A random (version 4) UUID with its first 48 bits replaced by the milliseconds and its version digit by 7.
  return `(substr(${millis}, 1, 8) || '-' || substr(${millis}, 9, 4) || '-7' || substr(gen_random_uuid()::text, 16))::uuid`;
};
/** A document-currency amount in the base currency at the row's rate (EUR rows have none), rounded half away from zero. */
const inBase = (amount: string) => `case when s.rate is null then ${amount} else round(${amount} * s.rate)::bigint end`;

async function seed(query: Query, plan: SeedPlan): Promise<{ statementCustomer: { id: string; invoices: number; payments: number } }> {
  const { tenantId, invoices, customers, today } = plan;
  const tenant = `'${tenantId}'::uuid`;
  const day = `'${today}'::date`;
  const accounts = Object.fromEntries(
    (await query(`select coalesce(system_key, number) as key, id from accounts where tenant_id = ${tenant} and system_key in ('receivables', 'bank', 'unapplied_cash', 'vat_payable:19')`)).map((row) => [row.key!, `'${row.id}'::uuid`]),
  );
  const revenue = (await query(`select id from accounts where tenant_id = ${tenant} and number = '8400'`))[0]!.id;
  const terms = (await query(`select id from payment_terms where tenant_id = ${tenant} and code = 'NET30'`))[0]!.id;
  const started = performance.now();
  const progress = (what: string) => process.stderr.write(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);

  // Rates to the base currency, valid from before the first invoice.
  await query(`
    insert into exchange_rates (tenant_id, from_currency, to_currency, rate_date, rate, source, updated_by)
    values (${tenant}, 'USD', 'EUR', ${day} - 400, 0.9210, 'manual', '${seededBy}'), (${tenant}, 'GBP', 'EUR', ${day} - 400, 1.1655, 'manual', '${seededBy}')`);
  await query(`create unlogged table bench_rates as select from_currency as currency, rate from exchange_rates where tenant_id = ${tenant}`);

  // Customers: 7 in 10 German (EUR), 2 American (USD), 1 British (GBP).
  await query(`
    create unlogged table bench_customers as
    select k, ${uuid7('now()')} as id, 'C' || ${padded('k', 6)} as number, name, name || suffix as legal_name,
           case when country = 'DE' then 'DE' || (100000000 + k) end as vat_id, country, currency, language,
           street || ' ' || (k % 200 + 1) as line1, postal_code, city
      from (select k,
                   (array['Müller', 'Schröder', 'Weiß', 'Becker', 'Hoffmann', 'Kowalski', 'Åkesson', 'Lumière', 'Great Lakes', 'Thornbury'])[k % 10 + 1]
                     || ' ' || (array['Handel', 'Technik', 'Bau', 'Logistik', 'Elektro', 'Metall', 'Druck'])[k % 7 + 1] || ' ' || k as name,
                   case when k % 10 < 7 then 'DE' when k % 10 < 9 then 'US' else 'GB' end as country,
                   case when k % 10 < 7 then 'EUR' when k % 10 < 9 then 'USD' else 'GBP' end as currency,
                   case when k % 10 < 7 then 'de' else 'en' end as language,
                   case when k % 10 < 7 then ' GmbH' when k % 10 < 9 then ' Inc.' else ' Ltd' end as suffix,
                   case when k % 10 < 7 then 'Hauptstraße' when k % 10 < 9 then 'Main Street' else 'High Street' end as street,
                   case when k % 10 < 7 then lpad((10000 + k % 89999)::text, 5, '0') when k % 10 < 9 then 'IL 60606' else 'EC2R 8EJ' end as postal_code,
                   case when k % 10 < 7 then 'Berlin' when k % 10 < 9 then 'Chicago' else 'London' end as city
              from generate_series(1, ${customers}) k) c`);
  await query('alter table bench_customers add primary key (k)');
  await query(`
    insert into customers (tenant_id, id, number, name, legal_name, vat_id, country_code, currency, language, payment_terms_id)
    select ${tenant}, id, number, name, legal_name, vat_id, country, currency, language, '${terms}' from bench_customers order by k`);
  await query(`
    insert into customer_addresses (tenant_id, id, customer_id, position, kind, name, line1, postal_code, city, country_code, is_default)
    select ${tenant}, gen_random_uuid(), id, position, kind, legal_name, line1, postal_code, city, country, true
      from bench_customers, (values (0, 'billing'), (1, 'shipping')) as address(position, kind)`);
  progress(`${customers} customers`);

  // The invoices, issued in number order over the last 181 days and dealt round the customers in turn; one in ten of each
  // customer's invoices half paid 10 to 24 days after its issue (by today at the latest).
  await query(`
    create unlogged table bench_seed as
    select p.*, 'INV-' || extract(year from issue_date) || '-' || ${padded('invoice_seq', 6)} as number,
           'INV' || extract(year from issue_date) || ${padded('invoice_seq', 6)} as reference_part,
           case when applied is not null then 'PAY-' || extract(year from value_date) || '-' || ${padded('payment_seq', 6)} end as payment_number
      from (select d.*,
                   row_number() over (partition by extract(year from issue_date) order by g) as invoice_seq,
                   case when applied is not null then row_number() over (partition by applied is not null, extract(year from value_date) order by value_date, g) end as payment_seq,
                   ${uuid7('issued_at')} as id, ${uuid7('issued_at')} as entry_id,
                   case when applied is not null then ${uuid7('paid_at')} end as payment_id,
                   case when applied is not null then ${uuid7('paid_at')} end as payment_entry_id,
                   case when applied is not null then ${uuid7('paid_at')} end as application_id,
                   case when applied is not null then ${uuid7('paid_at')} end as application_entry_id
              from (select c.*, net + tax as gross,
                           case when paid then (net + tax) / 2 end as applied,
                           case when paid then (net + tax) / 2 + case when k % 20 = 0 then 1000 else 0 end end as pay_amount,
                           least(issue_date + (10 + g % 15)::int, ${day}) as value_date,
                           least((issue_date + time '08:00' + (g % 36000) * interval '1 second')::timestamptz, now()) as issued_at,
                           least((least(issue_date + (10 + g % 15)::int, ${day}) + time '10:00' + (g % 3600) * interval '1 second')::timestamptz, now()) as paid_at
                      from (select b.g, b.k, (b.g - 1) / ${customers} % 10 = (10 - b.k % 10) % 10 as paid, b.issue_date, b.net, case when cu.currency = 'EUR' then (b.net * 19 + 50) / 100 else 0 end as tax,
                                   cu.id as customer_id, cu.number as customer_number, cu.name as customer_name, cu.legal_name as customer_legal_name, cu.vat_id as customer_vat_id,
                                   cu.line1, cu.postal_code, cu.city, cu.country, cu.currency, r.rate
                              from (select g, ((g - 1) * 7919) % ${customers} + 1 as k,
                                           ${day} - (180 - ((g - 1) * 181 / ${invoices}))::int as issue_date,
                                           (g * 2654435761) % 495001 + 5000 as net
                                      from generate_series(1::bigint, ${invoices}) g) b
                              join bench_customers cu on cu.k = b.k
                              left join bench_rates r on r.currency = cu.currency) c) d) p`);
  await query('alter table bench_seed add primary key (g)');
  // Journal numbers in the order of the entries' dates: issue (1), receipt (2), application (3).
  await query(`
    create unlogged table bench_journal as
    select g, kind, extract(year from day)::int as year, row_number() over (partition by extract(year from day) order by day, g, kind) as seq
      from (select g, 1 as kind, issue_date as day from bench_seed
            union all select g, 2, value_date from bench_seed where applied is not null
            union all select g, 3, value_date from bench_seed where applied is not null) entries`);
  await query('alter table bench_journal add primary key (g, kind)');
  progress('invoice plan');

  const journalNumber = `'JE-' || j.year || '-' || ${padded('j.seq', 6)}`;
  /** One chunk of invoices with everything they brought, in one transaction. */
  const insertChunk = async (run: Query, low: number, high: number): Promise<void> => {
    const range = `s.g > ${low} and s.g <= ${high}`;
    const paid = `${range} and s.applied is not null`;
    await run('begin');
    await run(`
      insert into journal_entries (tenant_id, id, number, kind, business_date, posting_date, description, source_type, source_id, currency, base_currency, exchange_rate, created_by, created_at)
      select ${tenant}, s.entry_id, ${journalNumber}, 'automatic', s.issue_date, s.issue_date, 'Invoice ' || s.number || ' ' || s.customer_name, 'invoice', s.id::text,
             s.currency, 'EUR', coalesce(s.rate, 1), '${seededBy}', s.issued_at
        from bench_seed s join bench_journal j on j.g = s.g and j.kind = 1 where ${range}
      union all
      select ${tenant}, s.payment_entry_id, ${journalNumber}, 'automatic', s.value_date, s.value_date, 'Payment ' || s.payment_number || ' received from ' || s.customer_number || ' (' || s.reference_part || ')', 'payment', s.payment_id::text,
             s.currency, 'EUR', coalesce(s.rate, 1), '${seededBy}', s.paid_at
        from bench_seed s join bench_journal j on j.g = s.g and j.kind = 2 where ${paid}
      union all
      select ${tenant}, s.application_entry_id, ${journalNumber}, 'automatic', s.value_date, s.value_date, 'Payment ' || s.payment_number || ' applied to ' || s.number || ' ' || s.customer_name, 'payment_application', s.application_id::text,
             s.currency, 'EUR', coalesce(s.rate, 1), '${seededBy}', s.paid_at
        from bench_seed s join bench_journal j on j.g = s.g and j.kind = 3 where ${paid}`);
    await run(`
      insert into journal_lines (tenant_id, id, entry_id, line_no, account_id, side, amount_minor, base_amount_minor, customer_id, description)
      select ${tenant}, ${uuid7('s.issued_at')}, s.entry_id, 1, ${accounts.receivables}, 'debit', s.gross, ${inBase('s.gross')}, s.customer_id, s.customer_number || ' ' || s.customer_name from bench_seed s where ${range}
      union all select ${tenant}, ${uuid7('s.issued_at')}, s.entry_id, 2, '${revenue}'::uuid, 'credit', s.net, ${inBase('s.net')}, null, null from bench_seed s where ${range}
      union all select ${tenant}, ${uuid7('s.issued_at')}, s.entry_id, 3, ${accounts['vat_payable:19']}, 'credit', s.tax, s.tax, null, null from bench_seed s where ${range} and s.tax > 0
      union all select ${tenant}, ${uuid7('s.paid_at')}, s.payment_entry_id, 1, ${accounts.bank}, 'debit', s.pay_amount, ${inBase('s.pay_amount')}, null, null from bench_seed s where ${paid}
      union all select ${tenant}, ${uuid7('s.paid_at')}, s.payment_entry_id, 2, ${accounts.unapplied_cash}, 'credit', s.pay_amount, ${inBase('s.pay_amount')}, s.customer_id, null from bench_seed s where ${paid}
      union all select ${tenant}, ${uuid7('s.paid_at')}, s.application_entry_id, 1, ${accounts.unapplied_cash}, 'debit', s.applied, ${inBase('s.applied')}, s.customer_id, null from bench_seed s where ${paid}
      union all select ${tenant}, ${uuid7('s.paid_at')}, s.application_entry_id, 2, ${accounts.receivables}, 'credit', s.applied, ${inBase('s.applied')}, s.customer_id, null from bench_seed s where ${paid}`);
    await run(`
      insert into invoices (tenant_id, id, kind, number, status, origin, sending_status, payment_status, customer_id, customer_number, customer_name, customer_legal_name, customer_vat_id,
        billing_line1, billing_postal_code, billing_city, billing_country_code, deliver_to_name, deliver_to_line1, deliver_to_postal_code, deliver_to_city, deliver_to_country_code,
        currency, base_currency, exchange_rate, tax_base_minor, issue_date, delivery_date, due_date, payment_terms_code, payment_terms_name, payment_terms_net_days, payment_terms_basis,
        payment_reference, buyer_reference, lines_net_minor, taxable_minor, tax_minor, gross_minor, tax_breakdown, open_minor, journal_entry_id, created_by, issued_by, issued_at, version, created_at, updated_at)
      select ${tenant}, s.id, 'invoice', s.number, 'issued', 'automatic', 'sent', case when s.applied is null then 'open' else 'partially_paid' end,
             s.customer_id, s.customer_number, s.customer_name, s.customer_legal_name, s.customer_vat_id,
             s.line1, s.postal_code, s.city, s.country, s.customer_legal_name, s.line1, s.postal_code, s.city, s.country,
             s.currency, 'EUR', s.rate, case when s.rate is not null then 0 end, s.issue_date, s.issue_date, s.issue_date + 30, 'NET30', '30 days net', 30, 'invoice_date',
             'RF' || lpad((98 - ('182331' || substr(s.reference_part, 4) || '271500')::numeric % 97)::text, 2, '0') || s.reference_part, s.customer_number,
             s.net, s.net, s.tax, s.gross,
             jsonb_build_array(case when s.currency = 'EUR'
               then jsonb_build_object('categoryCode', 'S', 'ratePercent', '19', 'exemptionReasonCode', null, 'exemptionReason', null, 'taxableMinor', s.net::text, 'taxMinor', s.tax::text)
               else jsonb_build_object('categoryCode', 'G', 'ratePercent', '0', 'exemptionReasonCode', 'VATEX-EU-G', 'exemptionReason', 'Export outside the EU', 'taxableMinor', s.net::text, 'taxMinor', '0') end),
             s.gross - coalesce(s.applied, 0), s.entry_id, '${seededBy}', '${seededBy}', s.issued_at, 2, s.issued_at, coalesce(s.paid_at, s.issued_at)
        from bench_seed s where ${range} order by s.g`);
    await run(`
      insert into payments (tenant_id, id, number, customer_id, currency, amount_minor, method, value_date, payer_reference, status, applied_minor, unapplied_minor, journal_entry_id, created_by, version, created_at, updated_at)
      select ${tenant}, s.payment_id, s.payment_number, s.customer_id, s.currency, s.pay_amount, 'bank_transfer', s.value_date, i.payment_reference, 'received', s.applied, s.pay_amount - s.applied,
             s.payment_entry_id, '${seededBy}', 2, s.paid_at, s.paid_at
        from bench_seed s join invoices i on i.tenant_id = ${tenant} and i.id = s.id where ${paid}`);
    await run(`
      insert into payment_applications (tenant_id, id, source_type, payment_id, invoice_id, customer_id, invoice_currency, source_currency, amount_minor, source_amount_minor, business_date, journal_entry_id, created_by, created_at)
      select ${tenant}, s.application_id, 'payment', s.payment_id, s.id, s.customer_id, s.currency, s.currency, s.applied, s.applied, s.value_date, s.application_entry_id, '${seededBy}', s.paid_at
        from bench_seed s where ${paid}`);
    await run(`
      insert into invoice_balance_movements (tenant_id, id, invoice_id, customer_id, currency, business_date, amount_minor, kind, source_type, source_id, created_at)
      select ${tenant}, ${uuid7('s.issued_at')}, s.id, s.customer_id, s.currency, s.issue_date, s.gross, 'issued', 'invoice', s.id, s.issued_at from bench_seed s where ${range}
      union all
      select ${tenant}, ${uuid7('s.paid_at')}, s.id, s.customer_id, s.currency, s.value_date, -s.applied, 'applied', 'payment_application', s.application_id, s.paid_at from bench_seed s where ${paid}`);
    // The journal entries' balance triggers run here.
    await run('commit');
  };
  // Chunks run side by side on their own connections (their numbers are fixed by the plan already).
  const ranges = Array.from({ length: Math.ceil(invoices / plan.chunk) }, (_, index) => [index * plan.chunk, Math.min(invoices, (index + 1) * plan.chunk)] as const);
  const workers = await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.jobs, ranges.length)) }, () => plan.connect()));
  try {
    let next = 0;
    let done = 0;
    let failed = false;
    await Promise.all(
      workers.map(async (worker) => {
        while (!failed && next < ranges.length) {
          const [low, high] = ranges[next]!;
          next += 1;
          try {
            await insertChunk(worker.query, low, high);
          } catch (error) {
            failed = true;
            throw error;
          }
          done += high - low;
          progress(`${done} invoices`);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.end()));
  }


  // The counters go on from the seeded numbers; the months the entries fall in are open periods.
  await query(`
    insert into number_series_counters (tenant_id, series, year, last_value)
    select ${tenant}, 'invoice', extract(year from issue_date)::int, max(invoice_seq) from bench_seed group by 3
    union all select ${tenant}, 'payment', extract(year from value_date)::int, max(payment_seq) from bench_seed where applied is not null group by 3
    union all select ${tenant}, 'journal', year, max(seq) from bench_journal group by 3
    union all select ${tenant}, 'customer', 0, ${customers}
    on conflict (tenant_id, series, year) do update set last_value = greatest(number_series_counters.last_value, excluded.last_value)`);
  await query(`
    insert into accounting_periods (tenant_id, year, month, status, changed_by)
    select distinct ${tenant}, extract(year from day)::int, extract(month from day)::int, 'open', 'system'
      from (select issue_date as day from bench_seed union select value_date from bench_seed where applied is not null) days
    on conflict do nothing`);
  // The statement's customer: the one of the first half-paid invoice.
  const subject = (await query(`
    select s.customer_id as id,
           (select count(*) from invoices i where i.tenant_id = ${tenant} and i.customer_id = s.customer_id)::text as invoices,
           (select count(*) from payments p where p.tenant_id = ${tenant} and p.customer_id = s.customer_id)::text as payments
      from bench_seed s where s.applied is not null order by s.g limit 1`))[0]!;
  await query('drop table bench_seed, bench_journal, bench_customers, bench_rates');
  progress('counters and periods');
  return { statementCustomer: { id: subject.id!, invoices: Number(subject.invoices), payments: Number(subject.payments) } };
}
