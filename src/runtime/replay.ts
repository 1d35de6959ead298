/**
 * `paypipe replay`: re-drives dead letters after a fix. Both dead-letter topics:
 * - `webhooks.dlq` (the gateway's, e.g. a rotated secret not yet configured): each raw record is verified
 *   again with today's configuration at its original receive time (so Stripe's tolerance is judged as it
 *   was then);
 * - `payments.validation.dlq` (the normalizer's, e.g. a Braintree merchant account whose currency was not
 *   configured): each raw record, verified when it was received, is normalized again with today's
 *   configuration. Its dead letter was quarantined (`payment_events_quarantine`); as the record goes back to
 *   its raw topic, that row is marked re-driven, so that its events, stored by the pipeline, are not also
 *   counted as quarantined. A record whose quarantine row is not written yet by the orchestrator is left
 *   alone; one the running pipeline still refuses is dead-lettered again and its row opens again (the
 *   store's `quarantine`).
 *
 * Those that pass go to their raw topic with their original record id, exactly as the gateway would have
 * appended them. Once they are back, durably, the store remembers those dead letters replayed
 * (`markDeadLettersReplayed`: the log cannot mark them), and a later replay skips them unless `again`: the
 * raw topics do not grow with every replay, and `paypipe status` tells what is still to fix. Replaying twice
 * would be harmless all the same: the events' ids are deterministic and the store keeps one row per id.
 * Appends go out `APPEND_BATCH` records at a time (one group commit each), not one fsync per record.
 */
