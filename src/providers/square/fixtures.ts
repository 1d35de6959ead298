/**
 * Square webhooks paypipe receives, one per event kind it maps plus ones it does not. The conformance
 * suite, the simulator and `paypipe trigger square <name>` use them; names are `type:STATUS[:ERROR_CODE]`
 * because Square sends one type (`payment.updated`) for many outcomes.
 */
import type { ProviderFixture } from '../fixture.ts';
import { payment, refund, webhook } from './fixture-builders.ts';

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
  { name: 'webhooks.test_notification', payload: TEST_NOTIFICATION, expect: 'unsupported' },
  { name: 'customer.created', payload: CUSTOMER_CREATED, expect: 'unsupported' },
];
