/**
 * The SQLite store on Node's built-in `node:sqlite` (sqlite-open.ts: WAL, `synchronous = FULL`). Writes
 * are group-committed (sqlite-writer.ts) on a writer thread (sqlite-writer-thread.ts), so many concurrent
 * `saveEvent` calls share one transaction and one fsync, and the fsync never blocks the event loop; each
 * write still resolves only after its COMMIT. Reads run on this thread's own connection (WAL).
 */
import type { PastEvent } from '../inference/features/history.ts';
import { type PaymentStore, type QuarantineEntry, quarantineKey } from './port.ts';
import {
  eventToRow,
  historyBound,
  pastColumns,
  quarantineToRow,
  rowToEvent,
  rowToPastEvent,
  rowToTotalsRow,
} from './rows.ts';
import { createStoreCounts } from './sqlite-counts.ts';
import { prepareStateStatements, readCustomerState } from './sqlite-customer-state.ts';
import { MEMORY, openStoreDatabase } from './sqlite-open.ts';
import type { StoreWriteOp } from './sqlite-write.ts';
import { createInThreadBackend, createStoreWriter } from './sqlite-writer.ts';
import { createStoreThreadBackend } from './sqlite-writer-thread.ts';
import { computeTotals } from './totals.ts';

/** Customers whose read history is kept; past this the cache starts over, so memory stays bounded. */
const HISTORY_CACHE_CUSTOMERS = 10_000;

/** A customer's past: answered from the covering index of migration 0002 (its json_extract is the index's). */
export const CUSTOMER_PAST = `SELECT ${pastColumns("json_extract(metadata, '$.card_country')")} FROM payment_events
  WHERE customer_id = ? AND timestamp < ? ORDER BY timestamp DESC, ingested_seq DESC LIMIT ?`;

export interface SqliteStoreOptions {
  /** Where group commits run: a writer thread (default for a file), or this thread (always for `:memory:`). */
  readonly writer?: 'thread' | 'main';
}

/** Opens (creating and migrating if needed) the store in a SQLite file, or in memory for `:memory:`. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): PaymentStore {
  const db = openStoreDatabase(path, { migrate: true });
  const history = db.prepare(CUSTOMER_PAST);
  history.setReturnArrays(true);
  const states = prepareStateStatements(db);
  const paymentPast = db.prepare(
    `SELECT * FROM payment_events WHERE payment_id = ? AND timestamp < ?
     ORDER BY timestamp DESC, ingested_seq DESC LIMIT ?`,
  );
  const byPayment = db.prepare(
    'SELECT event_id, event_type, amount_cents, currency, status, timestamp, metadata FROM payment_events WHERE payment_id = ?',
  );
  // One statement for both tables: locate runs once per event on the hot path.
  const located = db.prepare(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM payment_events WHERE event_id = ?1) THEN 1
     WHEN EXISTS (SELECT 1 FROM payment_events_quarantine WHERE event_id = ?1) THEN 2 ELSE 0 END AS at`,
  );

  // Fraud and churn each read the same customer history for one event; a customer's entries are dropped
  // when a write of theirs commits, so a cached read is always what the table would answer now.
  const historyCache = new Map<string, Map<string, readonly PastEvent[]>>();
  function forget(ops: readonly StoreWriteOp[]): void {
    for (const op of ops)
      if (op.kind === 'event' && op.row.customer_id !== null) historyCache.delete(op.row.customer_id);
  }

  const writer = createStoreWriter({
    backend: path === MEMORY || options.writer === 'main' ? createInThreadBackend(db) : createStoreThreadBackend(path),
    onCommitted: forget,
  });
  const counts = createStoreCounts(db);

  return {
    saveEvent(event) {
      return writer.write({ kind: 'event', row: eventToRow(event) });
    },
    async quarantine(entry: QuarantineEntry) {
      const id = quarantineKey(entry);
      const { duplicate } = await writer.write({ kind: 'quarantine', row: quarantineToRow(id, entry) });
      return { id, duplicate };
    },
    async customerHistory(customerId, before, limit) {
      const bound = historyBound(before, limit);
      if (bound === null) return [];
      const key = `${bound.before}\u0000${bound.count}`;
      const cached = historyCache.get(customerId)?.get(key);
      if (cached !== undefined) return cached;
      const events = (history.all(customerId, bound.before, bound.count) as unknown as unknown[][]).map(rowToPastEvent);
      if (historyCache.size >= HISTORY_CACHE_CUSTOMERS) historyCache.clear();
      historyCache.set(customerId, (historyCache.get(customerId) ?? new Map()).set(key, events));
      return events;
    },
    async customerState(customerId) {
      return readCustomerState(db, states, customerId);
    },
    async paymentHistory(paymentId, before, limit) {
      const bound = historyBound(before, limit);
      return bound === null ? [] : paymentPast.all(paymentId, bound.before, bound.count).map(rowToEvent);
    },
    async paymentTotals(paymentId) {
      return computeTotals(paymentId, byPayment.all(paymentId).map(rowToTotalsRow));
    },
    async locate(eventId) {
      const at = Number(located.get(eventId)?.at ?? 0);
      return at === 1 ? 'payment_events' : at === 2 ? 'payment_events_quarantine' : null;
    },
    counts: async () => counts(),
    async close() {
      await writer.close();
      if (db.isOpen) db.close();
    },
  };
}
