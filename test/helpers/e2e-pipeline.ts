/**
 * The whole pipeline on a real port for end-to-end tests, each in its own data folder under the system
 * temp dir, removed in `t.after`: in this process (`startPipeline`), or as a child running `paypipe up`
 * that a test may SIGKILL and start again on the same folder and port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Config } from '../../src/config/config.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { startPipeline } from '../../src/runtime/pipeline.ts';
import { type Observer, observe, readTables, type Tables } from './e2e-store.ts';
import { TEST_SECRETS, testConfig } from './test-config.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface E2ePipeline {
  readonly url: string;
  readonly config: Config;
  readonly observer: Observer;
  tables(): Tables;
}

/** A fresh data folder, removed when the test ends. */
export function dataFolder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `paypipe up` in this process on a free port, stopped (drained and closed) when the test ends. */
export async function startE2ePipeline(t: TestContext, env: Record<string, string> = {}): Promise<E2ePipeline> {
  const dir = dataFolder(t);
  const config = testConfig({ PAYPIPE_DATA_DIR: dir, PORT: '0', ...env });
  const pipeline = await startPipeline(config, createLogger('silent'));
  const observer = await observe(config.logUrl, config.databaseUrl);
  t.after(async () => {
    await observer.close();
    await pipeline.stop();
  });
  return { url: pipeline.url, config, observer, tables: () => readTables(join(dir, 'paypipe.db')) };
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ChildPipeline {
  readonly process: ChildProcess;
  /** Resolves with the exit code or signal once the child has ended. */
  readonly exited: Promise<number | string>;
}

/**
 * Starts `bin/paypipe up` on `dataDir` and `port` with only the test secrets in its environment, and
 * resolves once it logs that it is up (rejects if it exits first; killed and rejected past `timeoutMs`).
 */
export function startChildPipeline(dataDir: string, port: number, timeoutMs = 20_000): Promise<ChildPipeline> {
  const child = spawn(join(ROOT, 'bin', 'paypipe'), ['up'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...TEST_SECRETS,
      PAYPIPE_DATA_DIR: dataDir,
      PORT: String(port),
      PAYPIPE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`paypipe up did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    let buffered = '';
    const whenUp = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (!buffered.includes('"paypipe is up"')) return;
      clearTimeout(timer);
      // Stop collecting, but keep reading stdout so a chatty child never blocks on a full pipe.
      child.stdout?.off('data', whenUp);
      child.stdout?.resume();
      resolve({ process: child, exited });
    };
    child.stdout?.on('data', whenUp);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`paypipe up exited (${how}) before it was up: ${stderr}`));
    });
  });
}
