/**
 * Hostile requests against the one-process pipeline on a real port: nothing crashes it (it still answers
 * /healthz and acknowledges a genuine webhook afterwards), nothing gets a 5xx other than 503, and garbage
 * that verifies ends as a dead letter or quarantine row with a stable reason, never silently dropped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEAD_LETTER_REASONS, VALIDATION_CODES } from '../../src/contracts/reasons.ts';
import { WEBHOOKS_DLQ } from '../../src/contracts/topics.ts';
import { type E2ePipeline, startE2ePipeline } from '../helpers/e2e-pipeline.ts';
import { head, rawRequest } from '../helpers/raw-http.ts';
import { ADYEN_ITEMS, CORPUS, stripeEvent, stripeSigned } from './hostile-corpus.ts';

const STABLE = new Set<string>([...DEAD_LETTER_REASONS, ...VALIDATION_CODES]);

/** The pipeline still answers and still takes a genuine webhook through to the store. */
async function stillServing(pipeline: E2ePipeline, id: string): Promise<void> {
  const health = await fetch(`${pipeline.url}/healthz`);
  assert.equal(health.status, 200);
  const body = stripeEvent(id);
  const answer = await fetch(`${pipeline.url}/webhooks/stripe`, { method: 'POST', headers: stripeSigned(body), body });
  assert.equal(answer.status, 200, await answer.text());
  await pipeline.observer.drained(30_000);
  assert.ok(pipeline.tables().events.some((event) => event.event_id === `stripe:${id}`));
}

test('hostile bodies: refused at the door, or kept with a stable reason once verified; never a 5xx', async (t) => {
  const pipeline = await startE2ePipeline(t);
  for (const request of CORPUS) {
    const response = await fetch(`${pipeline.url}/webhooks/${request.provider}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const text = await response.text();
    const expected = 'refused' in request.fate ? request.fate.refused : 200;
    assert.equal(response.status, expected, `${request.what}: ${text.slice(0, 200)}`);
  }
  await pipeline.observer.drained(60_000);
  const tables = pipeline.tables();
  const letters = await pipeline.observer.deadLetters(WEBHOOKS_DLQ);
  const lettered = (provider: string, body: Buffer) =>
    letters.filter(
      (letter) => letter.record.provider === provider && Buffer.from(letter.record.body_base64, 'base64').equals(body),
    );
  for (const request of CORPUS) {
    const { fate, what } = request;
    if ('kept' in fate && fate.kept === 'dead_letter') {
      const found = lettered(request.provider, request.body);
      assert.equal(found.length, 1, `${what}: one dead letter`);
      assert.ok(STABLE.has(found[0]?.reason ?? ''), `${what}: ${found[0]?.reason}`);
    }
    if ('kept' in fate && fate.kept === 'quarantine') {
      const found = tables.quarantine.filter((row) => row.body === request.body.toString('utf8'));
      assert.equal(found.length, 1, `${what}: one quarantine row`);
      assert.ok(
        found[0]?.reasons.every((reason) => STABLE.has(reason.code)),
        `${what}: ${JSON.stringify(found[0])}`,
      );
    }
    if ('stored' in fate && request.provider === 'stripe') {
      const id = `stripe:${JSON.parse(request.body.toString('utf8')).id}`;
      assert.equal(tables.events.filter((event) => event.event_id === id).length, 1, what);
    }
  }
  const adyen = tables.events.filter((event) => event.provider === 'adyen' && event.event_id.includes('HOSTILE'));
  assert.equal(new Set(adyen.map((event) => event.event_id)).size, ADYEN_ITEMS);
  await stillServing(pipeline, 'evt_hostile_after_bodies');
});

test('hostile framing over a raw socket: refused or dropped, never a 5xx', async (t) => {
  const pipeline = await startE2ePipeline(t);
  const port = Number(new URL(pipeline.url).port);
  const body = stripeEvent('evt_hostile_raw');
  const signature = stripeSigned(body)['stripe-signature'];
  const path = '/webhooks/stripe';
  const cases = [
    {
      what: 'Content-Length larger than the body, then silence',
      status: 400,
      bytes: `${head(path, ['Content-Length: 5000'])}${body.slice(0, 100)}`,
      end: true,
    },
    {
      what: 'a 64 KiB header',
      status: 431,
      bytes: head(path, [`X-Pad: ${'a'.repeat(65_536)}`, 'Content-Length: 0']),
      end: false,
    },
    {
      what: 'a NUL byte in a header',
      status: 400,
      bytes: head(path, ['Stripe-Signature: t=1,v1=\u0000', 'Content-Length: 0']),
      end: false,
    },
    {
      what: 'two different Content-Lengths',
      status: 400,
      bytes: `${head(path, ['Content-Length: 5', 'Content-Length: 50'])}12345`,
      end: false,
    },
    {
      what: 'Content-Length and chunked together',
      status: 400,
      bytes: `${head(path, ['Content-Length: 4', 'Transfer-Encoding: chunked'])}0\r\n\r\n`,
      end: false,
    },
    {
      what: 'broken chunk sizes',
      status: 400,
      bytes: `${head(path, ['Transfer-Encoding: chunked'])}zz\r\nabc\r\n`,
      end: false,
    },
    {
      what: 'two signature headers',
      status: 401,
      bytes: `${head(path, [`Stripe-Signature: ${signature}`, 'Stripe-Signature: t=1,v1=00', `Content-Length: ${Buffer.byteLength(body)}`])}${body}`,
      end: false,
    },
    { what: 'a request line of garbage', status: 400, bytes: '\u0000\u0001GARBAGE / HTTP/9.9\r\n\r\n', end: false },
  ];
  for (const { what, status, bytes, end } of cases) {
    const answer = await rawRequest(port, bytes, { waitMs: 2_000, end });
    assert.equal(answer.status, status, `${what}: ${answer.text.slice(0, 200)}`);
  }
  await stillServing(pipeline, 'evt_hostile_after_raw');
});

test('slowloris: partial bodies left hanging do not stop the gateway from serving others', async (t) => {
  const pipeline = await startE2ePipeline(t);
  const port = Number(new URL(pipeline.url).port);
  const body = stripeEvent('evt_hostile_slow');
  const partial = `${head('/webhooks/stripe', ['Content-Type: application/json', `Stripe-Signature: ${stripeSigned(body)['stripe-signature']}`, `Content-Length: ${Buffer.byteLength(body)}`])}${body.slice(0, 50)}`;
  // Fifty clients that never finish their body, held open while others are served.
  const hanging = Array.from({ length: 50 }, () => rawRequest(port, partial, { waitMs: 3_000 }));
  await stillServing(pipeline, 'evt_hostile_beside_slowloris');
  const answers = await Promise.all(hanging);
  for (const answer of answers) assert.ok(answer.status === null || answer.status < 500, answer.text);
  assert.equal(
    pipeline.tables().events.some((event) => event.event_id === 'stripe:evt_hostile_slow'),
    false,
  );
});
