/**
 * Square's webhook signature: base64 HMAC-SHA256 over the notification URL followed by the raw body, keyed
 * with the subscription's signature key as-is (PROVIDERS.md). The URL is the one configured, never one
 * rebuilt from the request: behind a proxy the Host header names the proxy, and trusting it lets a
 * sender choose the signed text.
 */
import type { SquareConfig } from '../../config/config.ts';
import { hmac, matchesAny, secretKey } from '../crypto.ts';
import type { VerifyResult, WebhookRequest } from '../provider.ts';

export const SIGNATURE_HEADER = 'x-square-hmacsha256-signature';
/** Square's older HMAC-SHA1 header, still sent beside the current one; paypipe does not accept it. */
const LEGACY_HEADER = 'x-square-signature';
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

function digest(key: string, url: string, body: Buffer | string): Buffer {
  return hmac('sha256', secretKey(key), url, body);
}

/** The header value Square sends for `body` delivered to `url`. */
export function squareSignature(key: string, url: string, body: Buffer | string): string {
  return digest(key, url, body).toString('base64');
}

/** Which settings are missing: none when both the URL and at least one key are configured. */
export function missingSettings(config: SquareConfig): string[] {
  return [
    ...(config.notificationUrl === null ? ['PAYPIPE_SQUARE_NOTIFICATION_URL'] : []),
    ...(config.signatureKeys.length === 0 ? ['PAYPIPE_SQUARE_SIGNATURE_KEYS'] : []),
  ];
}

/**
 * The URL as it is commonly misconfigured: trailing slash added or dropped, the other scheme. Used only to
 * explain a failure, never to accept a request: the signed URL must be byte-for-byte the registered one.
 */
function urlVariants(url: string): string[] {
  const slash = url.endsWith('/') ? url.slice(0, -1) : `${url}/`;
  const swap = (text: string) =>
    text.startsWith('https://') ? `http://${text.slice(8)}` : text.replace(/^http:\/\//, 'https://');
  return [slash, swap(url), swap(slash)].filter((variant) => variant !== url);
}

function matches(keys: readonly string[], url: string, body: Buffer, signature: Buffer): boolean {
  const expected = keys.map((key) => digest(key, url, body));
  return matchesAny(signature, expected);
}

function mismatchHint(keys: readonly string[], url: string, body: Buffer, signature: Buffer): string | undefined {
  for (const variant of urlVariants(url)) {
    if (matches(keys, variant, body, signature)) {
      return `the signature matches the notification URL ${variant}; set PAYPIPE_SQUARE_NOTIFICATION_URL to exactly the URL registered on the Square subscription`;
    }
  }
  // Square sends compact JSON, and JSON strings cannot hold a raw newline: one means something re-formatted it.
  if (body.includes(0x0a)) {
    return 'the body contains line breaks, which Square never sends: verify the request bytes exactly as received, before any JSON parsing';
  }
  // Square's signature keys are short random strings; OAuth access tokens (EAAA…, sq0…) never match.
  if (keys.some((key) => /^(EAAA|sq0)/.test(key))) {
    return 'a configured key looks like a Square access token; use the signature key shown on the webhook subscription';
  }
  return undefined;
}

export function verifySquareSignature(config: SquareConfig, request: WebhookRequest): VerifyResult {
  const missing = missingSettings(config);
  if (missing.length > 0 || config.notificationUrl === null) {
    return { ok: false, reason: 'no_secret_configured', message: `Square verification needs ${missing.join(' and ')}` };
  }
  const header = request.headers[SIGNATURE_HEADER]?.trim();
  if (!header) {
    const legacy = request.headers[LEGACY_HEADER] !== undefined;
    return {
      ok: false,
      reason: 'missing_signature_header',
      message: `no ${SIGNATURE_HEADER} header`,
      ...(legacy ? { hint: `only the legacy ${LEGACY_HEADER} (HMAC-SHA1) header was sent; it is not accepted` } : {}),
    };
  }
  const signature = Buffer.from(header, 'base64');
  // Non-canonical base64 (stray bits before the `=`) decodes to the same bytes; the SDK compares text,
  // so such a header is refused as malformed rather than accepted by us and rejected by the SDK.
  if (!BASE64_SHA256.test(header) || signature.toString('base64') !== header) {
    return {
      ok: false,
      reason: 'malformed_signature_header',
      message: `${SIGNATURE_HEADER} is not a base64 HMAC-SHA256 (44 characters ending in "=")`,
    };
  }
  const url = config.notificationUrl;
  if (matches(config.signatureKeys, url, request.body, signature)) return { ok: true };
  const hint = request.explain === false ? undefined : mismatchHint(config.signatureKeys, url, request.body, signature);
  return {
    ok: false,
    reason: 'no_matching_signature',
    message: `${SIGNATURE_HEADER} matches none of the ${config.signatureKeys.length} configured signature keys for ${url}`,
    ...(hint === undefined ? {} : { hint }),
  };
}
