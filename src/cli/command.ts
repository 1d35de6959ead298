/** What every subcommand module exports, and the helpers they share. */
import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';

export interface Command {
  /** The command's own help text. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into PAYPIPE_ERR_USAGE. */
export function parseCommandArgs<O extends Options>(argv: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `${(error as Error).message}\n${usage}`);
  }
}

/** parseCommandArgs for a command that takes options only: a stray word is a usage error, never ignored. */
export function parseCommandOptions<O extends Options>(argv: readonly string[], options: O, usage: string) {
  const parsed = parseCommandArgs(argv, options, usage);
  const [stray] = parsed.positionals;
  if (stray !== undefined) throw new PaypipeError('PAYPIPE_ERR_USAGE', `unexpected argument "${stray}"\n${usage}`);
  return parsed;
}

/** A file's bytes, or standard input's for `-`. */
export function readInput(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * The gateway `paypipe up` runs with these settings (HOST, PORT), as a client on this machine reaches it: a
 * wildcard address (0.0.0.0, ::) is reached on loopback. The default --target of trigger and simulate, so
 * that one environment serves both sides.
 */
export function localGateway({ host, port }: Pick<GatewayConfig, 'host' | 'port'>): string {
  const reachable = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Resolves on the first SIGINT or SIGTERM, logged: a long-running command then stops gracefully. */
export function stopSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
