/**
 * `UnifiedPaymentEvent` and `EnrichedPaymentEvent` (DESIGN.md §3). Field names are fixed by the original
 * design; `payment_id`, `provider_event_type`, `received_at` and `schema_version` are paypipe's additions.
 */
import { z } from 'zod';
import {
  EVENT_TYPES,
  EventType,
  FAILURE_CODES,
  FailureCode,
  PROVIDERS,
  ProviderName,
  RetryStrategy,
  STATUSES,
  Status,
} from './vocabulary.ts';

export const SCHEMA_VERSION = 1;

const Timestamp = z.iso.datetime({ offset: false, precision: 3 });

/**
 * Text that every store can hold: PostgreSQL refuses the NUL character in text and jsonb, and a lone
 * surrogate (half an emoji, from a "\ud83d" escape) in jsonb, so an event carrying one would fail its insert
 * on every retry; SQLite keeps the latter, and then DuckDB's JSON functions fail the lakehouse's whole
 * build. Either is a validation error at the normalizer instead.
 */
const Text = z
  .string()
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL character is exactly what is refused.
  .regex(/^[^\u0000]*$/, 'must not contain the NUL character')
  .refine((value) => value.isWellFormed(), 'must not contain a lone surrogate (half of a UTF-16 pair)');

export const UnifiedPaymentEvent = z
  .object({
    schema_version: z.literal(SCHEMA_VERSION),
    event_id: Text.min(1)
      .max(255)
      .describe('Deterministic from the provider data, prefixed with the provider: a redelivery has the same id.'),
    provider: ProviderName,
    event_type: EventType,
    provider_event_type: Text.min(1).describe("The provider's own event type or event code."),
    payment_id: Text.min(1).describe("The payment's root reference; the partition key of every topic (DESIGN.md §1)."),
    amount_cents: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .describe("Integer amount in the currency's minor unit under the provider's exponent table."),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .describe('Upper-case ISO 4217 code.'),
    status: Status,
    failure_code: FailureCode.nullable().describe("Unified decline taxonomy; the provider's code is in metadata."),
    customer_id: Text.min(1).nullable(),
    merchant_id: Text.min(1).nullable(),
    timestamp: Timestamp.describe('When the provider says the event happened (UTC, ISO 8601).'),
    received_at: Timestamp.describe('When the gateway received the webhook (UTC, ISO 8601).'),
    metadata: z.record(Text, Text).describe('Provider codes and references, string values only.'),
  })
  .strict();
export type UnifiedPaymentEvent = z.infer<typeof UnifiedPaymentEvent>;

const PROVIDER_SET: ReadonlySet<unknown> = new Set(PROVIDERS);
const EVENT_TYPE_SET: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const STATUS_SET: ReadonlySet<unknown> = new Set(STATUSES);
const FAILURE_CODE_SET: ReadonlySet<unknown> = new Set(FAILURE_CODES);
const FIELDS: ReadonlySet<string> = new Set(Object.keys(UnifiedPaymentEvent.shape));
/** zod's own ISO datetime pattern for `Timestamp`, so both checks accept exactly the same instants. */
const TIMESTAMP = Timestamp.def.pattern as RegExp;
const CURRENCY = /^[A-Z]{3}$/;

const isText = (value: unknown, min: number, max = Number.POSITIVE_INFINITY): value is string =>
  typeof value === 'string' &&
  value.length >= min &&
  value.length <= max &&
  !value.includes('\u0000') &&
  value.isWellFormed();
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && TIMESTAMP.test(value);

