/**
 * `makeDirectory` is `mkdir -p` that always returns or throws: Node's own recursive mkdir spins for ever
 * where mkdir answers ENOENT under a parent that exists (procfs, /proc/x), so a bad folder given to a
 * command hung it instead of being refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { makeDirectory } from '../../src/runtime/make-directory.ts';

const MODULE = new URL('../../src/runtime/make-directory.ts', import.meta.url).href;

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-mkdir-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs makeDirectory(dir) in a child, since a spin would block this process: its error code, or 'hung'. */
function makeDirectoryApart(dir: string): Promise<string> {
  const script = `import { makeDirectory } from ${JSON.stringify(MODULE)};
try { makeDirectory(${JSON.stringify(dir)}); console.log('made'); } catch (error) { console.log(error.code); }`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }, (error, stdout) => {
      resolve((error as { killed?: boolean } | null)?.killed ? 'hung' : stdout.trim());
    });
  });
}

test('makes every missing folder of the path, and a folder that exists is made already', (t) => {
  const dir = join(tempDir(t), 'a', 'b', 'c');
  makeDirectory(dir);
  assert.ok(statSync(dir).isDirectory());
  makeDirectory(dir);
  makeDirectory(`${dir}/`);
  assert.ok(statSync(dir).isDirectory());
});

test('a path through a file, or a file where the folder should be, throws the system error', (t) => {
  const file = join(tempDir(t), 'a-file');
  writeFileSync(file, '');
  assert.throws(() => makeDirectory(join(file, 'sub', 'dir')), { code: 'ENOTDIR' });
  assert.throws(() => makeDirectory(file), { code: 'EEXIST' });
});

test('a folder mkdir cannot make under a parent that exists throws rather than spins', {
  skip: process.platform !== 'linux',
}, async () => {
  assert.equal(await makeDirectoryApart('/proc/paypipe-no-such-dir'), 'ENOENT');
  assert.equal(await makeDirectoryApart('/proc/paypipe-no-such-dir/sub'), 'ENOENT');
});
