/** What `paypipe status` reports: the log's topics and lag, dead letters by reason, the store's counts. */
import { PAYMENTS_VALIDATION_DLQ, WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { EventLog, LogStats } from '../log/port.ts';
import type { PaymentStore, StoreCounts } from '../storage/port.ts';
import { scanDeadLetters } from './dead-letters.ts';

export interface DeadLetterCount {
  readonly topic: string;
  readonly reason: string;
  /** Still to fix: not replayed yet, or replayed and dead-lettered again (a new dead letter). */
  readonly waiting: number;
  /** Put back in their raw topic by `paypipe replay`; kept by the log until its retention removes them. */
  readonly replayed: number;
}

export interface Status {
  readonly log: LogStats;
  readonly deadLetters: readonly DeadLetterCount[];
  readonly store: StoreCounts;
}

/**
 * Dead letters kept on the two dead-letter topics, counted by reason (`unreadable` when not a dead letter:
 * status reports what is there, it does not judge it), those waiting apart from those replayed; most waiting
 * first.
 */
export async function countDeadLetters(
  log: EventLog,
  store: Pick<PaymentStore, 'replayedDeadLetters'>,
): Promise<DeadLetterCount[]> {
  const counts = new Map<string, DeadLetterCount>();
  for (const topic of [WEBHOOKS_DLQ, PAYMENTS_VALIDATION_DLQ]) {
    for await (const item of scanDeadLetters(log, store, topic)) {
      const reason = item.letter?.reason ?? 'unreadable';
      const replayed = item.letter !== undefined && item.replayed;
      const key = `${topic}\u0000${reason}`;
      const count = counts.get(key) ?? { topic, reason, waiting: 0, replayed: 0 };
      counts.set(key, {
        ...count,
        waiting: count.waiting + (replayed ? 0 : 1),
        replayed: count.replayed + (replayed ? 1 : 0),
      });
    }
  }
  return [...counts.values()].sort((a, b) => b.waiting - a.waiting || b.replayed - a.replayed);
}

export async function collectStatus(
  log: EventLog,
  store: Pick<PaymentStore, 'counts' | 'replayedDeadLetters'>,
): Promise<Status> {
  const [stats, deadLetters, counts] = await Promise.all([log.stats(), countDeadLetters(log, store), store.counts()]);
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

/**
 * The log keeps what a group has not committed however old (src/log/README.md): said in words, since a
 * stage down or stuck makes the file grow for as long as it stays so.
 */
function pastRetentionNote(log: LogStats): string {
  const kept = log.groups.reduce((total, group) => total + (group.pastRetention ?? 0), 0);
  if (kept === 0) return '';
  return `\n${kept} records older than the log's retention are kept until their group commits them: the log file grows until then (a stage down or stuck, or a group no longer run?)`;
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** The log file does not shrink after retention (src/log/README.md): how much of it new records will reuse. */
function fileNote(log: LogStats): string {
  if (!log.file) return '';
  return ` (log file ${megabytes(log.file.bytes)}, ${megabytes(log.file.freeBytes)} of it free for new records)`;
}

/** The status as aligned plain-text tables. */
export function formatStatus(status: Status): string {
  const topics = status.log.topics.map((topic) => [topic.topic, topic.records, topic.appended]);
  const lag = status.log.groups.map((group) => [group.group, group.topic, group.lag, group.pastRetention ?? 0]);
  const letters = status.deadLetters.map((letter) => [letter.topic, letter.reason, letter.waiting, letter.replayed]);
  const sum = (field: 'waiting' | 'replayed') => status.deadLetters.reduce((total, row) => total + row[field], 0);
  const stored = status.store.byProviderStatus.map((row) => [row.provider, row.status, row.count]);
  const quarantine = status.store.quarantineByReason.map((row) => [row.reason, row.count]);
  const latency = status.store.latencyMs;
  return [
    `Topics${fileNote(status.log)}\n${table([['topic', 'kept', 'appended'], ...topics])}`,
    `Consumer lag\n${table([['group', 'topic', 'lag', 'past retention'], ...lag])}${pastRetentionNote(status.log)}`,
    `Dead letters: ${sum('waiting')} waiting, ${sum('replayed')} replayed\n${
      letters.length ? table([['topic', 'reason', 'waiting', 'replayed'], ...letters]) : '(none)'
    }`,
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
