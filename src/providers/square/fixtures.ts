/**
 * Square webhooks paypipe receives, one per event kind it maps plus ones it does not. The conformance
 * suite, the simulator and `paypipe trigger square <name>` use them; names are `type:STATUS[:ERROR_CODE]`
 * (a dispute's `type:STATE`) because Square sends one type (`payment.updated`) for many outcomes.
 */
import type { ProviderFixture } from '../fixture.ts';
import { type DisputeSpec, dispute, payment, refund, webhook } from './fixture-builders.ts';

const CUSTOMER = 'JDKYHBWT1D4F8MFH63DBMEN8Y4';
const PAID = 'KkAkhdMsgzn59SM8A89WgKwekxLZY';
const DECLINED = 'hYy9pRFVxpDsO1FB05SunFWUe9JZY';
const USD_25 = { amount: 2500, currency: 'USD' } as const;
const ORDER = 'CAISENgvhpdP05f1DWG9H8yMn4kZY';

function failedPayment(id: string, code: string, detail: string) {
  const errors = [{ category: 'PAYMENT_METHOD_ERROR', code, detail }];
  return payment({
    id,
    status: 'FAILED',
    money: USD_25,
    at: '2026-03-01T12:05:10.114Z',
    customerId: CUSTOMER,
    cardStatus: 'FAILED',
    errors,
  });
}

/** A chargeback over the whole of PAID's 25 USD, and an inquiry over the 4,800 JPY bank payment. */
const CHARGEBACK = {
  id: 'ORSEVtZAJxb37RA1EiGw',
  paymentId: PAID,
  money: USD_25,
  reason: 'NOT_RECEIVED',
  at: '2026-03-20T21:24:53.258Z',
} as const;
const INQUIRY = {
  id: 'XwLqp8mTy2VdC4s9KbNe',
  paymentId: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY',
  money: { amount: 480000, currency: 'JPY' },
  reason: 'NO_KNOWLEDGE',
  at: '2026-03-15T02:10:00.005Z',
} as const;

function disputeFixture(
  type: string,
  eventId: string,
  createdAt: string,
  spec: DisputeSpec,
  expect: ProviderFixture['expect'],
): ProviderFixture {
  return {
    name: `${type}:${spec.state}`,
    payload: webhook(type, eventId, createdAt, { dispute: dispute(spec) }),
    expect,
  };
}

/** The test notification Square sends from the Developer Console (the known-answer vector's body). */
const TEST_NOTIFICATION =
  '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';

const CUSTOMER_CREATED = JSON.stringify({
  merchant_id: 'MLEFBHHSJGVHD',
  type: 'customer.created',
  event_id: '5b9e1a1e-54d7-3c3e-8f1b-c7a1d5b6f6a4',
  created_at: '2026-03-01T11:58:02Z',
  data: {
    type: 'customer',
    id: CUSTOMER,
    object: {
      customer: {
        id: CUSTOMER,
        created_at: '2026-03-01T11:58:02.193Z',
        given_name: 'Amelia',
        family_name: 'Earhart',
        email_address: 'amelia.earhart@example.com',
        creation_source: 'THIRD_PARTY',
      },
    },
  },
});

