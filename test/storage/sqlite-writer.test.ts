/** The store's group commit: concurrent writes share one transaction, and each resolves only once committed. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { eventToRow } from '../../src/storage/rows.ts';
import { openSqliteStore } from '../../src/storage/sqlite.ts';
import type { StoreWriteOp, StoreWriteResult } from '../../src/storage/sqlite-write.ts';
import { createStoreWriter } from '../../src/storage/sqlite-writer.ts';
import { enrichedEvent } from './events.ts';

async function storeFile(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-store-writer-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'paypipe.db');
}

const op = (id: string): StoreWriteOp => ({ kind: 'event', row: eventToRow(enrichedEvent({ event_id: id })) });

test('writes queued in one turn go to the backend as one batch, and resolve only after it returns', async () => {
  const batches: number[] = [];
  let commit: (results: StoreWriteResult[]) => void = () => {};
  const writer = createStoreWriter({
    backend: {
      write: (ops) => {
        batches.push(ops.length);
        return new Promise((resolve) => {
          commit = resolve;
        });
      },
      close: async () => {},
    },
  });
  let resolved = 0;
  const writes = Array.from({ length: 100 }, (_, i) => writer.write(op(`e${i}`)).then(() => resolved++));
  // The flush was scheduled by the first write; an immediate queued now runs after it (FIFO), whatever the load.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [100]);
  assert.equal(resolved, 0, 'nothing resolves before the COMMIT returned');
  commit(Array.from({ length: 100 }, (_, i) => (i === 7 ? { error: { message: 'refused' } } : { duplicate: false })));
  const settled = await Promise.allSettled(writes);
  assert.equal(settled.filter((result) => result.status === 'rejected').length, 1, 'only the refused write fails');
  await writer.close();
});

test('on a file, concurrent saves share a commit; duplicates in one batch and refused rows are told apart', async (t) => {
  const path = await storeFile(t);
  const store = openSqliteStore(path);
  t.after(() => store.close());
  const results = await Promise.allSettled([
    store.saveEvent(enrichedEvent({ event_id: 'a' })),
    store.saveEvent(enrichedEvent({ event_id: 'a', amount_cents: 5 })),
    store.saveEvent(enrichedEvent({ event_id: 'bad', amount_cents: -1 })),
    store.saveEvent(enrichedEvent({ event_id: 'b' })),
  ]);
  assert.deepEqual(
    results.map((result) => (result.status === 'fulfilled' ? result.value : 'refused')),
    [{ duplicate: false }, { duplicate: true }, 'refused', { duplicate: false }],
  );
  // Resolved means committed: another connection sees the rows at once.
  const other = new DatabaseSync(path, { readOnly: true });
  t.after(() => other.close());
  const ids = other.prepare('SELECT event_id, amount_cents FROM payment_events ORDER BY event_id').all();
  assert.deepEqual(
    ids.map((row) => [row.event_id, row.amount_cents]),
    [
      ['a', 1000],
      ['b', 1000],
    ],
  );
});

test('a customer history read after a save of that customer sees the saved event', async (t) => {
  const store = openSqliteStore(await storeFile(t));
  t.after(() => store.close());
  const before = '2030-01-01T00:00:00.000Z';
  await store.saveEvent(enrichedEvent({ event_id: 'h1' }));
  assert.equal((await store.customerHistory('cus_1', before, 10)).length, 1);
  await store.saveEvent(enrichedEvent({ event_id: 'h2' }));
  assert.deepEqual((await store.customerHistory('cus_1', before, 10)).map((event) => event.event_id).sort(), [
    'h1',
    'h2',
  ]);
});

test('saves after close are refused; saves before it are kept', async (t) => {
  const path = await storeFile(t);
  const store = openSqliteStore(path);
  const pending = store.saveEvent(enrichedEvent({ event_id: 'kept' }));
  await store.close();
  assert.deepEqual(await pending, { duplicate: false });
  await assert.rejects(store.saveEvent(enrichedEvent({ event_id: 'late' })));
  const again = openSqliteStore(path);
  t.after(() => again.close());
  assert.equal(await again.locate('kept'), 'payment_events');
  assert.equal(await again.locate('late'), null);
});
