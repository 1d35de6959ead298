import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { startServer } from '../../bench/shared/child.ts';
import { BENCH_SECRETS } from '../../bench/shared/config.ts';

/**
 * The gateway benchmark's yardstick (bench/gateway/target.ts `minimal`) must do what the prototype
 * does, or its ratio to bare says nothing: verify (an HMAC of the body) and log durably before answering.
 */
test('the minimal receiver has the body and its HMAC committed when it answers 200', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-minimal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const server = await startServer<{ port: number }>('../gateway/target.ts', ['minimal', dir]);
  t.after(() => server.stop());
  const body = JSON.stringify({ id: 'evt_1', type: 'charge.succeeded' });

  const response = await fetch(`http://127.0.0.1:${server.ready.port}/webhooks/stripe`, { method: 'POST', body });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { received: true });

  // Read by another connection right after the answer: only a committed row is visible to it.
  const db = new DatabaseSync(join(dir, 'minimal.db'), { readOnly: true });
  t.after(() => db.close());
  const rows = db.prepare('SELECT value FROM raw').all();
  assert.equal(rows.length, 1);
  const [head, stored] = Buffer.from(rows[0]?.value as Uint8Array)
    .toString('utf8')
    .split('\n');
  const [receivedAt, digest] = (head ?? '').split(' ');
  assert.ok(!Number.isNaN(Date.parse(receivedAt ?? '')), 'the receive time comes first');
  const expected = createHmac('sha256', BENCH_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS).update(body).digest('hex');
  assert.equal(digest, expected);
  assert.equal(stored, body);
});
