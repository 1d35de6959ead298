/** Waiting out the log's unavailability: what is retried, what is not, what is logged, and when it gives up. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { PaypipeError } from '../../src/contracts/errors.ts';
import { warnOfLogUnavailable, whileLogUnavailable } from '../../src/log/retry.ts';

const unavailable = () => new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the SQLite log could not write');

test('an operation refused while the log is unavailable is tried again, and one line is logged, not one per try', async () => {
  const lines: { msg: string; stage: string }[] = [];
  const logger = pino(
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  let calls = 0;
  const result = await whileLogUnavailable(
    async () => {
      calls += 1;
      if (calls <= 3) throw unavailable();
      return 'appended';
    },
    new AbortController().signal,
    warnOfLogUnavailable(logger, 'normalizer'),
  );
  assert.equal(result, 'appended');
  assert.equal(calls, 4);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.stage, 'normalizer');
  assert.match(lines[0]?.msg ?? '', /event log unavailable/);
});

test('any other error is thrown at once', async () => {
  let calls = 0;
  const failing = async () => {
    calls += 1;
    throw new PaypipeError('PAYPIPE_ERR_STORE_REFUSED', 'not the log');
  };
  await assert.rejects(whileLogUnavailable(failing, new AbortController().signal), /not the log/);
  assert.equal(calls, 1);
});

test('once stopped, the wait ends and the next refusal is thrown: the work is left for the next start', async () => {
  const stop = new AbortController();
  let calls = 0;
  const started = Date.now();
  const waiting = whileLogUnavailable(async () => {
    calls += 1;
    throw unavailable();
  }, stop.signal);
  // The backoff has grown past a second by the time the stop comes.
  setTimeout(() => stop.abort(), 1_600);
  await assert.rejects(waiting, /could not write/);
  assert.ok(Date.now() - started < 2_500, 'the wait in progress ended with the stop');
  assert.ok(calls >= 4, `tried again meanwhile (${calls})`);
});
