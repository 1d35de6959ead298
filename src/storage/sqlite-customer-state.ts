/**
 * Customers' states in SQLite (`customer_state`, migration 0003; stored-state.ts says what a state is).
 *
 * Parsing, folding and writing back a state of a few kilobytes at every stored event cost the writer
 * thread ~100 µs of CPU per event, plus the row's pages in the WAL: as much as the rest of the insert. So
 * the state is folded every `FOLD_EVERY` events of a customer instead: in between, the row is not written
 * at all (SQLite rewrites a whole row, state included, to change any column of it), and a reader folds
 * the customer's events stored since (`folded_seq`, at most `FOLD_EVERY` of them, counted and read from
 * the covering index) into the state it reads. An event older than the state's newest (`tip_time`) folds
 * the customer's whole past again. The writer runs in one transaction, a reader in one statement (one
 * consistent view either way), and `payment_events`' AUTOINCREMENT `ingested_seq` follows commit order
 * (SQLite has one writer at a time), so "stored after the fold" is exactly `ingested_seq > folded_seq`.
 */
import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import {
  copyState,
  foldPending,
  OVERSIZED_STATE,
  parseState,
  rebuildState,
  type StoredState,
  storableState,
} from '../inference/features/stored-state.ts';
import { type EventRow, pastColumns, rowToPastEvent } from './rows.ts';

/** Events of a customer between two folds of their state (a reader folds up to this many itself). */
export const FOLD_EVERY = 16;

const PAST = pastColumns("json_extract(metadata, '$.card_country')");

/** The customer's events stored after the fold: by the covering index, from the tip's time on. */
export const CUSTOMER_PENDING = `SELECT ${PAST} FROM payment_events
  WHERE customer_id = ? AND timestamp >= ? AND ingested_seq > ?`;

export interface StateStatements {
  readonly meta: StatementSync;
  readonly read: StatementSync;
  readonly pending: StatementSync;
  readonly whole: StatementSync;
  readonly set: StatementSync;
}

function arrays(statement: StatementSync): StatementSync {
  statement.setReturnArrays(true);
  return statement;
}

export function prepareStateStatements(db: DatabaseSync): StateStatements {
  return {
    // Where the state stands, and how many of the customer's events are stored after it: one statement.
    meta: db.prepare(
      `SELECT tip_time, (SELECT count(*) FROM payment_events AS e WHERE e.customer_id = s.customer_id
         AND e.timestamp >= s.tip_time AND e.ingested_seq > s.folded_seq) AS pending
       FROM customer_state AS s WHERE s.customer_id = ?`,
    ),
    read: db.prepare('SELECT state, tip_time, folded_seq FROM customer_state WHERE customer_id = ?'),
    pending: arrays(db.prepare(CUSTOMER_PENDING)),
    whole: arrays(db.prepare(`SELECT ${PAST} FROM payment_events WHERE customer_id = ?`)),
    set: db.prepare(
      `INSERT INTO customer_state (customer_id, folded_seq, tip_time, state) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET folded_seq = excluded.folded_seq, tip_time = excluded.tip_time,
       state = excluded.state`,
    ),
  };
}

const pastOf = (statement: StatementSync, ...values: (string | number)[]) =>
  (statement.all(...values) as unknown as unknown[][]).map(rowToPastEvent);

type Row = Record<string, unknown> | undefined;

/** The state (not yet with its pending events) and where it stands, or undefined when there is none. */
function stateRow(row: Row) {
  const tipTime = row?.tip_time;
  if (typeof row?.state !== 'string' || typeof tipTime !== 'string') return undefined;
  return { state: row.state, tipTime, foldedSeq: Number(row.folded_seq) };
}

/** The customer's state with every event stored since its fold folded in; undefined when none is kept. */
function withPending(s: StateStatements, customer: string, read: Row): StoredState | undefined {
  const row = stateRow(read);
  const stored = row === undefined ? undefined : parseState(row.state);
  if (row === undefined || stored === undefined) return undefined;
  return foldPending(stored, pastOf(s.pending, customer, row.tipTime, row.foldedSeq));
}

function write(s: StateStatements, customer: string, seq: number, stored: StoredState | undefined): void {
  const tip = stored === undefined ? null : new Date(stored.tipTime).toISOString();
  s.set.run(customer, seq, tip, stored === undefined ? null : storableState(stored));
}

/**
 * After `row` (the customer's newest, `seq`) is inserted, in the same transaction: leaves it pending, or
 * folds the pending events, or the whole past. The state is derived data: should folding fail, it is
 * set to NULL, rebuilt at the customer's next event (scores read the past event by event meanwhile), and
 * the event's own write stands.
 */
