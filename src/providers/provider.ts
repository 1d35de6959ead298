/**
 * The one interface every provider implements: one method per question (DESIGN.md §4). Provider code does
 * no I/O; the gateway and the normalizer look providers up in the registry and never import one directly.
 */
import type { UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import type { RawRecord } from '../contracts/raw-record.ts';
import type { ValidationIssue, VerifyFailureReason } from '../contracts/reasons.ts';
import type { RawTopic } from '../contracts/topics.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';

export interface WebhookRequest {
  /** The request body exactly as received. */
  readonly body: Buffer;
  /** Request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** When the gateway received the request; Stripe's timestamp tolerance is checked against it. */
  readonly receivedAt: Date;
  /**
   * True when the request is re-read from a raw record (replay), whose credential headers hold the digest
   * that `storedHeaders` made instead of the credential. A live request is never `stored`.
   */
  readonly stored?: boolean;
  /**
   * Whether a failure should say what would have made it pass (`hint`), which costs extra HMACs over
   * likely alterations of the request. Default true (`paypipe inspect`); the gateway passes false, so a
   * forged request costs it no more than a genuine one.
   */
  readonly explain?: boolean;
}

export type VerifyResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: VerifyFailureReason;
      /** What failed, for the engineer reading the dead letter. Never contains a secret. */
      readonly message: string;
      /** Where the provider can tell: what would have made it pass (e.g. a trailing slash on the URL). */
      readonly hint?: string;
    };

export type RouteResult =
  | { readonly ok: true; readonly topic: RawTopic; readonly partitionKey: string }
  | { readonly ok: false; readonly message: string };

export type NormalizeResult =
  /** One or more payment facts (an Adyen request can carry several items). */
  | { readonly kind: 'events'; readonly events: readonly UnifiedPaymentEvent[] }
  /** Genuine, well-formed, but not a payment fact paypipe records (e.g. `customer.created`). */
  | { readonly kind: 'unsupported'; readonly providerEventType: string }
  | { readonly kind: 'invalid'; readonly errors: readonly ValidationIssue[] };

export interface SignOptions {
  /** The signing time where the scheme has one (Stripe's `t`); defaults to now. */
  readonly timestamp?: Date;
}

/** A request as the provider would send it: headers (lower-cased names) and the exact body text. */
export interface SignedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Provider {
  readonly name: ProviderName;
  /** The headers a raw record keeps so that the request can be verified again later (lower-cased). */
  readonly signatureHeaders: readonly string[];
  /**
   * The headers as a raw record keeps them: a provider whose headers carry a credential (Adyen's Basic auth)
   * replaces it with a digest that only `verify` of a `stored` request accepts, so the event log and the
   * dead letters never hold the credential itself. Absent: the headers are kept as they are.
   */
  storedHeaders?(headers: Readonly<Record<string, string>>): Record<string, string>;
  /**
   * The environment variables `verify` still needs, empty when it can verify: while any is missing, every
   * request is refused with `no_secret_configured` (`paypipe up` warns at start). Names only, never values.
   */
  missingSettings(): readonly string[];
  /** Verifies the raw request against every configured secret, in constant time per comparison. */
  verify(request: WebhookRequest): VerifyResult;
  /**
   * The inverse of `verify`, signed with the first configured secret. `payload` is the provider's own
   * payload: the JSON event (Stripe, Square), the notification JSON (Adyen, items get `hmacSignature`),
   * or the notification XML (Braintree, sent as a form).
   */
  sign(payload: string, options?: SignOptions): SignedRequest;
  /** The raw topic and partition key (the payment's root reference) of a verified body. */
  route(body: Buffer): RouteResult;
  /** A pure function from a verified raw record to unified events, or why it cannot be. Never throws. */
  normalize(record: RawRecord): NormalizeResult;
  /** Braintree's `bt_challenge` handshake answer; undefined for providers without one. */
  answerChallenge?(challenge: string): string | undefined;
}
