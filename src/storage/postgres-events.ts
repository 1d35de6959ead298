/**
 * Stored events on PostgreSQL, group-committed: the `saveEvent` calls queued in one turn share one
 * transaction (src/runtime/group-commit.ts, one batch in flight), as SQLite's writer does. A transaction per
 * event cost four round trips (BEGIN, the insert, the state's update, COMMIT), each a wake-up of a server
 * process on the same cores; a batch costs the same four, whatever its size. Each write resolves after its
 * batch's COMMIT, with its own duplicate flag; a row the server refuses fails alone (the batch is written
 * again one event per transaction); any other failure fails the batch's writes, which the workflows retry.
 */
import type pg from 'pg';
import { advancedState, rebuiltState } from '../inference/features/stored-state.ts';
import { createGroupCommit } from '../runtime/group-commit.ts';
import type { WriteResult } from './port.ts';
import { EVENT_COLUMNS, type EventRow, pastColumns, rowToPastEvent, writtenPastEvent } from './rows.ts';

/** Rows per INSERT: 21 parameters each, under PostgreSQL's 65,535 per statement. */
const ROWS_PER_INSERT = 500;

/** An upsert's DO UPDATE takes the row lock, waiting for a transaction that holds it. */
const LOCK_STATES = `locked AS (INSERT INTO customer_state (customer_id)
    SELECT DISTINCT customer_id FROM event WHERE customer_id IS NOT NULL ORDER BY customer_id
    ON CONFLICT (customer_id) DO UPDATE SET customer_id = excluded.customer_id RETURNING customer_id, state)`;

/**
 * Rows inserted unless stored, and the state rows of the customers of those inserted created or locked and
 * returned, in one round trip: `id` an inserted event's (`state` null) or a locked customer's (`customer`).
 */
function insertStatement(count: number): string {
  const width = EVENT_COLUMNS.length;
  const tuples = Array.from(
    { length: count },
    (_, row) => `(${EVENT_COLUMNS.map((_, column) => `$${row * width + column + 1}`).join(', ')})`,
  );
  return `WITH event AS (INSERT INTO payment_events (${EVENT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
    ON CONFLICT (event_id) DO NOTHING RETURNING event_id, customer_id), ${LOCK_STATES}
    SELECT event_id AS id, false AS customer, NULL AS state FROM event
    UNION ALL SELECT customer_id, true, state FROM locked`;
}

const CARD_COUNTRY = "metadata->>'card_country'";

/** Each listed customer's whole stored past (this transaction's rows included), by customer. */
async function pastsOf(client: pg.PoolClient, customers: readonly string[]) {
  const past = await client.query<unknown[]>({
    text: `SELECT ${pastColumns(CARD_COUNTRY)}, customer_id FROM payment_events WHERE customer_id = ANY($1::text[])`,
    values: [customers],
    rowMode: 'array',
  });
  const byCustomer = new Map<string, unknown[][]>();
  for (const row of past.rows) {
    const customer = String(row.at(-1));
    byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), row.slice(0, -1)]);
  }
  return byCustomer;
}

/**
 * A customer's state with `rows` (newly stored, in write order) folded into `current`; undefined when one
 * cannot be appended (no state yet, or an event older than its newest), so the whole past is folded again.
 * A state that fails to fold (unreadable) is left NULL, rebuilt at the customer's next event.
 */
function foldedState(current: string | null, rows: readonly EventRow[]): string | null | undefined {
  let state = current;
  try {
    for (const row of rows) {
      const next = advancedState(state, writtenPastEvent(row));
      if (next === undefined) return undefined;
      state = next;
    }
    return state;
  } catch {
    return null;
  }
}

/**
 * The states of the customers of `inserted` (locked, `current` their states as locked) with those events
 * folded in, written back: one UPDATE for all, one read of the pasts of those folded again.
 */
