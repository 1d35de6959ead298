/**
 * `paypipe simulate` as an engineer runs it: the real command against a receiver that verifies as the
 * gateway does, the calendar world's ground truth written apart from the events, and usage errors refused
 * before anything is sent.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import type { DeliveryResult } from '../../src/simulator/sender.ts';
import { readTruth } from '../../src/simulator/truth/write.ts';
import { TEST_SECRETS } from '../helpers/test-config.ts';
import { TRUTH_WORDS } from '../simulator/calendar.ts';
import { startReceiver } from '../simulator/helpers.ts';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

async function paypipe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(BIN, args, {
      env: { PATH: process.env.PATH ?? '', ...TEST_SECRETS },
      // A command that hangs, or builds a world too large for memory, fails its test rather than the whole run.
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-simulate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const readDeliveries = (path: string): DeliveryResult[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DeliveryResult);

test('a run sends the world, writes its truth apart, and the same seed sends the same run', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const dir = tempDir(t);
  const args = (name: string) => [
    'simulate',
    ...['--rate', '1000', '--count', '300', '--seed', '17', '--forgery-rate', '0.03'],
    ...['--target', receiver.url, '--out', join(dir, `${name}.jsonl`), '--json'],
  ];
  const first = await paypipe([...args('first'), '--truth', join(dir, 'truth')]);
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout);
  assert.equal(summary.sent, 300);
  assert.equal(summary.forgeriesRejected, summary.forged);
  assert.ok(summary.forged > 0 && summary.world.paymentsSent > 50, JSON.stringify(summary.world));

  const deliveries = readDeliveries(join(dir, 'first.jsonl'));
  const truth = await readTruth(join(dir, 'truth'));
  const sent = new Set(deliveries.filter((d) => !d.forged).map((d) => d.paymentRef));
  assert.deepEqual(new Set(truth.fraud.map((record) => record.payment_ref)), sent);
  assert.ok(truth.retry.length > 0 && truth.churn.length > 0);
  // The truth is in its files, never in what went over the wire.
  assert.equal(receiver.bodies.length, 300);
  for (const body of receiver.bodies) {
    for (const word of TRUTH_WORDS) assert.ok(!body.toLowerCase().includes(word), `a webhook mentions ${word}`);
  }

  const again = await paypipe(args('again'));
  assert.equal(again.code, 0, again.stderr);
  // Event ids are not compared: Braintree's hash the payload, whose timestamps follow the run's start.
  const shape = (list: DeliveryResult[]) => list.map((d) => [d.provider, d.name, d.kind, d.outOfOrder, d.paymentRef]);
  assert.deepEqual(shape(readDeliveries(join(dir, 'again.jsonl'))), shape(deliveries));
});

test('bad sizes and an unwritable truth folder are usage errors, before anything is sent', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const dir = tempDir(t);
  writeFileSync(join(dir, 'file'), '');
  const base = ['simulate', '--rate', '100', '--count', '10', '--target', receiver.url];
  for (const extra of [
    ['--customers', '0'],
    ['--customers', 'many'],
    ['--days', '1'],
    ['--days', '4000'],
    ['--truth', join(dir, 'file', 'truth')],
    // A folder mkdir cannot make under one that exists: Node's recursive mkdir spun on it.
    ...(process.platform === 'linux' ? [['--truth', '/proc/paypipe-no-such-dir']] : []),
  ]) {
    const result = await paypipe([...base, ...extra]);
    assert.equal(result.code, 64, `${extra.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(extra[0] as string));
  }
  assert.equal(receiver.bodies.length, 0);
});

test('--duration and --count together, a zero duration and an empty --providers are usage errors saying so', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const base = ['simulate', '--rate', '100', '--target', receiver.url];
  for (const [extra, says] of [
    [['--duration', '2s', '--count', '3'], /--duration or --count, not both/],
    [['--duration', '0s'], /--duration: must be above 0, got "0s"/],
    [['--duration', '0'], /--duration: must be above 0/],
    [['--duration', 'soon'], /--duration: expected .*500ms.*got "soon"/],
    [
      ['--count', '3', '--providers', ',,'],
      /--providers: empty list \(expected one or more of stripe, square, adyen, braintree\)/,
    ],
    [['--count', '3', '--providers', ''], /--providers: empty list/],
    [['--count', '3', '--providers', 'stripe,paypal'], /--providers: unknown paypal \(/],
  ] as const) {
    const result = await paypipe([...base, ...extra]);
    assert.equal(result.code, 64, `${extra.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, says, extra.join(' '));
  }
  assert.equal(receiver.bodies.length, 0);
});

test('--duration takes a number with a unit (ms, s, m, h) or seconds without one, as --help says', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const help = await paypipe(['simulate', '--help']);
  assert.match(help.stdout.replace(/\s+/g, ' '), /500ms, 30s, 2m or 1h; a number alone is seconds/);
  for (const duration of ['500ms', '0.5']) {
    const result = await paypipe([
      'simulate',
      '--rate',
      '20',
      '--duration',
      duration,
      '--target',
      receiver.url,
      '--json',
    ]);
    assert.equal(result.code, 0, `${duration}: ${result.stderr}`);
    assert.equal(JSON.parse(result.stdout).sent, 10, duration);
  }
});

test('a run too large to hold in memory is a usage error at once, never a stack trace', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  for (const size of [
    ['--rate', '100', '--count', '9007199254740991'],
    ['--rate', '1000000000', '--duration', '10s'],
    ['--rate', '100', '--count', '10', '--customers', '100000000'],
  ]) {
    const result = await paypipe(['simulate', ...size, '--target', receiver.url]);
    assert.equal(result.code, 64, `${size.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^paypipe: .*at most \d+/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
  assert.equal(receiver.bodies.length, 0);
});

/** A simulate run, sent `signal` once `ready` resolves: when it exited after the signal, and what it printed. */
async function interrupted(args: string[], ready: () => Promise<void>, signal: NodeJS.Signals = 'SIGINT') {
  const child = spawn(BIN, ['simulate', ...args], { env: { PATH: process.env.PATH ?? '', ...TEST_SECRETS } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await ready();
  const interruptedAt = performance.now();
  child.kill(signal);
  const code = await exited;
  return { code, stdout, exitedAfterMs: performance.now() - interruptedAt };
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
};

test('Ctrl-C while the world is built ends the run at once, nothing sent', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  // The largest run's world takes minutes to build here: the interrupt lands while it is built.
  const run = await interrupted(
    ['--rate', '1000', '--count', '1000000', '--target', receiver.url],
    () => new Promise((resolve) => setTimeout(resolve, 10_000)),
  );
  assert.ok(run.exitedAfterMs < 3000, `exited ${Math.round(run.exitedAfterMs)} ms after the SIGINT`);
  assert.equal(receiver.bodies.length, 0);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} between two paced deliveries stops at once, with the summary of what was sent, cut short`, async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    // One delivery every 5 s: the first goes out at once, the signal lands while the next is waited for.
    const run = await interrupted(
      ['--rate', '0.2', '--count', '3', '--forgery-rate', '0', '--redelivery-rate', '0', '--target', receiver.url],
      () => until(() => receiver.bodies.length === 1),
      signal,
    );
    assert.ok(run.exitedAfterMs < 2000, `exited ${Math.round(run.exitedAfterMs)} ms after the ${signal}`);
    assert.equal(receiver.bodies.length, 1);
    // Every webhook sent was acknowledged, yet the run did not complete: not 0.
    assert.equal(run.code, 3);
    assert.match(run.stdout, /^sent 1 webhooks/);
    assert.match(run.stdout, /cut short \(interrupted\): 1 of the 3 planned deliveries sent/);
  });
}

test('--customers and --days choose the world: a small one is sent whole and the run ends with it', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const result = await paypipe([
    'simulate',
    ...['--rate', '2000', '--count', '100000', '--customers', '3', '--days', '10', '--seed', '4'],
    ...['--target', receiver.url, '--json'],
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.ok(summary.sent > 0 && summary.sent < 1000, `${summary.sent}`);
  assert.equal(receiver.bodies.length, summary.sent);
  assert.deepEqual(
    [summary.world.customers, summary.world.days, summary.world.paymentsSent],
    [3, 10, summary.world.payments],
  );
});
