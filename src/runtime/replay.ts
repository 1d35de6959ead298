/**
 * `paypipe replay`: re-drives dead letters after a fix. Both dead-letter topics:
 * - `webhooks.dlq` (the gateway's, e.g. a rotated secret not yet configured): each raw record is verified
 *   again with today's configuration at its original receive time (so Stripe's tolerance is judged as it
 *   was then);
 * - `payments.validation.dlq` (the normalizer's, e.g. a Braintree merchant account whose currency was not
 *   configured): each raw record, verified when it was received, is normalized again with today's
 *   configuration. Its dead letter was quarantined (`payment_events_quarantine`); once the record is back in
 *   its raw topic, durably, that row is marked re-driven, so that its events, stored by the pipeline, are
 *   not also counted as quarantined. A record whose quarantine row is not open (not yet written by the
 *   orchestrator, or re-driven before) is left alone; one the running pipeline still refuses is
 *   dead-lettered again and its row opens again (the store's `quarantine`).
 *
 * Those that pass go to their raw topic with their original record id, exactly as the gateway would have
 * appended them. Replaying twice is harmless: the events' ids are deterministic and the store keeps one row
 * per id. Appends go out `APPEND_BATCH` records at a time (one group commit each), not one fsync per record.
 */
import { DeadLetter } from '../contracts/dead-letter.ts';
import { encodeRawRecord, fromWire, type RawRecord } from '../contracts/raw-record.ts';
import { PAYMENTS_VALIDATION_DLQ, WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';
import type { AppendRecord, EventLog } from '../log/port.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { type PaymentStore, quarantineKey } from '../storage/port.ts';
import type { Progress } from './progress.ts';

export interface ReplayFilter {
  /** Only dead letters with one of these reasons; all when empty. */
  readonly reasons: readonly string[];
  readonly provider?: ProviderName;
  /** Verify and count, append nothing. */
  readonly dryRun: boolean;
}

export interface ReplayDeps {
  readonly log: EventLog;
  readonly providers: ProviderRegistry;
  /** Where the normalizer's dead letters were quarantined. */
  readonly store: Pick<PaymentStore, 'quarantineState' | 'markRedriven'>;
  readonly now?: () => Date;
}

/** Dead letters read (`done`) of those the topics keep (`total`), and what became of them so far. */
export interface ReplayProgress extends Progress {
  readonly replayed: number;
  readonly stillFailing: number;
}

const APPEND_BATCH = 256;

export interface ReplayResult {
  readonly examined: number;
  readonly replayed: number;
  /** Dead letters that still fail, by the reason they fail with now. */
  readonly stillFailing: Readonly<Record<string, number>>;
  /** Quarantine rows marked re-driven (the normalizer's dead letters that now normalize). */
  readonly redriven: number;
}

/** The dead letter a record holds; undefined for anything else (damaged, or written by something else). */
function readDeadLetter(value: Buffer): DeadLetter | undefined {
  try {
    const parsed = DeadLetter.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Why a dead letter's record cannot go back yet; or the quarantine row to mark once it is back, if any. */
type Judge = (
  letter: DeadLetter,
  record: RawRecord,
) => Promise<{ readonly refused: string } | { readonly mark: string | null }>;

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
  let failing = 0;
  let redriven = 0;
  const stillFailing: Record<string, number> = {};
  const fail = (reason: string) => {
    stillFailing[reason] = (stillFailing[reason] ?? 0) + 1;
    failing += 1;
  };
  const report = () =>
    onProgress?.({ done: read, total, elapsedMs: performance.now() - started, replayed, stillFailing: failing });

  let pending = new Map<string, AppendRecord[]>();
  let pendingCount = 0;
  /** Quarantine rows to mark once the records appended with them are durable. */
  let toMark: string[] = [];
  const flush = async () => {
    const batches = [...pending];
    const marks = toMark;
    pending = new Map();
    pendingCount = 0;
    toMark = [];
    // Every topic's batch in the same turn: one group commit for all of them.
    await Promise.all(batches.map(([topic, records]) => log.append(topic, records)));
    const at = now().toISOString();
    for (const id of marks) if (await store.markRedriven(id, at)) redriven += 1;
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
  const judged = new Set<string>();
  const normalizedAgain: Judge = async (letter, record) => {
    const id = quarantineKey({
      stage: letter.stage,
      provider: record.provider,
      reasons: [{ code: letter.reason, message: letter.message }],
      event: null,
      record: letter.record,
      quarantined_at: letter.dead_lettered_at,
    });
    // A dead letter kept twice (its record was delivered twice) is one quarantine row, re-driven once.
    if (judged.has(id)) return { refused: 'already_redriven' };
    const state = await store.quarantineState(id);
    if (state !== 'open') return { refused: state === 'redriven' ? 'already_redriven' : 'not_yet_quarantined' };
    if (providers[record.provider].normalize(record).kind === 'invalid') return { refused: letter.reason };
    judged.add(id);
    return { mark: id };
  };

  const unfiltered = filter.reasons.length === 0 && filter.provider === undefined;
  for (const [topic, judge] of [
    [WEBHOOKS_DLQ, verifiedAgain],
    [PAYMENTS_VALIDATION_DLQ, normalizedAgain],
  ] as const) {
    for await (const item of log.scan(topic)) {
      read += 1;
      report();
      const letter = readDeadLetter(item.value);
      if (letter === undefined) {
        // Its reason and provider are unknown: only a replay of everything counts it.
        if (unfiltered) {
          examined += 1;
          fail('unreadable');
        }
        continue;
      }
      if (filter.reasons.length > 0 && !filter.reasons.includes(letter.reason)) continue;
      if (filter.provider !== undefined && letter.record.provider !== filter.provider) continue;
      examined += 1;
      const record = fromWire(letter.record);
      const verdict = await judge(letter, record);
      if ('refused' in verdict) {
        fail(verdict.refused);
        continue;
      }
      const route = providers[record.provider].route(record.body);
      if (!route.ok) {
        fail('unroutable');
        continue;
      }
      if (!filter.dryRun) {
        const records = pending.get(route.topic) ?? [];
        records.push({ key: route.partitionKey, value: Buffer.from(encodeRawRecord(record)) });
        pending.set(route.topic, records);
        pendingCount += 1;
        if (verdict.mark !== null) toMark.push(verdict.mark);
        if (pendingCount >= APPEND_BATCH) await flush();
      }
      replayed += 1;
    }
  }
  await flush();
  report();
  return { examined, replayed, stillFailing, redriven };
}
