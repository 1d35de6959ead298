/**
 * `paypipe status` and `paypipe replay` read what `paypipe up` wrote: opened on a wrong PAYPIPE_DATA_DIR,
 * the SQLite adapters created an empty log and store and reported zeros, as if nothing had arrived.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type TestContext, test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { requireExistingData, requireExistingStore } from '../../src/runtime/existing-data.ts';
import { testConfig } from '../helpers/test-config.ts';

function folder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-existing-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function refusedWith(pattern: RegExp) {
  return (error: unknown) => isPaypipeError(error, 'PAYPIPE_ERR_CONFIG') && pattern.test(error.message);
}

test('a data folder without a log names PAYPIPE_DATA_DIR and the absolute path, and creates nothing', (t) => {
  const dir = join(folder(t), 'wrong');
  assert.throws(
    () => requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir })),
    refusedWith(
      new RegExp(
        `^PAYPIPE_DATA_DIR: no event log at ${dir}/log\\.db; has paypipe up run with this PAYPIPE_DATA_DIR\\?$`,
      ),
    ),
  );
  assert.equal(existsSync(dir), false);
});

test('a relative data folder is shown resolved, so a wrong working directory shows too', () => {
  const missing = 'no-such-paypipe-folder';
  assert.throws(
    () => requireExistingData(testConfig({ PAYPIPE_DATA_DIR: missing })),
    refusedWith(new RegExp(`no event log at ${resolve(missing, 'log.db')};`)),
  );
});

test('a log without a store names the store', (t) => {
  const dir = folder(t);
  writeFileSync(join(dir, 'log.db'), '');
  assert.throws(
    () => requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir })),
    refusedWith(/^PAYPIPE_DATA_DIR: no store at .*\/paypipe\.db; has paypipe up run/),
  );
});

test('an explicit PAYPIPE_LOG_URL or DATABASE_URL is the variable named', (t) => {
  const dir = folder(t);
  assert.throws(
    () => requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir, PAYPIPE_LOG_URL: `sqlite:${dir}/other.db` })),
    refusedWith(/^PAYPIPE_LOG_URL: no event log at .*\/other\.db; has paypipe up run with this PAYPIPE_LOG_URL\?$/),
  );
  writeFileSync(join(dir, 'log.db'), '');
  assert.throws(
    () => requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}/other.db` })),
    refusedWith(/^DATABASE_URL: no store at .*\/other\.db; has paypipe up run with this DATABASE_URL\?$/),
  );
});

test('existing files, an in-memory log or store, and a PostgreSQL store pass', (t) => {
  const dir = folder(t);
  writeFileSync(join(dir, 'log.db'), '');
  writeFileSync(join(dir, 'paypipe.db'), '');
  requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir }));
  requireExistingData(testConfig({ PAYPIPE_LOG_URL: 'sqlite::memory:', DATABASE_URL: 'sqlite::memory:' }));
  requireExistingData(
    testConfig({ PAYPIPE_DATA_DIR: dir, DATABASE_URL: 'postgres://paypipe@127.0.0.1:1/paypipe_missing' }),
  );
});

test('sqlite:///ABSOLUTE log URLs are checked at their path', (t) => {
  const dir = folder(t);
  writeFileSync(join(dir, 'paypipe.db'), '');
  assert.throws(
    () => requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir, PAYPIPE_LOG_URL: `sqlite://${dir}/log.db` })),
    refusedWith(new RegExp(`no event log at ${dir}/log\\.db;`)),
  );
  writeFileSync(join(dir, 'log.db'), '');
  requireExistingData(testConfig({ PAYPIPE_DATA_DIR: dir, PAYPIPE_LOG_URL: `sqlite://${dir}/log.db` }));
});

test('the store alone, for paypipe inference: a missing store is refused, a missing log is no matter', (t) => {
  const dir = folder(t);
  assert.throws(
    () => requireExistingStore(testConfig({ PAYPIPE_DATA_DIR: dir })),
    refusedWith(/^PAYPIPE_DATA_DIR: no store at .*\/paypipe\.db; has paypipe up run with this PAYPIPE_DATA_DIR\?$/),
  );
  writeFileSync(join(dir, 'paypipe.db'), '');
  assert.equal(existsSync(join(dir, 'log.db')), false);
  requireExistingStore(testConfig({ PAYPIPE_DATA_DIR: dir }));
});
