/**
 * What the pipeline stored, read straight from its store: the SQLite file (a second, read-only connection;
 * WAL lets it read while the pipeline writes) or the PostgreSQL database (postgres.ts). Webhook→stored
 * latency of a row is `stored_at − received_at`: both are the machine's wall clock, the first stamped by the
 * gateway, the second by the store in the row's transaction (SQLite at insert; PostgreSQL's `now()`, the
 * transaction's start, a write's few milliseconds before its COMMIT).
 */
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../../src/simulator/summary.ts';

export interface StoredSummary {
  /** Rows in payment_events plus payment_events_quarantine (every event ends in exactly one). */
  readonly stored: number;
  readonly quarantined: number;
  /** Stored rows per second, from the first webhook received to the last row stored. */
  readonly eventsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
}

/** The stored rows' times, in epoch milliseconds. */
export interface StoredTimes {
  readonly events: readonly { readonly receivedAt: number; readonly storedAt: number }[];
  readonly quarantinedAt: readonly number[];
}

/** A store the benchmark reads back: how many rows so far, then their times. */
export interface StoredSource {
  count(): Promise<number>;
  times(): Promise<StoredTimes>;
  close(): Promise<void>;
}

export function sqliteStored(path: string): StoredSource {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
  return {
    async count() {
      const row = db
        .prepare('SELECT (SELECT count(*) FROM payment_events) + (SELECT count(*) FROM payment_events_quarantine) AS n')
        .get();
      return Number(row?.n ?? 0);
    },
    async times() {
      const rows = db.prepare('SELECT received_at, stored_at FROM payment_events').all();
      const quarantine = db.prepare('SELECT stored_at FROM payment_events_quarantine').all();
      return {
        events: rows.map((row) => ({
          receivedAt: Date.parse(String(row.received_at)),
          storedAt: Date.parse(String(row.stored_at)),
        })),
        quarantinedAt: quarantine.map((row) => Date.parse(String(row.stored_at))),
      };
    },
    async close() {
      db.close();
    },
  };
}

/**
 * Polls until `expected` rows are stored, or until nothing new arrived for `idleMs` (then the summary
 * shows the shortfall). `onProgress` hears the count on every poll.
 */
export async function waitForStored(
  source: StoredSource,
  expected: number,
  idleMs: number,
  onProgress: (stored: number) => void,
): Promise<number> {
  let last = -1;
  let changed = Date.now();
  for (;;) {
    const stored = await source.count();
    onProgress(stored);
    if (stored !== last) changed = Date.now();
    if (stored >= expected || Date.now() - changed > idleMs) return stored;
    last = stored;
    await sleep(500);
  }
}

export async function summarizeStored(source: StoredSource): Promise<StoredSummary> {
  const { events, quarantinedAt } = await source.times();
  const latencies = events.map((row) => row.storedAt - row.receivedAt).sort((a, b) => a - b);
  const storedAt = [...events.map((row) => row.storedAt), ...quarantinedAt];
  const first = Math.min(...events.map((row) => row.receivedAt));
  const lastStored = Math.max(...storedAt);
  const stored = storedAt.length;
  return {
    stored,
    quarantined: quarantinedAt.length,
    eventsPerSecond: stored > 0 ? (stored / Math.max(1, lastStored - first)) * 1000 : 0,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
  };
}
