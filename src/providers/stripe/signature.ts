/**
 * Stripe's webhook signature: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, where each v1 is
 * the lower-case hex HMAC-SHA256 of `t + "." + raw body`, keyed with the whole `whsec_…` string.
 */
import { PaypipeError } from '../../contracts/errors.ts';
import { hmac, matchesAny, secretKey } from '../crypto.ts';
import type { SignedRequest, VerifyResult, WebhookRequest } from '../provider.ts';
import { alterationHint } from './signature-hints.ts';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

export interface StripeSignatureOptions {
  readonly secrets: readonly string[];
  /** Maximum age of `t` in seconds; 0 disables the check (as in the SDK). */
  readonly toleranceSeconds: number;
}

export type ParsedHeader =
  | { readonly ok: true; readonly timestamp: number; readonly signatures: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

/** Parses the header like the SDK does, but strictly: one integer `t`, at least one `v1`; others ignored. */
export function parseSignatureHeader(header: string): ParsedHeader {
  const times: string[] = [];
  const signatures: string[] = [];
  const schemes = new Set<string>();
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at < 0) continue;
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (key === 't') times.push(value);
    else if (key === 'v1') signatures.push(value);
    else schemes.add(key);
  }
  if (times.length === 0) return { ok: false, message: 'the Stripe-Signature header has no t= timestamp' };
  if (times.length > 1) return { ok: false, message: 'the Stripe-Signature header has more than one t= timestamp' };
  const text = times[0] ?? '';
  const timestamp = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(timestamp)) {
    return { ok: false, message: 'the t= timestamp of the Stripe-Signature header is not a whole number of seconds' };
  }
  if (signatures.length === 0) {
    const others = [...schemes].filter((scheme) => scheme !== '');
    return {
      ok: false,
      message: 'the Stripe-Signature header has no v1= signature',
      ...(others.length > 0 && {
        hint: `only ${others.join(', ')} present: paypipe verifies v1 (HMAC-SHA256) signatures only`,
      }),
    };
  }
  return { ok: true, timestamp, signatures };
}

function signatureOf(timestamp: number, body: Buffer | string, secret: string): string {
  return hmac('sha256', secretKey(secret), `${timestamp}.`, body).toString('hex');
}

/** True when any v1 matches any secret; every pair is compared, in constant time, without early exit. */
function anyMatches(
  timestamp: number,
  body: Buffer | string,
  signatures: readonly string[],
  secrets: readonly string[],
) {
  const expected = secrets.map((secret) => Buffer.from(signatureOf(timestamp, body, secret)));
  let found = false;
  for (const candidate of signatures) found = matchesAny(Buffer.from(candidate), expected) || found;
  return found;
}

/** Verifies a request on its raw bytes against every configured secret (rotation), then the timestamp's age. */
export function verifyStripeSignature(request: WebhookRequest, options: StripeSignatureOptions): VerifyResult {
  const { secrets, toleranceSeconds } = options;
  if (secrets.length === 0) {
    return {
      ok: false,
      reason: 'no_secret_configured',
      message: 'no Stripe webhook secret is configured (PAYPIPE_STRIPE_WEBHOOK_SECRETS)',
      hint: "set PAYPIPE_STRIPE_WEBHOOK_SECRETS to the endpoint's whsec_… signing secret",
    };
  }
  const header = request.headers[STRIPE_SIGNATURE_HEADER];
  if (header === undefined || header.trim() === '') {
    return {
      ok: false,
      reason: 'missing_signature_header',
      message: 'the request has no Stripe-Signature header',
      hint: 'Stripe signs every webhook; a request without the header did not come from Stripe, or a proxy dropped it',
    };
  }
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: 'malformed_signature_header',
      message: parsed.message,
      ...(parsed.hint !== undefined && { hint: parsed.hint }),
    };
  }
  const { timestamp, signatures } = parsed;
  if (!anyMatches(timestamp, request.body, signatures, secrets)) {
    const hint =
      request.explain === false
        ? undefined
        : alterationHint(request.body, (body) => anyMatches(timestamp, body, signatures, secrets));
    return {
      ok: false,
      reason: 'no_matching_signature',
      message: `none of the ${signatures.length} v1 signature(s) matches the body under any of the ${secrets.length} configured secret(s)`,
      hint:
        hint ??
        "check that the secret is this endpoint's signing secret (the Stripe CLI has its own) and that the body is verified as the raw bytes received",
    };
  }
  const age = Math.floor(request.receivedAt.getTime() / 1000) - timestamp;
  if (toleranceSeconds > 0 && Number.isNaN(age)) {
    // Fail closed: an unknown receive time must not switch the replay protection off.
    return {
      ok: false,
      reason: 'timestamp_outside_tolerance',
      message: 'the age of the signature cannot be checked: the receive time is not a valid date',
    };
  }
  if (toleranceSeconds > 0 && age > toleranceSeconds) {
    return {
      ok: false,
      reason: 'timestamp_outside_tolerance',
      message: `the signature is valid but its timestamp is ${age} seconds old, ${age - toleranceSeconds} seconds beyond the ${toleranceSeconds}-second tolerance`,
      hint: "Stripe signs every retry afresh, so an old timestamp means a replay or a delayed request; also check the gateway's clock",
    };
  }
  return { ok: true };
}

/** The exact inverse of `verifyStripeSignature`: the request Stripe would send, signed with the first secret. */
export function signStripePayload(payload: string, secrets: readonly string[], at: Date = new Date()): SignedRequest {
  const secret = secrets[0];
  if (secret === undefined) {
    throw new PaypipeError(
      'PAYPIPE_ERR_SIGNING',
      'no Stripe webhook secret is configured (PAYPIPE_STRIPE_WEBHOOK_SECRETS)',
    );
  }
  const timestamp = Math.floor(at.getTime() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new PaypipeError('PAYPIPE_ERR_SIGNING', 'the signing time must be a valid date after 1970');
  }
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      [STRIPE_SIGNATURE_HEADER]: `t=${timestamp},v1=${signatureOf(timestamp, payload, secret)}`,
    },
    body: payload,
  };
}
