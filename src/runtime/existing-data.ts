/**
 * The embedded log and store that `paypipe status` and `paypipe replay` read, and the store `paypipe
 * inference` scores from, must already exist: opening a SQLite file creates it, so a wrong PAYPIPE_DATA_DIR
 * made an empty log and store and reported zeros, as if no webhook had arrived, or scored every customer as
 * one never seen. Only `paypipe up` creates them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';
import { claimEventLog, type LogClaim, type LogOwnership } from '../log/index.ts';
import type { EventLog } from '../log/port.ts';
import { parseSqliteUrl } from '../log/url.ts';
import { createStore } from '../storage/create-store.ts';
import type { PaymentStore } from '../storage/port.ts';
import { openEventLog } from './event-log.ts';

const MEMORY = ':memory:';

/** The variable an operator set to put the file there: the URL's own, unless it is the data folder's default. */
export function settingOf(config: Config, url: string, name: string, file: string): string {
  return url === `sqlite:${config.dataDir}/${file}` ? 'PAYPIPE_DATA_DIR' : name;
}

/** The variable that named the store: DATABASE_URL, or PAYPIPE_DATA_DIR for the data folder's default one. */
export const storeSettingOf = (config: Config): string =>
  settingOf(config, config.databaseUrl, 'DATABASE_URL', 'paypipe.db');

function requireFile(path: string, what: string, setting: string): void {
  if (path === MEMORY || existsSync(path)) return;
  throw new PaypipeError(
    'PAYPIPE_ERR_CONFIG',
    `${setting}: no ${what} at ${resolve(path)}; has paypipe up run with this ${setting}?`,
  );
}

/** Throws PAYPIPE_ERR_CONFIG, before anything is opened, when a `sqlite:` log or store file does not exist. */
export function requireExistingData(config: Config): void {
  const { logUrl } = config;
  if (logUrl.startsWith('sqlite:')) {
    const setting = settingOf(config, logUrl, 'PAYPIPE_LOG_URL', 'log.db');
    requireFile(parseSqliteUrl(logUrl).path, 'event log', setting);
  }
  requireExistingStore(config);
}

/** Throws PAYPIPE_ERR_CONFIG, before anything is opened, when a `sqlite:` store file does not exist. */
export function requireExistingStore(config: Config): void {
  const { databaseUrl } = config;
  // A store URL that is not sqlite: (PostgreSQL) names a server that reports for itself.
  if (databaseUrl.startsWith('sqlite:') && databaseUrl !== 'sqlite:') {
    requireFile(databaseUrl.slice('sqlite:'.length), 'store', storeSettingOf(config));
  }
}

/** The log and the store that `paypipe status` and `replay` read, both existing; a store that cannot open closes the log. */
export async function openExistingData(config: Config): Promise<{ log: EventLog; store: PaymentStore }> {
  requireExistingData(config);
  const log = openEventLog(config);
  try {
    return { log, store: await createStore(config.databaseUrl, storeSettingOf(config)) };
  } catch (error) {
    await log.close();
    throw error;
  }
}

/** Who has the log when a claim is refused, and why two must not run at once. */
const REFUSED_CLAIMS = {
  consume: ['paypipe up', 'stop it first (both would process every webhook)'],
  replay: ['paypipe replay', 'let it finish first (both would append every dead letter)'],
} as const satisfies Record<LogClaim, readonly [string, string]>;

/** The configured log, taken for `claim` (sqlite-owner.ts); PAYPIPE_ERR_CONFIG when another process has it so. */
export function claimConfiguredLog(config: Config, claim: LogClaim): LogOwnership {
  const claimed = claimEventLog(config.logUrl, claim);
  if (claimed !== null) return claimed;
  const setting = settingOf(config, config.logUrl, 'PAYPIPE_LOG_URL', 'log.db');
  const path = resolve(parseSqliteUrl(config.logUrl).path);
  const [command, advice] = REFUSED_CLAIMS[claim];
  throw new PaypipeError(
    'PAYPIPE_ERR_CONFIG',
    `${setting}: another ${command} runs on the event log at ${path}; ${advice}`,
  );
}
