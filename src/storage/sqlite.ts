/**
 * The SQLite store on Node's built-in `node:sqlite`: one file, WAL journal, `synchronous = FULL` so that
 * a write that returned survives a power cut (DESIGN.md: nothing acknowledged before it is durable).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { loadMigrations, MIGRATIONS_TABLE, pendingMigrations } from './migrate.ts';
import { type LatencySummary, type PaymentStore, type QuarantineEntry, quarantineKey } from './port.ts';
import { EVENT_COLUMNS, eventToRow, historyBound, rowToEvent, rowToTotalsRow } from './rows.ts';
import { computeTotals } from './totals.ts';

const MEMORY = ':memory:';

function migrate(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`);
  const rows = db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).all();
  const applied = new Set(rows.map((row) => Number(row.version)));
  for (const migration of pendingMigrations(loadMigrations('sqlite'), applied)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES (?, ?)`).run(
        migration.version,
        migration.name,
      );
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function open(path: string): DatabaseSync {
  if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  // Another process (e.g. `paypipe status`) may read while the pipeline writes.
  db.exec('PRAGMA busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Opens (creating and migrating if needed) the store in a SQLite file, or in memory for `:memory:`. */
export function openSqliteStore(path: string): PaymentStore {
  const db = open(path);
  const insertEvent = db.prepare(
    `INSERT INTO payment_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((c) => `:${c}`).join(', ')})
     ON CONFLICT (event_id) DO NOTHING`,
  );
  const insertQuarantine = db.prepare(
    `INSERT INTO payment_events_quarantine (id, event_id, provider, stage, reasons, record, event, quarantined_at)
     VALUES (:id, :event_id, :provider, :stage, :reasons, :record, :event, :quarantined_at)
     ON CONFLICT (id) DO NOTHING`,
  );
  const history = db.prepare(
    `SELECT * FROM payment_events WHERE customer_id = ? AND timestamp < ?
     ORDER BY timestamp DESC, ingested_seq DESC LIMIT ?`,
  );
  const paymentPast = db.prepare(
    `SELECT * FROM payment_events WHERE payment_id = ? AND timestamp < ?
     ORDER BY timestamp DESC, ingested_seq DESC LIMIT ?`,
  );
  const byPayment = db.prepare(
    'SELECT event_id, event_type, amount_cents, currency, status, timestamp, metadata FROM payment_events WHERE payment_id = ?',
  );
  const stored = db.prepare('SELECT 1 FROM payment_events WHERE event_id = ?');
  const quarantined = db.prepare('SELECT 1 FROM payment_events_quarantine WHERE event_id = ? LIMIT 1');

  const latencyAt = db.prepare(
    `SELECT round((julianday(processed_at) - julianday(received_at)) * 86400000.0, 1) AS ms FROM payment_events
     ORDER BY ms LIMIT 1 OFFSET ?`,
  );
  function latency(): LatencySummary | null {
    const total = Number(db.prepare('SELECT count(*) AS n FROM payment_events').get()?.n ?? 0);
    if (total === 0) return null;
    const at = (q: number) => Number(latencyAt.get(Math.min(total - 1, Math.ceil(q * total) - 1))?.ms);
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
  }

  return {
    async saveEvent(event) {
      const { changes } = insertEvent.run({ ...eventToRow(event) });
      return { duplicate: Number(changes) === 0 };
    },
    async quarantine(entry: QuarantineEntry) {
      const id = quarantineKey(entry);
      const { changes } = insertQuarantine.run({
        id,
        event_id: entry.event?.event_id ?? null,
        provider: entry.provider,
        stage: entry.stage,
        reasons: JSON.stringify(entry.reasons),
        record: entry.record === null ? null : JSON.stringify(entry.record),
        event: entry.event === null ? null : JSON.stringify(entry.event),
        quarantined_at: entry.quarantined_at,
      });
      return { id, duplicate: Number(changes) === 0 };
    },
    async customerHistory(customerId, before, limit) {
      const bound = historyBound(before, limit);
      return bound === null ? [] : history.all(customerId, bound.before, bound.count).map(rowToEvent);
    },
    async paymentHistory(paymentId, before, limit) {
      const bound = historyBound(before, limit);
      return bound === null ? [] : paymentPast.all(paymentId, bound.before, bound.count).map(rowToEvent);
    },
    async paymentTotals(paymentId) {
      return computeTotals(paymentId, byPayment.all(paymentId).map(rowToTotalsRow));
    },
    async locate(eventId) {
      if (stored.get(eventId)) return 'payment_events';
      return quarantined.get(eventId) ? 'payment_events_quarantine' : null;
    },
    async counts() {
      const count = (sql: string) => Number(db.prepare(sql).get()?.n ?? 0);
      return {
        events: count('SELECT count(*) AS n FROM payment_events'),
        quarantined: count('SELECT count(*) AS n FROM payment_events_quarantine'),
        byProviderStatus: db
          .prepare(
            `SELECT provider, status, count(*) AS count FROM payment_events
             GROUP BY provider, status ORDER BY provider, status`,
          )
          .all()
          .map((row) => ({ provider: String(row.provider), status: String(row.status), count: Number(row.count) })),
        quarantineByReason: db
          .prepare(
            `SELECT json_extract(reason.value, '$.code') AS reason, count(*) AS count
             FROM payment_events_quarantine, json_each(payment_events_quarantine.reasons) AS reason
             GROUP BY 1 ORDER BY 1`,
          )
          .all()
          .map((row) => ({ reason: String(row.reason), count: Number(row.count) })),
        latencyMs: latency(),
      };
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
