import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { startServer } from '../../bench/shared/child.ts';
import { benchConfig } from '../../bench/shared/config.ts';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { createSigners, prepareRequest } from '../../src/simulator/requests.ts';
import { plannedDeliveries } from '../../src/simulator/simulate.ts';

/**
 * The pipeline benchmark's yardstick (bench/minimal/pipeline.ts) stands for the prototype only if it
 * does that prototype's work on the benchmark's own webhooks: read each payment's fields and store a scored
 * row before answering. Were its naive reading to miss the fields, it would do less than the prototype and
 * its events/s would flatter it.
 */
test('the minimal prototype stores each webhook with its amount and currency read, before answering 200', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-minimal-pipeline-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const server = await startServer<{ url: string }>('../minimal/pipeline.ts', [dir]);
  t.after(() => server.stop());
  const providers = benchConfig(dir).providers;
  const signers = createSigners(providers);
  const registry = createProviderRegistry(providers);
  const now = new Date();
  const deliveries = plannedDeliveries({
    seed: 5,
    providers: PROVIDERS,
    rate: 100,
    count: 200,
    startAt: new Date(now.getTime() - 120_000),
    redeliveryRate: 0,
    outOfOrderRate: 0,
    forgeryRate: 0,
  });
  // The writer thread creates the file with its first batch: it is opened once the first answer has come.
  let db: DatabaseSync | undefined;
  t.after(() => db?.close());
  const rows = () => {
    db ??= new DatabaseSync(join(dir, 'paypipe.db'), { readOnly: true });
    return db.prepare('SELECT * FROM payment_events ORDER BY rowid').all();
  };
  let stored = 0;
  const checked = new Set<string>();

  for (const planned of deliveries) {
    const request = prepareRequest(signers, planned, now);
    const result = registry[planned.provider].normalize({
      id: 'test',
      provider: planned.provider,
      received_at: now.toISOString(),
      headers: request.headers,
      body: Buffer.from(request.body),
    });
    const expected = result.kind === 'events' ? result.events[0] : undefined;
    if (expected === undefined || expected.amount_cents === 0) continue;
    const response = await fetch(new URL(request.path, server.ready.url), {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(response.status, 200);
    // Read by another connection once answered: only a committed row is visible to it.
    const table = rows();
    assert.equal(table.length, stored + 1, `${planned.provider} ${planned.name}: stored when answered`);
    stored = table.length;
    const row = table.at(-1) as Record<string, unknown>;
    assert.equal(row.provider, planned.provider);
    assert.equal(row.amount_cents, expected.amount_cents, `${planned.provider} ${planned.name}: the amount`);
    assert.equal(String(row.currency).toUpperCase(), expected.currency, `${planned.provider} ${planned.name}`);
    assert.ok(typeof row.fraud_score === 'number' && row.fraud_score > 0 && row.fraud_score < 1);
    checked.add(planned.provider);
  }
  assert.deepEqual([...checked].sort(), [...PROVIDERS].sort(), 'every provider was checked');
});
