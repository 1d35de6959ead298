import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { createBraintreeProvider } from '../../../src/providers/braintree/index.ts';
import {
  notificationXml,
  subscriptionXml,
  type TransactionSample,
  transactionXml,
  visaCardXml,
} from '../../../src/providers/braintree/sample-xml.ts';
import { encodePayload } from '../../../src/providers/braintree/signature.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { createProvider, formBody, NEW_KEYS, RECEIVED_AT, recordOf } from './kit.ts';

const provider = createProvider([NEW_KEYS]);

function normalizeXml(xml: string): NormalizeResult {
  return provider.normalize(recordOf(provider.sign(xml).body));
}

function eventOf(xml: string): UnifiedPaymentEvent {
  const result = normalizeXml(xml);
  assert.equal(result.kind, 'events', JSON.stringify(result));
  assert.ok(result.kind === 'events' && result.events.length === 1 && result.events[0]);
  return result.events[0];
}

function fixtureEvent(name: string): UnifiedPaymentEvent {
  const fixture = braintreeFixtures.find((item) => item.name === name);
  assert.ok(fixture, name);
  return eventOf(fixture.payload);
}

function issuesOf(xml: string) {
  const result = normalizeXml(xml);
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.kind === 'invalid' ? result.errors.map((issue) => `${issue.code} ${issue.path}`) : [];
}

const TX: TransactionSample = {
  id: 'tx1',
  status: 'processor_declined',
  amount: '10.00',
  currency: 'USD',
  merchantAccountId: 'acme_tools_usd',
  customer: { id: 'c1', firstName: 'A', lastName: 'B', email: 'a@example.com' },
};

const charged = (tx: Partial<TransactionSample>, kind = 'subscription_charged_unsuccessfully') =>
  notificationXml(
    kind,
    '2026-03-01T09:00:00Z',
    subscriptionXml({
      id: 'sub1',
      planId: 'p',
      status: 'Past Due',
      price: '10.00',
      merchantAccountId: 'acme_tools_usd',
      failureCount: 1,
      transactions: [{ ...TX, ...tx }],
    }),
  );

