/**
 * One group commit of the store: every queued `saveEvent` and `quarantine` in ONE transaction, so one WAL
 * fsync makes all of them durable. Each write is its own INSERT … ON CONFLICT DO NOTHING, so each still
 * learns whether it was a duplicate, and a write SQLite refuses (a CHECK, say) fails alone: SQLite undoes
 * only that statement and the transaction goes on. Plain data in and out, so the same function runs on
 * the writer thread (sqlite-writer-thread.ts) or, for `:memory:`, on the main thread.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { advancedState, rebuiltState } from '../inference/features/stored-state.ts';
import { immediateTransaction } from '../runtime/sqlite-transaction.ts';
import {
  EVENT_COLUMNS,
  type EventRow,
  pastColumns,
  type QuarantineRow,
  rowToPastEvent,
  writtenPastEvent,
} from './rows.ts';

export type StoreWriteOp =
  | { readonly kind: 'event'; readonly row: EventRow }
  | { readonly kind: 'quarantine'; readonly row: QuarantineRow };

/** Per op: whether the row was already there, or why SQLite refused it (the same row would be refused again). */
export type StoreWriteResult = { readonly duplicate: boolean } | { readonly error: { readonly message: string } };

export type WriteStatements = Readonly<Record<StoreWriteOp['kind'] | 'state' | 'setState' | 'past', StatementSync>>;

/** Every stored event of a customer, as the features read them (the covering index of migration 0002). */
export const CUSTOMER_WHOLE_PAST = `SELECT ${pastColumns("json_extract(metadata, '$.card_country')")}
  FROM payment_events WHERE customer_id = ?`;

export function prepareWrites(db: DatabaseSync): WriteStatements {
  const past = db.prepare(CUSTOMER_WHOLE_PAST);
  past.setReturnArrays(true);
  return {
    state: db.prepare('SELECT state FROM customer_state WHERE customer_id = ?'),
    setState: db.prepare(
      `INSERT INTO customer_state (customer_id, state) VALUES (?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET state = excluded.state`,
    ),
    past,
    event: db.prepare(
      `INSERT INTO payment_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((c) => `:${c}`).join(', ')})
       ON CONFLICT (event_id) DO NOTHING`,
    ),
    quarantine: db.prepare(
      `INSERT INTO payment_events_quarantine (id, event_id, provider, stage, reasons, record, event, quarantined_at)
       VALUES (:id, :event_id, :provider, :stage, :reasons, :record, :event, :quarantined_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
  };
}

/**
 * Folds a newly stored event into its customer's state (stored-state.ts), or folds their whole stored past
 * again when it cannot be appended. The state is derived data: should this fail, it is set to NULL, to be
 * rebuilt at the customer's next event (scores read the past row by row meanwhile), and the event's own
 * write stands.
 */
function updateCustomerState(db: DatabaseSync, statements: WriteStatements, row: EventRow, customer: string): void {
  let state: string | null = null;
  try {
    const current = statements.state.get(customer)?.state;
    state =
      advancedState(typeof current === 'string' ? current : null, writtenPastEvent(row)) ??
      rebuiltState((statements.past.all(customer) as unknown as unknown[][]).map(rowToPastEvent));
  } catch (error) {
    if (!db.isTransaction) throw error;
  }
  statements.setState.run(customer, state);
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
        const duplicate = Number(statements[op.kind].run({ ...op.row }).changes) === 0;
        if (op.kind === 'event' && !duplicate && op.row.customer_id !== null) {
          updateCustomerState(db, statements, op.row, op.row.customer_id);
        }
        return { duplicate };
      } catch (error) {
        // A statement error leaves the transaction open; an I/O error may have ended it: then all fail.
        if (!db.isTransaction) throw error;
        return refusal(error);
      }
    }),
  );
}
