/** Property tests: hostile input never throws, and amounts survive sign → verify → normalize exactly. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isPaypipeError } from '../../../src/contracts/errors.ts';
import { ADYEN_EXPONENTS } from '../../../src/providers/adyen/maps.ts';
import type { SignedRequest } from '../../../src/providers/provider.ts';
import { asRecord, asRequest, notification, provider, RECEIVED_AT } from './helpers.ts';

const item = fc.dictionary(
  fc.constantFrom(
    'pspReference',
    'originalReference',
    'eventCode',
    'success',
    'amount',
    'eventDate',
    'additionalData',
    'merchantAccountCode',
  ),
  fc.jsonValue(),
);

const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.json().map((text) => Buffer.from(text)),
  fc.array(item, { maxLength: 3 }).map((items) => Buffer.from(notification(...(items as Record<string, unknown>[])))),
);

test('verify, route and normalize never throw, whatever the bytes', () => {
  fc.assert(
    fc.property(bodies, fc.option(fc.string()), (body, authorization) => {
      const headers = authorization === null ? {} : { authorization };
      assert.equal(provider.verify({ body, headers, receivedAt: RECEIVED_AT }).ok, false);
      provider.route(body);
      const result = provider.normalize(asRecord(body));
      assert.ok(['events', 'unsupported', 'invalid'].includes(result.kind));
    }),
    { numRuns: 500 },
  );
});

test('whatever sign accepts, verify accepts; what it refuses is a signing error, never another throw', () => {
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 3 }), (items) => {
      const payload = notification(...(items as Record<string, unknown>[]));
      let signed: SignedRequest;
      try {
        signed = provider.sign(payload);
      } catch (error) {
        assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_SIGNING'), String(error));
        assert.equal(provider.verify({ body: Buffer.from(payload), headers: {}, receivedAt: RECEIVED_AT }).ok, false);
        return;
      }
      assert.deepEqual(provider.verify(asRequest(signed)), { ok: true });
      const result = provider.normalize(asRecord(signed.body));
      assert.ok(['events', 'unsupported', 'invalid'].includes(result.kind));
    }),
    { numRuns: 500 },
  );
});

test('amounts round-trip exactly for every currency and exponent in the table', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.constant(0), fc.maxSafeNat()),
      fc.constantFrom(...ADYEN_EXPONENTS.keys()),
      fc.constantFrom('AUTHORISATION', 'CAPTURE', 'REFUND', 'CHARGEBACK'),
      (value, currency, eventCode) => {
        const signed = provider.sign(
          notification({ amount: { value, currency }, eventCode, originalReference: 'PAY' }),
        );
        assert.deepEqual(provider.verify(asRequest(signed)), { ok: true });
        const result = provider.normalize(asRecord(signed.body));
        assert.ok(result.kind === 'events', JSON.stringify(result));
        const [event] = result.events;
        assert.equal(event?.amount_cents, value);
        assert.equal(event?.currency, currency);
        assert.equal(event?.metadata.currency_exponent, String(ADYEN_EXPONENTS.get(currency)));
      },
    ),
    { numRuns: 500 },
  );
});
