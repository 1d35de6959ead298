/** Shared builders for the Adyen tests: a provider with the kit's secrets, and requests around it. */
import type { RawRecord } from '../../../src/contracts/raw-record.ts';
import { createAdyenProvider } from '../../../src/providers/adyen/index.ts';
import type { SignedRequest, WebhookRequest } from '../../../src/providers/provider.ts';
import { ADYEN_TEST_BASIC_AUTH, ADYEN_TEST_KEYS } from './kit.ts';

export const RECEIVED_AT = new Date('2025-11-20T13:02:06.250Z');

export const provider = createAdyenProvider({ hmacKeys: [ADYEN_TEST_KEYS[0]], basicAuth: ADYEN_TEST_BASIC_AUTH });

export function asRequest(signed: SignedRequest): WebhookRequest {
  return { body: Buffer.from(signed.body, 'utf8'), headers: signed.headers, receivedAt: RECEIVED_AT };
}

export function asRecord(body: string | Buffer): RawRecord {
  return {
    id: '01950000-0000-7000-8000-0000000000ad',
    provider: 'adyen',
    received_at: RECEIVED_AT.toISOString(),
    headers: {},
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  };
}

/** A notification with one item: a Visa authorisation, fields overridden by `item`. */
export function notification(item: Record<string, unknown> = {}, ...more: Record<string, unknown>[]): string {
  const base = {
    additionalData: { shopperReference: 'cus_1' },
    amount: { currency: 'EUR', value: 1130 },
    eventCode: 'AUTHORISATION',
    eventDate: '2025-11-20T14:02:05+01:00',
    merchantAccountCode: 'TestMerchant',
    merchantReference: 'TestPayment-1407325143704',
    pspReference: '7914073381342284',
    success: 'true',
  };
  const items = [item, ...more].map((fields) => ({ NotificationRequestItem: { ...base, ...fields } }));
  return JSON.stringify({ live: 'false', notificationItems: items });
}
