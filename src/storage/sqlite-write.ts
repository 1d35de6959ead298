/**
 * One group commit of the store: every queued `saveEvent` and `quarantine` in ONE transaction, so one WAL
 * fsync makes all of them durable. Each write is its own INSERT … ON CONFLICT DO NOTHING, so each still
 * learns whether it was a duplicate, and a write SQLite refuses (a CHECK, say) fails alone: SQLite undoes
 * only that statement and the transaction goes on. Plain data in and out, so the same function runs on
 * the writer thread (sqlite-writer-thread.ts) or, for `:memory:`, on the main thread.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { immediateTransaction } from '../runtime/sqlite-transaction.ts';
import { EVENT_COLUMNS, type EventRow, type QuarantineRow } from './rows.ts';
import { foldStoredEvent, prepareStateStatements, type StateStatements } from './sqlite-customer-state.ts';

export type StoreWriteOp =
  | { readonly kind: 'event'; readonly row: EventRow }
  | { readonly kind: 'quarantine'; readonly row: QuarantineRow }
  | { readonly kind: 'redriven'; readonly id: string; readonly redrivenAt: string };

/** Per op: whether the row was already there, or why SQLite refused it (the same row would be refused again). */
export type StoreWriteResult = { readonly duplicate: boolean } | { readonly error: { readonly message: string } };

export interface WriteStatements {
  readonly event: StatementSync;
  readonly quarantine: StatementSync;
  readonly state: StateStatements;
  /** Re-driven: the row leaves its place and comes back under a new ingested_seq, with `redriven_at`. */
  readonly redrive: { readonly take: StatementSync; readonly put: StatementSync };
}

const KEPT_QUARANTINE_COLUMNS = 'id, event_id, provider, stage, reasons, record, event, quarantined_at, stored_at';

export function prepareWrites(db: DatabaseSync): WriteStatements {
  return {
    state: prepareStateStatements(db),
    event: db.prepare(
      `INSERT INTO payment_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((c) => `:${c}`).join(', ')})
       ON CONFLICT (event_id) DO NOTHING`,
    ),
    quarantine: db.prepare(
      `INSERT INTO payment_events_quarantine (id, event_id, provider, stage, reasons, record, event, quarantined_at)
       VALUES (:id, :event_id, :provider, :stage, :reasons, :record, :event, :quarantined_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    redrive: {
      take: db.prepare(
        `DELETE FROM payment_events_quarantine WHERE id = ? AND redriven_at IS NULL RETURNING ${KEPT_QUARANTINE_COLUMNS}`,
      ),
      put: db.prepare(
        `INSERT INTO payment_events_quarantine (${KEPT_QUARANTINE_COLUMNS}, redriven_at)
         VALUES (:id, :event_id, :provider, :stage, :reasons, :record, :event, :quarantined_at, :stored_at, :redriven_at)`,
      ),
    },
  };
}

/** Marks a quarantine row re-driven (see `redrive`); `duplicate` when there is no such row not yet marked. */
function redrive(statements: WriteStatements, id: string, redrivenAt: string): StoreWriteResult {
  const row = statements.redrive.take.get(id);
  if (row === undefined) return { duplicate: true };
  statements.redrive.put.run({ ...row, redriven_at: redrivenAt } as Record<string, SQLInputValue>);
  return { duplicate: false };
}

/** Keeps the customer's state (sqlite-customer-state.ts) up with a newly inserted event. */
function foldEvent(db: DatabaseSync, statements: WriteStatements, row: EventRow, seq: number): void {
  if (row.customer_id !== null) foldStoredEvent(db, statements.state, row.customer_id, row, seq);
}

function refusal(error: unknown): StoreWriteResult {
  return { error: { message: String((error as { message?: unknown }).message ?? error) } };
}

/**
 * Writes the ops in one transaction and returns each op's result once COMMIT has returned (the WAL is
 * fsync'd). Throws, with nothing written, when the transaction itself fails (busy, disk full, I/O).
 */
export function writeBatch(
  db: DatabaseSync,
  statements: WriteStatements,
  ops: readonly StoreWriteOp[],
): StoreWriteResult[] {
  return immediateTransaction(db, () =>
    ops.map((op): StoreWriteResult => {
      try {
        if (op.kind === 'redriven') return redrive(statements, op.id, op.redrivenAt);
        const { changes, lastInsertRowid } = statements[op.kind].run({ ...op.row });
        const duplicate = Number(changes) === 0;
        if (op.kind === 'event' && !duplicate) foldEvent(db, statements, op.row, Number(lastInsertRowid));
        return { duplicate };
      } catch (error) {
        // A statement error leaves the transaction open; an I/O error may have ended it: then all fail.
        if (!db.isTransaction) throw error;
        return refusal(error);
      }
    }),
  );
}
