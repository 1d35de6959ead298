/** Picks the store adapter from `DATABASE_URL`'s scheme: configuration, never code edits, selects it. */
import { PaypipeError } from '../contracts/errors.ts';
import type { PaymentStore } from './port.ts';
import { openSqliteStore } from './sqlite.ts';

/**
 * `sqlite:PATH` (a file, created with its folder if missing) or `sqlite::memory:`. `postgres://` comes
 * with the distributed mode. Throws PAYPIPE_ERR_CONFIG for anything else.
 */
export async function createStore(url: string): Promise<PaymentStore> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new PaypipeError('PAYPIPE_ERR_CONFIG', 'DATABASE_URL: sqlite: needs a file path');
    return openSqliteStore(path);
  }
  const scheme = url.split(':')[0] ?? '';
  const why = /^postgres(ql)?$/.test(scheme)
    ? 'the PostgreSQL store is not available yet; use sqlite:PATH'
    : `unsupported scheme "${scheme}" (expected sqlite:PATH)`;
  throw new PaypipeError('PAYPIPE_ERR_CONFIG', `DATABASE_URL: ${why}`);
}
