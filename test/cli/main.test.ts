/**
 * The command's dispatch as a script sees it: help asked for goes to stdout and exits 0; a usage error
 * (no command, an unknown one) goes to stderr and exits 64, so `paypipe | less` or `$(paypipe)` never
 * mistakes the usage for output.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

function paypipe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? -1), stdout, stderr });
    });
  });
}

for (const args of [['--help'], ['-h'], ['help']]) {
  test(`paypipe ${args.join(' ')}: the usage on stdout, exit 0`, async () => {
    const result = await paypipe(args);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^usage: paypipe <command>/);
    assert.equal(result.stderr, '');
  });
}

test('paypipe with no command: a usage error, the usage on stderr, exit 64', async () => {
  const result = await paypipe([]);
  assert.equal(result.code, 64);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^paypipe: no command given\n\nusage: paypipe <command>/);
});

test('paypipe with an unknown command: a usage error naming it, on stderr, exit 64', async () => {
  const result = await paypipe(['no-such-command']);
  assert.equal(result.code, 64);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^paypipe: unknown command "no-such-command"\n\nusage: paypipe <command>/);
});

test("paypipe <command> --help: the command's usage on stdout, exit 0", async () => {
  const result = await paypipe(['status', '--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^usage: paypipe status/);
});

// up and inference take the same check; they are left out here because, should it fail, they would start.
for (const command of ['status', 'replay', 'schema']) {
  test(`paypipe ${command} with a stray argument: a usage error naming it, exit 64, nothing run`, async () => {
    const result = await paypipe([command, 'extra']);
    assert.equal(result.code, 64, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^paypipe: unexpected argument "extra"\\n+usage: paypipe ${command}`));
  });
}

test('output into a pipe the reader closed early (paypipe schema | head -1) ends quietly, as cat does', async () => {
  const child = spawn(BIN, ['schema'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // The reader is gone before the command writes (head -1 done with an earlier command's line, say).
  child.stdout.destroy();
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(stderr, '', 'no stack trace');
  // A reader gone is no failure of the command's: 0.
  assert.equal(code, 0);
});
