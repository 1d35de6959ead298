import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeConfig, loadConfig } from '../../src/config/config.ts';
import { isPaypipeError } from '../../src/contracts/errors.ts';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_CONFIG'));
    return error.message;
  }
  assert.fail('expected a configuration error');
}

test('defaults: no secrets, Stripe tolerance 300 s, Braintree fallback currency USD', () => {
  const { providers } = loadConfig({});
  assert.deepEqual(providers.stripe, { secrets: [], toleranceSeconds: 300 });
  assert.equal(providers.square.notificationUrl, null);
  assert.deepEqual(providers.braintree.merchantCurrencies, { byMerchant: {}, fallback: 'USD' });
});

test('lists, pairs and maps are parsed', () => {
  const { providers } = loadConfig({
    PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_new, whsec_old',
    PAYPIPE_STRIPE_TOLERANCE_SECONDS: '60',
    PAYPIPE_ADYEN_HMAC_KEYS: '44782DEF547AAA06,AB01',
    PAYPIPE_ADYEN_BASIC_AUTH: 'user:pa:ss',
    PAYPIPE_BRAINTREE_KEYS: 'pub1:priv1,pub2:priv2',
    PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: 'eu_shop=eur,*=GBP',
  });
  assert.deepEqual(providers.stripe, { secrets: ['whsec_new', 'whsec_old'], toleranceSeconds: 60 });
  assert.deepEqual(providers.adyen.hmacKeys, ['44782DEF547AAA06', 'AB01']);
  assert.deepEqual(providers.adyen.basicAuth, { username: 'user', password: 'pa:ss' });
  assert.deepEqual(providers.braintree.keys[1], { publicKey: 'pub2', privateKey: 'priv2' });
  assert.deepEqual(providers.braintree.merchantCurrencies, { byMerchant: { eu_shop: 'EUR' }, fallback: 'GBP' });
});

test('invalid settings fail fast, naming the variable', () => {
  assert.match(configError({ PAYPIPE_STRIPE_TOLERANCE_SECONDS: 'five' }), /^PAYPIPE_STRIPE_TOLERANCE_SECONDS:/);
  assert.match(configError({ PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'sk_live_x' }), /^PAYPIPE_STRIPE_WEBHOOK_SECRETS:/);
  assert.match(configError({ PAYPIPE_ADYEN_HMAC_KEYS: 'xyz' }), /^PAYPIPE_ADYEN_HMAC_KEYS:/);
  assert.match(configError({ PAYPIPE_ADYEN_BASIC_AUTH: 'nocolon' }), /^PAYPIPE_ADYEN_BASIC_AUTH:/);
  assert.match(configError({ PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: 'a=EURO' }), /^PAYPIPE_BRAINTREE_MERCHANT/);
  assert.match(configError({ PAYPIPE_SQUARE_NOTIFICATION_URL: 'not a url' }), /^PAYPIPE_SQUARE_NOTIFICATION_URL:/);
  assert.match(configError({ PAYPIPE_STRIPE_SECRET: 'x' }), /^PAYPIPE_STRIPE_SECRET: unknown setting/);
});

test('a notification URL Square could not post to is refused: it must be http(s), with a host', () => {
  // Both parse as URLs (scheme "localhost", scheme "square"), yet Square signs the URL it posts to, so every
  // Square webhook would fail verification while paypipe looked configured.
  for (const url of ['localhost:8000/webhooks/square', 'square:webhooks']) {
    assert.match(configError({ PAYPIPE_SQUARE_NOTIFICATION_URL: url }), /^PAYPIPE_SQUARE_NOTIFICATION_URL:/, url);
  }
  const url = 'https://pay.example.com/webhooks/square/';
  assert.equal(loadConfig({ PAYPIPE_SQUARE_NOTIFICATION_URL: url }).providers.square.notificationUrl, url);
});

test('a Braintree merchant currency that is not in ISO 4217 is refused, not left to quarantine every event', () => {
  const message = configError({ PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: 'eu_shop=EUR,*=XYZ' });
  assert.match(message, /^PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: XYZ is not an ISO 4217 code/);
  assert.equal(
    loadConfig({ PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: '*=KWD' }).providers.braintree.merchantCurrencies.fallback,
    'KWD',
  );
});

test('the configuration is frozen and its description holds no secret', () => {
  const config = loadConfig({
    PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_topsecret',
    PAYPIPE_SQUARE_SIGNATURE_KEYS: 'sq-topsecret',
    PAYPIPE_ADYEN_HMAC_KEYS: 'ABCDEF0123',
    PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:pw-topsecret',
    PAYPIPE_BRAINTREE_KEYS: 'pub:priv-topsecret',
  });
  assert.ok(Object.isFrozen(config.providers.stripe.secrets));
  const text = JSON.stringify(describeConfig(config));
  for (const secret of ['topsecret', 'ABCDEF0123']) assert.ok(!text.includes(secret), `${secret} leaked`);
  assert.match(text, /1 configured/);
});