/** A plain object with no key outside `allowed` (inherited enumerable keys included, as zod counts them). */
function isPlainWithin(value: unknown, allowed: ReadonlySet<string> | null): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  if (allowed === null) return true;
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** Metadata as zod's record of Text would output it (a copy, own enumerable keys in order), or null. */
function checkedMetadata(value: unknown): Record<string, string> | null {
  if (!isPlainWithin(value, null)) return null;
  const copy: Record<string, string> = {};
  for (const key of Reflect.ownKeys(value)) {
    // Symbols, hidden keys and `__proto__` are each a special case of zod's: left to it.
    if (typeof key !== 'string' || key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, key)) {
      return null;
    }
    const text = value[key];
    if (!isText(key, 0) || !isText(text, 0)) return null;
    copy[key] = text;
  }
  return copy;
}

/** The event as zod would output it when `value` is certainly valid; null when zod must judge it. */
function checked(value: unknown): UnifiedPaymentEvent | null {
  if (!isPlainWithin(value, FIELDS)) return null;
  const e = value;
  const metadata = checkedMetadata(e.metadata);
  const nullableText = (field: unknown) => field === null || isText(field, 1);
  const valid =
    e.schema_version === SCHEMA_VERSION &&
    isText(e.event_id, 1, 255) &&
    PROVIDER_SET.has(e.provider) &&
    EVENT_TYPE_SET.has(e.event_type) &&
    isText(e.provider_event_type, 1) &&
    isText(e.payment_id, 1) &&
    Number.isSafeInteger(e.amount_cents) &&
    (e.amount_cents as number) >= 0 &&
    typeof e.currency === 'string' &&
    CURRENCY.test(e.currency) &&
    STATUS_SET.has(e.status) &&
    (e.failure_code === null || FAILURE_CODE_SET.has(e.failure_code)) &&
    nullableText(e.customer_id) &&
    nullableText(e.merchant_id) &&
    isTimestamp(e.timestamp) &&
    isTimestamp(e.received_at) &&
    metadata !== null;
  if (!valid) return null;
  // Every field present and valid; built in the schema's order, as zod's output is.
  return {
    schema_version: SCHEMA_VERSION,
    event_id: e.event_id,
    provider: e.provider,
    event_type: e.event_type,
    provider_event_type: e.provider_event_type,
    payment_id: e.payment_id,
    amount_cents: e.amount_cents,
    currency: e.currency,
    status: e.status,
    failure_code: e.failure_code,
    customer_id: e.customer_id,
    merchant_id: e.merchant_id,
    timestamp: e.timestamp,
    received_at: e.received_at,
    metadata,
  } as UnifiedPaymentEvent;
}

/**
 * `UnifiedPaymentEvent.safeParse`, with the same result for every input, at a fraction of its cost on the
 * hot path (the normalizer checks every event it makes, the orchestrator every event it reads; zod was
 * ~30 µs of each). A plain check accepts what is certainly valid and builds zod's output itself; anything
 * else, every invalid event included, goes to zod, so issues and messages are zod's own. The tests check
 * on generated and mutated events that the plain check never accepts what zod rejects.
 */
export function parseUnifiedPaymentEvent(value: unknown): ReturnType<typeof UnifiedPaymentEvent.safeParse> {
  const event = checked(value);
  return event === null ? UnifiedPaymentEvent.safeParse(value) : { success: true, data: event };
}

export const ModelVersions = z
  .object({
    fraud: z.string().nullable(),
    churn: z.string().nullable(),
    retry: z.string().nullable(),
  })
  .strict();
export type ModelVersions = z.infer<typeof ModelVersions>;

const Score = z.number().min(0).max(1);

export const EnrichedPaymentEvent = UnifiedPaymentEvent.extend({
  fraud_score: Score.nullable().describe('Probability of fraud, for succeeded payments.'),
  churn_score: Score.nullable().describe('Probability that the customer churns.'),
  retry_strategy: RetryStrategy.nullable().describe('For failed payments.'),
  retry_at: Timestamp.nullable().describe('Suggested retry time when the strategy is `delayed` or `immediate`.'),
  processed_at: Timestamp,
  model_versions: ModelVersions,
}).strict();
export type EnrichedPaymentEvent = z.infer<typeof EnrichedPaymentEvent>;
