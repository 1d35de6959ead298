import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { OVERSIZED_STATE, stateAt } from '../../src/inference/features/stored-state.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { CUSTOMER_PAST } from '../../src/storage/sqlite.ts';
import { CUSTOMER_PENDING, FOLD_EVERY, prepareStateStatements } from '../../src/storage/sqlite-customer-state.ts';
import { storeContract } from './contract.ts';
import { enrichedEvent } from './events.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'paypipe-store-'));
}

storeContract('sqlite', async () => {
  const dir = await tempDir();
  return {
    open: () => createStore(`sqlite:${join(dir, 'paypipe.db')}`),
    destroy: () => rm(dir, { recursive: true, force: true }),
  };
});

test('the SQLite file runs in WAL mode with synchronous FULL, and migrations apply once', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'nested', 'paypipe.db');
  await (await createStore(`sqlite:${path}`)).close();
  await (await createStore(`sqlite:${path}`)).close();
  const db = new DatabaseSync(path);
  t.after(() => db.close());
  assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  assert.deepEqual(
    db
      .prepare('SELECT version, name FROM paypipe_schema_migrations')
      .all()
      .map((row) => ({ ...row })),
    [
      { version: 1, name: 'init' },
      { version: 2, name: 'customer_past_index' },
      { version: 3, name: 'customer_state' },
    ],
  );
});

test('sqlite::memory: gives a working private store', async () => {
  const store = await createStore('sqlite::memory:');
  assert.deepEqual(await store.saveEvent(enrichedEvent()), { duplicate: false });
  assert.equal(await store.locate('stripe:evt_1'), 'payment_events');
  await store.close();
  await store.close();
});

test('createStore rejects unknown schemes and an empty path, without echoing the URL', async () => {
  for (const url of ['mysql://u:secret@h/db', 'postgres:u:secret@h/db', 'sqlite:']) {
    await assert.rejects(createStore(url), (error) => {
      assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_CONFIG'));
      assert.ok(!error.message.includes('secret'));
      return true;
    });
  }
});

test('ingested_seq only grows, even past deleted rows, so the lakehouse can read incrementally', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const seqs = () => {
    const db = new DatabaseSync(path);
    try {
      return db.prepare('SELECT event_id, ingested_seq AS seq FROM payment_events ORDER BY seq').all();
    } finally {
      db.close();
    }
  };
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  for (const id of ['z', 'a']) await store.saveEvent(enrichedEvent({ event_id: id }));
  const before = seqs();
  assert.deepEqual(
    before.map((row) => row.event_id),
    ['z', 'a'],
  );
  const db = new DatabaseSync(path);
  db.prepare('DELETE FROM payment_events WHERE event_id = ?').run('a');
  db.close();
  await store.saveEvent(enrichedEvent({ event_id: 'm' }));
  const last = seqs().at(-1);
  assert.equal(last?.event_id, 'm');
  assert.ok(Number(last?.seq) > Number(before.at(-1)?.seq), 'a deleted value is never handed out again');
});

test("a customer's past, and their events pending in their state, are read from the covering index alone", async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  await (await createStore(`sqlite:${path}`)).close();
  const db = new DatabaseSync(path);
  t.after(() => db.close());
  const plan = (sql: string, ...values: (string | number)[]) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...values)
      .map((row) => String(row.detail));
  const covering = 'SEARCH payment_events USING COVERING INDEX payment_events_customer_past';
  assert.deepEqual(plan(CUSTOMER_PAST, 'cus_1', '2030-01-01T00:00:00.000Z', 10), [
    `${covering} (customer_id=? AND timestamp<?)`,
  ]);
  assert.deepEqual(plan(CUSTOMER_PENDING, 'cus_1', '2026-01-01T00:00:00.000Z', 10), [
    `${covering} (customer_id=? AND timestamp>?)`,
  ]);
  const writerCount = prepareStateStatements(db).meta.sourceSQL;
  assert.ok(
    plan(writerCount, 'cus_1').includes(`${covering.replace('payment_events', 'e')} (customer_id=? AND timestamp>?)`),
  );
});

test("a customer's state is folded every FOLD_EVERY events; in between, readers fold the pending ones", async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const db = new DatabaseSync(path);
  t.after(() => db.close());
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
  const row = () => db.prepare("SELECT folded_seq, tip_time FROM customer_state WHERE customer_id = 'cus_1'").get();
  const count = async () =>
    stateAt((await store.customerState('cus_1')) ?? assert.fail('no state'), Date.parse(day(99)))?.count;
  for (let n = 0; n < FOLD_EVERY + 3; n++) {
    await store.saveEvent(enrichedEvent({ event_id: `e${n}`, payment_id: `pi_${n}`, timestamp: day(n) }));
    assert.equal(await count(), n + 1, `after ${n + 1} events`);
  }
  assert.deepEqual({ ...row() }, { folded_seq: FOLD_EVERY + 1, tip_time: day(FOLD_EVERY) });
  // An event older than the state's newest folds the whole past again.
  await store.saveEvent(enrichedEvent({ event_id: 'late', payment_id: 'pi_late', timestamp: day(1) }));
  assert.deepEqual({ ...row() }, { folded_seq: FOLD_EVERY + 4, tip_time: day(FOLD_EVERY + 2) });
  assert.equal(await count(), FOLD_EVERY + 4);
});

test("a customer's missing or unreadable state is rebuilt from their stored events", async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
  const save = (n: number) =>
    store.saveEvent(enrichedEvent({ event_id: `e${n}`, payment_id: `pi_${n}`, timestamp: at(n) }));
  await save(1);
  await save(2);
  const db = new DatabaseSync(path);
  t.after(() => db.close());
  const count = async () =>
    stateAt((await store.customerState('cus_1')) ?? assert.fail('no state'), Date.parse(at(99)))?.count;
  db.prepare("UPDATE customer_state SET state = NULL, tip_time = NULL WHERE customer_id = 'cus_1'").run();
  assert.equal(await store.customerState('cus_1'), undefined, 'no state: scores read the past');
  await save(3);
  assert.equal(await count(), 3, 'rebuilt at the next event');
  db.prepare(`UPDATE customer_state SET state = '{"v":1,' WHERE customer_id = 'cus_1'`).run();
  assert.equal(await store.customerState('cus_1'), undefined, 'an unreadable state is not read');
  for (let n = 4; n < 4 + FOLD_EVERY; n++) await save(n);
  assert.equal(await count(), 3 + FOLD_EVERY, 'rebuilt at the next fold');
});

test('no state is kept for a customer whose state was too long: it is not rebuilt, only moved on', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
  const save = (n: number) =>
    store.saveEvent(enrichedEvent({ event_id: `e${n}`, payment_id: `pi_${n}`, timestamp: day(n) }));
  await save(0);
  const db = new DatabaseSync(path);
  t.after(() => db.close());
  db.prepare("UPDATE customer_state SET state = ? WHERE customer_id = 'cus_1'").run(OVERSIZED_STATE);
  for (let n = 1; n <= FOLD_EVERY + 1; n++) await save(n);
  const row = db.prepare("SELECT state, folded_seq, tip_time FROM customer_state WHERE customer_id = 'cus_1'").get();
  assert.deepEqual({ ...row }, { state: OVERSIZED_STATE, folded_seq: FOLD_EVERY + 1, tip_time: day(FOLD_EVERY) });
  assert.equal(await store.customerState('cus_1'), undefined, 'scores read the past');
});
