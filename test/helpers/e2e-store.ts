/**
 * Read-only views of a running pipeline's data folder for end-to-end tests: the two store tables read
 * straight from SQLite (so a test sees rows, not the store's own summary), the dead letters on the log, and
 * a wait until every consumer group has committed everything (lag 0) instead of fixed sleeps.
 */

import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadLetter } from '../../src/contracts/dead-letter.ts';
import { createEventLog } from '../../src/log/index.ts';
import { collectStatus, type Status } from '../../src/runtime/status.ts';
import { createStore } from '../../src/storage/create-store.ts';

export interface StoredEvent {
  readonly event_id: string;
  readonly provider: string;
  readonly event_type: string;
  readonly status: string;
  readonly amount_cents: number;
  readonly fraud_score: number | null;
  readonly churn_score: number | null;
  readonly retry_strategy: string | null;
}

export interface QuarantineRow {
  readonly event_id: string | null;
  readonly provider: string;
  readonly stage: string;
  readonly reasons: readonly { code: string; message: string }[];
  /** The raw body as received, for rows quarantined before they became an event. */
  readonly body: string | null;
}

export interface Tables {
  readonly events: readonly StoredEvent[];
  readonly quarantine: readonly QuarantineRow[];
}

/** Both tables of the store at `dbPath`, read through a separate read-only connection. */
export function readTables(dbPath: string): Tables {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const events = db
      .prepare(
        'SELECT event_id, provider, event_type, status, amount_cents, fraud_score, churn_score, retry_strategy FROM payment_events',
      )
      .all() as unknown as StoredEvent[];
    const rows = db
      .prepare('SELECT event_id, provider, stage, reasons, record FROM payment_events_quarantine')
      .all() as unknown as {
      event_id: string | null;
      provider: string;
      stage: string;
      reasons: string;
      record: string | null;
    }[];
    const quarantine = rows.map((row) => {
      const record = row.record === null ? null : (JSON.parse(row.record) as { body_base64?: string });
      return {
        event_id: row.event_id,
        provider: row.provider,
        stage: row.stage,
        reasons: JSON.parse(row.reasons) as QuarantineRow['reasons'],
        body: record?.body_base64 === undefined ? null : Buffer.from(record.body_base64, 'base64').toString('utf8'),
      };
    });
    return { events, quarantine };
  } finally {
    db.close();
  }
}

/** How many rows of each table hold `eventId`. */
export function occurrences(tables: Tables, eventId: string): { events: number; quarantine: number } {
  return {
    events: tables.events.filter((row) => row.event_id === eventId).length,
    quarantine: tables.quarantine.filter((row) => row.event_id === eventId).length,
  };
}

export interface Observer {
  status(): Promise<Status>;
  /** Resolves once every consumer group has lag 0; rejects with the last status after `timeoutMs`. */
  drained(timeoutMs?: number): Promise<Status>;
  /** Dead letters on a dead-letter topic, parsed. */
  deadLetters(topic: string): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

/** Opens the pipeline's log and store beside it, as `paypipe status` does. */
export async function observe(logUrl: string, databaseUrl: string): Promise<Observer> {
  const log = createEventLog(logUrl);
  const store = await createStore(databaseUrl);
  const status = () => collectStatus(log, store);
  return {
    status,
    async drained(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await status();
        const lag = current.log.groups.reduce((sum, group) => sum + group.lag, 0);
        if (lag === 0 && current.log.groups.length > 0) return current;
        if (Date.now() > deadline) throw new Error(`not drained: ${JSON.stringify(current.log.groups)}`);
        await sleep(50);
      }
    },
    async deadLetters(topic) {
      const letters: DeadLetter[] = [];
      for await (const record of log.scan(topic)) {
        letters.push(DeadLetter.parse(JSON.parse(record.value.toString('utf8'))));
      }
      return letters;
    },
    async close() {
      await store.close();
      await log.close();
    },
  };
}
