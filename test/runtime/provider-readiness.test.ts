/**
 * At start, `paypipe up` says which providers can verify webhooks and which cannot: a provider without its
 * secrets (or with half of them: Adyen's HMAC keys without Basic auth, Square's keys without the
 * notification URL) answers every webhook 401 no_secret_configured, which nothing said before the first one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { reportProviderReadiness } from '../../src/runtime/provider-readiness.ts';
import { TEST_SECRETS } from '../helpers/test-config.ts';

interface Line {
  level: number;
  msg: string;
  provider?: string;
  missing?: string[];
  providers?: string[];
}

function report(env: Record<string, string>): Line[] {
  const lines: Line[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  reportProviderReadiness(createProviderRegistry(loadConfig(env).providers), logger);
  return lines;
}

const WARN = 40;
const INFO = 30;

test('no secrets at all: one warning per provider naming its variables, and no provider ready', () => {
  const lines = report({});
  const warnings = lines.filter((line) => line.level === WARN);
  assert.deepEqual(
    warnings.map((line) => [line.provider, line.missing]),
    [
      ['stripe', ['PAYPIPE_STRIPE_WEBHOOK_SECRETS']],
      ['square', ['PAYPIPE_SQUARE_NOTIFICATION_URL', 'PAYPIPE_SQUARE_SIGNATURE_KEYS']],
      ['adyen', ['PAYPIPE_ADYEN_HMAC_KEYS', 'PAYPIPE_ADYEN_BASIC_AUTH']],
      ['braintree', ['PAYPIPE_BRAINTREE_KEYS']],
    ],
  );
  assert.match(
    warnings[2]?.msg ?? '',
    /adyen .*401 no_secret_configured.*PAYPIPE_ADYEN_HMAC_KEYS, PAYPIPE_ADYEN_BASIC_AUTH/,
  );
  assert.deepEqual(
    lines.filter((line) => line.level === INFO).map((line) => [line.providers, line.msg]),
    [[[], 'providers ready to verify webhooks: none']],
  );
});

test('half-configured Adyen and Square are warned about, naming only what is missing, never a value', () => {
  const env = {
    PAYPIPE_STRIPE_WEBHOOK_SECRETS: TEST_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS,
    PAYPIPE_ADYEN_HMAC_KEYS: TEST_SECRETS.PAYPIPE_ADYEN_HMAC_KEYS,
    PAYPIPE_SQUARE_SIGNATURE_KEYS: TEST_SECRETS.PAYPIPE_SQUARE_SIGNATURE_KEYS,
    PAYPIPE_BRAINTREE_KEYS: TEST_SECRETS.PAYPIPE_BRAINTREE_KEYS,
  };
  const lines = report(env);
  assert.deepEqual(
    lines.filter((line) => line.level === WARN).map((line) => [line.provider, line.missing]),
    [
      ['square', ['PAYPIPE_SQUARE_NOTIFICATION_URL']],
      ['adyen', ['PAYPIPE_ADYEN_BASIC_AUTH']],
    ],
  );
  assert.deepEqual(
    lines.filter((line) => line.level === INFO).map((line) => [line.providers, line.msg]),
    [[['stripe', 'braintree'], 'providers ready to verify webhooks: stripe, braintree']],
  );
  const text = JSON.stringify(lines);
  for (const secret of Object.values(env)) assert.ok(!text.includes(secret), 'no secret is logged');
  assert.ok(!text.includes('test_private_key'));
});

test('every provider configured: no warning, all four ready', () => {
  const lines = report({ ...TEST_SECRETS });
  assert.deepEqual(
    lines.map((line) => [line.level, line.providers]),
    [[INFO, ['stripe', 'square', 'adyen', 'braintree']]],
  );
});
