/**
 * Webhooks signed by the providers' official SDKs with the test secrets, as each provider would POST them,
 * so end-to-end tests never rely on paypipe's own `sign` alone. Square's SDK has no signer: its documented
 * scheme is applied here and `squareSdkVerifies` lets the SDK check the result.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import braintree from 'braintree';
import Stripe from 'stripe';
import type { ProviderName } from '../../src/contracts/vocabulary.ts';
import type { SignedRequest } from '../../src/providers/provider.ts';
import { TEST_SECRETS } from './test-config.ts';

// The SDKs' own signing and verifying modules, loaded alone: the packages' entry points take 3-5 s each to
// load every API model on this machine, which would dominate the end-to-end tests' run time.
const require = createRequire(import.meta.url);
const { WebhooksHelper } = require(join(dirname(require.resolve('square')), 'wrapper', 'WebhooksHelper.js')) as {
  WebhooksHelper: {
    verifySignature(request: {
      requestBody: string;
      signatureHeader: string;
      signatureKey: string;
      notificationUrl: string;
    }): Promise<boolean>;
  };
};
const { default: HmacValidator } = require('@adyen/api-library/lib/src/utils/hmacValidator.js') as {
  default: new () => { calculateHmac(item: object, hexKey: string): string };
};

const stripe = new Stripe('sk_test_paypipe_e2e');
const adyen = new HmacValidator();
const [ADYEN_USER, ADYEN_PASSWORD] = TEST_SECRETS.PAYPIPE_ADYEN_BASIC_AUTH.split(':') as [string, string];
const [BT_PUBLIC, BT_PRIVATE] = TEST_SECRETS.PAYPIPE_BRAINTREE_KEYS.split(':') as [string, string];

/** The parts of braintree 3.40's gateway used here (its bundled types name them otherwise). */
interface BraintreeTesting {
  readonly webhookTesting: {
    sampleNotification(kind: string, id: string): { bt_signature: string; bt_payload: string };
    sampleSignature(payload: string): string;
  };
}
const braintreeGateway = new braintree.BraintreeGateway({
  environment: braintree.Environment.Sandbox,
  merchantId: 'paypipe_e2e',
  publicKey: BT_PUBLIC,
  privateKey: BT_PRIVATE,
}) as unknown as BraintreeTesting;

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

/** Square's documented scheme: base64 HMAC-SHA256 over notification URL + body, keyed with the key as-is. */
export function squareSignature(body: string, key: string = TEST_SECRETS.PAYPIPE_SQUARE_SIGNATURE_KEYS): string {
  return createHmac('sha256', key)
    .update(TEST_SECRETS.PAYPIPE_SQUARE_NOTIFICATION_URL + body)
    .digest('base64');
}

/** Whether the square SDK accepts the signature for the test URL and key. */
export function squareSdkVerifies(body: string, signature: string): Promise<boolean> {
  return WebhooksHelper.verifySignature({
    requestBody: body,
    signatureHeader: signature,
    signatureKey: TEST_SECRETS.PAYPIPE_SQUARE_SIGNATURE_KEYS,
    notificationUrl: TEST_SECRETS.PAYPIPE_SQUARE_NOTIFICATION_URL,
  });
}

/** Adyen's notification with every item's `hmacSignature` computed by the SDK under `hexKey`. */
export function adyenSigned(payload: string, hexKey: string = TEST_SECRETS.PAYPIPE_ADYEN_HMAC_KEYS): string {
  const body = JSON.parse(payload) as { notificationItems: { NotificationRequestItem: Record<string, unknown> }[] };
  for (const { NotificationRequestItem: item } of body.notificationItems) {
    const signature = adyen.calculateHmac(item, hexKey);
    item.additionalData = { ...(item.additionalData as object | undefined), hmacSignature: signature };
  }
  return JSON.stringify(body);
}

export function basicAuth(user = ADYEN_USER, password = ADYEN_PASSWORD): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A Braintree form post of `xml` signed by the SDK's own signer. */
export function braintreeForm(xml: string): string {
  const payload = `${Buffer.from(xml, 'utf8').toString('base64')}\n`;
  const signature = braintreeGateway.webhookTesting.sampleSignature(payload);
  return new URLSearchParams({ bt_signature: signature, bt_payload: payload }).toString();
}

/** A Braintree sample notification of `kind` for subject `id`, built and signed by the SDK. */
export function braintreeSample(kind: string, id: string): SignedRequest {
  const sample = braintreeGateway.webhookTesting.sampleNotification(kind, id);
  return { headers: FORM_TYPE, body: new URLSearchParams(sample).toString() };
}

/** `payload` (a provider's own payload, as its fixtures hold it) signed by that provider's SDK, now. */
export function sdkSign(provider: ProviderName, payload: string): SignedRequest {
  switch (provider) {
    case 'stripe': {
      const secret = TEST_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS;
      return {
        headers: { ...JSON_TYPE, 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret }) },
        body: payload,
      };
    }
    case 'square':
      return { headers: { ...JSON_TYPE, 'x-square-hmacsha256-signature': squareSignature(payload) }, body: payload };
    case 'adyen':
      return { headers: { ...JSON_TYPE, authorization: basicAuth() }, body: adyenSigned(payload) };
    case 'braintree':
      return { headers: FORM_TYPE, body: braintreeForm(payload) };
  }
}

export interface Answer {
  readonly status: number;
  readonly text: string;
}

/** POSTs a signed request to `/webhooks/<provider>` of the gateway at `url`. */
export async function post(url: string, provider: string, request: SignedRequest): Promise<Answer> {
  const response = await fetch(`${url}/webhooks/${provider}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}
