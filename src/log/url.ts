/** Parses `PAYPIPE_LOG_URL` values of the SQLite adapter: `sqlite:PATH`, `sqlite:///ABSOLUTE`, `sqlite::memory:`. */
import { PaypipeError } from '../contracts/errors.ts';

/** Where the SQLite log lives: a file path, or `:memory:` (tests only: nothing survives a close). */
export interface SqliteLocation {
  readonly path: string;
}

export const DEFAULT_LOG_URL = 'sqlite:.paypipe/log.db';

export function parseSqliteUrl(url: string): SqliteLocation {
  if (!url.startsWith('sqlite:')) throw new PaypipeError('PAYPIPE_ERR_CONFIG', `not a sqlite: log URL: ${url}`);
  const rest = url.slice('sqlite:'.length);
  // `sqlite:///var/x.db` is the URL form of an absolute path; `sqlite:x.db` a path relative to the working dir.
  const path = rest.startsWith('//') ? decodeURIComponent(rest.slice(2)) : rest;
  if (path === '' || path.includes('\0') || path.endsWith('/')) {
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', `PAYPIPE_LOG_URL: expected sqlite:PATH to a file, got ${url}`);
  }
  return { path };
}
