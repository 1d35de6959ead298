/**
 * The official `@adyen/api-library` as the independent judge (DESIGN.md §4): what its hmacValidator signs
 * we accept and normalize, what we sign it validates, its event-code enum is our table's, and its
 * Notification serializer keeps every field of every fixture (so the fixtures are shapes Adyen defines).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hmacValidator, Types } from '@adyen/api-library';
import fc from 'fast-check';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import { ADYEN_EXPONENTS } from '../../../src/providers/adyen/maps.ts';
import { ADYEN_EVENT_CODES } from '../../../src/providers/adyen/types.ts';
import { asRecord, asRequest, provider } from './helpers.ts';
import { ADYEN_TEST_BASIC_AUTH, ADYEN_TEST_KEYS } from './kit.ts';

type SdkItem = Types.notification.NotificationRequestItem;
const [KEY, OTHER_KEY] = ADYEN_TEST_KEYS;
const validator = new hmacValidator();
const AUTH = `Basic ${Buffer.from(`${ADYEN_TEST_BASIC_AUTH.username}:${ADYEN_TEST_BASIC_AUTH.password}`).toString('base64')}`;

function items(body: string): SdkItem[] {
  return JSON.parse(body).notificationItems.map(
    (wrapper: { NotificationRequestItem: SdkItem }) => wrapper.NotificationRequestItem,
  );
}

/** The payload with every item signed by the SDK, as Adyen would send it. */
function sdkSigned(payload: string, key: string): string {
  const body = JSON.parse(payload);
  for (const { NotificationRequestItem: item } of body.notificationItems) {
    item.additionalData = { ...item.additionalData, hmacSignature: validator.calculateHmac(item, key) };
  }
  return JSON.stringify(body);
}

test("our event-code table is exactly the SDK's EventCodeEnum", () => {
  const sdk = Object.values(Types.notification.NotificationRequestItem.EventCodeEnum).sort();
  assert.deepEqual([...ADYEN_EVENT_CODES].sort(), sdk);
});

test('every fixture survives the SDK Notification serializer unchanged (no unknown or mistyped field)', () => {
  const { ObjectSerializer } = Types.notification;
  for (const fixture of adyenFixtures) {
    const json = JSON.parse(fixture.payload);
    const roundTrip = ObjectSerializer.serialize(ObjectSerializer.deserialize(json, 'Notification'), 'Notification');
    assert.deepEqual(JSON.parse(JSON.stringify(roundTrip)), json, fixture.name);
    for (const item of items(fixture.payload)) assert.ok(ADYEN_EVENT_CODES.includes(item.eventCode), fixture.name);
  }
});

test('what the SDK signs, we verify and normalize as the fixture expects', () => {
  for (const fixture of adyenFixtures) {
    const body = sdkSigned(fixture.payload, KEY);
    const request = { body: Buffer.from(body), headers: { authorization: AUTH }, receivedAt: new Date() };
    assert.deepEqual(provider.verify(request), { ok: true }, fixture.name);
    const normalized = provider.normalize(asRecord(body));
    if (fixture.expect === 'unsupported') assert.equal(normalized.kind, 'unsupported', fixture.name);
    else {
      assert.ok(normalized.kind === 'events', fixture.name);
      assert.deepEqual(
        normalized.events.map((event) => event.event_type),
        fixture.expect,
      );
    }
  }
});

test('what we sign, the SDK validates with our key and rejects with another', () => {
  for (const fixture of adyenFixtures) {
    for (const item of items(provider.sign(fixture.payload).body)) {
      assert.equal(validator.validateHMAC(item, KEY), true, fixture.name);
      assert.equal(validator.validateHMAC(item, OTHER_KEY), false, fixture.name);
    }
  }
});

test('both directions agree for arbitrary items, zero amounts and absent references included', () => {
  const reference = fc.option(fc.string({ maxLength: 24 }), { nil: undefined });
  fc.assert(
    fc.property(
      fc.record({
        pspReference: fc.string({ minLength: 1, maxLength: 24 }),
        originalReference: reference,
        merchantAccountCode: fc.string({ maxLength: 24 }),
        merchantReference: fc.string({ maxLength: 40 }),
        amount: fc.record({
          value: fc.oneof(fc.constant(0), fc.maxSafeNat()),
          currency: fc.constantFrom(...ADYEN_EXPONENTS.keys()),
        }),
        eventCode: fc.constantFrom(...ADYEN_EVENT_CODES),
        success: fc.constantFrom('true', 'false'),
      }),
      (fields) => {
        const item = { ...fields, eventDate: '2025-11-20T14:02:05+01:00', additionalData: {} } as unknown as SdkItem;
        if (fields.originalReference === undefined) delete (item as { originalReference?: string }).originalReference;
        const payload = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] });
        const ours = provider.sign(payload);
        assert.equal(validator.validateHMAC(items(ours.body)[0] as SdkItem, KEY), true);
        assert.deepEqual(provider.verify(asRequest({ headers: ours.headers, body: sdkSigned(payload, KEY) })), {
          ok: true,
        });
      },
    ),
    { numRuns: 300 },
  );
});

test("partial CAPTUREs built with the SDK's types: each names its capture by its own pspReference", () => {
  const { NotificationRequestItem } = Types.notification;
  const capture = (pspReference: string, value: number): SdkItem => ({
    additionalData: { shopperReference: 'cus_1' },
    amount: { currency: 'EUR', value },
    eventCode: NotificationRequestItem.EventCodeEnum.Capture,
    eventDate: '2025-11-20T18:00:12+01:00',
    merchantAccountCode: 'TestMerchant',
    merchantReference: 'order-1',
    // Adyen's reference of the capture request (PaymentCaptureResponse.pspReference); the payment's is
    // originalReference (its paymentPspReference).
    pspReference,
    originalReference: 'QFQTPCQ8HXSKGK82',
    paymentMethod: 'visa',
    success: NotificationRequestItem.SuccessEnum.True,
  });
  const notificationItems = [capture('LF6HNMQZ6LXKGK82', 6000), capture('MG7JPNR27MYLHK82', 4000)].map((item) => ({
    NotificationRequestItem: item,
  }));
  const { ObjectSerializer } = Types.notification;
  const payload = JSON.stringify(ObjectSerializer.serialize({ live: 'false', notificationItems }, 'Notification'));
  const normalized = provider.normalize(asRecord(sdkSigned(payload, KEY)));
  assert.ok(normalized.kind === 'events', JSON.stringify(normalized));
  assert.deepEqual(
    normalized.events.map((event) => [event.payment_id, event.amount_cents, event.metadata.capture_id]),
    [
      ['QFQTPCQ8HXSKGK82', 6000, 'LF6HNMQZ6LXKGK82'],
      ['QFQTPCQ8HXSKGK82', 4000, 'MG7JPNR27MYLHK82'],
    ],
  );
});
