/**
 * Events to table rows and back. JSON fields (metadata, model versions, reasons, records) are stored as
 * JSON text in SQLite and jsonb in PostgreSQL; both adapters read them back through these functions.
 */
import { type EnrichedPaymentEvent, SCHEMA_VERSION } from '../contracts/payment-event.ts';
import type { EventType, FailureCode, ProviderName, RetryStrategy, Status } from '../contracts/vocabulary.ts';
import type { PastEvent } from '../inference/features/history.ts';
import type { QuarantineEntry } from './port.ts';
import type { TotalsRow } from './totals.ts';

/** A `payment_events` row as it is written (JSON fields as text, `ingested_seq`/`stored_at` by the database). */
export interface EventRow {
  event_id: string;
  schema_version: number;
  provider: string;
  event_type: string;
  provider_event_type: string;
  payment_id: string;
  amount_cents: number;
  currency: string;
  status: string;
  failure_code: string | null;
  customer_id: string | null;
  merchant_id: string | null;
  timestamp: string;
  received_at: string;
  metadata: string;
  fraud_score: number | null;
  churn_score: number | null;
  retry_strategy: string | null;
  retry_at: string | null;
  processed_at: string;
  model_versions: string;
}

/** The written columns of `payment_events`, in table order. */
export const EVENT_COLUMNS = [
  'event_id',
  'schema_version',
  'provider',
  'event_type',
  'provider_event_type',
  'payment_id',
  'amount_cents',
  'currency',
  'status',
  'failure_code',
  'customer_id',
  'merchant_id',
  'timestamp',
  'received_at',
  'metadata',
  'fraud_score',
  'churn_score',
  'retry_strategy',
  'retry_at',
  'processed_at',
  'model_versions',
] as const satisfies readonly (keyof EventRow)[];

/** Picks the columns one by one, so a stray property on the object never reaches the SQL. */
export function eventToRow(event: EnrichedPaymentEvent): EventRow {
  return {
    event_id: event.event_id,
    schema_version: event.schema_version,
    provider: event.provider,
    event_type: event.event_type,
    provider_event_type: event.provider_event_type,
    payment_id: event.payment_id,
    amount_cents: event.amount_cents,
    currency: event.currency,
    status: event.status,
    failure_code: event.failure_code,
    customer_id: event.customer_id,
    merchant_id: event.merchant_id,
    timestamp: event.timestamp,
    received_at: event.received_at,
    metadata: JSON.stringify(event.metadata),
    fraud_score: event.fraud_score,
    churn_score: event.churn_score,
    retry_strategy: event.retry_strategy,
    retry_at: event.retry_at,
    processed_at: event.processed_at,
    model_versions: JSON.stringify(event.model_versions),
  };
}

/** A `payment_events_quarantine` row as it is written; `id` is the idempotency key (port.ts `quarantineKey`). */
export interface QuarantineRow {
  id: string;
  event_id: string | null;
  provider: string;
  stage: string;
  reasons: string;
  record: string | null;
  event: string | null;
  quarantined_at: string;
}

/**
 * The columns of `payment_events_quarantine` a row keeps when it moves to a new ingested_seq (re-driven, or
 * open again): all but `ingested_seq` and `redriven_at`, which the move sets.
 */
export const MOVED_QUARANTINE_COLUMNS =
  'id, event_id, provider, stage, reasons, record, event, quarantined_at, stored_at';

/**
 * A reason's message as every store can hold it: it may quote what was refused (the normalizer's issues name
 * the payload's path, keys included), and PostgreSQL's jsonb refuses a NUL or a lone surrogate, which SQLite
 * keeps and DuckDB then cannot read. Each becomes U+FFFD, so the dead letter is kept rather than refused.
 */
const storableText = (text: string) => text.replaceAll('\u0000', '\ufffd').toWellFormed();

export function quarantineToRow(id: string, entry: QuarantineEntry): QuarantineRow {
  return {
    id,
    event_id: entry.event?.event_id ?? null,
    provider: entry.provider,
    stage: entry.stage,
    reasons: JSON.stringify(
      entry.reasons.map((reason) => ({ code: storableText(reason.code), message: storableText(reason.message) })),
    ),
    record: entry.record === null ? null : JSON.stringify(entry.record),
    event: entry.event === null ? null : JSON.stringify(entry.event),
    quarantined_at: entry.quarantined_at,
  };
}

