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
import { createStateReader } from './sqlite-customer-state.ts';
import { MEMORY, openStoreDatabase } from './sqlite-open.ts';
import { createInThreadBackend, createStoreWriter } from './sqlite-writer.ts';
import { createStoreThreadBackend } from './sqlite-writer-thread.ts';
import { computeTotals } from './totals.ts';

/** A customer's past: answered from the covering index of migration 0002 (its json_extract is the index's). */
export const CUSTOMER_PAST = `SELECT ${pastColumns("json_extract(metadata, '$.card_country')")} FROM payment_events
  WHERE customer_id = ? AND timestamp < ? ORDER BY timestamp DESC, ingested_seq DESC LIMIT ?`;

/** A payment's past at its provider, newest first, for the retry rules. */
export const PAYMENT_PAST = `SELECT * FROM payment_events WHERE payment_id = ? AND provider = ? AND timestamp < ?
  ORDER BY timestamp DESC, ingested_seq DESC LIMIT ?`;

/** A payment's events at its provider as its totals read them (totals.ts). */
export const PAYMENT_REPORTS = `SELECT event_id, event_type, amount_cents, currency, status, timestamp, metadata
  FROM payment_events WHERE payment_id = ? AND provider = ?`;

/** Opens (creating and migrating if needed) the store in a SQLite file, or in memory for `:memory:`. */
export function openSqliteStore(path: string): PaymentStore {
  const db = openStoreDatabase(path, { migrate: true });
  const history = db.prepare(CUSTOMER_PAST);
  history.setReturnArrays(true);
  const customerState = createStateReader(db);
  const paymentPast = db.prepare(PAYMENT_PAST);
  const byPayment = db.prepare(PAYMENT_REPORTS);
  // One statement for both tables: locate runs once per event on the hot path.
  const located = db.prepare(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM payment_events WHERE event_id = ?1) THEN 1
     WHEN EXISTS (SELECT 1 FROM payment_events_quarantine WHERE event_id = ?1) THEN 2 ELSE 0 END AS at`,
  );

  const quarantineRow = db.prepare('SELECT redriven_at FROM payment_events_quarantine WHERE id = ?');
  const replayedMark = db.prepare(
    'SELECT 1 AS marked FROM replayed_dead_letters WHERE topic = ? AND partition = ? AND log_offset = ? AND record_id = ?',
  );

  const writer = createStoreWriter({
    backend: path === MEMORY ? createInThreadBackend(db) : createStoreThreadBackend(path),
  });
  const counts = createStoreCounts(db);

  return {
    saveEvent(event) {
      return writer.write({ kind: 'event', row: eventToRow(event) });
    },
    async quarantine(entry: QuarantineEntry) {
      const id = quarantineKey(entry);
      const { duplicate } = await writer.write({
        kind: 'quarantine',
        row: quarantineToRow(id, entry),
        deadLetteredAt: entry.dead_lettered_at ?? null,
      });
      return { id, duplicate };
    },
    async quarantineState(id) {
      const row = quarantineRow.get(id);
      return row === undefined ? null : row.redriven_at === null ? 'open' : 'redriven';
    },
    async markRedriven(id, redrivenAt) {
      const { duplicate } = await writer.write({ kind: 'redriven', id, redrivenAt });
      return !duplicate;
    },
    async markDeadLettersReplayed(letters, replayedAt) {
      // Written in one turn: one group commit for all of them.
      const written = await Promise.all(
        letters.map((letter) =>
          writer.write({
            kind: 'replayed',
            row: {
              topic: letter.topic,
              partition: letter.partition,
              log_offset: letter.offset,
              record_id: letter.recordId,
              replayed_at: replayedAt,
            },
          }),
        ),
      );
      return written.filter(({ duplicate }) => !duplicate).length;
    },
    async replayedDeadLetters(letters) {
      return letters.map(
        (letter) => replayedMark.get(letter.topic, letter.partition, letter.offset, letter.recordId) !== undefined,
      );
    },
    async customerHistory(customerId, before, limit) {
      const bound = historyBound(before, limit);
      if (bound === null) return [];
      return (history.all(customerId, bound.before, bound.count) as unknown as unknown[][]).map(rowToPastEvent);
    },
    async customerState(customerId) {
      return customerState(customerId);
    },
    async paymentHistory(provider, paymentId, before, limit) {
      const bound = historyBound(before, limit);
      return bound === null ? [] : paymentPast.all(paymentId, provider, bound.before, bound.count).map(rowToEvent);
    },
    async paymentTotals(provider, paymentId) {
      return computeTotals(paymentId, byPayment.all(paymentId, provider).map(rowToTotalsRow));
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
