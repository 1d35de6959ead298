/** What `paypipe status` reports: the log's topics and lag, dead letters by reason, the store's counts. */
import { DeadLetter } from '../contracts/dead-letter.ts';
import { PAYMENTS_VALIDATION_DLQ, WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { EventLog, LogStats } from '../log/port.ts';
import type { PaymentStore, StoreCounts } from '../storage/port.ts';

export interface DeadLetterCount {
  readonly topic: string;
  readonly reason: string;
  readonly count: number;
}

export interface Status {
  readonly log: LogStats;
  readonly deadLetters: readonly DeadLetterCount[];
  readonly store: StoreCounts;
}

/** Dead letters kept on the two dead-letter topics, counted by reason (`unreadable` when not a dead letter). */
export async function countDeadLetters(log: EventLog): Promise<DeadLetterCount[]> {
  const counts = new Map<string, DeadLetterCount>();
  for (const topic of [WEBHOOKS_DLQ, PAYMENTS_VALIDATION_DLQ]) {
    for await (const record of log.scan(topic)) {
      let reason = 'unreadable';
      try {
        reason = DeadLetter.parse(JSON.parse(record.value.toString('utf8'))).reason;
      } catch {
        // Counted as unreadable: status reports what is there, it does not judge it.
      }
      const key = `${topic}\u0000${reason}`;
      counts.set(key, { topic, reason, count: (counts.get(key)?.count ?? 0) + 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

export async function collectStatus(log: EventLog, store: PaymentStore): Promise<Status> {
  const [stats, deadLetters, counts] = await Promise.all([log.stats(), countDeadLetters(log), store.counts()]);
  return { log: stats, deadLetters, store: counts };
}

function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          typeof cell === 'number'
            ? String(cell).padStart(widths[column] ?? 0)
            : String(cell).padEnd(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}

/** The status as aligned plain-text tables. */
export function formatStatus(status: Status): string {
  const topics = status.log.topics.map((topic) => [topic.topic, topic.records, topic.appended]);
  const lag = status.log.groups.map((group) => [group.group, group.topic, group.lag]);
  const letters = status.deadLetters.map((letter) => [letter.topic, letter.reason, letter.count]);
  const stored = status.store.byProviderStatus.map((row) => [row.provider, row.status, row.count]);
  const quarantine = status.store.quarantineByReason.map((row) => [row.reason, row.count]);
  const latency = status.store.latencyMs;
  return [
    `Topics\n${table([['topic', 'kept', 'appended'], ...topics])}`,
    `Consumer lag\n${table([['group', 'topic', 'lag'], ...lag])}`,
    `Dead letters\n${letters.length ? table([['topic', 'reason', 'count'], ...letters]) : '(none)'}`,
    `Stored events: ${status.store.events}\n${table([['provider', 'status', 'count'], ...stored])}`,
    `Quarantined: ${status.store.quarantined} (re-driven after a fix: ${status.store.redriven})\n${quarantine.length ? table([['reason', 'count'], ...quarantine]) : '(none)'}`,
    `Webhook → stored latency (ms)\n${
      latency
        ? table([
            ['p50', 'p90', 'p99', 'max'],
            [latency.p50, latency.p90, latency.p99, latency.max],
          ])
        : '(nothing stored)'
    }`,
  ].join('\n\n');
}
