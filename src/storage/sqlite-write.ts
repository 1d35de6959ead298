/**
 * One group commit of the store: every queued `saveEvent` and `quarantine` in ONE transaction, so one WAL
 * fsync makes all of them durable. Each write is its own INSERT … ON CONFLICT DO NOTHING, so each still
 * learns whether it was a duplicate, and a write SQLite refuses (a CHECK, say) fails alone: SQLite undoes
 * only that write (an event's with its customer's state, see saveEvent) and the transaction goes on.
 * Plain data in and out, so the same function runs on the writer thread (sqlite-writer-thread.ts) or, for
 * `:memory:`, on the main thread.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { immediateTransaction } from '../runtime/sqlite-transaction.ts';
import { EVENT_COLUMNS, type EventRow, MOVED_QUARANTINE_COLUMNS, type QuarantineRow } from './rows.ts';
import { foldStoredEvent, prepareStateStatements, type StateStatements } from './sqlite-customer-state.ts';

export type StoreWriteOp =
  | { readonly kind: 'event'; readonly row: EventRow }
  /** `deadLetteredAt`: a dead letter's time, which a re-driven row must not be older than to open again. */
  | { readonly kind: 'quarantine'; readonly row: QuarantineRow; readonly deadLetteredAt: string | null }
  | { readonly kind: 'redriven'; readonly id: string; readonly redrivenAt: string }
  | { readonly kind: 'replayed'; readonly row: ReplayedRow };

/** A `replayed_dead_letters` row (port.ts `markDeadLettersReplayed`). */
export interface ReplayedRow {
  readonly topic: string;
  readonly partition: number;
  readonly log_offset: bigint;
  readonly record_id: string;
  readonly replayed_at: string;
}

/** Per op: whether the row was already there, or why SQLite refused it (the same row would be refused again). */
export type StoreWriteResult = { readonly duplicate: boolean } | { readonly error: { readonly message: string } };

export interface WriteStatements {
  readonly event: StatementSync;
  /** Takes out an event row just inserted, by its ingested_seq. */
  readonly unsave: StatementSync;
  readonly quarantine: StatementSync;
  /** Marks a dead letter replayed unless it is; replaces a mark of another record there (an earlier log). */
  readonly replayed: StatementSync;
  readonly state: StateStatements;
  /**
   * Moving a quarantine row to a new ingested_seq (so the lakehouse reads it again) as it becomes re-driven
   * or open again: take it out if open (or if re-driven no later than `since`, a dead letter's time), put it
   * back with its new `redriven_at`.
   */
  readonly move: { readonly open: StatementSync; readonly redriven: StatementSync; readonly put: StatementSync };
}

export function prepareWrites(db: DatabaseSync): WriteStatements {
  return {
    state: prepareStateStatements(db),
    unsave: db.prepare('DELETE FROM payment_events WHERE ingested_seq = ?'),
    event: db.prepare(
      `INSERT INTO payment_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((c) => `:${c}`).join(', ')})
       ON CONFLICT (event_id) DO NOTHING`,
    ),
    quarantine: db.prepare(
      `INSERT INTO payment_events_quarantine (id, event_id, provider, stage, reasons, record, event, quarantined_at)
       VALUES (:id, :event_id, :provider, :stage, :reasons, :record, :event, :quarantined_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    replayed: db.prepare(
      `INSERT INTO replayed_dead_letters (topic, partition, log_offset, record_id, replayed_at)
       VALUES (:topic, :partition, :log_offset, :record_id, :replayed_at)
       ON CONFLICT (topic, partition, log_offset) DO UPDATE
       SET record_id = excluded.record_id, replayed_at = excluded.replayed_at WHERE record_id <> excluded.record_id`,
    ),
    move: {
      open: db.prepare(
        `DELETE FROM payment_events_quarantine WHERE id = :id AND redriven_at IS NULL RETURNING ${MOVED_QUARANTINE_COLUMNS}`,
      ),
      redriven: db.prepare(
        `DELETE FROM payment_events_quarantine WHERE id = :id AND redriven_at IS NOT NULL
         AND (:since IS NULL OR redriven_at <= :since) RETURNING ${MOVED_QUARANTINE_COLUMNS}`,
      ),
      put: db.prepare(
        `INSERT INTO payment_events_quarantine (${MOVED_QUARANTINE_COLUMNS}, redriven_at)
         VALUES (:id, :event_id, :provider, :stage, :reasons, :record, :event, :quarantined_at, :stored_at, :redriven_at)`,
      ),
    },
  };
}

/**
 * Moves the row `take` finds (see `move`) with `redrivenAt`; false when there is none. In a savepoint: a
 * statement error leaves the batch's transaction open (writeBatch), and must not leave the row deleted.
 */
function move(
  db: DatabaseSync,
  statements: WriteStatements,
  take: StatementSync,
  which: Record<string, SQLInputValue>,
  redrivenAt: string | null,
): boolean {
  db.exec('SAVEPOINT move_quarantine_row');
  try {
    const row = take.get(which);
    if (row !== undefined)
      statements.move.put.run({ ...row, redriven_at: redrivenAt } as Record<string, SQLInputValue>);
    db.exec('RELEASE move_quarantine_row');
    return row !== undefined;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK TO move_quarantine_row; RELEASE move_quarantine_row');
    throw error;
  }
}

/**
 * Inserts the event and folds it into its customer's state (sqlite-customer-state.ts), both or neither;
 * false when the event id is stored. Should the fold fail after the row went in, the write is reported
 * refused and the workflow quarantines the event, so the row must not stay in the batch too. The fold
 * writes one statement at most, which SQLite undoes alone when it fails; the row is then taken out. (A
 * savepoint around both cost ~5 µs per event, its statement journal, for a failure this rare.)
 */
function saveEvent(db: DatabaseSync, statements: WriteStatements, row: EventRow): boolean {
  const { changes, lastInsertRowid } = statements.event.run({ ...row });
  if (Number(changes) === 0) return false;
  if (row.customer_id === null) return true;
  try {
    foldStoredEvent(db, statements.state, row.customer_id, row, Number(lastInsertRowid));
  } catch (error) {
    if (db.isTransaction) statements.unsave.run(lastInsertRowid);
    throw error;
  }
  return true;
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
        if (op.kind === 'redriven')
          return { duplicate: !move(db, statements, statements.move.open, { id: op.id }, op.redrivenAt) };
        if (op.kind === 'event') return { duplicate: !saveEvent(db, statements, op.row) };
        if (op.kind === 'replayed') return { duplicate: Number(statements.replayed.run({ ...op.row }).changes) === 0 };
        if (Number(statements.quarantine.run({ ...op.row }).changes) === 0) {
          // Dead-lettered again after a re-drive (the running pipeline still refuses it): open again.
          const which = { id: op.row.id, since: op.deadLetteredAt };
          return { duplicate: !move(db, statements, statements.move.redriven, which, null) };
        }
        return { duplicate: false };
      } catch (error) {
        // A statement error leaves the transaction open; an I/O error may have ended it: then all fail.
        if (!db.isTransaction) throw error;
        return refusal(error);
      }
    }),
  );
}
