import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ValidationIssue } from '../../../src/contracts/reasons.ts';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { asRecord, notification, provider } from './helpers.ts';

function normalize(body: string): NormalizeResult {
  return provider.normalize(asRecord(body));
}

function events(body: string) {
  const result = normalize(body);
  assert.equal(result.kind, 'events', JSON.stringify(result));
  return result.kind === 'events' ? result.events : [];
}

function only(body: string) {
  const [event, ...rest] = events(body);
  assert.ok(event);
  assert.equal(rest.length, 0);
  return event;
}

function issues(body: string): ValidationIssue[] {
  const result = normalize(body);
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.kind === 'invalid' ? [...result.errors] : [];
}

function fixture(name: string): string {
  const found = adyenFixtures.find((candidate) => candidate.name === name);
  assert.ok(found, name);
  return found.payload;
}

test('a successful AUTHORISATION is the whole unified event', () => {
  assert.deepEqual(only(fixture('AUTHORISATION')), {
    schema_version: 1,
    event_id: 'adyen:QFQTPCQ8HXSKGK82:AUTHORISATION:true',
    provider: 'adyen',
    event_type: 'payment.authorized',
    provider_event_type: 'AUTHORISATION',
    payment_id: 'QFQTPCQ8HXSKGK82',
    amount_cents: 12995,
    currency: 'EUR',
    status: 'authorized',
    failure_code: null,
    customer_id: 'cus_7f3a91c2',
    merchant_id: 'PaypipeShopECOM',
    timestamp: '2025-11-20T13:02:05.000Z',
    received_at: '2025-11-20T13:02:06.250Z',
    metadata: {
      psp_reference: 'QFQTPCQ8HXSKGK82',
      merchant_reference: 'order-100482',
      payment_method: 'visa',
      success: 'true',
      live: 'false',
      currency_exponent: '2',
      'merchant_metadata.orderId': 'order-100482',
      'merchant_metadata.channel': 'web',
    },
  });
});