test('the embedded default keeps everything under the data folder', () => {
  const config = loadConfig({ PAYPIPE_DATA_DIR: '/var/lib/paypipe' });
  assert.equal(config.logUrl, 'sqlite:/var/lib/paypipe/log.db');
  assert.equal(config.databaseUrl, 'sqlite:/var/lib/paypipe/paypipe.db');
  assert.equal(config.gateway.port, 8000);
  assert.equal(config.gateway.bodyLimitBytes, 1_048_576);
});

test('backends are chosen by URL, and a password in a URL is never described', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://pay:s3cret@db:5432/payments',
    PAYPIPE_LOG_URL: 'kafka://k1:9092',
  });
  assert.equal(config.databaseUrl, 'postgres://pay:s3cret@db:5432/payments');
  assert.ok(!JSON.stringify(describeConfig(config)).includes('s3cret'));
  assert.match(configError({ DATABASE_URL: 'mysql://x' }), /^DATABASE_URL:/);
  const malformed = configError({ DATABASE_URL: 'postgres://pay:s3cret@db:99999/payments' });
  assert.ok(malformed.startsWith('DATABASE_URL: not a valid URL') && !malformed.includes('s3cret'), malformed);
  assert.match(configError({ PORT: '70000' }), /^PORT:/);
  assert.match(configError({ PAYPIPE_LOG_LEVEL: 'loud' }), /^PAYPIPE_LOG_LEVEL:/);
});

test('inference: the service port defaults to 8002, and INFERENCE_URL (unset: in-process) must be http(s)', () => {
  assert.deepEqual(loadConfig({}).inference, { port: 8002, url: null });
  const config = loadConfig({ PAYPIPE_INFERENCE_PORT: '9002', INFERENCE_URL: 'http://scorer:s3cret@inference:8002' });
  assert.deepEqual(config.inference, { port: 9002, url: 'http://scorer:s3cret@inference:8002' });
  assert.ok(!JSON.stringify(describeConfig(config)).includes('s3cret'));
  // Userinfo as URL parsers read it: up to the last @ of the authority, the user possibly empty.
  for (const url of ['http://:s3cret@inference:8002', 'http://scorer:pa@s3cret@inference:8002/v1?x=@']) {
    const described = describeConfig(loadConfig({ INFERENCE_URL: url })) as { inference: { url: string } };
    assert.ok(!described.inference.url.includes('s3cret'), described.inference.url);
    assert.equal(new URL(described.inference.url).host, 'inference:8002', described.inference.url);
  }
  assert.match(configError({ INFERENCE_URL: 'inference:8002' }), /^INFERENCE_URL:/);
  assert.match(configError({ PAYPIPE_INFERENCE_PORT: '-1' }), /^PAYPIPE_INFERENCE_PORT:/);
});

/** The variables the configuration reads (each asked for, all unset), and the text of .env.example. */
function readAndListed(): { read: Set<string>; example: string } {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return { read, example: readFileSync(new URL('../../.env.example', import.meta.url), 'utf8') };
}

test('every variable the configuration reads is listed in .env.example', () => {
  const { read, example } = readAndListed();
  const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
  assert.ok(read.has('PAYPIPE_ADYEN_BASIC_AUTH') && read.size > 15, [...read].join(', '));
  assert.deepEqual(
    [...read].filter((name) => !listed.has(name)),
    [],
  );
});

test('every variable .env.example lists is read, by the configuration or by the lakehouse', () => {
  const { read, example } = readAndListed();
  const listed = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name ?? '');
  const lakehouse = ['paypipe_lakehouse/settings.py', 'paypipe_lakehouse/iceberg.py', 'scripts/ui.sh']
    .map((path) => readFileSync(new URL(`../../lakehouse/${path}`, import.meta.url), 'utf8'))
    .join('\n');
  // PyIceberg reads its own PYICEBERG_CATALOG__DEFAULT__* settings, which the lakehouse only defaults.
  const readByLakehouse = (name: string) =>
    lakehouse.includes(name) || (name.startsWith('PYICEBERG_CATALOG__DEFAULT__') && lakehouse.includes('PYICEBERG_'));
  assert.ok(listed.length > 25, listed.join(', '));
  assert.deepEqual(
    listed.filter((name) => !read.has(name) && !readByLakehouse(name)),
    [],
  );
});

test('a refused secret setting names the variable, never the value', () => {
  const settings = {
    PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'sk_live_topsecret',
    PAYPIPE_ADYEN_HMAC_KEYS: 'topsecret',
    PAYPIPE_ADYEN_BASIC_AUTH: 'topsecret',
    PAYPIPE_BRAINTREE_KEYS: 'topsecret',
  };
  for (const [name, value] of Object.entries(settings)) {
    const message = configError({ [name]: value });
    assert.ok(message.startsWith(`${name}:`) && !message.includes('topsecret'), message);
  }
});
