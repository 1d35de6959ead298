/**
 * `make demo` runs on fresh files of its own (README), whatever the shell holds. A user who followed
 * "Running it" has sourced .env, so PAYPIPE_DATA_DIR names their real data folder, which the demo empties
 * first, and may have their own `paypipe up` on the demo's port. The demo is made to stop early here, after
 * it has chosen and emptied its folder and before it sends anything.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFolder, freePort } from '../helpers/e2e-pipeline.ts';

const DEMO = new URL('../../scripts/demo.sh', import.meta.url).pathname;

function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [DEMO], {
      env: { ...process.env, DEMO_DURATION: '1s', DEMO_RATE: '5', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 45_000,
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test("make demo leaves the sourced .env's data folder and inference service alone", { timeout: 60_000 }, async (t) => {
  const dir = dataFolder(t);
  const mine = join(dir, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'paypipe.db'), 'the real store');
  const demoDir = join(dir, 'demo');

  const { code, stderr } = await runDemo({
    PAYPIPE_DATA_DIR: mine,
    INFERENCE_URL: 'not-a-url',
    // Not a demo setting, and checked after INFERENCE_URL: the demo's paypipe up stops on it.
    PAYPIPE_STRIPE_TOLERANCE_SECONDS: '-1',
    DEMO_DATA_DIR: demoDir,
    DEMO_PORT: String(await freePort()),
  });

  assert.notEqual(code, 0);
  assert.equal(readFileSync(join(mine, 'paypipe.db'), 'utf8'), 'the real store');
  assert.ok(existsSync(join(demoDir, 'paypipe.log')), `the demo's own folder holds its log:\n${stderr}`);
  const log = readFileSync(join(demoDir, 'paypipe.log'), 'utf8');
  assert.doesNotMatch(log, /INFERENCE_URL/, 'the demo scores in-process');
  assert.match(log, /PAYPIPE_STRIPE_TOLERANCE_SECONDS/);
});

test('make demo refuses a port something else already serves, sending it nothing', { timeout: 60_000 }, async (t) => {
  const dir = dataFolder(t);
  const posts: string[] = [];
  // What answers there: the user's own paypipe up, say, whose /readyz the demo would take for its own.
  const other = createServer((request, response) => {
    if (request.method === 'POST') posts.push(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    response.end('{"status":"ready"}');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  t.after(() => other.close());
  const address = other.address();
  assert.ok(address !== null && typeof address === 'object');

  const { code, stderr } = await runDemo({ DEMO_DATA_DIR: join(dir, 'demo'), DEMO_PORT: String(address.port) });

  assert.notEqual(code, 0);
  assert.deepEqual(posts, []);
  assert.match(stderr, new RegExp(`port ${address.port}`));
});
