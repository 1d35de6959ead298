/**
 * Hints cost extra HMACs over altered requests, so the gateway asks for none (`explain: false`): a forged
 * request then costs no more than a genuine one. The same forgeries, explained, get their hints.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { squareSignature } from '../../src/providers/square/signature.ts';
import { FIXTURES } from '../../src/simulator/fixtures.ts';
import { testConfig } from '../helpers/test-config.ts';

const config = testConfig().providers;
const registry = createProviderRegistry(config);

/** Square's signature over the body for the registered URL with a trailing slash (a hint names it). */
function squareSignatureForOtherUrl(body: string): string {
  const [key = ''] = config.square.signatureKeys;
  return squareSignature(key, `${config.square.notificationUrl ?? ''}/`, body);
}

/** How each request is spoiled after signing, and what only the computed hint says about it. */
const forgeries = {
  stripe: { alter: (body: string) => `${body}\n`, hint: /trailing newline was added/ },
  square: { alter: (body: string) => body, hint: /matches the notification URL/ },
  adyen: { alter: (body: string) => body.replace(/"pspReference":\s*"/, '"pspReference":"X'), hint: /HMAC key/ },
} as const;

for (const name of ['stripe', 'square', 'adyen'] as const) {
  const { alter, hint } = forgeries[name];
  test(`${name}: a failed verification is explained only when asked`, () => {
    const provider = registry[name];
    const fixture = FIXTURES[name].find((candidate) => candidate.expect !== 'unsupported');
    assert.ok(fixture);
    const signed = provider.sign(fixture.payload, { timestamp: new Date() });
    const headers =
      name === 'square'
        ? { ...signed.headers, 'x-square-hmacsha256-signature': squareSignatureForOtherUrl(signed.body) }
        : signed.headers;
    const request = { body: Buffer.from(alter(signed.body)), headers, receivedAt: new Date() };
    const explained = provider.verify(request);
    const quiet = provider.verify({ ...request, explain: false });
    assert.equal(explained.ok, false);
    assert.equal(quiet.ok, false);
    if (explained.ok || quiet.ok) return;
    assert.equal(quiet.reason, explained.reason);
    assert.match(explained.hint ?? '', hint);
    assert.doesNotMatch(quiet.hint ?? '', hint);
  });
}