async function updateStates(
  client: pg.PoolClient,
  inserted: readonly EventRow[],
  current: ReadonlyMap<string, string | null>,
): Promise<void> {
  const byCustomer = new Map<string, EventRow[]>();
  for (const row of inserted) {
    if (row.customer_id !== null) byCustomer.set(row.customer_id, [...(byCustomer.get(row.customer_id) ?? []), row]);
  }
  const states = new Map<string, string | null>();
  const rebuild: string[] = [];
  for (const [customer, rows] of byCustomer) {
    const state = foldedState(current.get(customer) ?? null, rows);
    if (state === undefined) rebuild.push(customer);
    else states.set(customer, state);
  }
  if (rebuild.length > 0) {
    const pasts = await pastsOf(client, rebuild);
    for (const customer of rebuild) {
      try {
        states.set(customer, rebuiltState((pasts.get(customer) ?? []).map(rowToPastEvent)));
      } catch {
        states.set(customer, null);
      }
    }
  }
  if (states.size === 0) return;
  await client.query({
    name: 'update_customer_states',
    text: `UPDATE customer_state SET state = u.state FROM unnest($1::text[], $2::text[]) AS u (customer_id, state)
      WHERE customer_state.customer_id = u.customer_id`,
    values: [[...states.keys()], [...states.values()]],
  });
}

/**
 * Inserts `rows` in the caller's transaction and folds the new ones into their customers' states; answers,
 * per row, whether it was already stored. Rows go in by event id and customers are locked by id, so two
 * processes writing batches that overlap take their locks in the same order.
 */
export async function insertEvents(client: pg.PoolClient, rows: readonly EventRow[]): Promise<WriteResult[]> {
  // A second write of an event in the same batch is a duplicate of the first, whatever the first was.
  const firsts = new Map<string, EventRow>();
  for (const row of rows) if (!firsts.has(row.event_id)) firsts.set(row.event_id, row);
  const sorted = [...firsts.values()].sort((a, b) => (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0));
  const insertedIds = new Set<string>();
  const states = new Map<string, string | null>();
  for (let start = 0; start < sorted.length; start += ROWS_PER_INSERT) {
    const chunk = sorted.slice(start, start + ROWS_PER_INSERT);
    const { rows: answered } = await client.query(
      insertStatement(chunk.length),
      chunk.flatMap((row) => EVENT_COLUMNS.map((column) => row[column])),
    );
    for (const { id, customer, state } of answered) {
      if (customer) states.set(String(id), (state as string | null) ?? null);
      else insertedIds.add(String(id));
    }
  }
  const inserted = [...firsts.values()].filter((row) => insertedIds.has(row.event_id));
  await updateStates(client, inserted, states);
  const claimed = new Set<string>();
  return rows.map((row) => {
    const first = !claimed.has(row.event_id);
    claimed.add(row.event_id);
    return { duplicate: !(first && insertedIds.has(row.event_id)) };
  });
}

interface Job {
  readonly row: EventRow;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface EventWriter {
  /** Resolves after the COMMIT that holds the row, with its duplicate flag. */
  write(row: EventRow): Promise<WriteResult>;
  /** Writes what is queued, then refuses new writes. Idempotent. */
  close(): Promise<void>;
}

/**
 * `transact(rows)` writes rows in one transaction (insertEvents in a transaction of its own); `refused`
 * tells a row the server refused from any other failure.
 */
export function createEventWriter(
  transact: (rows: readonly EventRow[]) => Promise<WriteResult[]>,
  refused: (error: unknown) => boolean,
): EventWriter {
  async function writeAlone(job: Job): Promise<void> {
    try {
      const [result] = await transact([job.row]);
      job.resolve(result ?? { duplicate: true });
    } catch (error) {
      job.reject(error);
    }
  }

  async function writeBatch(jobs: readonly Job[]): Promise<void> {
    try {
      const results = await transact(jobs.map((job) => job.row));
      for (const [index, job] of jobs.entries()) job.resolve(results[index] ?? { duplicate: true });
    } catch (error) {
      if (jobs.length > 1 && refused(error)) {
        // One row the server refuses rolled the batch back: each row again on its own, so it fails alone.
        for (const job of jobs) await writeAlone(job);
      } else {
        for (const job of jobs) job.reject(error);
      }
    }
  }

  const batches = createGroupCommit<Job>(writeBatch, async () => {});
  return {
    write(row) {
      return new Promise((resolve, reject) => {
        if (!batches.enqueue({ row, resolve, reject })) reject(new Error('the store is closed'));
      });
    },
    close: () => batches.close(),
  };
}
