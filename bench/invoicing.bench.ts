import { sql } from 'kysely';
import { documentOf } from '../src/modules/invoicing/document-of';
import { renderInvoicePdf } from '../src/modules/invoicing/documents/invoice.pdf';
import { checkDocument } from '../src/modules/invoicing/sending.service';
import { createTestTenant } from '../test/support/app';
import { createTestDatabase } from '../test/support/database';
import { loadDemoRecords } from '../test/support/demo-data';
import { prepareDrafts } from './drafts';
import { closedLoop, describeMachine, option, printResult, startServer, type Figure, type LoadResult } from './http-load';

/**
 * Invoicing: `npm run bench invoicing -- --clients 8 --seconds 15 --drafts 4000`.
 *
 * 1. Issuing over HTTP on PostgreSQL: drafts of 10 lines are prepared (one through
 *    the API's service, the rest copied from it with SQL), then each client issues
 *    the next draft (POST /invoices/{id}/issue: gapless number, terms, RF
 *    reference, the posting), so every issue of the tenant queues on the invoice
 *    and journal number counters — the figure is that serialised rate.
 * 2. Documents in process: the PDF of a 10-line invoice, and the send check (UBL
 *    rendered, validated against the UBL 2.1 schema, EN 16931 rules).
 * Prints issues per second with p50/p99, and milliseconds per document.
 */
export async function run(args: string[]): Promise<Figure[]> {
  const clients = option(args, 'clients', 8);
  const seconds = option(args, 'seconds', 15);
  const drafts = option(args, 'drafts', 4000);
  const port = option(args, 'port', 3937);
  const database = await createTestDatabase({ kind: 'postgres' });
  const db = database.handle.db;
  try {
    const tenant = await createTestTenant(database.handle, 'bench');
    await loadDemoRecords(database.handle, tenant.id);
    const { drafts: queue } = await prepareDrafts(database.handle, tenant.id, 'Müller Elektrotechnik', drafts);
    process.stdout.write(`${await describeMachine(db, 'postgres')}\n`);
    process.stdout.write(`o2c invoicing benchmark: ${clients} clients, ${seconds} s, invoices of 10 lines, ${queue.length} drafts ready\n`);
    const server = await startServer({ DATABASE_URL: database.connectionString!, O2C_DB_POOL_SIZE: String(clients + 4) }, port);
    let next = 0;
    let issued: LoadResult;
    try {
      const headers = { authorization: `Bearer ${tenant.keys.billing}` };
      issued = await closedLoop(clients, seconds, async () => {
        const id = queue[next];
        next += 1;
        if (id === undefined) throw new Error(`the ${queue.length} drafts ran out before ${seconds} s; raise --drafts`);
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/invoices/${id}/issue`, { method: 'POST', headers });
        await response.arrayBuffer();
        return response.status === 200;
      });
    } finally {
      await server.stop();
    }
    printResult('API: POST /invoices/{id}/issue (10 lines)', issued, 'issues/s');
    const numbers = await sql<{ count: string; first: string; last: string }>`
      select count(*) as count, min(number) as first, max(number) as last from invoices where tenant_id = ${tenant.id} and kind = 'invoice' and status = 'issued'`.execute(db);
    process.stdout.write(`issued ${numbers.rows[0]!.count} invoices, ${numbers.rows[0]!.first} … ${numbers.rows[0]!.last}\n`);

    const document = await documentOf(db, tenant.id, queue[0]!);
    const pdfMs = await timeEach(40, () => renderInvoicePdf(document));
    const checkMs = await timeEach(20, () => checkDocument(document));
    process.stdout.write(`PDF of a 10-line invoice: ${pdfMs.toFixed(1)} ms each (median of 40)\n`);
    process.stdout.write(`send check (UBL + XSD + EN 16931): ${checkMs.toFixed(1)} ms each (median of 20)\n`);
    return [
      { label: `invoice issue, ${clients} clients (issues/s, p50 / p99)`, value: `${issued.perSecond.toFixed(0)} (${issued.p50Ms.toFixed(0)} / ${issued.p99Ms.toFixed(0)} ms)` },
      { label: 'PDF of a 10-line invoice (median)', value: `${pdfMs.toFixed(1)} ms` },
      { label: 'send check: UBL + XSD + EN 16931 (median)', value: `${checkMs.toFixed(1)} ms` },
    ];
  } finally {
    await database.drop();
  }
}

async function timeEach(times: number, work: () => Promise<unknown>): Promise<number> {
  const durations: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)]!;
}
