/** `paypipe inference` as a user runs it: configured from the environment, stopped by a signal. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { succeeded, T0 } from '../events.ts';
import { filledStore } from './fixtures.ts';

const PAYPIPE = join(import.meta.dirname, '..', '..', '..', 'bin', 'paypipe');

function run(env: Record<string, string>) {
  return spawn(PAYPIPE, ['inference'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('paypipe inference serves the store of DATABASE_URL on the configured port and stops on SIGTERM', async (t) => {
  const { databaseUrl } = await filledStore(t);
  const child = run({ DATABASE_URL: databaseUrl, PAYPIPE_INFERENCE_PORT: '0', HOST: '127.0.0.1' });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  const logs: { msg: string; url?: string }[] = [];
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    logs.push(JSON.parse(line));
    if (logs.at(-1)?.msg === 'inference service is up') break;
  }
  const url = logs.at(-1)?.url ?? '';
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const answer = await fetch(`${url}/fraud/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(succeeded('pi_cli', T0)),
  });
  assert.equal(answer.status, 200);
  assert.match(((await answer.json()) as { model_version: string }).model_version, /^fraud-/);
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  const rest: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => rest.push(chunk.toString('utf8')));
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.match(rest.join(''), /"inference service stopped"/);
});

test('an invalid port fails at start, naming the variable', async () => {
  const child = run({ PAYPIPE_INFERENCE_PORT: 'eighty' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(stderr, /PAYPIPE_INFERENCE_PORT: expected a whole number/);
});

test('a port already taken is one line naming HOST and PAYPIPE_INFERENCE_PORT, exit 1, no stack', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-inference-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(() => taken.close());
  const address = taken.address();
  assert.ok(address !== null && typeof address === 'object');
  writeFileSync(join(dir, 'paypipe.db'), '');
  const child = run({ PAYPIPE_DATA_DIR: dir, HOST: '127.0.0.1', PAYPIPE_INFERENCE_PORT: String(address.port) });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = await once(child, 'exit');
  assert.equal(code, 1, stderr);
  assert.match(stderr, /^paypipe: .*\(PAYPIPE_ERR_CONFIG\)\n$/, stderr);
  assert.match(
    stderr,
    new RegExp(`HOST, PAYPIPE_INFERENCE_PORT: cannot listen on 127\\.0\\.0\\.1:${address.port} \\(EADDRINUSE\\)`),
  );
});

/** Runs `paypipe inference` until it exits, or for 10 s, then kills it: a service that started reports `hung`. */
async function exitOf(env: Record<string, string>): Promise<{ code: number | 'hung'; stderr: string }> {
  const child = run({ HOST: '127.0.0.1', PAYPIPE_INFERENCE_PORT: '0', ...env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code] = await once(child, 'exit');
  clearTimeout(killer);
  return { code: code ?? 'hung', stderr };
}

test('a sqlite: store that does not exist is refused, naming the setting, and nothing is created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-inference-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const wrong = join(dir, 'wrong');
  const refused = await exitOf({ PAYPIPE_DATA_DIR: wrong });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(
      `^paypipe: PAYPIPE_DATA_DIR: no store at ${wrong}/paypipe\\.db; has paypipe up run with this PAYPIPE_DATA_DIR\\? \\(PAYPIPE_ERR_CONFIG\\)\\n$`,
    ),
  );
  assert.equal(existsSync(wrong), false);
  // An explicit DATABASE_URL is the setting named.
  const elsewhere = await exitOf({ PAYPIPE_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'other.db')}` });
  assert.equal(elsewhere.code, 1, elsewhere.stderr);
  assert.match(elsewhere.stderr, /DATABASE_URL: no store at .*other\.db.*\(PAYPIPE_ERR_CONFIG\)\n$/);
  assert.deepEqual(readdirSync(dir), []);
});
