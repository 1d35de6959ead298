/**
 * The store port (DESIGN.md §5 "Storage"): enriched events in `payment_events`, everything that could not
 * be stored there in `payment_events_quarantine`. Two adapters (SQLite now, PostgreSQL with the
 * distributed mode) pass the same contract suite, test/storage/contract.ts.
 */
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import type { RawRecordWire } from '../contracts/raw-record.ts';
import type { EventType, ProviderName, Status } from '../contracts/vocabulary.ts';
import type { HistorySource } from '../inference/port.ts';

/** Where a record was stopped before `payment_events`. */
export type QuarantineStage = 'gateway' | 'normalizer' | 'orchestrator';

/** One reason for a quarantine: a stable code (dashboards select on it) and a human message. */
export interface QuarantineReason {
  readonly code: string;
  readonly message: string;
}

/** What gets quarantined: a unified event that broke a business rule, or a raw record that never became one. */
export interface QuarantineEntry {
  readonly stage: QuarantineStage;
  readonly provider: ProviderName;
  /** At least one; the first is the primary reason and part of the idempotency key of raw records. */
  readonly reasons: readonly QuarantineReason[];
  readonly event: UnifiedPaymentEvent | null;
  readonly record: RawRecordWire | null;
  readonly quarantined_at: string;
  /**
   * A dead letter's row: when the dead letter was written. A re-driven row opens again only for a dead letter
   * written since it was re-driven (the pipeline refused the record again); one written before is the same
   * failure, reviewed again after its record went back (paypipe up stopped before the review was committed),
   * and opening its row would count the record's event both stored and quarantined. Absent: it opens again.
   */
  readonly dead_lettered_at?: string;
}

export interface WriteResult {
  /** True when the row was already there: the write changed nothing. */
  readonly duplicate: boolean;
}

export interface QuarantineWriteResult extends WriteResult {
  /** The quarantine row's id, which is also its idempotency key (see `quarantineKey`). */
  readonly id: string;
}

/** What the business rules need to know about one payment, from the events stored so far. */
export interface PaymentTotals {
  readonly payment_id: string;
  readonly event_count: number;
  /** The currency of the payment's capture, else of its latest event; null when none is stored. */
  readonly currency: string | null;
  /** Largest `payment.authorized` amount. */
  readonly authorized_cents: number;
  /**
   * Captured so far from `payment.captured` and `payment.succeeded` events: the sum over captures named by
   * `metadata.capture_id` (Adyen's partial captures; one rejected by a later CAPTURE_FAILED left out), or
   * the largest unnamed report if that is more (providers report one capture several ways; see totals.ts).
   */
  readonly captured_cents: number;
  /**
   * Refunded so far from `refund.succeeded` events (and `refund.created` ones already `refunded`): the sum
   * over refunds named by `metadata.refund_id`, less those that failed, or the largest unnamed (cumulative)
   * report if that is more (see totals.ts).
   */
  readonly refunded_cents: number;
  /** The named refunds by refund id, so a second report of one refund is not counted twice; none that failed. */
  readonly refunds: Readonly<Record<string, number>>;
  /** The ids of named refunds with a failure report, sorted: they returned nothing, and never will. */
  readonly failed_refunds: readonly string[];
  /** Status of the latest event by provider timestamp. */
  readonly last_status: Status | null;
  readonly event_types: readonly EventType[];
}

/** Which table holds an event id, if any. */
export type EventLocation = 'payment_events' | 'payment_events_quarantine' | null;

/** Webhook→stored latency of the stored events (`processed_at − received_at`), nearest-rank percentiles. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface StoreCounts {
  readonly events: number;
  /** Quarantine rows still open: re-driven ones (see `markRedriven`) are left out. */
  readonly quarantined: number;
  /** Quarantine rows whose record `paypipe replay` re-drove after a fix. */
  readonly redriven: number;
  /** Stored events per provider and status. */
  readonly byProviderStatus: readonly { provider: string; status: string; count: number }[];
  /** Open quarantine rows per reason code (a row with two reasons counts under both). */
  readonly quarantineByReason: readonly { reason: string; count: number }[];
  /** In milliseconds; null when nothing is stored. */
  readonly latencyMs: LatencySummary | null;
}

/**
 * A dead letter as the log keeps it: where (topic, partition, offset: a new offset is a new dead letter,
 * even of a record dead-lettered before) and which raw record it holds.
 */
export interface DeadLetterPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly recordId: string;
}

export interface PaymentStore extends HistorySource {
  /** Inserts the event unless its `event_id` is stored; a second write changes nothing. */
  saveEvent(event: EnrichedPaymentEvent): Promise<WriteResult>;
  /** Inserts a quarantine row unless one with the same key exists. */
  quarantine(entry: QuarantineEntry): Promise<QuarantineWriteResult>;
  /**
   * Marks quarantine row `id` re-driven at `redrivenAt` (its record went back into the pipeline after a fix)
   * and gives it a new `ingested_seq`, so incremental readers (the lakehouse) read it again. True when it
   * was marked now; false when there is no such row or it was marked before.
   */
  markRedriven(id: string, redrivenAt: string): Promise<boolean>;
  /** Whether quarantine row `id` is open, was re-driven, or does not exist. */
  quarantineState(id: string): Promise<'open' | 'redriven' | null>;
  /**
   * Remembers that `paypipe replay` put these dead letters' records back in their raw topic (durably) at
   * `replayedAt`. Resolves with how many were marked now: a dead letter is marked once.
   */
  markDeadLettersReplayed(letters: readonly DeadLetterPosition[], replayedAt: string): Promise<number>;
  /** For each of these dead letters, in order, whether it was replayed (`markDeadLettersReplayed`). */
  replayedDeadLetters(letters: readonly DeadLetterPosition[]): Promise<readonly boolean[]>;
  /**
   * The totals of the payment `paymentId` at `provider`. Payment ids are the provider's own and are not
   * prefixed, so the same id at another provider is another payment and never counts here.
   */
  paymentTotals(provider: ProviderName, paymentId: string): Promise<PaymentTotals>;
  locate(eventId: string): Promise<EventLocation>;
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}

/**
 * The idempotency key of a quarantine row: one row per unified event, and one per raw record and
 * primary reason (a record dead-lettered twice for the same reason is one row).
 */
export function quarantineKey(entry: QuarantineEntry): string {
  if (entry.event !== null) return `event:${entry.event.event_id}`;
  return `record:${entry.record?.id ?? 'unknown'}:${entry.reasons[0]?.code ?? 'unknown'}`;
}
