/**
 * The seeded load mix: a realistic order-to-cash day over HTTP, many clients at
 * once — orders with varied lines submitted while they race for scarce stock,
 * holds released or rejected by the credit manager, shipments, invoices, credit
 * notes, payments in part, in full and over, undone applications, refunds and
 * write-offs. Every write carries an Idempotency-Key and is retried with the same
 * key when the answer does not come (a dropped connection, a 5xx while the server
 * or database restarts); every acknowledged write is logged, so a run can prove
 * afterwards that none of them was lost.
 */

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface Request {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly key: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
}

/** Sends one request to the API (over the network, or in-process in tests); throws when no answer came. */
export type Send = (request: Request) => Promise<Answer>;

export type Role = 'sales' | 'credit' | 'warehouse' | 'billing' | 'cashapp' | 'collector' | 'controller';

/** A write the server acknowledged (2xx), and how to find its effect in the database. */
export interface Acknowledged {
  readonly kind: 'order' | 'submit' | 'release' | 'reject' | 'shipment' | 'ship' | 'invoice' | 'issue' | 'credit_note' | 'payment' | 'undo' | 'refund' | 'write_off' | 'write_off_approval';
  readonly id: string;
  readonly idempotencyKey: string;
}

export interface MixOptions {
  readonly send: Send;
  readonly keys: Readonly<Record<Role, string>>;
  readonly seed: number;
  readonly clients: number;
  readonly seconds: number;
  /** EUR customers to order for. */
  readonly customers: readonly string[];
  readonly skus: readonly string[];
  /** Pause between retries of one request (ms). */
  readonly retryPauseMs?: number;
  /** How long a write is retried before it is given up (ms); longer than a restart. */
  readonly retryForMs?: number;
}

export interface MixResult {
  readonly acknowledged: Acknowledged[];
  readonly counts: Record<string, number>;
  /** Writes never answered within the retry time (not acknowledged: the client does not know their outcome). */
  readonly unanswered: number;
  /** 4xx answers by code: the business refusing what the race made impossible (stock gone, invoice paid meanwhile). */
  readonly refusals: Record<string, number>;
  /** 5xx answers that stayed 5xx after every retry, with their bodies. */
  readonly errors: string[];
}

