/**
 * `paypipe replay` and `paypipe status` as an operator runs them on a data folder: a dead letter replayed
 * once is skipped by the next replay, `--again` sends it back anyway, and status counts it as replayed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { DeadLetter } from '../../src/contracts/dead-letter.ts';
import { toWire } from '../../src/contracts/raw-record.ts';
import { claimEventLog, createEventLog } from '../../src/log/index.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { TEST_SECRETS, testConfig } from '../helpers/test-config.ts';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

function paypipe(args: string[], dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      BIN,
      args,
      { env: { PATH: process.env.PATH ?? '', ...TEST_SECRETS, PAYPIPE_DATA_DIR: dir }, timeout: 20_000 },
      (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${error.message}${stderr}`))),
    );
  });
}

/** Runs a command expected to fail before it opens any data: its exit code and stderr. */
function paypipeFails(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 }, (error, _stdout, stderr) => {
      resolve({ code: (error as { code?: number } | null)?.code ?? 0, stderr });
    });
  });
}

/** A data folder whose log holds one Stripe dead letter that now verifies, and an empty store. */
async function folderWithDeadLetter(t: TestContext): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-replay-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const payment = stripeFixtures.find((fixture) => fixture.name === 'payment_intent.succeeded');
  assert.ok(payment);
  // Signed with the secret configured now: dead-lettered while it was not yet configured.
  const signed = createProviderRegistry(testConfig().providers).stripe.sign(payment.payload);
  const letter: DeadLetter = {
    stage: 'gateway',
    reason: 'no_matching_signature',
    message: 'no configured secret matches',
    errors: [],
    dead_lettered_at: new Date().toISOString(),
    record: toWire({
      id: 'rec_stripe_cli',
      provider: 'stripe',
      received_at: new Date().toISOString(),
      headers: signed.headers,
      body: Buffer.from(signed.body),
    }),
  };
  const log = createEventLog(`sqlite:${join(dir, 'log.db')}`);
  await log.append('webhooks.dlq', [{ key: 'rec_stripe_cli', value: Buffer.from(JSON.stringify(letter)) }]);
  await log.close();
  await (await createStore(`sqlite:${join(dir, 'paypipe.db')}`)).close();
  return dir;
}

test('replay skips what it replayed before unless --again, and status counts it apart', async (t) => {
  const dir = await folderWithDeadLetter(t);
  const replay = async (...args: string[]) => {
    const { replayed, alreadyReplayed } = JSON.parse(await paypipe(['replay', ...args], dir));
    return [replayed, alreadyReplayed];
  };
  assert.deepEqual(await replay('--dry-run'), [1, 0]);
  assert.deepEqual(await replay(), [1, 0]);
  assert.deepEqual(await replay(), [0, 1]);
  assert.deepEqual(await replay('--again'), [1, 0]);

  const status = JSON.parse(await paypipe(['status', '--json'], dir));
  assert.deepEqual(status.deadLetters, [
    { topic: 'webhooks.dlq', reason: 'no_matching_signature', waiting: 0, replayed: 1 },
  ]);
  const raw = status.log.topics.find((topic: { topic: string }) => topic.topic === 'webhooks.stripe.payment_intent');
  assert.equal(raw?.records, 2, 'appended by the first replay and by --again only');
  assert.match(await paypipe(['status'], dir), /Dead letters: 0 waiting, 1 replayed/);
});

test('--reason of a request the gateway could not read says no dead letter has it; an unknown one is unknown', async () => {
  for (const [reason, answer] of [
    [
      'body_too_large',
      /^paypipe: --reason body_too_large: no dead letter has this reason: the gateway answers a request/,
    ],
    ['malformed_request', /^paypipe: --reason malformed_request: no dead letter has this reason/],
    ['unknown_provider', /^paypipe: --reason unknown_provider: no dead letter has this reason/],
    ['no_such_reason', /^paypipe: unknown reason no_such_reason\n/],
  ] as const) {
    const result = await paypipeFails(['replay', '--reason', 'no_matching_signature', '--reason', reason]);
    assert.equal(result.code, 64, result.stderr);
    assert.match(result.stderr, answer);
  }
});

test('a second replay on the same log is refused while one runs, appending nothing; a running up is no obstacle', async (t) => {
  const dir = await folderWithDeadLetter(t);
  const url = `sqlite:${join(dir, 'log.db')}`;
  // Two at once both appended every dead letter: its raw topic doubled.
  const replaying = claimEventLog(url, 'replay');
  assert.ok(replaying);
  t.after(() => replaying.release());
  const refused = await paypipe(['replay'], dir).then(
    () => assert.fail('a second replay ran'),
    (error: Error) => error.message,
  );
  assert.match(refused, /Command failed/);
  assert.match(
    refused,
    new RegExp(
      `paypipe: PAYPIPE_DATA_DIR: another paypipe replay runs on the event log at ${dir}/log\\.db; .*\\(PAYPIPE_ERR_CONFIG\\)\\n$`,
    ),
  );
  const status = JSON.parse(await paypipe(['status', '--json'], dir));
  assert.equal(status.deadLetters[0].waiting, 1, 'nothing replayed');
  replaying.release();

  // paypipe up holds the log's own lock: a replay runs beside it.
  const up = claimEventLog(url);
  assert.ok(up);
  t.after(() => up.release());
  assert.equal(JSON.parse(await paypipe(['replay'], dir)).replayed, 1);
});
