/**
 * The PostgreSQL store (distributed mode), plain SQL on `pg`. Same contract as the SQLite adapter;
 * differences: timestamps are timestamptz, JSON is jsonb, and migrations run under an advisory lock
 * so that several workers starting at once apply each version once.
 */
import pg from 'pg';
import { PaypipeError } from '../contracts/errors.ts';
import { parseState } from '../inference/features/stored-state.ts';
import { loadMigrations, MIGRATIONS_TABLE, pendingMigrations } from './migrate.ts';
import { type DeadLetterPosition, type PaymentStore, type QuarantineEntry, quarantineKey } from './port.ts';
import { createEventWriter, insertEvents } from './postgres-events.ts';
import {
  eventToRow,
  historyBound,
  MOVED_QUARANTINE_COLUMNS,
  pastColumns,
  quarantineToRow,
  rowToEvent,
  rowToPastEvent,
  rowToTotalsRow,
} from './rows.ts';
import { computeTotals } from './totals.ts';

async function migrate(pool: pg.Pool): Promise<void> {
  // DDL is transactional in PostgreSQL: every pending version applies, or none does.
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATIONS_TABLE]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY,
      name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query(`SELECT version FROM ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    for (const migration of pendingMigrations(loadMigrations('postgres'), applied)) {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
  });
}

/**
 * A write PostgreSQL refuses for the row itself, not for its own state: SQLSTATE class 22 (data exception),
 * 23 (integrity constraint; the unique event id never raises, ON CONFLICT absorbs it) or 54000 (a value
 * too long for its index: a btree entry holds at most 2,704 bytes, and ids have no length limit). The
 * same row would be refused again, so it becomes a non-retryable paypipe error; anything else (connection,
 * server shutting down, a deadlock or serialization failure) stays as it is, to be retried.
 */
async function refusedAsError<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^(2[23]|54000$)/.test(sqlState)) {
      throw new PaypipeError('PAYPIPE_ERR_STORE_REFUSED', (error as Error).message, { cause: error });
    }
    throw error;
  }
}

const isRefused = (error: unknown): boolean => (error as { code?: unknown }).code === 'PAYPIPE_ERR_STORE_REFUSED';

/**
 * `work` in a transaction on a client of its own. A checked-out client has no listener of the pool's: a
 * connection the server ends (a shutdown, a restart, pg_terminate_backend) fails the query in flight and is
 * then reported as the client's 'error' event, which, unheard, was an uncaught exception (the runner thread
 * died at every PostgreSQL restart). It is heard here, and the broken client is discarded, not pooled.
 */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A ROLLBACK that fails too (a connection gone silent: its query timed out and still holds the client)
    // marks the client broken, as a client put back would fail every query given to it.
    await client.query('ROLLBACK').catch((rollback: Error) => {
      broken ??= rollback;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

const CARD_COUNTRY = "metadata->>'card_country'";

/**
 * Moves quarantine row `id`, when it is `from` (open, or re-driven no later than `since` when given), to a
 * new ingested_seq with `redrivenAt`, so the lakehouse's incremental copy reads it again; one statement, so
 * atomic on its own. False when there is no such row.
 */
async function moveQuarantineRow(
  pool: pg.Pool,
  id: string,
  from: 'open' | { readonly redrivenBy: string | null },
  redrivenAt: string | null,
): Promise<boolean> {
  const state = from === 'open' ? 'IS NULL' : 'IS NOT NULL AND ($3::timestamptz IS NULL OR redriven_at <= $3)';
  const moved = await pool.query(
    `WITH taken AS (
       DELETE FROM payment_events_quarantine WHERE id = $1 AND redriven_at ${state}
       RETURNING ${MOVED_QUARANTINE_COLUMNS})
     INSERT INTO payment_events_quarantine (${MOVED_QUARANTINE_COLUMNS}, redriven_at)
     SELECT ${MOVED_QUARANTINE_COLUMNS}, $2::timestamptz FROM taken`,
    from === 'open' ? [id, redrivenAt] : [id, redrivenAt, from.redrivenBy],
  );
  return moved.rowCount === 1;
}

/** Dead letters as four arrays (topic, partition, offset, record id) for `unnest`: one round trip for all. */
function deadLetterArrays(letters: readonly DeadLetterPosition[]): unknown[] {
  return [
    letters.map((letter) => letter.topic),
    letters.map((letter) => letter.partition),
    letters.map((letter) => letter.offset.toString()),
    letters.map((letter) => letter.recordId),
  ];
}

/** Which table holds an event id: both asked in one round trip. */
const LOCATE = `SELECT EXISTS (SELECT 1 FROM payment_events WHERE event_id = $1) AS stored,
  EXISTS (SELECT 1 FROM payment_events_quarantine WHERE event_id = $1) AS quarantined`;

const DEAD_LETTERS = 'unnest($1::text[], $2::int[], $3::bigint[], $4::text[])';

/**
 * How long the pool waits on a connection. A connection can go silent, neither answering nor closing (a
 * failover that leaves the old server unreachable, a network partition): without limits each query on it
 * waited for ever, and once the pool's ten clients were such, every write waited behind them, the pipeline
 * stalled until paypipe was restarted, though the server could be reached again. A query unanswered after
 * 30 s (an activity's own timeout; `?query_timeout=MS` in DATABASE_URL overrides it) fails and its client is
 * dropped; a free client waited for over 10 s fails the wait; TCP keepalive finds dead idle connections; and
 * the server ends a session left inside a transaction for a minute, releasing the customer row it locked.
 */
const CONNECTION_LIMITS = {
  connectionTimeoutMillis: 10_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  idle_in_transaction_session_timeout: 60_000,
} as const;
const QUERY_TIMEOUT_MS = 30_000;

export interface PostgresStoreOptions {
  /** Default 30 s (QUERY_TIMEOUT_MS); `query_timeout` in the URL wins. */
  readonly queryTimeoutMs?: number;
}

/** Connects to `url`, applies pending migrations, and returns the store. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PaymentStore> {
  // Migrations on a connection of their own, without the query timeout: building an index on a large table,
  // or waiting for another process's migrations, may take minutes.
  const migrations = new pg.Pool({ ...CONNECTION_LIMITS, connectionString: url, max: 1 });
  migrations.on('error', () => {});
  try {
    await migrate(migrations);
  } finally {
    await migrations.end();
  }
  const query_timeout = options.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  const pool = new pg.Pool({ ...CONNECTION_LIMITS, query_timeout, connectionString: url });
  // An idle connection that breaks (server restart, failover) is dropped by the pool and the next query
  // reconnects; without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  const query = async (sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows;
  // The reads every event makes, prepared once per connection by name: the server then skips parsing and
  // planning them again (a third to a half of its CPU per stored event; bench/README.md).
  const prepared = async (name: string, text: string, values: unknown[]) =>
    (await pool.query({ name, text, values })).rows;
  const events = createEventWriter(
    (rows) => refusedAsError(() => inTransaction(pool, (client) => insertEvents(client, rows))),
    isRefused,
  );
  let closed = false;

  return {
    saveEvent(event) {
      return events.write(eventToRow(event));
    },
    async quarantine(entry: QuarantineEntry) {
      const id = quarantineKey(entry);
      const row = quarantineToRow(id, entry);
      const result = await refusedAsError(() =>
        pool.query(
          `INSERT INTO payment_events_quarantine (id, event_id, provider, stage, reasons, record, event, quarantined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
          [row.id, row.event_id, row.provider, row.stage, row.reasons, row.record, row.event, row.quarantined_at],
        ),
      );
      if (result.rowCount !== 0) return { id, duplicate: false };
      // Dead-lettered again after a re-drive (the running pipeline still refuses it): open again.
      const since = { redrivenBy: entry.dead_lettered_at ?? null };
      return { id, duplicate: !(await moveQuarantineRow(pool, id, since, null)) };
    },
    async quarantineState(id) {
      const [row] = await query('SELECT redriven_at FROM payment_events_quarantine WHERE id = $1', [id]);
      return row === undefined ? null : row.redriven_at === null ? 'open' : 'redriven';
    },
    markRedriven(id, redrivenAt) {
      return moveQuarantineRow(pool, id, 'open', redrivenAt);
    },
    async markDeadLettersReplayed(letters, replayedAt) {
      if (letters.length === 0) return 0;
      // DISTINCT ON: an upsert may not touch one row twice in a statement. A mark of another record at the
      // same place (an earlier log's) is replaced.
      const marked = await pool.query(
        `INSERT INTO replayed_dead_letters (topic, partition, log_offset, record_id, replayed_at)
         SELECT DISTINCT ON (topic, partition, log_offset) topic, partition, log_offset, record_id, $5::timestamptz
         FROM ${DEAD_LETTERS} AS letter (topic, partition, log_offset, record_id)
         ON CONFLICT (topic, partition, log_offset) DO UPDATE
         SET record_id = excluded.record_id, replayed_at = excluded.replayed_at
         WHERE replayed_dead_letters.record_id <> excluded.record_id`,
        [...deadLetterArrays(letters), replayedAt],
      );
      return marked.rowCount ?? 0;
    },
    async replayedDeadLetters(letters) {
      if (letters.length === 0) return [];
      const rows = await query(
        `SELECT letter.n FROM ${DEAD_LETTERS} WITH ORDINALITY AS letter (topic, partition, log_offset, record_id, n)
         JOIN replayed_dead_letters AS replayed USING (topic, partition, log_offset, record_id)`,
        deadLetterArrays(letters),
      );
      const marked = new Set(rows.map((row) => Number(row.n) - 1));
      return letters.map((_, index) => marked.has(index));
    },
    async customerHistory(customerId, before, limit) {
      const bound = historyBound(before, limit);
      if (bound === null) return [];
      const { rows } = await pool.query<unknown[]>({
        name: 'customer_history',
        text: `SELECT ${pastColumns(CARD_COUNTRY)} FROM payment_events
         WHERE customer_id = $1 AND timestamp < $2 ORDER BY timestamp DESC, ingested_seq DESC LIMIT $3`,
        values: [customerId, bound.before, bound.count],
        rowMode: 'array',
      });
      return rows.map(rowToPastEvent);
    },
    async customerState(customerId) {
      const [row] = await prepared('customer_state', 'SELECT state FROM customer_state WHERE customer_id = $1', [
        customerId,
      ]);
      return parseState((row?.state as string | null | undefined) ?? null);
    },
    async paymentHistory(provider, paymentId, before, limit) {
      const bound = historyBound(before, limit);
      if (bound === null) return [];
      const rows = await prepared(
        'payment_history',
        `SELECT * FROM payment_events WHERE payment_id = $1 AND provider = $2 AND timestamp < $3
         ORDER BY timestamp DESC, ingested_seq DESC LIMIT $4`,
        [paymentId, provider, bound.before, bound.count],
      );
      return rows.map(rowToEvent);
    },
    async paymentTotals(provider, paymentId) {
      const rows = await prepared(
        'payment_totals',
        `SELECT event_id, event_type, amount_cents, currency, status, timestamp, metadata
         FROM payment_events WHERE payment_id = $1 AND provider = $2`,
        [paymentId, provider],
      );
      return computeTotals(paymentId, rows.map(rowToTotalsRow));
    },
    async locate(eventId) {
      const [row] = await prepared('locate', LOCATE, [eventId]);
      return row?.stored ? 'payment_events' : row?.quarantined ? 'payment_events_quarantine' : null;
    },
    async counts() {
      const count = async (table: string) => Number((await query(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0);
      // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
      const byProviderStatus = await query(
        `SELECT provider, status, count(*) AS count FROM payment_events
         GROUP BY provider, status ORDER BY provider COLLATE "C", status COLLATE "C"`,
      );
      const [latencyRow] = await query(
        `SELECT count(*) AS n,
           percentile_disc(ARRAY[0.5, 0.9, 0.99, 1]) WITHIN GROUP (ORDER BY ms) AS q
         FROM (SELECT round(extract(epoch FROM processed_at - received_at) * 1000, 1) AS ms FROM payment_events) AS l`,
      );
      const q = (latencyRow?.q as (string | number)[] | null) ?? [];
      const latency = {
        n: Number(latencyRow?.n ?? 0),
        p50: Number(q[0]),
        p90: Number(q[1]),
        p99: Number(q[2]),
        max: Number(q[3]),
      };
      const byReason = await query(
        `SELECT reason->>'code' AS reason, count(*) AS count
         FROM payment_events_quarantine, jsonb_array_elements(reasons) AS reason
         WHERE redriven_at IS NULL
         GROUP BY 1 ORDER BY (reason->>'code') COLLATE "C"`,
      );
      return {
        events: await count('payment_events'),
        quarantined: await count('payment_events_quarantine WHERE redriven_at IS NULL'),
        redriven: await count('payment_events_quarantine WHERE redriven_at IS NOT NULL'),
        byProviderStatus: byProviderStatus.map((row) => ({
          provider: String(row.provider),
          status: String(row.status),
          count: Number(row.count),
        })),
        quarantineByReason: byReason.map((row) => ({ reason: String(row.reason), count: Number(row.count) })),
        latencyMs: latency.n === 0 ? null : { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await events.close();
      await pool.end();
    },
  };
}
