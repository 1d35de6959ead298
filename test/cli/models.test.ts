/**
 * `paypipe models` as an engineer first types it: a missing action or seed is a usage error that names
 * what is missing (exit 64), before any world is built.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

function paypipe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? -1), stdout, stderr });
    });
  });
}

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
