/**
 * `paypipe models` as an engineer types it: a missing action or seed, and a folder it cannot make or write,
 * are usage errors naming what is wrong (exit 64, as schema's --write and simulate's --truth), found before
 * the world is built, never a stack trace or a hang. Small worlds (--customers) keep these runs short.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;
const LINUX = process.platform === 'linux';

function paypipe(args: string[]): Promise<{ code: number | 'hung'; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 }, (error, stdout, stderr) => {
      const failed = error as { code?: number; killed?: boolean } | null;
      resolve({ code: failed === null ? 0 : failed.killed ? 'hung' : (failed.code ?? -1), stdout, stderr });
    });
  });
}

/** A temporary folder and a regular file in it that a path cannot go through. */
function folders(t: TestContext): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-models-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  return { dir, file };
}

function assertUsage(result: { code: number | 'hung'; stderr: string }, option: string, path: string): void {
  assert.equal(result.code, 64, result.stderr);
  assert.match(result.stderr, new RegExp(`^paypipe: ${option}: cannot write ${path}`), result.stderr);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

test('evaluate writes --out and --chart into folders it makes', async (t) => {
  const { dir } = folders(t);
  const out = join(dir, 'new', 'metrics.json');
  const chart = join(dir, 'other', 'chart.svg');
  const result = await paypipe([
    'models',
    'evaluate',
    '--seed',
    '7',
    '--customers',
    '5',
    '--out',
    out,
    '--chart',
    chart,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), JSON.parse(result.stdout));
  assert.match(readFileSync(chart, 'utf8'), /^<svg/);
});

test('tables --out a folder that cannot be made is a usage error naming it', async (t) => {
  const { file } = folders(t);
  const tables = ['models', 'tables', '--seed', '7', '--customers', '5', '--out'];
  assertUsage(await paypipe([...tables, join(file, 'tables')]), '--out', `${file}/tables`);
  if (LINUX) assertUsage(await paypipe([...tables, '/proc/paypipe-no-such-dir']), '--out', '/proc/paypipe-no-such-dir');
});

test('evaluate --out and --chart that cannot be written are usage errors naming the option', async (t) => {
  const { dir, file } = folders(t);
  const evaluate = ['models', 'evaluate', '--seed', '7', '--customers', '5'];
  assertUsage(await paypipe([...evaluate, '--out', join(file, 'm.json')]), '--out', `${file}/m.json`);
  assertUsage(await paypipe([...evaluate, '--chart', join(file, 'c.svg')]), '--chart', `${file}/c.svg`);
  assertUsage(await paypipe([...evaluate, '--chart', dir]), '--chart', dir);
  if (LINUX) {
    const unmakeable = '/proc/paypipe-no-such-dir/m.json';
    assertUsage(await paypipe([...evaluate, '--out', unmakeable]), '--out', unmakeable);
  }
});

for (const [args, message] of [
  [['models'], /^paypipe: name an action: tables or evaluate\n/],
  [['models', '--seed', '7'], /^paypipe: name an action: tables or evaluate\n/],
  [['models', 'evaluate'], /^paypipe: --seed is required\n/],
  [['models', 'tables', '--out', 'unused'], /^paypipe: --seed is required\n/],
  [['models', 'evaluate', '--seed', 'x'], /^paypipe: --seed must be a whole number, got x\n/],
] as const) {
  test(`paypipe ${args.join(' ')}: a usage error naming what is missing, exit 64`, async () => {
    const result = await paypipe([...args]);
    assert.equal(result.code, 64, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, message);
  });
}
