/**
 * `paypipe sign` and `paypipe inspect` as an engineer runs them: the real command, secrets from the
 * environment, JSON on stdout, and the documented exit codes (0 verified, 2 verification failed,
 * 3 verified but not normalizable).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PROVIDERS, type ProviderName } from '../../src/contracts/vocabulary.ts';
import { adyenFixtures } from '../../src/providers/adyen/fixtures.ts';
import { braintreeFixtures } from '../../src/providers/braintree/fixtures.ts';
import type { ProviderFixture } from '../../src/providers/fixture.ts';
import { squareFixtures } from '../../src/providers/square/fixtures.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { TEST_SECRETS } from '../helpers/test-config.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;
const FIXTURES: Record<ProviderName, readonly ProviderFixture[]> = {
  stripe: stripeFixtures,
  square: squareFixtures,
  adyen: adyenFixtures,
  braintree: braintreeFixtures,
};

async function paypipe(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout } = await run(BIN, args, { env: { PATH: process.env.PATH ?? '', ...TEST_SECRETS, ...env } });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, json: failed.stdout ? JSON.parse(failed.stdout) : null, stderr: failed.stderr };
  }
}

function tempDir(t: import('node:test').TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const headerArgs = (headers: Record<string, string>) =>
  Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]);

/**
 * `paypipe sign` of a payload (with `signEnv` overriding the secrets it signs with), then `paypipe inspect` of
 * the request it printed, as an engineer pastes one into the other.
 */
async function signThenInspect(
  t: import('node:test').TestContext,
  provider: ProviderName,
  payload: string,
  signEnv: Record<string, string> = {},
) {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'payload'), payload);
  const signed = await paypipe(['sign', provider, '--body', join(dir, 'payload')], signEnv);
  writeFileSync(join(dir, 'body'), signed.json.body);
  const inspected = await paypipe([
    'inspect',
    provider,
    '--body',
    join(dir, 'body'),
    ...headerArgs(signed.json.headers),
  ]);
  return { dir, signed, inspected };
}

function fixtureOf(fixtures: readonly ProviderFixture[], named?: string): ProviderFixture {
  const fixture = fixtures.find((item) => (named ? item.name === named : item.expect !== 'unsupported'));
  assert.ok(fixture);
  return fixture;
}

for (const provider of PROVIDERS) {
  test(`${provider}: what paypipe sign prints, paypipe inspect verifies, routes and normalizes (exit 0)`, async (t) => {
    const fixture = fixtureOf(FIXTURES[provider]);
    const { signed, inspected } = await signThenInspect(t, provider, fixture.payload);
    assert.equal(signed.code, 0);
    assert.equal(inspected.code, 0, JSON.stringify(inspected));
    assert.equal(inspected.json.verified, true);
    assert.equal(inspected.json.reason, null);
    assert.match(inspected.json.topic, new RegExp(`^webhooks\\.${provider}\\.`));
    assert.equal(inspected.json.partition_key, inspected.json.events[0]?.payment_id);
    assert.deepEqual(
      inspected.json.events.map((event: { event_type: string }) => event.event_type),
      fixture.expect,
    );
  });
}

test('a request signed with another secret: exit 2 and a stable reason', async (t) => {
  const { dir, inspected } = await signThenInspect(t, 'stripe', fixtureOf(stripeFixtures).payload, {
    PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_someone_else',
  });
  assert.equal(inspected.code, 2);
  assert.equal(inspected.json.verified, false);
  assert.equal(inspected.json.reason, 'no_matching_signature');
  const missing = await paypipe(['inspect', 'stripe', '--body', join(dir, 'body')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.json.reason, 'missing_signature_header');
});

test('Square: a URL differing by a trailing slash is named in the hint', async (t) => {
  const { inspected } = await signThenInspect(t, 'square', fixtureOf(squareFixtures).payload, {
    PAYPIPE_SQUARE_NOTIFICATION_URL: `${TEST_SECRETS.PAYPIPE_SQUARE_NOTIFICATION_URL}/`,
  });
  assert.equal(inspected.code, 2);
  assert.match(
    inspected.json.hint ?? '',
    /matches the notification URL https:\/\/hooks.example.com\/webhooks\/square\//,
    JSON.stringify(inspected.json),
  );
});

test('verified but not normalizable: exit 3 with the validation issues', async (t) => {
  const fixture = fixtureOf(stripeFixtures, 'payment_intent.succeeded');
  const payload = fixture.payload.replace(/"currency": ?"[a-z]{3}"/g, '"currency": "xyz"');
  const { inspected } = await signThenInspect(t, 'stripe', payload);
  assert.equal(inspected.code, 3, JSON.stringify(inspected.json));
  assert.equal(inspected.json.verified, true);
  assert.ok(inspected.json.errors.some((issue: { code: string }) => issue.code === 'unknown_currency'));
});

test('usage errors exit 64 with a message, unknown providers name the known ones', async () => {
  const noBody = await paypipe(['inspect', 'stripe']);
  assert.equal(noBody.code, 64);
  assert.match(noBody.stderr ?? '', /--body is required/);
  const unknown = await paypipe(['sign', 'paypal', '--body', '/dev/null']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr ?? '', /unknown provider "paypal".*stripe, square, adyen, braintree/);
});
