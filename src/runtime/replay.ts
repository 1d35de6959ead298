/**
 * `paypipe replay`: re-drives the gateway's dead letters after a fix, e.g. a rotated secret that was not yet
 * configured. Each dead letter's raw record is verified again with today's configuration at its original
 * receive time (so Stripe's tolerance is judged as it was then); those that pass are appended to their raw
 * topic with their original record id, exactly as the gateway would have. Replaying twice is harmless: the
 * events' ids are deterministic and the store keeps one row per id.
 */
import { DeadLetter } from '../contracts/dead-letter.ts';
import { encodeRawRecord, fromWire } from '../contracts/raw-record.ts';
import { WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';
import type { EventLog } from '../log/port.ts';
import type { ProviderRegistry } from '../providers/registry.ts';

export interface ReplayFilter {
  /** Only dead letters with one of these reasons; all when empty. */
  readonly reasons: readonly string[];
  readonly provider?: ProviderName;
  /** Verify and count, append nothing. */
  readonly dryRun: boolean;
}

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
): Promise<ReplayResult> {
  let examined = 0;
  let replayed = 0;
  const stillFailing: Record<string, number> = {};
  const fail = (reason: string) => {
    stillFailing[reason] = (stillFailing[reason] ?? 0) + 1;
  };
  const unfiltered = filter.reasons.length === 0 && filter.provider === undefined;
  for await (const item of log.scan(WEBHOOKS_DLQ)) {
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
      await log.append(route.topic, [{ key: route.partitionKey, value: Buffer.from(encodeRawRecord(record)) }]);
    }
    replayed += 1;
  }
  return { examined, replayed, stillFailing };
}
