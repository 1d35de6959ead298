/** Chooses the event-log adapter from `PAYPIPE_LOG_URL`'s scheme (DESIGN.md §2). */
import { PaypipeError } from '../contracts/errors.ts';
import type { EventLog } from './port.ts';
import { createSqliteEventLog, type SqliteLogOptions } from './sqlite.ts';
import { claimSqliteLog, type LogClaim, type LogOwnership } from './sqlite-owner.ts';
import { parseSqliteUrl } from './url.ts';

export type { AppendRecord, Consumer, ConsumerOptions, EventLog, LogRecord, LogStats, RecordPosition } from './port.ts';
export type { LogClaim, LogOwnership } from './sqlite-owner.ts';
export { DEFAULT_LOG_URL } from './url.ts';

/** Options of every adapter; each reads the ones it knows (`sqlite:` all of them). */
export type CreateEventLogOptions = SqliteLogOptions;

/**
 * Throws PAYPIPE_ERR_CONFIG naming the scheme unless `url` is one an adapter opens: `sqlite:PATH` (or
 * `sqlite::memory:`); `kafka://` joins when its adapter exists. Checked before anything is created, so that a
 * refused URL leaves no empty data folder behind (startPipeline).
 */
export function checkEventLogUrl(url: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(typeof url === 'string' ? url : '')?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    parseSqliteUrl(url);
    return;
  }
  // Only the scheme is echoed: a broker URL may carry credentials.
  const why =
    scheme === 'kafka' ? 'kafka:// is designed (DESIGN.md) but not built yet' : `unsupported scheme "${scheme ?? ''}"`;
  throw new PaypipeError('PAYPIPE_ERR_CONFIG', `PAYPIPE_LOG_URL: ${why}; expected sqlite:PATH`);
}

/** Opens the event log at `url`; a URL checkEventLogUrl refuses throws as it does. */
export function createEventLog(url: string, options: CreateEventLogOptions = {}): EventLog {
  checkEventLogUrl(url);
  return createSqliteEventLog(parseSqliteUrl(url).path, options);
}

/**
 * Takes the log at `url` for the one process that consumes it, or the one that replays its dead letters
 * (sqlite-owner.ts), or answers null when another has it so. An in-memory log belongs to its process anyway;
 * another scheme is createEventLog's to refuse.
 */
export function claimEventLog(url: string, claim: LogClaim = 'consume'): LogOwnership | null {
  if (!url.startsWith('sqlite:')) return { release() {} };
  const { path } = parseSqliteUrl(url);
  return path === ':memory:' ? { release() {} } : claimSqliteLog(path, claim);
}
