/**
 * `paypipe replay`: re-drives the gateway's dead letters after a fix, e.g. a rotated secret that was not yet
 * configured. Each dead letter's raw record is verified again with today's configuration at its original
 * receive time (so Stripe's tolerance is judged as it was then); those that pass are appended to their raw
 * topic with their original record id, exactly as the gateway would have. Replaying twice is harmless: the
 * events' ids are deterministic and the store keeps one row per id. Appends go out `APPEND_BATCH` records at
 * a time (one group commit each), not one fsync per dead letter.
 */
import { DeadLetter } from '../contracts/dead-letter.ts';
import { encodeRawRecord, fromWire } from '../contracts/raw-record.ts';
import { WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';
import type { AppendRecord, EventLog } from '../log/port.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { Progress } from './progress.ts';

export interface ReplayFilter {
  /** Only dead letters with one of these reasons; all when empty. */
  readonly reasons: readonly string[];
  readonly provider?: ProviderName;
  /** Verify and count, append nothing. */
  readonly dryRun: boolean;
}

/** Dead letters read (`done`) of those the topic keeps (`total`), and what became of them so far. */
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

export async function replayDeadLetters(
  log: EventLog,
  providers: ProviderRegistry,
  filter: ReplayFilter,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<ReplayResult> {
  const started = performance.now();
  const total = (await log.stats()).topics.find((stats) => stats.topic === WEBHOOKS_DLQ)?.records ?? 0;
  let read = 0;
  let examined = 0;
  let replayed = 0;
  let failing = 0;
  const stillFailing: Record<string, number> = {};
  const fail = (reason: string) => {
    stillFailing[reason] = (stillFailing[reason] ?? 0) + 1;
    failing += 1;
  };
  const report = () =>
    onProgress?.({ done: read, total, elapsedMs: performance.now() - started, replayed, stillFailing: failing });
  let pending = new Map<string, AppendRecord[]>();
  let pendingCount = 0;
  const flush = async () => {
    const batches = [...pending];
    pending = new Map();
    pendingCount = 0;
    // Every topic's batch in the same turn: one group commit for all of them.
    await Promise.all(batches.map(([topic, records]) => log.append(topic, records)));
  };
  const unfiltered = filter.reasons.length === 0 && filter.provider === undefined;
  for await (const item of log.scan(WEBHOOKS_DLQ)) {
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
    const provider = providers[record.provider];
    const verification = provider.verify({
      body: record.body,
      headers: record.headers,
      receivedAt: new Date(record.received_at),
      stored: true,
      explain: false,
    });
    if (!verification.ok) {
      fail(verification.reason);
      continue;
    }
    const route = provider.route(record.body);
    if (!route.ok) {
      fail('unroutable');
      continue;
    }
    if (!filter.dryRun) {
      const records = pending.get(route.topic) ?? [];
      records.push({ key: route.partitionKey, value: Buffer.from(encodeRawRecord(record)) });
      pending.set(route.topic, records);
      pendingCount += 1;
      if (pendingCount >= APPEND_BATCH) await flush();
    }
    replayed += 1;
  }
  await flush();
  report();
  return { examined, replayed, stillFailing };
}
