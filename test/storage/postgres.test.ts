/**
 * The store contract on a real PostgreSQL. TEST_POSTGRES_URL names a server and a database this test may
 * create databases from (e.g. postgres://postgres@127.0.0.1:5432/postgres); each test gets its own
 * database, dropped afterwards. Without it the suite is skipped and says so.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect as connectTcp, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import pg from 'pg';
import { computeFeatures, featuresFromState } from '../../src/inference/features/features.ts';
import { stateAt } from '../../src/inference/features/stored-state.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { loadMigrations, MIGRATIONS_TABLE } from '../../src/storage/migrate.ts';
import { openPostgresStore } from '../../src/storage/postgres.ts';
import { storeContract } from './contract.ts';
import { enrichedEvent } from './events.ts';

const ADMIN_URL = process.env.TEST_POSTGRES_URL;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the test server: its URL, and how to drop it. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `paypipe_test_${randomUUID().replaceAll('-', '')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL ?? '');
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin((client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`)).then() };
}

if (ADMIN_URL === undefined) {
  test('PostgreSQL store contract', { skip: 'TEST_POSTGRES_URL is not set' }, () => {});
} else {
  storeContract('postgres', async () => {
    const database = await freshDatabase();
    return { open: () => createStore(database.url), destroy: database.drop };
  });

  test('PostgreSQL: migrations apply once even when two stores open at the same time', async (t) => {
    const database = await freshDatabase();
    t.after(database.drop);
    const stores = await Promise.all([createStore(database.url), createStore(database.url)]);
    await Promise.all(stores.map((store) => store.close()));
    const versions = await new Promise<unknown[]>((resolve, reject) => {
      const client = new pg.Client({ connectionString: database.url });
      client
        .connect()
        .then(() => client.query('SELECT version FROM paypipe_schema_migrations'))
        .then((result) => resolve(result.rows.map((row) => row.version)))
        .catch(reject)
        .finally(() => client.end());
    });
    assert.deepEqual(
      versions.map(Number),
      loadMigrations('postgres').map((m) => m.version),
    );
  });

  test("PostgreSQL: two processes' overlapping batches store each event once and fold it once, without deadlock", async (t) => {
    const database = await freshDatabase();
    const stores = [await createStore(database.url), await createStore(database.url)];
    t.after(async () => {
      for (const store of stores) await store.close();
      await database.drop();
    });
    const events = Array.from({ length: 60 }, (_, i) =>
      enrichedEvent({
        event_id: `e${String(i).padStart(2, '0')}`,
        payment_id: `pi_${i}`,
        customer_id: `cus_${i % 4}`,
        timestamp: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
      }),
    );
    // Each store writes every event in one batch, in opposite orders: their locks would cross if taken so.
    const [ahead, behind] = await Promise.all([
      Promise.all(events.map((event) => stores[0]?.saveEvent(event))),
      Promise.all([...events].reverse().map((event) => stores[1]?.saveEvent(event))),
    ]);
    const firsts = events.map((_, i) => [ahead[i]?.duplicate, behind[events.length - 1 - i]?.duplicate]);
    assert.ok(
      firsts.every((pair) => pair.filter((duplicate) => duplicate === false).length === 1),
      'each event stored by exactly one of the two',
    );
    assert.equal((await stores[0]?.counts())?.events, events.length);
    const now = Date.parse('2026-02-01T00:00:00.000Z');
    for (let customer = 0; customer < 4; customer += 1) {
      const id = `cus_${customer}`;
      const next = enrichedEvent({ event_id: 'next', customer_id: id, timestamp: '2026-02-01T00:00:00.000Z' });
      const state = stateAt((await stores[0]?.customerState(id)) ?? assert.fail(`no state for ${id}`), now);
      const past = events.filter((event) => event.customer_id === id);
      assert.deepEqual(featuresFromState(next, state ?? assert.fail('no state'), now), computeFeatures(next, past), id);
    }
  });

  test('PostgreSQL: timestamps come back as the ISO text they went in as', async (t) => {
    const database = await freshDatabase();
    const store = await createStore(database.url);
    t.after(async () => {
      await store.close();
      await database.drop();
    });
    const event = enrichedEvent({ retry_at: '2026-01-05T10:20:30.456Z', retry_strategy: 'delayed' });
    await store.saveEvent(event);
    assert.deepEqual(await store.paymentHistory('stripe', 'pi_1', '2030-01-01T00:00:00Z', 5), [event]);
  });

  test('PostgreSQL: an id too long for its index is refused, not retried for ever', async (t) => {
    const database = await freshDatabase();
    const store = await createStore(database.url);
    t.after(async () => {
      await store.close();
      await database.drop();
    });
    // Over btree's 2,704-byte limit even compressed (SQLSTATE 54000): the same row fails on every retry.
    const long = randomBytes(4000).toString('base64');
    for (const event of [
      enrichedEvent({ event_id: 'long_payment', payment_id: long }),
      enrichedEvent({ event_id: 'long_customer', customer_id: long }),
    ]) {
      await assert.rejects(store.saveEvent(event), { code: 'PAYPIPE_ERR_STORE_REFUSED', retryable: false });
    }
    assert.deepEqual(await store.saveEvent(enrichedEvent({ event_id: 'ok' })), { duplicate: false });
  });

  test("PostgreSQL: the query timeout bounds the store's queries, never its migrations", async (t) => {
    const database = await freshDatabase();
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    t.after(async () => {
      await holder.end();
      await database.drop();
    });
    // Another process migrating: the wait for its lock (an index built on a large table) may be long.
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATIONS_TABLE]);
    setTimeout(() => holder.query('SELECT pg_advisory_unlock_all()'), 600);
    const store = await openPostgresStore(database.url, { queryTimeoutMs: 200 });
    t.after(() => store.close());
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE payment_events IN ACCESS EXCLUSIVE MODE');
    await assert.rejects(store.counts(), /timeout/);
    await holder.query('ROLLBACK');
    assert.equal((await store.counts()).events, 0);
  });

  test('PostgreSQL: a connection that goes silent (a failover, a partition) fails its write in time, and the store goes on', async (t) => {
    const database = await freshDatabase();
    // A proxy in front of the server whose open connections can be made to go silent for ever, neither
    // answering nor closing, as after a failover that leaves the old server unreachable; new ones pass.
    const open = new Set<[Socket, Socket]>();
    const proxy = createServer((client) => {
      const target = new URL(database.url);
      const upstream = connectTcp(Number(target.port || 5432), target.hostname);
      const pair: [Socket, Socket] = [client, upstream];
      open.add(pair);
      client.pipe(upstream).pipe(client);
      for (const socket of pair) socket.on('error', () => {}).on('close', () => open.delete(pair));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const silenced: Socket[] = [];
    const silence = (): void => {
      for (const [client, upstream] of open) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        silenced.push(client, upstream);
      }
      open.clear();
    };
    const url = new URL(database.url);
    url.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
    // The documented override of the adapter's 30 s query timeout, so the test does not wait it out.
    url.searchParams.set('query_timeout', '300');
    const store = await createStore(url.href);
    t.after(async () => {
      for (const socket of silenced) socket.destroy();
      await store.close();
      proxy.close();
      await database.drop();
    });

    await store.saveEvent(enrichedEvent({ event_id: 'before' }));
    silence();
    await assert.rejects(store.saveEvent(enrichedEvent({ event_id: 'silent' })), /timeout/);
    // The client whose transaction never ended is not pooled again: each write after it gets a live connection.
    for (const id of ['after_1', 'after_2', 'silent']) {
      assert.deepEqual(await store.saveEvent(enrichedEvent({ event_id: id })), { duplicate: false }, id);
    }
    assert.equal((await store.counts()).events, 4);
  });

  test('PostgreSQL: a connection the server ends inside an event transaction fails that write alone, never the process', async (t) => {
    const database = await freshDatabase();
    const store = await createStore(database.url);
    const holder = new pg.Client({ connectionString: database.url });
    t.after(async () => {
      await holder.end().catch(() => {});
      await store.close();
      await database.drop();
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    t.after(() => process.off('uncaughtException', onUncaught));

    await store.saveEvent(enrichedEvent({ event_id: 'first' }));
    // The customer's state row locked elsewhere holds the next event's transaction inside its upsert, with
    // its client checked out of the pool; that backend is then ended as a server shutdown ends it (57P01).
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query("SELECT 1 FROM customer_state WHERE customer_id = 'cus_1' FOR UPDATE");
    const held = store.saveEvent(enrichedEvent({ event_id: 'held' }));
    const waiting = async (): Promise<number> => {
      for (;;) {
        const { rows } = await holder.query(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0] !== undefined) return Number(rows[0].pid);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await holder.query('SELECT pg_terminate_backend($1)', [await waiting()]);
    await assert.rejects(held, (error: Error & { retryable?: boolean }) => error.retryable !== false);
    await holder.query('ROLLBACK');
    // The connection's end is reported after the write failed: give it the turns it takes to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(uncaught, [], 'no error escaped the store');
    assert.deepEqual(await store.saveEvent(enrichedEvent({ event_id: 'held' })), { duplicate: false });
  });
}