/** PostgreSQL gives timestamptz as a Date (millisecond precision), SQLite the ISO text as written. */
function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Reads a row back; the row was validated as an event when written, so the casts restate that. */
export function rowToEvent(row: Record<string, unknown>): EnrichedPaymentEvent {
  return {
    schema_version: SCHEMA_VERSION,
    event_id: String(row.event_id),
    provider: row.provider as ProviderName,
    event_type: row.event_type as EventType,
    provider_event_type: String(row.provider_event_type),
    payment_id: String(row.payment_id),
    amount_cents: Number(row.amount_cents),
    currency: String(row.currency),
    status: row.status as Status,
    failure_code: (row.failure_code ?? null) as FailureCode | null,
    customer_id: (row.customer_id ?? null) as string | null,
    merchant_id: (row.merchant_id ?? null) as string | null,
    timestamp: iso(row.timestamp),
    received_at: iso(row.received_at),
    metadata: json(row.metadata),
    fraud_score: (row.fraud_score ?? null) as number | null,
    churn_score: (row.churn_score ?? null) as number | null,
    retry_strategy: (row.retry_strategy ?? null) as RetryStrategy | null,
    retry_at: isoOrNull(row.retry_at),
    processed_at: iso(row.processed_at),
    model_versions: json(row.model_versions),
  };
}

export function rowToTotalsRow(row: Record<string, unknown>): TotalsRow {
  return {
    event_id: String(row.event_id),
    event_type: row.event_type as EventType,
    amount_cents: Number(row.amount_cents),
    currency: String(row.currency),
    status: row.status as Status,
    timestamp: iso(row.timestamp),
    metadata: json(row.metadata),
  };
}

/**
 * The columns of a customer's past (`PastEvent`), in the order `rowToPastEvent` reads them; the last is
 * the dialect's expression for the card's country in `metadata`. Rows come as arrays (node:sqlite's
 * `setReturnArrays`, pg's `rowMode: 'array'`): no object per row, no JSON parse per row.
 */
export function pastColumns(cardCountry: string): string {
  return `event_id, event_type, payment_id, amount_cents, currency, status, failure_code, merchant_id, timestamp, ${cardCountry}`;
}

export function rowToPastEvent(values: readonly unknown[]): PastEvent {
  const [eventId, eventType, paymentId, amountCents, currency, status, failureCode, merchantId, timestamp, country] =
    values;
  return {
    event_id: String(eventId),
    event_type: eventType as EventType,
    payment_id: String(paymentId),
    amount_cents: Number(amountCents),
    currency: String(currency),
    status: status as Status,
    failure_code: (failureCode ?? null) as FailureCode | null,
    merchant_id: (merchantId ?? null) as string | null,
    timestamp: iso(timestamp),
    metadata: typeof country === 'string' ? { card_country: country } : {},
  };
}

/** A written row as the customer's state folds it (the same shape `rowToPastEvent` reads back). */
export function writtenPastEvent(row: EventRow): PastEvent {
  const country = (JSON.parse(row.metadata) as { card_country?: unknown }).card_country;
  return rowToPastEvent([
    row.event_id,
    row.event_type,
    row.payment_id,
    row.amount_cents,
    row.currency,
    row.status,
    row.failure_code,
    row.merchant_id,
    row.timestamp,
    country,
  ]);
}

/** Upper bound on one history read, so a bad `limit` cannot pull a whole table into memory. */
const MAX_HISTORY = 10_000;

/** A history read's `before` bound (ISO 8601 UTC) and row count; null when the read can match nothing. */
export function historyBound(
  before: string,
  limit: number,
): { readonly before: string; readonly count: number } | null {
  const bound = Date.parse(before);
  const count = Math.min(Math.max(Math.trunc(limit), 0), MAX_HISTORY);
  if (Number.isNaN(bound) || !(count > 0)) return null;
  return { before: new Date(bound).toISOString(), count };
}
