/**
 * The event log as configured, for every command that opens it (`up`, `status`, `replay`). The SQLite log
 * applies retention from whichever process has it open; opened with the adapter's default (7 days), a long
 * `paypipe replay` deleted records, dead letters among them, that PAYPIPE_LOG_RETENTION_HOURS said to keep.
 */
import type { Config } from '../config/config.ts';
import { createEventLog, type EventLog } from '../log/index.ts';
import type { RetentionReport } from '../log/sqlite.ts';

export interface OpenEventLogOptions {
  /** Told of each retention run: `paypipe up` shows what is kept past the retention (retention-watch.ts). */
  readonly onRetention?: (report: RetentionReport) => void;
}

export function openEventLog(config: Config, options: OpenEventLogOptions = {}): EventLog {
  return createEventLog(config.logUrl, { retention: { maxAgeMs: config.logRetentionHours * 3_600_000 }, ...options });
}
