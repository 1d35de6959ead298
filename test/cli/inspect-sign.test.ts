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
import type { SignedRequest } from '../../src/providers/provider.ts';
import { squareFixtures } from '../../src/providers/square/fixtures.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { TEST_SECRETS } from '../helpers/test-config.ts';
import { adyenKit } from '../providers/adyen/kit.ts';
import { braintreeKit } from '../providers/braintree/kit.ts';
import { squareKit } from '../providers/square/kit.ts';
import { stripeKit } from '../providers/stripe/kit.ts';

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
 * the request it printed (changed by `alter`, e.g. tampered with), as an engineer pastes one into the other.
 */
async function signThenInspect(
  t: import('node:test').TestContext,
  provider: ProviderName,
  payload: string,
  signEnv: Record<string, string> = {},
  alter: (request: SignedRequest) => SignedRequest = (request) => request,
) {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'payload'), payload);
  const signed = await paypipe(['sign', provider, '--body', join(dir, 'payload')], signEnv);
  const sent = alter(signed.json);
  writeFileSync(join(dir, 'body'), sent.body);
  const inspected = await paypipe(['inspect', provider, '--body', join(dir, 'body'), ...headerArgs(sent.headers)]);
  return { dir, signed, inspected };
}

/** Each provider's tamper: a change to a signed part of the request (test/providers/kit.ts). */
const TAMPER: Record<ProviderName, (request: SignedRequest) => SignedRequest> = {
  stripe: stripeKit.tamper,
  square: squareKit.tamper,
  adyen: adyenKit.tamper,
  braintree: braintreeKit.tamper,
};

/** The secrets in TEST_SECRETS (of Adyen's Basic auth the password, of Braintree's key pair the private key). */
const SECRETS = [
  TEST_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS,
  TEST_SECRETS.PAYPIPE_SQUARE_SIGNATURE_KEYS,
  TEST_SECRETS.PAYPIPE_ADYEN_HMAC_KEYS,
  TEST_SECRETS.PAYPIPE_ADYEN_BASIC_AUTH.split(':')[1] ?? '',
  TEST_SECRETS.PAYPIPE_BRAINTREE_KEYS.split(':')[1] ?? '',
];

/** Every currency of a JSON or XML payload replaced by a code no provider knows. */
const unknownCurrency = (payload: string) =>
  payload.replace(/("currency": ?")[A-Za-z]{3}"/g, '$1XYZ"').replace(/(<currency-iso-code>)[A-Z]{3}/g, '$1XYZ');

function fixtureOf(fixtures: readonly ProviderFixture[]): ProviderFixture {
  const fixture = fixtures.find((item) => item.expect !== 'unsupported');
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

  test(`${provider}: a tampered request exits 2 with no_matching_signature, and no output shows a secret`, async (t) => {
    const payload = fixtureOf(FIXTURES[provider]).payload;
    const { inspected } = await signThenInspect(t, provider, payload, {}, TAMPER[provider]);
    assert.equal(inspected.code, 2, JSON.stringify(inspected));
    assert.equal(inspected.json.verified, false);
    assert.equal(inspected.json.reason, 'no_matching_signature');
    assert.deepEqual(inspected.json.events, []);
    const output = JSON.stringify(inspected);
    for (const secret of SECRETS) assert.ok(secret.length > 0 && !output.includes(secret), `${secret} shown`);
  });

  test(`${provider}: verified but not a payment fact: exit 0, reported as unsupported`, async (t) => {
    const fixture = FIXTURES[provider].find((item) => item.expect === 'unsupported');
    assert.ok(fixture);
    const { inspected } = await signThenInspect(t, provider, fixture.payload);
    assert.equal(inspected.code, 0, JSON.stringify(inspected));
    assert.equal(inspected.json.verified, true);
    assert.equal(inspected.json.unsupported, true);
    assert.deepEqual([inspected.json.events, inspected.json.errors], [[], []]);
  });

  test(`${provider}: verified but not normalizable (an unknown currency) exits 3 with the issues`, async (t) => {
    const { inspected } = await signThenInspect(t, provider, unknownCurrency(fixtureOf(FIXTURES[provider]).payload));
    assert.equal(inspected.code, 3, JSON.stringify(inspected.json));
    assert.equal(inspected.json.verified, true);
    assert.deepEqual(inspected.json.events, []);
    assert.ok(inspected.json.errors.some((issue: { code: string }) => issue.code === 'unknown_currency'));
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

test('usage errors exit 64 with a message, unknown providers name the known ones', async () => {
  const noBody = await paypipe(['inspect', 'stripe']);
  assert.equal(noBody.code, 64);
  assert.match(noBody.stderr ?? '', /--body is required/);
  const unknown = await paypipe(['sign', 'paypal', '--body', '/dev/null']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr ?? '', /unknown provider "paypal".*stripe, square, adyen, braintree/);
});
