/** Picks the store adapter from `DATABASE_URL`'s scheme: configuration, never code edits, selects it. */
import { resolve } from 'node:path';
import { isPaypipeError, PaypipeError } from '../contracts/errors.ts';
import type { PaymentStore } from './port.ts';
import { openSqliteStore } from './sqlite.ts';

/**
 * `sqlite:PATH` (a file, created with its folder if missing), `sqlite::memory:`, or
 * `postgres://…` / `postgresql://…`. Throws PAYPIPE_ERR_CONFIG for anything else, and
 * PAYPIPE_ERR_STORE_UNAVAILABLE when the store cannot be opened (a path through a file, a server down).
 * `setting` is the variable the URL came from, named in that error: PAYPIPE_DATA_DIR when it is the data
 * folder's default store (settingOf in runtime/existing-data.ts).
 */
export async function createStore(url: string, setting = 'DATABASE_URL'): Promise<PaymentStore> {
  try {
    return await openStore(url);
  } catch (error) {
    if (isPaypipeError(error)) throw error;
    // The driver's message says why (ENOTDIR, ECONNREFUSED, a refused password) without echoing the URL;
    // a file's path is shown resolved, as the log's is, and no server URL, which may hold a password.
    const where = url.startsWith('sqlite:') ? `the store at ${resolve(url.slice('sqlite:'.length))}` : 'the store';
    const message = `${setting}: ${where} cannot open (${(error as Error).message})`;
    throw new PaypipeError('PAYPIPE_ERR_STORE_UNAVAILABLE', message, { cause: error });
  }
}

async function openStore(url: string): Promise<PaymentStore> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new PaypipeError('PAYPIPE_ERR_CONFIG', 'DATABASE_URL: sqlite: needs a file path');
    return openSqliteStore(path);
  }
  // Loaded on demand: the embedded mode never needs the PostgreSQL driver.
  if (/^postgres(ql)?:\/\//.test(url)) return (await import('./postgres.ts')).openPostgresStore(url);
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const scheme = url.split(':')[0] ?? '';
  throw new PaypipeError('PAYPIPE_ERR_CONFIG', `DATABASE_URL: unsupported scheme "${scheme}" (sqlite: or postgres://)`);
}
