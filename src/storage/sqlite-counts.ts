/** `counts()` of the SQLite store: what `paypipe status` and the benchmarks show. Off the hot path. */
import type { DatabaseSync } from 'node:sqlite';
import type { LatencySummary, StoreCounts } from './port.ts';

export function createStoreCounts(db: DatabaseSync): () => StoreCounts {
  const count = (sql: string) => Number(db.prepare(sql).get()?.n ?? 0);
  const latencyAt = db.prepare(
    `SELECT round((julianday(processed_at) - julianday(received_at)) * 86400000.0, 1) AS ms FROM payment_events
     ORDER BY ms LIMIT 1 OFFSET ?`,
  );
  function latency(total: number): LatencySummary | null {
    if (total === 0) return null;
    const at = (q: number) => Number(latencyAt.get(Math.min(total - 1, Math.ceil(q * total) - 1))?.ms);
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
  }
  return () => {
    const events = count('SELECT count(*) AS n FROM payment_events');
    return {
      events,
      quarantined: count('SELECT count(*) AS n FROM payment_events_quarantine WHERE redriven_at IS NULL'),
      redriven: count('SELECT count(*) AS n FROM payment_events_quarantine WHERE redriven_at IS NOT NULL'),
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
           WHERE redriven_at IS NULL
           GROUP BY 1 ORDER BY 1`,
        )
        .all()
        .map((row) => ({ reason: String(row.reason), count: Number(row.count) })),
      latencyMs: latency(events),
    };
  };
}
