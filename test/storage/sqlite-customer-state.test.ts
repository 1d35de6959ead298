import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type TestContext, test } from 'node:test';
import { OVERSIZED_STATE, stateAt } from '../../src/inference/features/stored-state.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { createStateReader, FOLD_EVERY } from '../../src/storage/sqlite-customer-state.ts';
import { enrichedEvent } from './events.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();

/** A store on a fresh file, a second connection to look into it, and `cus_1`'s events by day. */
async function fileStore(t: TestContext) {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-state-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const db = new DatabaseSync(path);
  t.after(() => db.close());
  return {
    store,
    db,
    save: (n: number, at = day(n)) =>
      store.saveEvent(enrichedEvent({ event_id: `e${n}`, payment_id: `pi_${n}`, timestamp: at })),
    /** How many events the state read for scoring at day 99 holds. */
    count: async () =>
      stateAt((await store.customerState('cus_1')) ?? assert.fail('no state'), Date.parse(day(99)))?.count,
    row: () => ({ ...db.prepare("SELECT folded_seq, tip_time FROM customer_state WHERE customer_id = 'cus_1'").get() }),
  };
}

test("a customer's state is folded every FOLD_EVERY events; in between, readers fold the pending ones", async (t) => {
  const { save, count, row } = await fileStore(t);
  for (let n = 0; n < FOLD_EVERY + 3; n++) {
    await save(n);
    assert.equal(await count(), n + 1, `after ${n + 1} events`);
  }
  assert.deepEqual(row(), { folded_seq: FOLD_EVERY + 1, tip_time: day(FOLD_EVERY) });
  // An event older than the state's newest folds the whole past again.
  await save(FOLD_EVERY + 3, day(1));
  assert.deepEqual(row(), { folded_seq: FOLD_EVERY + 4, tip_time: day(FOLD_EVERY + 2) });
  assert.equal(await count(), FOLD_EVERY + 4);
});

test("a customer's missing or unreadable state is rebuilt from their stored events", async (t) => {
  const { store, db, save, count } = await fileStore(t);
  await save(1);
  await save(2);
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
  const { store, db, save, row } = await fileStore(t);
  await save(0);
  db.prepare("UPDATE customer_state SET state = ? WHERE customer_id = 'cus_1'").run(OVERSIZED_STATE);
  for (let n = 1; n <= FOLD_EVERY + 1; n++) await save(n);
  assert.deepEqual(row(), { folded_seq: FOLD_EVERY + 1, tip_time: day(FOLD_EVERY) });
  assert.equal(
    db.prepare("SELECT state FROM customer_state WHERE customer_id = 'cus_1'").get()?.state,
    OVERSIZED_STATE,
  );
  assert.equal(await store.customerState('cus_1'), undefined, 'scores read the past');
});

test("a state read for scoring is the caller's to consume: the next read is as stored", async (t) => {
  const { store, save } = await fileStore(t);
  await save(1);
  await save(2);
  const read = async () => (await store.customerState('cus_1')) ?? assert.fail('no state');
  const first = await read();
  assert.equal(stateAt(first, Date.parse(day(99)))?.count, 2);
  const second = await read();
  assert.deepEqual([second.base.count, second.tip.length], [1, 1], 'the tip is not folded into the base yet');
});

test('a state rewritten by another connection is read again, though its time and length are unchanged', async (t) => {
  const { db, save, count } = await fileStore(t);
  await save(1);
  assert.equal(await count(), 1);
  // As a fold by the writer's connection moves it: a later folded_seq (here with a text of the same length).
  db.prepare(
    `UPDATE customer_state SET folded_seq = folded_seq + 1, state = replace(state, '"count":0', '"count":5')
     WHERE customer_id = 'cus_1'`,
  ).run();
  assert.equal(await count(), 6);
});

test('parsed states are kept for the customers read last, as many as their texts fit the budget', async (t) => {
  const { store, db, save } = await fileStore(t);
  await save(1);
  await store.saveEvent(enrichedEvent({ event_id: 'other', customer_id: 'cus_2', timestamp: day(1) }));
  // An edit no store write makes: the same folded_seq, tip_time and length, a text that does not parse.
  const damage = () =>
    db.prepare("UPDATE customer_state SET state = 'x' || substr(state, 2) WHERE customer_id = 'cus_1'").run();
  const restore = () =>
    db.prepare("UPDATE customer_state SET state = '{' || substr(state, 2) WHERE customer_id = 'cus_1'").run();
  const both = Number(db.prepare('SELECT sum(octet_length(state)) AS bytes FROM customer_state').get()?.bytes);
  for (const [budget, kept] of [
    [both, true],
    [both - 1, false],
  ] as const) {
    const read = createStateReader(db, budget);
    read('cus_1');
    read('cus_2');
    damage();
    assert.equal(read('cus_1') !== undefined, kept, `budget ${budget} bytes`);
    restore();
  }
});
