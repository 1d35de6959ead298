/**
 * Hostile requests for the gateway, each with what it is and how it must end. Bodies that verify are
 * signed over their exact bytes (node:crypto, the providers' documented schemes), so the garbage reaches
 * the stages behind the signature check; the rest are refused at the door.
 */
import { createHmac } from 'node:crypto';
import { fixtureNamed } from '../../src/simulator/fixtures.ts';
import { adyenSigned, basicAuth, braintreeForm, squareSignature } from '../helpers/sdk-signers.ts';
import { TEST_SECRETS } from '../helpers/test-config.ts';

/** How a hostile request must end. */
export type Fate =
  /** Refused at the gateway with this status; nothing reaches the store. */
  | { readonly refused: number }
  /** Verified and acknowledged, then kept as a dead letter or quarantine row with a stable reason. */
  | { readonly kept: 'dead_letter' | 'quarantine' }
  /** Verified, acknowledged and stored as a payment event. */
  | { readonly stored: true };

export interface HostileRequest {
  readonly what: string;
  readonly provider: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly fate: Fate;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Stripe's scheme over raw bytes (the SDK's signer takes strings, which cannot hold invalid UTF-8). */
export function stripeSigned(body: Buffer | string, type = 'application/json'): Record<string, string> {
  const t = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', TEST_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS)
    .update(`${t}.`)
    .update(body)
    .digest('hex');
  return { ...(type ? { 'content-type': type } : {}), 'stripe-signature': `t=${t},v1=${mac}` };
}

function fixture(provider: 'stripe' | 'square' | 'adyen' | 'braintree', name: string): string {
  const found = fixtureNamed(provider, name);
  if (!found) throw new Error(`${provider} ${name}`);
  return found.payload;
}

/** A Stripe PaymentIntent event of this test's own id, with `change` applied to the object. */
export function stripeEvent(id: string, change: (object: Record<string, unknown>) => void = () => {}): string {
  const event = JSON.parse(fixture('stripe', 'payment_intent.succeeded'));
  event.id = id;
  change(event.data.object);
  return JSON.stringify(event);
}

function stripe(what: string, body: Buffer | string, fate: Fate, type?: string): HostileRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { what, provider: 'stripe', headers: stripeSigned(bytes, type), body: bytes, fate };
}

const DEEP = 100_000;
const paid = stripeEvent('evt_hostile_paid');

/** Adyen's notification with `count` lean AUTHORISATION items of distinct pspReferences, each signed. */
export function adyenMany(count: number): string {
  const template = JSON.parse(fixture('adyen', 'AUTHORISATION'));
  const { additionalData, operations, reason, ...item } = template.notificationItems[0].NotificationRequestItem;
  template.notificationItems = Array.from({ length: count }, (_, index) => ({
    NotificationRequestItem: { ...item, pspReference: adyenPsp(index) },
  }));
  return adyenSigned(JSON.stringify(template));
}

export const adyenPsp = (index: number) => `HOSTILE${String(index).padStart(9, '0')}`;
export const ADYEN_ITEMS = 2_500;

const braintreeGarbage = (what: string, body: string, fate: Fate): HostileRequest => ({
  what,
  provider: 'braintree',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: Buffer.from(body),
  fate,
});

