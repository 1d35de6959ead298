import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { CUSTOMER_PAST, PAYMENT_PAST, PAYMENT_REPORTS } from '../../src/storage/sqlite.ts';
import {
  CUSTOMER_PENDING,
  CUSTOMER_STATE_READ,
  prepareStateStatements,
} from '../../src/storage/sqlite-customer-state.ts';
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
      { version: 4, name: 'quarantine_redriven' },
      { version: 5, name: 'replayed_dead_letters' },
      { version: 6, name: 'payment_past_index' },
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

test('createStore: a file it cannot open is PAYPIPE_ERR_STORE_UNAVAILABLE, saying why', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'a-file'), '');
  const path = join(dir, 'a-file', 'paypipe.db');
  await assert.rejects(createStore(`sqlite:${path}`), (error) => {
    assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_STORE_UNAVAILABLE'), String(error));
    assert.equal(error.message.startsWith(`DATABASE_URL: the store at ${path} cannot open (`), true, error.message);
    assert.match(error.message, /EEXIST/);
    return true;
  });
  // The setting the path came from, when it is not DATABASE_URL itself.
  await assert.rejects(
    createStore(`sqlite:${path}`, 'PAYPIPE_DATA_DIR'),
    /^PaypipeError: PAYPIPE_DATA_DIR: the store at /,
  );
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

/** A store file with every migration, opened plainly, and SQLite's plan of a query on it, step by step. */
async function migratedFile(t: { after(fn: () => unknown): void }) {
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
  return { db, plan };
}

test("a customer's past, and their events pending in their state, are read from the covering index alone", async (t) => {
  const { db, plan } = await migratedFile(t);
  const covering = 'SEARCH payment_events USING COVERING INDEX payment_events_customer_past';
  assert.deepEqual(plan(CUSTOMER_PAST, 'cus_1', '2030-01-01T00:00:00.000Z', 10), [
    `${covering} (customer_id=? AND timestamp<?)`,
  ]);
  assert.deepEqual(plan(CUSTOMER_PENDING, 'cus_1', '2026-01-01T00:00:00.000Z', 10), [
    `${covering} (customer_id=? AND timestamp>?)`,
  ]);
  const coveringJoined = `${covering.replace('payment_events', 'e')} (customer_id=? AND timestamp>?)`;
  assert.ok(plan(prepareStateStatements(db).meta.sourceSQL, 'cus_1').includes(coveringJoined));
  assert.ok(plan(CUSTOMER_STATE_READ, 'cus_1', 1, '2026-01-01T00:00:00.000Z', 10).includes(coveringJoined));
});

test("a payment's past is read in index order and its reports by the index, however many events it has", async (t) => {
  // With an index on payment_id alone, the retry rules sorted every event of the payment for its newest
  // few: 44-46 ms a decision for a payment with 20,000 stored declines, growing with them.
  const { plan } = await migratedFile(t);
  assert.deepEqual(plan(PAYMENT_PAST, 'pi_1', 'stripe', '2030-01-01T00:00:00.000Z', 10), [
    'SEARCH payment_events USING INDEX payment_events_payment_past (payment_id=? AND provider=? AND timestamp<?)',
  ]);
  assert.deepEqual(plan(PAYMENT_REPORTS, 'pi_1', 'stripe'), [
    'SEARCH payment_events USING INDEX payment_events_payment_past (payment_id=? AND provider=?)',
  ]);
});

test('a re-drive SQLite refuses leaves the quarantine row where it was, open', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const { id } = await store.quarantine({
    stage: 'normalizer',
    provider: 'square',
    reasons: [{ code: 'invalid_payload', message: 'no amount' }],
    event: null,
    record: null,
    quarantined_at: '2026-01-01T00:00:05.000Z',
  });
  const other = new DatabaseSync(path);
  other.exec(`CREATE TRIGGER refuse_redrive BEFORE INSERT ON payment_events_quarantine
    WHEN NEW.redriven_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  other.close();
  await assert.rejects(store.markRedriven(id, '2026-01-02T00:00:00.000Z'), /refused by the test/);
  assert.equal(await store.quarantineState(id), 'open');
  assert.equal((await store.counts()).quarantined, 1);
});

test('a save SQLite refuses after its row went in (the customer state failing) leaves no row behind', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const other = new DatabaseSync(path);
  other.exec(`CREATE TRIGGER refuse_state BEFORE INSERT ON customer_state
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  other.close();
  // Refused is what the workflow quarantines (processing_failed): the row must not be stored as well.
  await assert.rejects(store.saveEvent(enrichedEvent()), /refused by the test/);
  assert.equal(await store.locate('stripe:evt_1'), null);
  assert.equal((await store.counts()).events, 0);
});
