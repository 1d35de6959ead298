/**
 * Real-shaped Braintree notifications, one per mapped kind plus unsupported ones. Amounts are decimal
 * strings in major units, as Braintree sends them; every failure carries real decline codes.
 */
import type { ProviderFixture } from '../fixture.ts';
import {
  disputeXml,
  notificationXml,
  subscriptionXml,
  type TransactionSample,
  transactionXml,
  US_BANK_ACCOUNT_XML,
  VISA_CARD_XML,
} from './sample-xml.ts';

const MERCHANT = 'acme_tools_usd';
const CUSTOMER = { id: '48213907', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };

const charge = (id: string, status: string, code: string, text: string, createdAt: string): TransactionSample => ({
  id,
  status,
  amount: '49.99',
  currency: 'USD',
  merchantAccountId: MERCHANT,
  orderId: `sub-renewal-${id}`,
  customer: CUSTOMER,
  processorResponseCode: code,
  processorResponseText: text,
  customFields: { campaign: 'spring_launch', plan_tier: 'pro' },
  extra: `<subscription-id>sub_pro_3kx9</subscription-id><plan-id>pro_monthly</plan-id>${VISA_CARD_XML}`,
  createdAt,
});

const subscription = (transactions: readonly TransactionSample[], status: string, failureCount: number) =>
  subscriptionXml({
    id: 'sub_pro_3kx9',
    planId: 'pro_monthly',
    status,
    price: '49.99',
    merchantAccountId: MERCHANT,
    failureCount,
    transactions,
  });

const previous = charge('8q2m4kzd', 'settled', '1000', 'Approved', '2026-02-01T09:00:03Z');

const achDebit = (status: string, extra: string): string =>
  transactionXml({
    id: 'ach7x2p4',
    status,
    amount: '1250.00',
    currency: 'USD',
    merchantAccountId: MERCHANT,
    orderId: 'inv-2026-0311',
    customer: { id: '55120988', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' },
    processorResponseCode: '1000',
    processorResponseText: 'Approved',
    extra: `${US_BANK_ACCOUNT_XML}${extra}`,
    createdAt: '2026-02-26T15:12:40Z',
  });

const dispute = (status: string, extra: { dateWon?: string } = {}) =>
  disputeXml({
    id: 'dp8k2q4x',
    status,
    kind: 'chargeback',
    reason: 'fraud',
    reasonCode: '10.4',
    amount: '250.00',
    currency: 'USD',
    merchantAccountId: MERCHANT,
    transactionId: 'c4kx9m2p',
    ...extra,
  });

const fixture = (name: string, timestamp: string, subject: string, expect: ProviderFixture['expect']) => ({
  name,
  payload: notificationXml(name, timestamp, subject),
  expect,
});

export const braintreeFixtures: readonly ProviderFixture[] = [
  fixture(
    'subscription_charged_successfully',
    '2026-03-01T09:00:05Z',
    subscription(
      [charge('3fz7k2qm', 'submitted_for_settlement', '1000', 'Approved', '2026-03-01T09:00:02Z'), previous],
      'Active',
      0,
    ),
    ['payment.succeeded'],
  ),
  fixture(
    'subscription_charged_unsuccessfully',
    '2026-03-01T09:00:06Z',
    subscription(
      [charge('9bk3x7wd', 'processor_declined', '2001', 'Insufficient Funds', '2026-03-01T09:00:04Z'), previous],
      'Past Due',
      1,
    ),
    ['payment.failed'],
  ),
  fixture(
    'transaction_settled',
    '2026-03-02T06:30:00Z',
    achDebit('settled', '<processor-settlement-response-code>4000</processor-settlement-response-code>'),
    ['payment.succeeded'],
  ),
  fixture(
    'transaction_settlement_declined',
    '2026-03-02T06:30:00Z',
    achDebit(
      'settlement_declined',
      '<processor-settlement-response-code>4001</processor-settlement-response-code>' +
        '<processor-settlement-response-text>Settlement Declined</processor-settlement-response-text>' +
        '<ach-return-code>R01</ach-return-code>',
    ),
    ['payment.failed'],
  ),
  fixture('dispute_opened', '2026-03-02T14:00:00Z', dispute('open'), ['dispute.opened']),
  fixture('dispute_won', '2026-04-10T14:00:00Z', dispute('won', { dateWon: '2026-04-10' }), ['dispute.won']),
  fixture('dispute_lost', '2026-04-10T14:00:00Z', dispute('lost'), ['dispute.lost']),
  fixture('dispute_accepted', '2026-03-05T10:00:00Z', dispute('accepted'), ['dispute.lost']),
  fixture('dispute_auto_accepted', '2026-03-05T10:00:00Z', dispute('auto_accepted'), ['dispute.lost']),
  fixture('dispute_expired', '2026-03-21T00:00:00Z', dispute('expired'), ['dispute.lost']),
  fixture('dispute_under_review', '2026-03-12T10:00:00Z', dispute('under_review'), 'unsupported'),
  fixture(
    'refund_failed',
    '2026-03-03T12:00:00Z',
    transactionXml({
      id: 'rf5n8w2c',
      status: 'processor_declined',
      type: 'credit',
      amount: '20.00',
      currency: 'USD',
      merchantAccountId: MERCHANT,
      customer: CUSTOMER,
      processorResponseCode: '2046',
      processorResponseText: 'Declined',
      extra: `<refunded-transaction-id>3fz7k2qm</refunded-transaction-id>${VISA_CARD_XML}`,
      createdAt: '2026-03-03T11:59:58Z',
    }),
    ['refund.failed'],
  ),
  fixture('subscription_canceled', '2026-03-04T08:00:00Z', subscription([previous], 'Canceled', 0), 'unsupported'),
  fixture('check', '2026-03-01T00:00:00Z', '<check type="boolean">true</check>', 'unsupported'),
];