/** mulberry32: a small, fast, seeded generator; the same seed gives the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const minorOf = (text: string): bigint => {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const minor = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return text.startsWith('-') ? -minor : minor;
};
const textOf = (minor: bigint): string => `${minor < 0n ? '-' : ''}${(minor < 0n ? -minor : minor) / 100n}.${((minor < 0n ? -minor : minor) % 100n).toString().padStart(2, '0')}`;

type Body = Record<string, unknown>;

export async function runMix(options: MixOptions): Promise<MixResult> {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T | undefined => (list.length === 0 ? undefined : list[Math.floor(random() * list.length)]);
  const take = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list.splice(Math.floor(random() * list.length), 1)[0]);
  const acknowledged: Acknowledged[] = [];
  const counts: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  const errors: string[] = [];
  let unanswered = 0;
  let sequence = 0;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const retryFor = options.retryForMs ?? 60_000;

  // What the clients know of the world, from the answers they got.
  const approved: string[] = [];
  const shipped: string[] = [];
  const issued: Array<{ id: string; gross: string; lines: string[] }> = [];
  const applications: string[] = [];
  const withUnapplied: string[] = [];

  /** A write with an Idempotency-Key, retried with the same key until it is answered by something other than a 5xx. */
  async function write(kind: Acknowledged['kind'], role: Role, method: 'POST' | 'PUT', path: string, body?: unknown, subject?: string): Promise<Body | undefined> {
    sequence += 1;
    const idempotencyKey = `load-${options.seed}-${sequence}`;
    const started = Date.now();
    for (;;) {
      let answer: Answer | undefined;
      try {
        answer = await options.send({ method, path, key: options.keys[role], body, idempotencyKey });
      } catch {
        answer = undefined;
      }
      if (answer !== undefined && answer.status < 500) {
        if (answer.status >= 300) {
          const code = (answer.body as { code?: string } | null)?.code ?? String(answer.status);
          refusals[`${kind} ${code}`] = (refusals[`${kind} ${code}`] ?? 0) + 1;
          return undefined;
        }
        const result = answer.body as Body;
        acknowledged.push({ kind, id: subject ?? idOf(kind, result), idempotencyKey });
        counts[kind] = (counts[kind] ?? 0) + 1;
        return result;
      }
      if (Date.now() - started > retryFor) {
        if (answer === undefined) unanswered += 1;
        else errors.push(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        return undefined;
      }
      await pause(options.retryPauseMs ?? 250);
    }
  }

  async function read(role: Role, path: string): Promise<Body | undefined> {
    try {
      const answer = await options.send({ method: 'GET', path, key: options.keys[role] });
      return answer.status === 200 ? (answer.body as Body) : undefined;
    } catch {
      return undefined;
    }
  }

  const actions: ReadonlyArray<[number, () => Promise<void>]> = [
    [30, async () => {
      const lines = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({ sku: pick(options.skus)!, quantity: String(1 + Math.floor(random() * 6)) }));
      const order = await write('order', 'sales', 'POST', '/orders', { customerId: pick(options.customers), lines });
      if (order === undefined) return;
      const submitted = await write('submit', 'sales', 'POST', `/orders/${String(order.id)}/submit`);
      if (submitted?.status === 'approved') approved.push(String(order.id));
    }],
    [6, async () => {
      const queue = await read('credit', '/credit-reviews?status=open&limit=20');
      const review = pick(((queue?.items ?? []) as Array<{ id: string; order: { id: string } }>));
      if (review === undefined) return;
      if (random() < 0.8) {
        const released = await write('release', 'credit', 'POST', `/credit-reviews/${review.id}/release`, { reason: 'load: customer confirmed', oneOffIncrease: '1000000.00' });
        if (released !== undefined) approved.push(review.order.id);
      } else {
        await write('reject', 'credit', 'POST', `/credit-reviews/${review.id}/reject`, { reason: 'load: no further credit' });
      }
    }],
    [20, async () => {
      const orderId = take(approved);
      if (orderId === undefined) return;
      const shipment = await write('shipment', 'warehouse', 'POST', '/shipments', { orderId });
      if (shipment === undefined) return;
      const id = String(shipment.id);
      if ((await write('ship', 'warehouse', 'POST', `/shipments/${id}/pick`)) === undefined) return;
      if ((await write('ship', 'warehouse', 'POST', `/shipments/${id}/pack`, { packages: [{ packageType: 'box' }] })) === undefined) return;
      if ((await write('ship', 'warehouse', 'POST', `/shipments/${id}/ship`, { carrier: 'DHL' })) !== undefined) shipped.push(id);
    }],
    [15, async () => {
      const shipmentId = take(shipped);
      if (shipmentId === undefined) return;
      const draft = await write('invoice', 'billing', 'POST', '/invoices', { shipmentIds: [shipmentId] });
      if (draft === undefined) return;
      const invoice = await write('issue', 'billing', 'POST', `/invoices/${String(draft.id)}/issue`);
      if (invoice !== undefined) issued.push({ id: String(invoice.id), gross: String(invoice.gross), lines: ((invoice.lines ?? []) as Array<{ id: string; kind: string }>).filter((line) => line.kind === 'item').map((line) => line.id) });
    }],
    [16, async () => {
      const invoice = pick(issued);
      if (invoice === undefined) return;
      const current = await read('cashapp', `/invoices/${invoice.id}`);
      if (current === undefined) return;
      const open = minorOf(String(current.open ?? '0'));
      if (open <= 0n) {
        issued.splice(issued.indexOf(invoice), 1);
        return;
      }
      const customerId = String((current.customer as { id: string } | undefined)?.id ?? current.customerId);
      const today = String(current.issueDate);
      const roll = random();
      // in part, exactly, or more than is open (the rest stays as unapplied cash)
      const amount = roll < 0.4 ? open / 2n + 1n : roll < 0.75 ? open : open + 1000n;
      const applied = amount > open ? open : amount;
      const payment = await write('payment', 'cashapp', 'POST', '/payments', {
        customerId,
        amount: textOf(amount),
        currency: 'EUR',
        method: 'bank_transfer',
        valueDate: today,
        applications: [{ invoiceId: invoice.id, amount: textOf(applied) }],
      });
      if (payment === undefined) return;
      for (const application of (payment.applications ?? []) as Array<{ id: string }>) applications.push(application.id);
      if (minorOf(String(payment.unapplied ?? '0')) > 0n) withUnapplied.push(String(payment.id));
    }],
    [4, async () => {
      const invoice = take(issued);
      if (invoice === undefined || invoice.lines.length === 0) return;
      await write('credit_note', 'billing', 'POST', `/invoices/${invoice.id}/credit-notes`, { reason: 'load: price reduction', lines: [{ invoiceLineId: pick(invoice.lines), amount: '0.50' }] });
      issued.push(invoice);
    }],
    [3, async () => {
      const application = take(applications);
      if (application !== undefined) await write('undo', 'cashapp', 'POST', `/payment-applications/${application}/undo`, { reason: 'load: applied to the wrong invoice' }, application);
    }],
    [3, async () => {
      const payment = take(withUnapplied);
      if (payment !== undefined) await write('refund', 'cashapp', 'POST', `/payments/${payment}/refunds`, { method: 'bank_transfer', reason: 'load: paid twice' });
    }],
    [3, async () => {
      const invoice = take(issued);
      if (invoice === undefined) return;
      const request = await write('write_off', 'collector', 'POST', '/write-offs', { invoiceId: invoice.id, reason: 'load: customer insolvent' });
      if (request !== undefined) await write('write_off_approval', 'controller', 'POST', `/write-offs/${String(request.id)}/approve`, { note: 'load' });
    }],
  ];
  const total = actions.reduce((sum, [weight]) => sum + weight, 0);
  const chooseAction = () => {
    let roll = random() * total;
    for (const [weight, action] of actions) {
      roll -= weight;
      if (roll < 0) return action;
    }
    return actions[0]![1];
  };

  const deadline = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (Date.now() < deadline) await chooseAction()();
    }),
  );
  return { acknowledged, counts, unanswered, refusals, errors };
}

function idOf(kind: Acknowledged['kind'], body: Body): string {
  // Approving a write-off answers the write-off; releases and rejections answer the review with its order.
  if (kind === 'release' || kind === 'reject') return String((body.review as { id: string }).id);
  return String(body.id);
}
