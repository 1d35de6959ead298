/**
 * What `paypipe up` makes of each retention run of its event log. The SQLite log keeps a record older than
 * PAYPIPE_LOG_RETENTION_HOURS for as long as a group of its topic has not committed it (src/log/README.md):
 * nothing acknowledged is lost to a stage down or stuck, but the file grows for as long as it stays so. The
 * operator sees it as a gauge per group and topic (`paypipe_log_records_past_retention`, to alert on) and a
 * warning naming them, repeated hourly while it lasts rather than at every run (every minute).
 */
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { RetentionReport } from '../log/sqlite.ts';

export interface RetentionWatchOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly now?: () => number;
  /** How often the warning is repeated while records stay kept past retention. Default one hour. */
  readonly repeatMs?: number;
}

export function createRetentionWatch(options: RetentionWatchOptions): (report: RetentionReport) => void {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const repeatMs = options.repeatMs ?? 3_600_000;
  const gauge = new Gauge({
    name: 'paypipe_log_records_past_retention',
    help: 'Event-log records older than PAYPIPE_LOG_RETENTION_HOURS, kept because this group has not committed them',
    labelNames: ['group', 'topic'],
    registers: [options.registry],
  });
  let warnedAt = Number.NEGATIVE_INFINITY;
  let keeping = false;
  return (report) => {
    gauge.reset();
    for (const kept of report.kept) gauge.set({ group: kept.group, topic: kept.topic }, kept.records);
    if (report.kept.length === 0) {
      if (keeping) logger.info('event log: no record is kept past its retention any more');
      keeping = false;
      warnedAt = Number.NEGATIVE_INFINITY;
      return;
    }
    keeping = true;
    if (now() - warnedAt < repeatMs) return;
    warnedAt = now();
    const kept = report.kept.map((item) => ({ ...item, oldest: new Date(item.oldest).toISOString() }));
    logger.warn(
      { kept },
      'event log: records older than PAYPIPE_LOG_RETENTION_HOURS are kept until their group commits them; the file grows meanwhile (a stage down or stuck, or a group no longer run?)',
    );
  };
}