describe('mapped kinds', () => {
  test('subscription_charged_successfully: the newest transaction, its customer, merchant and custom fields', () => {
    const event = fixtureEvent('subscription_charged_successfully');
    assert.equal(event.event_type, 'payment.succeeded');
    assert.equal(event.status, 'succeeded');
    assert.equal(event.payment_id, '3fz7k2qm');
    assert.equal(event.amount_cents, 4999);
    assert.equal(event.currency, 'USD');
    assert.equal(event.failure_code, null);
    assert.equal(event.customer_id, '48213907');
    assert.equal(event.merchant_id, 'acme_tools_usd');
    assert.equal(event.timestamp, '2026-03-01T09:00:05.000Z');
    assert.equal(event.received_at, RECEIVED_AT);
    assert.equal(event.schema_version, 1);
    assert.equal(event.metadata.subscription_id, 'sub_pro_3kx9');
    assert.equal(event.metadata['custom_field.campaign'], 'spring_launch');
    assert.equal(event.metadata.provider_decline_code, undefined, 'an approval code is not a decline code');
    assert.match(event.event_id, /^braintree:[0-9a-f]{64}$/);
  });

  test('subscription_charged_unsuccessfully: processor code 2001 is insufficient_funds, raw code in metadata', () => {
    const event = fixtureEvent('subscription_charged_unsuccessfully');
    assert.deepEqual(
      [event.event_type, event.status, event.failure_code, event.payment_id],
      ['payment.failed', 'failed', 'insufficient_funds', '9bk3x7wd'],
    );
    assert.equal(event.metadata.provider_decline_code, '2001');
    assert.equal(event.metadata.processor_response_text, 'Insufficient Funds');
  });

  test('ACH settlement: settled succeeds; declined carries the NACHA return code', () => {
    const settled = fixtureEvent('transaction_settled');
    assert.deepEqual(
      [settled.event_type, settled.amount_cents, settled.payment_id],
      ['payment.succeeded', 125000, 'ach7x2p4'],
    );
    const declined = fixtureEvent('transaction_settlement_declined');
    assert.deepEqual([declined.event_type, declined.failure_code], ['payment.failed', 'insufficient_funds']);
    assert.equal(declined.metadata.provider_ach_return_code, 'R01');
    assert.equal(declined.metadata.provider_settlement_code, '4001');
  });

  test('an ACH refund (a credit) that settles is the sale refunded, not a new payment; one returned failed', () => {
    // Braintree: "Transaction webhooks are available for ACH and SEPA Direct Debit Transaction: Sale and
    // Transaction: Refund requests"; a declined settlement "may be triggered ... if the customer's bank returns
    // the refund after it has appeared to settle".
    const credit = (kind: string, status: string) =>
      notificationXml(
        kind,
        '2026-03-09T06:30:00Z',
        transactionXml({
          ...TX,
          id: 'rf7k2q9x',
          status,
          type: 'credit',
          amount: '40.00',
          extra: '<refunded-transaction-id>ach7x2p4</refunded-transaction-id>',
        }),
      );
    const settled = eventOf(credit('transaction_settled', 'settled'));
    assert.deepEqual(
      [settled.event_type, settled.status, settled.payment_id, settled.amount_cents, settled.metadata.refund_id],
      ['refund.succeeded', 'refunded', 'ach7x2p4', 4000, 'rf7k2q9x'],
    );
    const route = provider.route(Buffer.from(provider.sign(credit('transaction_settled', 'settled')).body));
    assert.deepEqual(route.ok && route.partitionKey, 'ach7x2p4');
    const returned = eventOf(credit('transaction_settlement_declined', 'settlement_declined'));
    assert.deepEqual(
      [returned.event_type, returned.status, returned.payment_id, returned.metadata.refund_id],
      ['refund.failed', 'failed', 'ach7x2p4', 'rf7k2q9x'],
    );
  });

  test('disputes: opened, won and lost (accepted, auto-accepted, expired) on the disputed transaction', () => {
    const expected = {
      dispute_opened: 'dispute.opened',
      dispute_won: 'dispute.won',
      dispute_lost: 'dispute.lost',
      dispute_accepted: 'dispute.lost',
      dispute_auto_accepted: 'dispute.lost',
      dispute_expired: 'dispute.lost',
    };
    for (const [name, type] of Object.entries(expected)) {
      const event = fixtureEvent(name);
      assert.deepEqual(
        [event.event_type, event.status, event.payment_id, event.amount_cents, event.failure_code],
        [type, 'disputed', 'c4kx9m2p', 25000, null],
        name,
      );
      assert.equal(event.metadata.dispute_id, 'dp8k2q4x');
      assert.equal(event.metadata.dispute_reason, 'fraud');
    }
  });

  test('refund_failed belongs to the refunded sale; the refund id is in metadata', () => {
    const event = fixtureEvent('refund_failed');
    assert.deepEqual([event.event_type, event.status, event.failure_code], ['refund.failed', 'failed', 'do_not_honor']);
    assert.equal(event.payment_id, '3fz7k2qm');
    assert.equal(event.metadata.refund_id, 'rf5n8w2c');
    assert.equal(event.amount_cents, 2000);
  });

  test('decline codes: gateway rejections, card declines, network failures and unknown codes', () => {
    const cases: [Partial<TransactionSample>, string][] = [
      [{ processorResponseCode: '2004' }, 'expired_card'],
      [{ processorResponseCode: '2010' }, 'incorrect_cvc'],
      [{ processorResponseCode: '2038' }, 'do_not_honor'],
      [{ processorResponseCode: '3000' }, 'try_again_later'],
      [{ processorResponseCode: '2999' }, 'other'],
      [{ status: 'gateway_rejected', processorResponseCode: '1000', gatewayRejectionReason: 'cvv' }, 'incorrect_cvc'],
      [{ status: 'gateway_rejected', gatewayRejectionReason: 'something_new' }, 'other'],
      [{ status: 'failed' }, 'other'],
    ];
    for (const [tx, code] of cases) assert.equal(eventOf(charged(tx)).failure_code, code, JSON.stringify(tx));
  });
});

describe('identity', () => {
  test('a redelivery gets the same event id; another notification time gets another', () => {
    const xml = charged({});
    assert.equal(eventOf(xml).event_id, eventOf(xml).event_id);
    assert.notEqual(eventOf(xml).event_id, eventOf(xml.replace('09:00:00Z', '09:00:01Z')).event_id);
    const fixture = braintreeFixtures[0];
    assert.ok(fixture);
    const once = provider.sign(fixture.payload).body;
    assert.deepEqual(provider.normalize(recordOf(once)), provider.normalize(recordOf(once)));
  });
});

