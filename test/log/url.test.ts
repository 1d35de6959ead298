import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { DEFAULT_LOG_URL, parseSqliteUrl } from '../../src/log/url.ts';

test('sqlite: URLs give a relative path, an absolute path, or memory', () => {
  assert.deepEqual(parseSqliteUrl(DEFAULT_LOG_URL), { path: '.paypipe/log.db' });
  assert.deepEqual(parseSqliteUrl('sqlite:/var/lib/paypipe/log.db'), { path: '/var/lib/paypipe/log.db' });
  assert.deepEqual(parseSqliteUrl('sqlite:///var/lib/pay%20pipe/log.db'), { path: '/var/lib/pay pipe/log.db' });
  assert.deepEqual(parseSqliteUrl('sqlite::memory:'), { path: ':memory:' });
});

test('anything else is PAYPIPE_ERR_CONFIG', () => {
  for (const url of ['sqlite:', 'sqlite:dir/', 'postgres://x', 'sqlite:a\0b']) {
    assert.throws(
      () => parseSqliteUrl(url),
      (error) => isPaypipeError(error, 'PAYPIPE_ERR_CONFIG'),
      url,
    );
  }
});
