/**
 * The dead letters a dead-letter topic keeps, as `paypipe status` and `paypipe replay` read them: each with
 * where it is kept and whether `paypipe replay` put its record back already (the store remembers that, as
 * the log cannot: `markDeadLettersReplayed`).
 */
import { DeadLetter } from '../contracts/dead-letter.ts';
import type { EventLog, LogRecord } from '../log/port.ts';
import type { DeadLetterPosition, PaymentStore } from '../storage/port.ts';

/** Dead letters looked up in the store at once: one read (one round trip to PostgreSQL) for all of them. */
const LOOKUP_BATCH = 256;

export type KeptDeadLetter =
  /** A record that is not a dead letter (damaged, or written by something else). */
  | { readonly letter: undefined }
  | { readonly letter: DeadLetter; readonly position: DeadLetterPosition; readonly replayed: boolean };

function readDeadLetter(value: Buffer): DeadLetter | undefined {
  try {
    const parsed = DeadLetter.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function lookUp(
  store: Pick<PaymentStore, 'replayedDeadLetters'>,
  records: readonly LogRecord[],
): Promise<KeptDeadLetter[]> {
  const read = records.map((record) => {
    const letter = readDeadLetter(record.value);
    if (letter === undefined) return { letter };
    const { topic, partition, offset } = record;
    return { letter, position: { topic, partition, offset, recordId: letter.record.id } };
  });
  const positions = read.flatMap((kept) => ('position' in kept ? [kept.position] : []));
  const replayed = await store.replayedDeadLetters(positions);
  let next = 0;
  return read.map((kept) => ('position' in kept ? { ...kept, replayed: replayed[next++] === true } : kept));
}

/** Every record `topic` keeps, in the log's order, read as a dead letter. */
export async function* scanDeadLetters(
  log: EventLog,
  store: Pick<PaymentStore, 'replayedDeadLetters'>,
  topic: string,
): AsyncGenerator<KeptDeadLetter> {
  let batch: LogRecord[] = [];
  for await (const record of log.scan(topic)) {
    batch.push(record);
    if (batch.length < LOOKUP_BATCH) continue;
    yield* await lookUp(store, batch);
    batch = [];
  }
  yield* await lookUp(store, batch);
}