describe('amounts and currencies', () => {
  test('a missing currency is the merchant account’s configured one, else the fallback', () => {
    const jpy = eventOf(charged({ currency: null, amount: '1200', merchantAccountId: 'acme_tools_jpy' }));
    assert.deepEqual([jpy.amount_cents, jpy.currency], [1200, 'JPY']);
    const fallback = eventOf(charged({ currency: null, amount: '250.0', merchantAccountId: 'unlisted' }));
    assert.deepEqual([fallback.amount_cents, fallback.currency], [25000, 'USD']);
    const prototypeName = eventOf(charged({ currency: null, merchantAccountId: 'constructor' }));
    assert.equal(prototypeName.currency, 'USD');
  });

  test('lower-case currencies are upper-cased; three-decimal currencies keep three digits', () => {
    const kwd = eventOf(charged({ currency: 'kwd', amount: '1.234' }));
    assert.deepEqual([kwd.amount_cents, kwd.currency], [1234, 'KWD']);
  });

  test('more precision than the currency has is amount_precision, never rounded', () => {
    const path = 'notification.subject.subscription.transactions.transaction.amount';
    assert.deepEqual(issuesOf(charged({ amount: '10.001' })), [`amount_precision ${path}`]);
    assert.deepEqual(issuesOf(charged({ currency: 'JPY', amount: '100.5' })), [`amount_precision ${path}`]);
    assert.deepEqual(issuesOf(charged({ amount: '-5.00' })), [`invalid_amount ${path}`]);
    assert.deepEqual(issuesOf(charged({ amount: '99999999999999999.00' })), [`amount_out_of_range ${path}`]);
  });

  test('an unknown configured currency is unknown_currency, saying where it came from', () => {
    const misconfigured = createBraintreeProvider({
      keys: [NEW_KEYS],
      merchantCurrencies: { byMerchant: {}, fallback: 'XXQ' },
    });
    const result = misconfigured.normalize(recordOf(misconfigured.sign(charged({ currency: null })).body));
    assert.ok(result.kind === 'invalid');
    assert.equal(result.errors[0]?.code, 'unknown_currency');
    assert.match(result.errors[0]?.message ?? '', /configured for merchant account "acme_tools_usd"/);
  });

  test('an unknown currency is unknown_currency', () => {
    assert.deepEqual(issuesOf(charged({ currency: 'XYZ' })), [
      'unknown_currency notification.subject.subscription.transactions.transaction.currency-iso-code',
    ]);
  });
});

describe('bad payloads', () => {
  test('missing pieces are reported with their paths', () => {
    const empty = notificationXml(
      'subscription_charged_successfully',
      '2026-03-01T09:00:00Z',
      '<subscription><id>s</id><transactions type="array"></transactions></subscription>',
    );
    assert.deepEqual(issuesOf(empty), ['missing_field notification.subject.subscription.transactions.transaction']);
    assert.deepEqual(issuesOf(charged({}).replace(/<timestamp[^<]*<\/timestamp>/, '')), [
      'missing_field notification.timestamp',
    ]);
    assert.deepEqual(issuesOf(charged({}).replace('2026-03-01T09:00:00Z', 'yesterday')), [
      'invalid_timestamp notification.timestamp',
    ]);
    assert.deepEqual(issuesOf(charged({}).replace(/<kind>[^<]*<\/kind>/, '')), ['missing_field notification.kind']);
    const noDispute = notificationXml(
      'dispute_opened',
      '2026-03-01T09:00:00Z',
      '<dispute><id>d</id><amount>1.00</amount></dispute>',
    );
    assert.deepEqual(issuesOf(noDispute), ['missing_field notification.subject.dispute.transaction.id']);
  });

  test('bodies that are not a notification are invalid, never a throw', () => {
    const bodies = [
      '',
      'bt_signature=x',
      formBody({ bt_payload: '%%%' }),
      formBody({ bt_payload: encodePayload('not xml <') }),
      formBody({ bt_payload: encodePayload('<other/>') }),
      formBody({ bt_payload: Buffer.from([0xff, 0xfe]).toString('base64') }),
      formBody({ bt_payload: encodePayload('<!DOCTYPE n [<!ENTITY a "aaaa">]><notification>&a;</notification>') }),
    ];
    for (const body of bodies) {
      const result = provider.normalize(recordOf(body));
      assert.equal(result.kind, 'invalid', body);
      assert.equal(provider.route(Buffer.from(body)).ok, false);
    }
  });

  test('kinds Braintree may add later are unsupported, not invalid', () => {
    assert.deepEqual(normalizeXml(notificationXml('brand_new_kind', '2026-03-01T09:00:00Z', '<x/>')), {
      kind: 'unsupported',
      providerEventType: 'brand_new_kind',
    });
  });

  test('a mapped kind whose transaction id is missing cannot be routed', () => {
    const xml = notificationXml(
      'transaction_settled',
      '2026-03-01T09:00:00Z',
      '<transaction><amount>1.00</amount></transaction>',
    );
    const route = provider.route(Buffer.from(provider.sign(xml).body));
    assert.ok(!route.ok && /transaction id/.test(route.message));
    assert.equal(provider.route(Buffer.from(provider.sign(transactionXml(TX)).body)).ok, false);
  });
});

test("the card's issuing country: Braintree's alpha-3 countryOfIssuance becomes alpha-2; Unknown is left out", () => {
  const country = (issuance: string) => eventOf(charged({ extra: visaCardXml(issuance) })).metadata.card_country;
  assert.equal(country('USA'), 'US');
  assert.equal(country('jpn'), 'JP');
  for (const bad of ['Unknown', 'XYZ', '']) assert.equal(country(bad), undefined, bad);
  assert.equal(eventOf(charged({})).metadata.card_country, undefined);
});
