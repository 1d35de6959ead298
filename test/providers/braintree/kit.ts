/** The Braintree conformance kit: two API key pairs (old and new) and a payload tamper. */
import type { BraintreeKeyPair } from '../../../src/config/config.ts';
import type { RawRecord } from '../../../src/contracts/raw-record.ts';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { createBraintreeProvider } from '../../../src/providers/braintree/index.ts';
import type { SignedRequest, WebhookRequest } from '../../../src/providers/provider.ts';
import type { ConformanceKit } from '../kit.ts';

export const OLD_KEYS: BraintreeKeyPair = {
  publicKey: 'x4kq7p2mzt9bw3nc',
  privateKey: '1f6c2a9e0b7d4c35a8e2f91b6d0c7a43',
};
export const NEW_KEYS: BraintreeKeyPair = {
  publicKey: 'h8vz3r6ydq2kc5wp',
  privateKey: 'c03e7b51d9a24f86b1e5c28a7d940f6e',
};

export const MERCHANT_CURRENCIES = { byMerchant: { acme_tools_jpy: 'JPY' }, fallback: 'USD' } as const;

export function createProvider(keys: readonly BraintreeKeyPair[]) {
  return createBraintreeProvider({ keys, merchantCurrencies: MERCHANT_CURRENCIES });
}

/** Flips one base64 character of bt_payload (to another base64 character), keeping the signature. */
export function tamperPayload(request: SignedRequest): SignedRequest {
  const form = new URLSearchParams(request.body);
  const payload = form.get('bt_payload') ?? '';
  const index = payload.search(/[A-Za-z]/);
  const flipped = payload[index] === 'A' ? 'B' : 'A';
  form.set('bt_payload', `${payload.slice(0, index)}${flipped}${payload.slice(index + 1)}`);
  return { headers: request.headers, body: form.toString() };
}

export const braintreeKit: ConformanceKit<BraintreeKeyPair> = {
  secrets: [OLD_KEYS, NEW_KEYS],
  create: createProvider,
  fixtures: braintreeFixtures,
  tamper: tamperPayload,
};

export const RECEIVED_AT = '2026-03-01T12:00:00.000Z';

/** A raw record of a body, as the gateway would append it. */
export function recordOf(body: Buffer | string): RawRecord {
  return {
    id: '01950000-0000-7000-8000-00000000b7ee',
    provider: 'braintree',
    received_at: RECEIVED_AT,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(body),
  };
}

/** The request a signed payload becomes at the gateway. */
export function requestOf(signed: SignedRequest): WebhookRequest {
  return { body: Buffer.from(signed.body, 'utf8'), headers: signed.headers, receivedAt: new Date(RECEIVED_AT) };
}

/** A form body with the given fields, encoded as Braintree (and any HTML form) encodes them. */
export function formBody(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString();
}