export function foldStoredEvent(
  db: DatabaseSync,
  s: StateStatements,
  customer: string,
  row: EventRow,
  seq: number,
): void {
  const meta = s.meta.get(customer);
  const tip = meta?.tip_time;
  const inOrder = typeof tip === 'string' && row.timestamp >= tip;
  if (inOrder && Number(meta?.pending) < FOLD_EVERY) return;
  const current = inOrder ? s.read.get(customer) : undefined;
  if (current?.state === OVERSIZED_STATE) {
    // No state is kept for this customer: only where it would stand moves on.
    s.set.run(customer, seq, row.timestamp, OVERSIZED_STATE);
    return;
  }
  let stored: StoredState | undefined;
  try {
    stored = (inOrder ? withPending(s, customer, current) : undefined) ?? rebuildState(pastOf(s.whole, customer));
  } catch (error) {
    if (!db.isTransaction) throw error;
    stored = undefined;
  }
  write(s, customer, seq, stored);
}

/**
 * How much state text the parsed states a reading connection keeps may come from: a parsed state takes
 * ~2.5 times its text on the heap (measured: 11.8 KB for 4.7 KB), so ~40 MB, ~3,500 customers of ~4.8 KB.
 */
export const STATE_CACHE_BYTES = 16 * 1024 * 1024;

const NO_EVENT = pastColumns('NULL')
  .split(', ')
  .map(() => 'NULL')
  .join(', ');

/**
 * The state row's version and its text unless that is the version the reader has parsed (`?2`-`?4`), then
 * the customer's events stored since its fold (from the covering index: a LEFT JOIN would not cover). One
 * statement, so one consistent view without a transaction; the state's row is the one without an event id.
 */
export const CUSTOMER_STATE_READ = `SELECT ${NO_EVENT}, folded_seq, tip_time, octet_length(state),
    CASE WHEN folded_seq = ?2 AND tip_time = ?3 AND octet_length(state) = ?4 THEN NULL ELSE state END
  FROM customer_state WHERE customer_id = ?1
  UNION ALL
  SELECT ${PAST}, NULL, NULL, NULL, NULL FROM customer_state AS s JOIN payment_events AS e
    ON e.customer_id = s.customer_id AND e.timestamp >= s.tip_time AND e.ingested_seq > s.folded_seq
  WHERE s.customer_id = ?1`;

/** What tells the row's versions apart: `folded_seq`, `tip_time` and the state's length in bytes. */
type Version = readonly SQLOutputValue[];

const NO_VERSION: Version = [null, null, null];

/**
 * Reads customers' states as of every event stored, for scoring. Parsing a state's JSON was most of a
 * read, and the row changes only at a fold (every FOLD_EVERY events of the customer): so the parsed state
 * is kept, per customer (the least recently read dropped past `budget` bytes of text), with its row's
 * version. Every write of the store moves `folded_seq` on (the ingested_seq of the event just stored: a
 * fold, a rebuild); the text's length is part of the version for a state set from outside the store. A
 * read folds its pending events into a copy (~5 times cheaper than parsing), so what is kept is never
 * consumed. Measured, a read and `stateAt` alternated with the former read over 4,000 events of bench
 * scoring's 400-customer world: 34-40 -> 25-28 µs of CPU.
 */
export function createStateReader(db: DatabaseSync, budget = STATE_CACHE_BYTES) {
  const read = arrays(db.prepare(CUSTOMER_STATE_READ));
  const parsed = new Map<string, { readonly version: Version; readonly state: StoredState }>();
  let kept = 0;
  const bytes = (version: Version) => Number(version[2]);
  const drop = (customer: string, version: Version) => {
    parsed.delete(customer);
    kept -= bytes(version);
  };
  return (customer: string): StoredState | undefined => {
    const cached = parsed.get(customer);
    const rows = read.all(customer, ...(cached?.version ?? NO_VERSION)) as unknown as SQLOutputValue[][];
    const head = rows.find((row) => row[0] === null);
    if (head === undefined) return undefined;
    const version = head.slice(-4, -1);
    if (cached !== undefined) drop(customer, cached.version);
    const state =
      cached !== undefined && version.every((value, i) => value === cached.version[i])
        ? cached.state
        : typeof version[1] === 'string'
          ? parseState(head.at(-1) as string | null)
          : undefined;
    if (state === undefined) return undefined;
    for (const [oldest, { version: its }] of parsed) {
      if (kept + bytes(version) <= budget) break;
      drop(oldest, its);
    }
    parsed.set(customer, { version, state });
    kept += bytes(version);
    const pending = rows.filter((row) => row[0] !== null).map(rowToPastEvent);
    return foldPending(copyState(state), pending);
  };
}
