/**
 * `UnifiedPaymentEvent` and `EnrichedPaymentEvent` (DESIGN.md §3). Field names are fixed by the original
 * design; `payment_id`, `provider_event_type`, `received_at` and `schema_version` are paypipe's additions.
 */
import { z } from 'zod';
import { EventType, FailureCode, ProviderName, RetryStrategy, Status } from './vocabulary.ts';

export const SCHEMA_VERSION = 1;

const Timestamp = z.iso.datetime({ offset: false, precision: 3 });

/**
 * Text that every store can hold: PostgreSQL refuses the NUL character in text and jsonb, so an event
 * carrying one would fail its insert on every retry. It is a validation error at the normalizer instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL character is exactly what is refused.
const Text = z.string().regex(/^[^\u0000]*$/, 'must not contain the NUL character');

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