import type { DeadLetter } from '../contracts/dead-letter.ts';
import { encodeRawRecord, fromWire, type RawRecord } from '../contracts/raw-record.ts';
import { PAYMENTS_VALIDATION_DLQ, WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';
import type { AppendRecord, EventLog } from '../log/port.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { type DeadLetterPosition, type PaymentStore, quarantineKey } from '../storage/port.ts';
import { scanDeadLetters } from './dead-letters.ts';
import type { Progress } from './progress.ts';

export interface ReplayFilter {
  /** Only dead letters with one of these reasons; all when empty. */
  readonly reasons: readonly string[];
  readonly provider?: ProviderName;
  /** Verify and count, append nothing (and mark nothing). */
  readonly dryRun: boolean;
  /** Replay the dead letters replayed before too (`paypipe replay --again`); by default they are skipped. */
  readonly again?: boolean;
}

export interface ReplayDeps {
  readonly log: EventLog;
  readonly providers: ProviderRegistry;
  /** Where the normalizer's dead letters were quarantined, and where replayed dead letters are remembered. */
  readonly store: Pick<
    PaymentStore,
    'quarantineState' | 'markRedriven' | 'markDeadLettersReplayed' | 'replayedDeadLetters'
  >;
  readonly now?: () => Date;
}

/** Dead letters read (`done`) of those the topics keep (`total`), and what became of them so far. */
export interface ReplayProgress extends Progress {
  readonly replayed: number;
  readonly alreadyReplayed: number;
  readonly stillFailing: number;
}

const APPEND_BATCH = 256;

export interface ReplayResult {
  /** Dead letters judged again: `replayed` plus those still failing. */
  readonly examined: number;
  readonly replayed: number;
  /** Dead letters the filter selects that were skipped: replayed before (see `ReplayFilter.again`). */
  readonly alreadyReplayed: number;
  /** Dead letters that still fail, by the reason they fail with now. */
  readonly stillFailing: Readonly<Record<string, number>>;
  /** Quarantine rows marked re-driven (the normalizer's dead letters that now normalize). */
  readonly redriven: number;
}

/**
 * Why a dead letter's record cannot go back yet (`withTwin`: it goes back in this run with another dead
 * letter of the same quarantine row); or the quarantine row to mark once it is back, if any.
 */
type Judge = (
  letter: DeadLetter,
  record: RawRecord,
) => Promise<{ readonly refused: string; readonly withTwin?: boolean } | { readonly mark: string | null }>;

/**
 * Whether the record normalizes now. A normalizer that throws (the bug its dead letter was kept for, not
 * fixed yet) fails it as the running normalizer would, rather than ending the replay of every dead letter
 * after it.
 */
function normalizes(providers: ProviderRegistry, record: RawRecord): boolean {
  try {
    return providers[record.provider].normalize(record).kind !== 'invalid';
  } catch {
    return false;
  }
}

export async function replayDeadLetters(
  deps: ReplayDeps,
  filter: ReplayFilter,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<ReplayResult> {
  const { log, providers, store } = deps;
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const kept = (await log.stats()).topics;
  const total = kept
    .filter((stats) => stats.topic === WEBHOOKS_DLQ || stats.topic === PAYMENTS_VALIDATION_DLQ)
    .reduce((sum, stats) => sum + stats.records, 0);
  let read = 0;
  let examined = 0;
  let replayed = 0;
  let alreadyReplayed = 0;
  let failing = 0;
  let redriven = 0;
  const stillFailing: Record<string, number> = {};
  const fail = (reason: string) => {
    stillFailing[reason] = (stillFailing[reason] ?? 0) + 1;
    failing += 1;
  };
  const report = () =>
    onProgress?.({
      done: read,
      total,
      elapsedMs: performance.now() - started,
      replayed,
      alreadyReplayed,
      stillFailing: failing,
    });

  let pending = new Map<string, AppendRecord[]>();
  let pendingCount = 0;
  /** Quarantine rows, and dead letters, to mark once the records appended with them are durable. */
  let toMark: string[] = [];
  let lettersToMark: DeadLetterPosition[] = [];
  const flush = async () => {
    const batches = [...pending];
    const marks = toMark;
    const letters = lettersToMark;
    pending = new Map();
    pendingCount = 0;
    toMark = [];
    lettersToMark = [];
    // The rows are marked re-driven before their records go back, stamped with a time before them: a running
    // pipeline that still refuses a record dead-letters it again after this time, and that dead letter opens
    // its row again (the store's `quarantine`). Marked after, a row could be marked once that dead letter
    // had found it open, and its record would be neither stored nor quarantined. Stopped before the append,
    // a row stays re-driven with its dead letter not remembered: the next replay sends the record back.
    const at = now().toISOString();
    for (const id of marks) if (await store.markRedriven(id, at)) redriven += 1;
    // Every topic's batch in the same turn: one group commit for all of them.
    await Promise.all(batches.map(([topic, records]) => log.append(topic, records)));
    await store.markDeadLettersReplayed(letters, at);
  };

  const verifiedAgain: Judge = async (_letter, record) => {
    const verification = providers[record.provider].verify({
      body: record.body,
      headers: record.headers,
      receivedAt: new Date(record.received_at),
      stored: true,
      explain: false,
    });
    return verification.ok ? { mark: null } : { refused: verification.reason };
  };
  /** Quarantine rows whose record goes back in this run (dry or not). */
  const goingBack = new Set<string>();
  const normalizedAgain: Judge = async (letter, record) => {
    const id = quarantineKey({
      stage: letter.stage,
      provider: record.provider,
      reasons: [{ code: letter.reason, message: letter.message }],
      event: null,
      record: letter.record,
      quarantined_at: letter.dead_lettered_at,
    });
    // A dead letter kept twice (its record was delivered twice) is one quarantine row, re-driven once; the
    // second is remembered as replayed with the first, so status does not list it as still to fix.
    if (goingBack.has(id)) return { refused: 'already_redriven', withTwin: true };
    // A row already re-driven whose dead letter is not remembered as replayed: a replay stopped before its
    // record was durably back (or one from before dead letters were remembered). It goes back (again).
    if ((await store.quarantineState(id)) === null) return { refused: 'not_yet_quarantined' };
    if (!normalizes(providers, record)) return { refused: letter.reason };
    return { mark: id };
  };

  const unfiltered = filter.reasons.length === 0 && filter.provider === undefined;
  for (const [topic, judge] of [
    [WEBHOOKS_DLQ, verifiedAgain],
    [PAYMENTS_VALIDATION_DLQ, normalizedAgain],
  ] as const) {
    for await (const item of scanDeadLetters(log, store, topic)) {
      read += 1;
      report();
      if (item.letter === undefined) {
        // Its reason and provider are unknown: only a replay of everything counts it.
        if (unfiltered) {
          examined += 1;
          fail('unreadable');
        }
        continue;
      }
      const { letter, position } = item;
      if (filter.reasons.length > 0 && !filter.reasons.includes(letter.reason)) continue;
      if (filter.provider !== undefined && letter.record.provider !== filter.provider) continue;
      if (item.replayed && filter.again !== true) {
        alreadyReplayed += 1;
        continue;
      }
      examined += 1;
      const record = fromWire(letter.record);
      const verdict = await judge(letter, record);
      if ('refused' in verdict) {
        fail(verdict.refused);
        if (verdict.withTwin === true && !filter.dryRun) lettersToMark.push(position);
        continue;
      }
      const route = providers[record.provider].route(record.body);
      if (!route.ok) {
        fail('unroutable');
        continue;
      }
      if (verdict.mark !== null) goingBack.add(verdict.mark);
      if (!filter.dryRun) {
        const records = pending.get(route.topic) ?? [];
        records.push({ key: route.partitionKey, value: Buffer.from(encodeRawRecord(record)) });
        pending.set(route.topic, records);
        pendingCount += 1;
        if (verdict.mark !== null) toMark.push(verdict.mark);
        lettersToMark.push(position);
        if (pendingCount >= APPEND_BATCH) await flush();
      }
      replayed += 1;
    }
  }
  await flush();
  report();
  return { examined, replayed, alreadyReplayed, stillFailing, redriven };
}
