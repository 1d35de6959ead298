/** The SQLite adapter: the shared contract, plus what only SQLite promises (group commit, files, retention). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventLog, type SqliteLogOptions } from '../../src/log/sqlite.ts';
import { eventLogContract } from './contract.ts';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'paypipe-log-'));
}

eventLogContract('sqlite', async () => {
  const dir = await tempDir();
  // A long poll interval, so only the in-process notification can wake a consumer quickly.
  const options: SqliteLogOptions = { partitions: 4, pollIntervalMs: 60_000 };
  return {
    partitions: 4,
    open: async () => createSqliteEventLog(join(dir, 'log.db'), options),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
