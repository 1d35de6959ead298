/**
 * `paypipe schema --write DIR` as `make schema` runs it: one file per contract, and a folder it cannot
 * write is a usage error naming it (exit 64, as simulate's --truth), never a stack trace.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

function paypipe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? -1), stdout, stderr });
    });
  });
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('--write DIR writes one JSON Schema per contract, as committed under docs/schema', async (t) => {
  const dir = join(tempDir(t), 'schema');
  const result = await paypipe(['schema', '--write', dir]);
  assert.equal(result.code, 0, result.stderr);
  const committed = readdirSync(new URL('../../docs/schema/', import.meta.url)).sort();
  assert.deepEqual(readdirSync(dir).sort(), committed);
});

test('--write under a file: one line naming the folder, exit 64, no stack trace', async (t) => {
  const file = join(tempDir(t), 'a-file');
  writeFileSync(file, '');
  const result = await paypipe(['schema', '--write', join(file, 'schema')]);
  assert.equal(result.code, 64, result.stderr);
  assert.match(result.stderr, /^paypipe: --write: cannot write .*a-file\/schema: ENOTDIR/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('--write where no folder can be made (/proc/x) exits 64 at once, never spins', {
  skip: process.platform !== 'linux',
}, async () => {
  const result = await paypipe(['schema', '--write', '/proc/paypipe-no-such-dir']);
  assert.equal(result.code, 64, result.stderr);
  assert.match(result.stderr, /^paypipe: --write: cannot write \/proc\/paypipe-no-such-dir: ENOENT/);
});
