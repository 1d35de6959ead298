/**
 * The one process that consumes a SQLite log. Group membership lives in that process's memory (group.ts),
 * so a second `paypipe up` on the same file consumed every topic with the same groups, unseen by the
 * first: every webhook normalized twice, its workflow run twice, its validation dead letters kept twice.
 * The owner holds an exclusive lock on a file beside the log (`log.db.lock`) for as long as it runs. The
 * lock is SQLite's, an fcntl lock the operating system releases with the process however it ends, so a
 * SIGKILLed owner leaves nothing behind to clean up (a PID file would, and a container's restarted process
 * often gets the same PID back). Appending and reading (`paypipe status`) take no such lock.
 *
 * `paypipe replay` appends every dead letter it re-drives: two at once appended each twice, doubling the raw
 * topics. A replay holds a lock of its own (`log.db.replay.lock`), the same way, so that it still runs
 * beside `paypipe up`, which holds `log.db.lock`, while a second replay is refused.
 */
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PaypipeError } from '../contracts/errors.ts';
import { makeDirectory } from '../runtime/make-directory.ts';

export interface LogOwnership {
  /** Lets another process own the log. Idempotent. */
  release(): void;
}

/** SQLite's code for a lock another connection holds. */
const SQLITE_BUSY = 5;

/** What a process takes the log for: consuming it (`paypipe up`) or replaying its dead letters. */
export type LogClaim = 'consume' | 'replay';

const LOCK_SUFFIXES = { consume: '.lock', replay: '.replay.lock' } as const satisfies Record<LogClaim, string>;

export const ownerLockPath = (logPath: string, claim: LogClaim = 'consume') => `${logPath}${LOCK_SUFFIXES[claim]}`;

/** Takes the log at `path` for `claim`, or answers null when another process (or connection) has it so. */
export function claimSqliteLog(path: string, claim: LogClaim = 'consume'): LogOwnership | null {
  const lockPath = ownerLockPath(path, claim);
  let db: DatabaseSync;
  try {
    makeDirectory(dirname(lockPath));
    db = new DatabaseSync(lockPath, { timeout: 0 });
  } catch (cause) {
    throw new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', `the SQLite log's lock ${lockPath} cannot open`, { cause });
  }
  try {
    // Nothing is ever written: the journal in memory leaves no file beside the lock.
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (cause) {
    db.close();
    if ((cause as { errcode?: number }).errcode === SQLITE_BUSY) return null;
    throw new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', `the SQLite log's lock ${lockPath} cannot be taken`, {
      cause,
    });
  }
  return {
    release() {
      if (db.isOpen) db.close();
    },
  };
}
