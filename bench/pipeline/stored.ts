/**
 * What the pipeline stored, read straight from its SQLite store file (a second, read-only connection; WAL
 * lets it read while the pipeline writes). Webhook→stored latency of a row is `stored_at − received_at`:
 * both are the machine's wall clock, the first stamped by the gateway, the second by SQLite at insert.
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

function count(db: DatabaseSync): number {
  const row = db
    .prepare('SELECT (SELECT count(*) FROM payment_events) + (SELECT count(*) FROM payment_events_quarantine) AS n')
    .get();
  return Number(row?.n ?? 0);
}

/**
 * Polls until `expected` rows are stored, or until nothing new arrived for `idleMs` (then the summary
 * shows the shortfall). `onProgress` hears the count on every poll.
 */
export async function waitForStored(
  path: string,
  expected: number,
  idleMs: number,
  onProgress: (stored: number) => void,
): Promise<number> {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
  try {
    let last = -1;
    let changed = Date.now();
    for (;;) {
      const stored = count(db);
      onProgress(stored);
      if (stored !== last) changed = Date.now();
      if (stored >= expected || Date.now() - changed > idleMs) return stored;
      last = stored;
      await sleep(500);
    }
  } finally {
    db.close();
  }
}

export function summarizeStored(path: string): StoredSummary {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
  try {
    const rows = db.prepare('SELECT received_at, stored_at FROM payment_events').all();
    const quarantine = db.prepare('SELECT stored_at FROM payment_events_quarantine').all();
    const received = rows.map((row) => Date.parse(String(row.received_at)));
    const storedAt = [...rows, ...quarantine].map((row) => Date.parse(String(row.stored_at)));
    const latencies = rows.map((_, index) => (storedAt[index] as number) - (received[index] as number));
    latencies.sort((a, b) => a - b);
    const first = Math.min(...received);
    const lastStored = Math.max(...storedAt);
    const stored = rows.length + quarantine.length;
    return {
      stored,
      quarantined: quarantine.length,
      eventsPerSecond: stored > 0 ? (stored / Math.max(1, lastStored - first)) * 1000 : 0,
      latencyMs: {
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? 0,
      },
    };
  } finally {
    db.close();
  }
}
