/**
 * The pipeline benchmark's yardstick: issue 3 sets its 3,000 events/s goal because "a 100-line
 * single-process prototype with naive scoring stored about 7,000/s here". This is such a prototype, so the
 * claim is measured on this machine, in the same run, with the same sender: each webhook verified (one
 * HMAC-SHA256 of the body), its payment fields read naively (the paths of the simulator's payloads, no
 * validation), scored by a formula over an in-memory tally of the customer, and its row group-committed to
 * SQLite (WAL, synchronous=FULL) on a writer thread, answered after the COMMIT. What paypipe does beyond
 * it — the four providers' real schemes, the raw log, normalizers and their validation, workflows with
 * retries and business rules, models fed by the customer's stored history, quarantine — is what paypipe's
 * distance to it costs.
 * Usage: pipeline.ts DATA_DIR — prints {"url": "..."} once listening; on SIGTERM {"cpuMs": {thread: ms}}.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { join } from 'node:path';
import { cpuSince, sampleThreads } from '../pipeline/threads.ts';
import { stopSignal } from '../shared/child.ts';
import { BENCH_SECRETS } from '../shared/config.ts';
import { listen, startCommitter } from './receiver.ts';

/** What the naive reading finds; the JSON providers' fields are whatever the payload holds there. */
interface Payment {
  readonly type: string | undefined;
  readonly amount: number;
  readonly currency: string | undefined;
  readonly customer: string | undefined;
}

/** The payment fields where the simulator's payloads keep them; whatever is missing is left empty. */
function naivePayment(provider: string, body: Buffer): Payment {
  if (provider === 'braintree') {
    const xml = Buffer.from(new URLSearchParams(body.toString()).get('bt_payload') ?? '', 'base64').toString();
    const tag = (name: string) => new RegExp(`<${name}[^>]*>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
    const amount = Math.round(Number(tag('amount')) * 100) || 0;
    const customer = /<customer>\s*<id>([^<]*)<\/id>/.exec(xml)?.[1] ?? '';
    return { type: tag('kind'), amount, currency: tag('currency-iso-code'), customer };
  }
  const json = JSON.parse(body.toString());
  if (provider === 'stripe') {
    const object = json.data?.object ?? {};
    return { type: json.type, amount: object.amount ?? 0, currency: object.currency, customer: object.customer };
  }
  if (provider === 'square') {
    const object = json.data?.object?.payment ?? json.data?.object?.refund ?? {};
    const money = object.amount_money ?? {};
    return { type: json.type, amount: money.amount ?? 0, currency: money.currency, customer: object.customer_id };
  }
  const item = json.notificationItems?.[0]?.NotificationRequestItem ?? {};
  const customer = item.additionalData?.shopperReference;
  return { type: item.eventCode, amount: item.amount?.value ?? 0, currency: item.amount?.currency, customer };
}

/** Naive fraud: the amount against the customer's mean so far, and how many payments came before. */
function naiveScorer() {
  const seen = new Map<string | undefined, { count: number; total: number }>();
  return (payment: Payment): number => {
    const tally = seen.get(payment.customer) ?? { count: 0, total: 0 };
    const mean = tally.count > 0 ? tally.total / tally.count : payment.amount;
    tally.count += 1;
    tally.total += payment.amount;
    seen.set(payment.customer, tally);
    return 1 / (1 + Math.exp(-(payment.amount / Math.max(1, mean) - 2 - Math.min(tally.count, 10) / 5)));
  };
}

const [dataDir = '.paypipe/bench'] = process.argv.slice(2);
const key = createSecretKey(Buffer.from(BENCH_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS));
const score = naiveScorer();
// The tables and columns the pipeline benchmark reads (bench/pipeline/stored.ts), stored_at set by SQLite.
const committer = startCommitter({
  path: join(dataDir, 'paypipe.db'),
  schema: `CREATE TABLE IF NOT EXISTS payment_events (event_id TEXT PRIMARY KEY, provider TEXT NOT NULL,
      event_type TEXT, amount_cents INTEGER, currency TEXT, customer_id TEXT, fraud_score REAL NOT NULL,
      received_at TEXT NOT NULL, stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
    CREATE TABLE IF NOT EXISTS payment_events_quarantine (stored_at TEXT NOT NULL)`,
  insert: `INSERT OR IGNORE INTO payment_events (event_id, provider, event_type, amount_cents, currency,
      customer_id, fraud_score, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
});
const server = await listen((body, request, response) => {
  const receivedAt = new Date().toISOString();
  // The digest is the event's id: a redelivery (the same bytes) is stored once.
  const digest = createHmac('sha256', key).update(body).digest('hex');
  const provider = request.url?.split('/')[2] ?? '';
  let payment: Payment;
  try {
    payment = naivePayment(provider, body);
  } catch {
    response.writeHead(400).end();
    return;
  }
  const { type, amount, currency, customer } = payment;
  const row = [digest, provider, type ?? null, amount, currency ?? null, customer ?? null, score(payment), receivedAt];
  committer.write([row], (error) => response.writeHead(error ? 503 : 200).end());
});
const ready = sampleThreads();
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.port}` })}\n`);
await stopSignal();
process.stdout.write(`${JSON.stringify({ cpuMs: cpuSince(ready) })}\n`);
await server.close();
await committer.close();