export const squareFixtures: readonly ProviderFixture[] = [
  {
    name: 'payment.created:APPROVED',
    payload: webhook('payment.created', '13b867cf-db3d-4b1c-90b6-2f32a9d78124', '2026-03-01T12:00:00.792Z', {
      payment: payment({
        id: PAID,
        status: 'APPROVED',
        money: USD_25,
        at: '2026-03-01T12:00:00.444Z',
        customerId: CUSTOMER,
        orderId: ORDER,
        cardStatus: 'AUTHORIZED',
      }),
    }),
    expect: ['payment.authorized'],
  },
  {
    name: 'payment.updated:COMPLETED',
    payload: webhook('payment.updated', '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc', '2026-03-01T12:02:34.308191225Z', {
      payment: payment({
        id: PAID,
        status: 'COMPLETED',
        money: USD_25,
        at: '2026-03-01T12:00:00.444Z',
        updatedAt: '2026-03-01T12:02:34.117Z',
        customerId: CUSTOMER,
        orderId: ORDER,
      }),
    }),
    expect: ['payment.succeeded'],
  },
  {
    name: 'payment.created:PENDING',
    payload: webhook('payment.created', '2f3ac4b1-6b0c-4f7e-9d38-6f9a8b2a6f10', '2026-03-01T12:03:00.001Z', {
      payment: payment({
        id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY',
        status: 'PENDING',
        money: { amount: 480000, currency: 'JPY' },
        at: '2026-03-01T12:02:59.870Z',
        customerId: CUSTOMER,
        sourceType: 'BANK_ACCOUNT',
      }),
    }),
    expect: ['payment.pending'],
  },
  {
    name: 'payment.updated:CANCELED',
    payload: webhook('payment.updated', '8d0d3f3e-0f2c-4c6b-a7b8-1c2f7a3e9b55', '2026-03-08T12:00:01.120Z', {
      payment: payment({
        id: 'GQTFp1ZlXdpoW4o6eGiZhbjosiDFf',
        status: 'CANCELED',
        money: { amount: 1999, currency: 'GBP' },
        at: '2026-03-01T12:00:00.000Z',
        updatedAt: '2026-03-08T12:00:00.990Z',
        customerId: CUSTOMER,
        cardStatus: 'VOIDED',
      }),
    }),
    expect: ['payment.canceled'],
  },
  {
    name: 'payment.updated:FAILED:GENERIC_DECLINE',
    payload: webhook('payment.updated', 'c1d5a5e2-3b8e-4f7b-9a6e-6f5d2e4c1b70', '2026-03-01T12:05:10.431Z', {
      payment: failedPayment(DECLINED, 'GENERIC_DECLINE', "Authorization error: 'GENERIC_DECLINE'"),
    }),
    expect: ['payment.failed'],
  },
  {
    name: 'payment.updated:FAILED:INSUFFICIENT_FUNDS',
    payload: webhook('payment.updated', '0e4b7b93-1d55-4a5e-8f0d-2b9c8c61a7d2', '2026-03-01T12:05:11.006Z', {
      payment: failedPayment(
        'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY',
        'INSUFFICIENT_FUNDS',
        "Authorization error: 'INSUFFICIENT_FUNDS'",
      ),
    }),
    expect: ['payment.failed'],
  },
  {
    name: 'payment.updated:FAILED:CVV_FAILURE',
    payload: webhook('payment.updated', '7a61c2f4-9a2b-4d3e-8a45-0c3d6f2b8e19', '2026-03-01T12:05:12.250Z', {
      payment: failedPayment('XyS5V1TGy3a7CNDKHaWu7FAyL3ZZY', 'CVV_FAILURE', "Authorization error: 'CVV_FAILURE'"),
    }),
    expect: ['payment.failed'],
  },
  {
    name: 'refund.created:PENDING',
    payload: webhook('refund.created', '4b8f3a57-0a8e-43c8-8b8a-2d4b3e3b9f61', '2026-03-02T09:15:00.250Z', {
      refund: refund({
        paymentId: PAID,
        suffix: 'xlEzrN7W4E0pxh0Z1jdVQV3dBrAKX',
        status: 'PENDING',
        money: { amount: 1000, currency: 'USD' },
        at: '2026-03-02T09:14:59.901Z',
        orderId: ORDER,
        reason: 'Returned one item',
      }),
    }),
    expect: ['refund.created'],
  },
  {
    name: 'refund.updated:COMPLETED',
    payload: webhook('refund.updated', '9e1f4c3a-63c2-4b1e-b2c1-7f1f0c7d5a23', '2026-03-02T09:15:31.877Z', {
      refund: refund({
        paymentId: PAID,
        suffix: 'xlEzrN7W4E0pxh0Z1jdVQV3dBrAKX',
        status: 'COMPLETED',
        money: { amount: 1000, currency: 'USD' },
        at: '2026-03-02T09:14:59.901Z',
        orderId: ORDER,
        reason: 'Returned one item',
      }),
    }),
    expect: ['refund.succeeded'],
  },
  {
    name: 'refund.updated:REJECTED',
    payload: webhook('refund.updated', 'e2b6a0c4-8d7f-4a49-9f3e-5b1a2c3d4e5f', '2026-03-03T10:00:02.004Z', {
      refund: refund({
        paymentId: PAID,
        suffix: 'Rw4LcV3ZLd7PoxhZ8ZcC9Jg3kGAKX',
        status: 'REJECTED',
        money: { amount: 1500, currency: 'USD' },
        at: '2026-03-03T10:00:00.518Z',
        reason: 'Duplicate charge',
      }),
    }),
    expect: ['refund.failed'],
  },
  {
    name: 'refund.updated:FAILED',
    payload: webhook('refund.updated', 'f4a3c2b1-0e9d-4c8b-a7f6-e5d4c3b2a190', '2026-03-03T10:05:00.731Z', {
      refund: refund({
        paymentId: PAID,
        suffix: 'Jp0sKq1n2ZbVbT4mWw9xY8zAaBAKX',
        status: 'FAILED',
        money: { amount: 1500, currency: 'USD' },
        at: '2026-03-03T10:04:58.002Z',
        reason: 'Duplicate charge',
      }),
    }),
    expect: ['refund.failed'],
  },
  disputeFixture(
    'dispute.created',
    '3e8a4b5c-1f2d-4e6a-9b7c-8d9e0f1a2b3c',
    '2026-03-20T21:24:54.101Z',
    { ...CHARGEBACK, state: 'EVIDENCE_REQUIRED' },
    ['dispute.opened'],
  ),
  disputeFixture(
    'dispute.evidence.created',
    '6f606f30-53d0-495a-87f0-958576fc954f',
    '2026-03-21T09:27:28.851Z',
    {
      ...CHARGEBACK,
      state: 'EVIDENCE_REQUIRED',
      updatedAt: '2026-03-21T09:27:28.851Z',
      version: 2,
      evidenceIds: ['oThqMsDS9bM0LdjZzVB4qB'],
    },
    'unsupported',
  ),
  disputeFixture(
    'dispute.state.changed',
    'a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    '2026-03-22T10:00:00.412Z',
    { ...CHARGEBACK, state: 'PROCESSING', updatedAt: '2026-03-22T10:00:00.300Z', version: 3 },
    'unsupported',
  ),
  disputeFixture(
    'dispute.state.changed',
    'e89ff114-1972-4be0-9481-a621f2385fff',
    '2026-04-19T21:34:41.851Z',
    { ...CHARGEBACK, state: 'WON', updatedAt: '2026-04-19T21:34:41.851Z', version: 4 },
    ['dispute.won'],
  ),
  disputeFixture(
    'dispute.state.changed',
    '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f',
    '2026-04-19T21:35:02.007Z',
    { ...CHARGEBACK, state: 'LOST', updatedAt: '2026-04-19T21:35:01.950Z', version: 4 },
    ['dispute.lost'],
  ),
  disputeFixture(
    'dispute.state.changed',
    '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    '2026-03-21T15:12:09.640Z',
    { ...CHARGEBACK, state: 'ACCEPTED', updatedAt: '2026-03-21T15:12:09.500Z', version: 2 },
    ['dispute.lost'],
  ),
  disputeFixture(
    'dispute.created',
    'b7c6d5e4-f3a2-4b1c-9d8e-7f6a5b4c3d2e',
    '2026-03-15T02:10:01.330Z',
    { ...INQUIRY, state: 'INQUIRY_EVIDENCE_REQUIRED' },
    ['dispute.opened'],
  ),
  // The older name of dispute.state.changed, still sent to subscriptions on an earlier API version.
  disputeFixture(
    'dispute.state.updated',
    'c8d7e6f5-a4b3-4c2d-8e1f-9a0b1c2d3e4f',
    '2026-04-02T08:45:12.918Z',
    { ...INQUIRY, state: 'INQUIRY_CLOSED', updatedAt: '2026-04-02T08:45:12.800Z', version: 3 },
    ['dispute.won'],
  ),
  { name: 'webhooks.test_notification', payload: TEST_NOTIFICATION, expect: 'unsupported' },
  { name: 'customer.created', payload: CUSTOMER_CREATED, expect: 'unsupported' },
];