test('each fixture gives its event type, status, amount, currency, failure code and payment id', () => {
  const expected: Record<string, [string, string, number, string, string | null, string]> = {
    'AUTHORISATION.refused': ['payment.failed', 'failed', 4900, 'USD', 'insufficient_funds', 'JD9KCPLT8NZ8GK82'],
    'AUTHORISATION.cvc_declined': ['payment.failed', 'failed', 5200, 'JPY', 'incorrect_cvc', 'KX3PTM2M9R5VGK82'],
    AUTHORISATION_ADJUSTMENT: ['payment.authorized', 'authorized', 13995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    CAPTURE: ['payment.captured', 'succeeded', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    'CAPTURE.failed': ['payment.failed', 'failed', 12995, 'EUR', 'other', 'QFQTPCQ8HXSKGK82'],
    CAPTURE_FAILED: ['payment.failed', 'failed', 12995, 'EUR', 'try_again_later', 'QFQTPCQ8HXSKGK82'],
    CANCELLATION: ['payment.canceled', 'canceled', 1250000, 'ISK', null, 'R2JXG4QHV8TNGK82'],
    TECHNICAL_CANCEL: ['payment.canceled', 'canceled', 2500, 'USD', null, 'Z8PKM2T6B4YQGK82'],
    OFFER_CLOSED: ['payment.canceled', 'canceled', 3450, 'EUR', null, 'N6XQ8C2VRJ4TGK82'],
    PENDING: ['payment.pending', 'pending', 8000, 'EUR', null, 'M4KS7V2QXC9DGK82'],
    'CANCEL_OR_REFUND.cancel': ['payment.canceled', 'canceled', 12500, 'KWD', null, 'F9VB2X7KQ4MRGK82'],
    'CANCEL_OR_REFUND.refund': ['refund.succeeded', 'refunded', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    REFUND: ['refund.succeeded', 'refunded', 2000, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    'REFUND.failed': ['refund.failed', 'failed', 20000, 'EUR', 'other', 'QFQTPCQ8HXSKGK82'],
    REFUND_WITH_DATA: ['refund.succeeded', 'refunded', 1500, 'EUR', null, 'Y2GR6K9TZQ3WGN82'],
    'REFUND_WITH_DATA.failed': ['refund.failed', 'failed', 1500, 'EUR', 'card_not_supported', 'K7TX2M4QZ9RWGN82'],
    REFUND_FAILED: ['refund.failed', 'failed', 2000, 'EUR', 'other', 'QFQTPCQ8HXSKGK82'],
    REFUNDED_REVERSED: ['refund.failed', 'failed', 2000, 'EUR', 'other', 'QFQTPCQ8HXSKGK82'],
    NOTIFICATION_OF_CHARGEBACK: ['dispute.opened', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    CHARGEBACK: ['dispute.opened', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    'CHARGEBACK.accepted': ['dispute.lost', 'disputed', 4500, 'EUR', null, 'J6WR2KX8QZ4NGK82'],
    CHARGEBACK_REVERSED: ['dispute.won', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    ISSUER_RESPONSE_TIMEFRAME_EXPIRED: ['dispute.won', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    SECOND_CHARGEBACK: ['dispute.lost', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    PREARBITRATION_WON: ['dispute.won', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
    PREARBITRATION_LOST: ['dispute.lost', 'disputed', 12995, 'EUR', null, 'QFQTPCQ8HXSKGK82'],
  };
  for (const [name, [eventType, status, amount, currency, failure, paymentId]] of Object.entries(expected)) {
    const event = only(fixture(name));
    assert.deepEqual(
      [event.event_type, event.status, event.amount_cents, event.currency, event.failure_code, event.payment_id],
      [eventType, status, amount, currency, failure, paymentId],
      name,
    );
  }
});

test('failures keep the raw reason and scheme response in metadata', () => {
  const event = only(fixture('AUTHORISATION.refused'));
  assert.equal(event.metadata.provider_failure_code, 'Not enough balance');
  assert.equal(event.metadata.provider_decline_code, '51 : Insufficient funds/over credit limit');
  assert.equal(event.customer_id, 'cus_19be22d0');
});

test('refunds and disputes carry their own ids and codes in metadata', () => {
  const refund = only(fixture('REFUND'));
  assert.equal(refund.metadata.refund_id, 'V4HZ4RBFJGXXGN82');
  assert.equal(refund.metadata.original_reference, 'QFQTPCQ8HXSKGK82');
  assert.equal(refund.metadata['merchant_metadata.refundReason'], 'damaged item');
  const dispute = only(fixture('CHARGEBACK'));
  assert.equal(dispute.metadata.dispute_id, 'D8TL7ZVVT6C2VK82');
  assert.equal(dispute.metadata.chargeback_reason_code, '10.4');
  assert.equal(dispute.metadata.chargeback_scheme_code, 'visa');
  assert.equal(dispute.metadata.dispute_status, 'Pending');
  assert.equal(dispute.metadata.dispute_reason, 'Other Fraud-Card Absent Environment');
});

test('event ids: deterministic, and distinct per event code, success and original reference', () => {
  assert.deepEqual(normalize(fixture('CAPTURE')), normalize(fixture('CAPTURE')));
  assert.equal(only(fixture('CAPTURE')).event_id, 'adyen:LF6HNMQZ6LXKGK82:CAPTURE:true:QFQTPCQ8HXSKGK82');
  const ids = adyenFixtures.flatMap((candidate) => {
    const result = normalize(candidate.payload);
    return result.kind === 'events' ? result.events.map((event) => event.event_id) : [];
  });
  assert.equal(new Set(ids).size, ids.length);
  assert.notEqual(only(notification()).event_id, only(notification({ success: 'false' })).event_id);
});

test("Adyen's exponent exceptions are what currency_exponent reports; amounts are taken as sent", () => {
  for (const [currency, exponent] of [
    ['CLP', '2'],
    ['CVE', '0'],
    ['IDR', '0'],
    ['ISK', '2'],
    ['JPY', '0'],
    ['KWD', '3'],
  ]) {
    const event = only(notification({ amount: { currency, value: 123456 } }));
    assert.equal(event.amount_cents, 123456);
    assert.equal(event.metadata.currency_exponent, exponent, currency);
  }
  assert.equal(only(notification({ amount: { currency: 'eur', value: 0 } })).currency, 'EUR');
});

test('CANCEL_OR_REFUND: the action decides; a missing or unknown action is invalid, a failure is refund.failed', () => {
  const base = { eventCode: 'CANCEL_OR_REFUND', originalReference: 'ORIG' };
  assert.equal(
    only(notification({ ...base, additionalData: { 'modification.action': 'refund' } })).event_type,
    'refund.succeeded',
  );
  assert.deepEqual(
    issues(notification({ ...base, additionalData: {} })).map((issue) => [issue.path, issue.code]),
    [['notificationItems.0.NotificationRequestItem.additionalData.modification.action', 'missing_field']],
  );
  assert.equal(
    issues(notification({ ...base, additionalData: { 'modification.action': 'void' } }))[0]?.code,
    'invalid_value',
  );
  const mistyped = issues(notification({ ...base, additionalData: { 'modification.action': 5 } }));
  assert.deepEqual(
    mistyped.map((issue) => issue.code),
    ['invalid_type'],
    'one issue per field, however often it is read',
  );
  assert.equal(only(notification({ ...base, success: 'false', additionalData: {} })).event_type, 'refund.failed');
});

test('unknown and informational event codes are unsupported; mixed requests keep their payment items', () => {
  assert.deepEqual(normalize(notification({ eventCode: 'SOMETHING_NEW' })), {
    kind: 'unsupported',
    providerEventType: 'SOMETHING_NEW',
  });
  assert.deepEqual(normalize(fixture('REPORT_AVAILABLE')), {
    kind: 'unsupported',
    providerEventType: 'REPORT_AVAILABLE',
  });
  const mixed = events(
    notification(
      { eventCode: 'REPORT_AVAILABLE' },
      {},
      { eventCode: 'CAPTURE', pspReference: 'CAP', originalReference: '7914073381342284' },
    ),
  );
  assert.deepEqual(
    mixed.map((event) => event.event_type),
    ['payment.authorized', 'payment.captured'],
  );
});

test('bad payloads give precise issues', () => {
  const at = (path: string) => `notificationItems.0.NotificationRequestItem.${path}`;
  const cases: [string, string, string][] = [
    ['{', '', 'invalid_json'],
    ['{"live":"false"}', 'notificationItems', 'missing_field'],
    ['{"notificationItems":[]}', 'notificationItems', 'missing_field'],
    ['{"notificationItems":[{}]}', 'notificationItems.0.NotificationRequestItem', 'invalid_type'],
    [notification({ amount: { currency: 'EUR', value: 10.5 } }), at('amount.value'), 'amount_precision'],
    [notification({ amount: { currency: 'EUR', value: '1130' } }), at('amount.value'), 'invalid_amount'],
    [notification({ amount: { currency: 'EUR', value: -1 } }), at('amount.value'), 'amount_out_of_range'],
    [notification({ amount: { currency: 'EUR', value: 2 ** 53 } }), at('amount.value'), 'amount_out_of_range'],
    [notification({ amount: { currency: 'XYZ', value: 1 } }), at('amount.currency'), 'unknown_currency'],
    [notification({ amount: { value: 1 } }), at('amount.currency'), 'missing_field'],
    [notification({ eventDate: undefined }), at('eventDate'), 'missing_field'],
    [notification({ eventDate: '20/11/2026' }), at('eventDate'), 'invalid_timestamp'],
    [notification({ success: 'yes' }), at('success'), 'invalid_value'],
    [notification({ eventCode: 42 }), at('eventCode'), 'invalid_type'],
    [notification({ pspReference: '' }), at('pspReference'), 'missing_field'],
    [notification({ merchantAccountCode: undefined }), at('merchantAccountCode'), 'missing_field'],
    [notification({ additionalData: { shopperReference: 7 } }), at('additionalData.shopperReference'), 'invalid_type'],
    [notification({ additionalData: 'x' }), at('additionalData'), 'invalid_type'],
  ];
  for (const [body, path, code] of cases) {
    assert.ok(
      issues(body).some((issue) => issue.path === path && issue.code === code),
      `${path} ${code}: ${body}`,
    );
  }
});

test('one invalid item makes the whole request invalid, its index in the path', () => {
  const body = notification({}, { pspReference: 'SECOND', amount: { currency: 'XYZ', value: 1 } });
  assert.deepEqual(
    issues(body).map((issue) => issue.path),
    ['notificationItems.1.NotificationRequestItem.amount.currency'],
  );
});

test('a value the unified schema refuses becomes an issue, not a throw', () => {
  const [issue] = issues(notification({ pspReference: 'P'.repeat(300) }));
  assert.equal(issue?.code, 'invalid_value');
  assert.match(issue?.message ?? '', /event_id/);
});

test("the card's issuing country: issuerCountry (or cardIssuingCountry) as alpha-2; unusable values are left out", () => {
  const country = (additionalData: Record<string, unknown>) =>
    only(notification({ additionalData: { shopperReference: 'cus_1', ...additionalData } })).metadata.card_country;
  assert.equal(country({ issuerCountry: 'NL' }), 'NL');
  assert.equal(country({ cardIssuingCountry: 'de' }), 'DE');
  assert.equal(country({ issuerCountry: 'Unknown', cardIssuingCountry: 'FR' }), 'FR');
  assert.equal(country({}), undefined);
  // Not a string: the event stays valid, without the country.
  assert.equal(country({ issuerCountry: 528 }), undefined);
});

test('a CAPTURE names its capture and a CAPTURE_FAILED the capture it rejects; nothing else carries a capture_id', () => {
  assert.equal(only(fixture('CAPTURE')).metadata.capture_id, 'LF6HNMQZ6LXKGK82');
  assert.equal(only(fixture('CAPTURE_FAILED')).metadata.capture_id, 'LF6HNMQZ6LXKGK82');
  for (const name of ['AUTHORISATION', 'AUTHORISATION_ADJUSTMENT', 'REFUND', 'CAPTURE.failed']) {
    assert.equal(only(fixture(name)).metadata.capture_id, undefined, name);
  }
});

test('a recapture after a CAPTURE_FAILED gets its own event id (the eventDate), so it is not taken for the first CAPTURE', () => {
  const capture = JSON.parse(fixture('CAPTURE'));
  const item = capture.notificationItems[0].NotificationRequestItem;
  const first = only(JSON.stringify(capture));
  item.reason = 'Transaction Recaptured';
  item.eventDate = '2025-11-24T02:00:00+01:00';
  const again = only(JSON.stringify(capture));
  assert.notEqual(again.event_id, first.event_id);
  assert.equal(again.metadata.capture_id, first.metadata.capture_id);
  assert.equal(only(JSON.stringify(capture)).event_id, again.event_id, 'a redelivery keeps its id');
});