export const CORPUS: readonly HostileRequest[] = [
  stripe('a signed body cut half-way', paid.slice(0, paid.length / 2), { kept: 'dead_letter' }),
  stripe('a signed body with text/plain', stripeEvent('evt_hostile_text_plain'), { stored: true }, 'text/plain'),
  stripe('a signed body with no content type', stripeEvent('evt_hostile_no_type'), { stored: true }, ''),
  stripe(
    'a signed body sent as a form',
    stripeEvent('evt_hostile_form'),
    { stored: true },
    'application/x-www-form-urlencoded',
  ),
  stripe(
    'invalid UTF-8, signed',
    Buffer.concat([Buffer.from(paid.slice(0, 40)), Buffer.from([0xc3, 0x28, 0xff, 0xfe])]),
    {
      kept: 'dead_letter',
    },
  ),
  stripe('100k nested arrays, signed', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`, { kept: 'dead_letter' }),
  stripe('100k nested objects, signed', `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`, { kept: 'dead_letter' }),
  stripe(
    'an amount beyond 2^53, signed',
    stripeEvent('evt_hostile_2p53').replace(/("amount(?:_received)?":)4999/g, '$19007199254740993'),
    { kept: 'quarantine' },
  ),
  stripe(
    'an amount of 1e400, signed',
    stripeEvent('evt_hostile_1e400').replace(/("amount(?:_received)?":)4999/g, '$11e400'),
    {
      kept: 'quarantine',
    },
  ),
  stripe('raw NUL bytes in a string, signed', paid.replace('Order #10482', 'Order\u0000#10482'), {
    kept: 'dead_letter',
  }),
  stripe(
    'escaped NULs in ids, signed',
    stripeEvent('evt_hostile_nul', (pi) => Object.assign(pi, { customer: 'cus_\\u0000x' })).replace(
      '\\\\u0000',
      '\\u0000',
    ),
    { kept: 'quarantine' },
  ),
  stripe('a body one byte over 1 MiB', Buffer.alloc(1_048_577, 0x20), { refused: 413 }),
  stripe('an empty body, signed', '', { kept: 'dead_letter' }),
  {
    what: 'two Stripe-Signature headers, one forged',
    provider: 'stripe',
    headers: { ...stripeSigned(paid), 'stripe-signature': `${stripeSigned(paid)['stripe-signature']}, t=1,v1=00` },
    body: Buffer.from(paid),
    fate: { refused: 401 },
  },
  {
    what: 'a Square body signed for another URL',
    provider: 'square',
    headers: {
      ...JSON_TYPE,
      'x-square-hmacsha256-signature': squareSignature(`x${fixture('square', 'payment.updated:COMPLETED')}`),
    },
    body: Buffer.from(fixture('square', 'payment.updated:COMPLETED')),
    fate: { refused: 401 },
  },
  {
    what: 'Square 100k nested arrays, signed',
    provider: 'square',
    headers: {
      ...JSON_TYPE,
      'x-square-hmacsha256-signature': squareSignature(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`),
    },
    body: Buffer.from(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`),
    fate: { kept: 'dead_letter' },
  },
  {
    what: `Adyen with ${ADYEN_ITEMS} signed items`,
    provider: 'adyen',
    headers: { ...JSON_TYPE, authorization: basicAuth() },
    body: Buffer.from(adyenMany(ADYEN_ITEMS)),
    fate: { stored: true },
  },
  {
    what: 'Adyen items nested 100k arrays deep',
    provider: 'adyen',
    headers: { ...JSON_TYPE, authorization: basicAuth() },
    body: Buffer.from(`{"notificationItems":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`),
    fate: { refused: 400 },
  },
  braintreeGarbage('an empty Braintree form', '', { refused: 400 }),
  braintreeGarbage('Braintree form of percent signs', '%%%&&&===%zz', { refused: 400 }),
  braintreeGarbage('Braintree payload that is not base64', 'bt_signature=test_public_key%7Cab&bt_payload=%FF%00!!', {
    refused: 400,
  }),
  braintreeGarbage('a signed Braintree payload that is not XML', braintreeForm('not xml at all'), {
    kept: 'dead_letter',
  }),
  braintreeGarbage(
    'a signed Braintree notification with a billion-dollar amount',
    braintreeForm(
      fixture('braintree', 'subscription_charged_successfully').replace(
        /<amount>[^<]*<\/amount>/g,
        '<amount>99999999999999999999.99</amount>',
      ),
    ),
    { kept: 'quarantine' },
  ),
];
