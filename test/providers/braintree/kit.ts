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

/**
 * A notification signed outside paypipe with the key pair of Braintree's SDK test suites:
 *   printf '%s' "$KAT_XML" | base64 -w 60 > payload
 *   openssl dgst -sha1 -mac HMAC -macopt hexkey:$(printf integration_private_key | sha1sum | cut -d' ' -f1) payload
 * sent as a form: the payload's newlines as %0A and its "+" as %2B.
 */
const KAT_XML =
  '<notification><timestamp type="datetime">2026-03-01T12:00:00Z</timestamp><kind>check</kind><subject><check type="boolean">true</check></subject></notification>';
const KAT_BODY =
  'bt_signature=integration_public_key%7C7eb997207a0fd39f72703396579e9099448b3867&bt_payload=' +
  'PG5vdGlmaWNhdGlvbj48dGltZXN0YW1wIHR5cGU9ImRhdGV0aW1lIj4yMDI2%0A' +
  'LTAzLTAxVDEyOjAwOjAwWjwvdGltZXN0YW1wPjxraW5kPmNoZWNrPC9raW5k%0A' +
  'PjxzdWJqZWN0PjxjaGVjayB0eXBlPSJib29sZWFuIj50cnVlPC9jaGVjaz48%0A' +
  'L3N1YmplY3Q%2BPC9ub3RpZmljYXRpb24%2B%0A';

export const braintreeKit: ConformanceKit<BraintreeKeyPair> = {
  secrets: [OLD_KEYS, NEW_KEYS],
  create: createProvider,
  fixtures: braintreeFixtures,
  tamper: tamperPayload,
  toleranceSeconds: null,
  knownAnswer: {
    source: 'openssl, with the key pair of the SDK test suites',
    provider: createProvider([{ publicKey: 'integration_public_key', privateKey: 'integration_private_key' }]),
    payload: KAT_XML,
    signedAt: new Date('2026-03-01T12:00:00.000Z'),
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: KAT_BODY },
  },
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
