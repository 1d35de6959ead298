/** One NotificationRequestItem → one unified event, `unsupported`, or the issues that stop it. */
import { SCHEMA_VERSION, type UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { ValidationIssue } from '../../contracts/reasons.ts';
import { checkEvent } from '../normalized.ts';
import { at, createPayloadReader, isoFromText, type PayloadReader } from '../payload.ts';
import { type AdditionalData, readAdditionalData } from './additional-data.ts';
import type { EnvelopeItem } from './envelope.ts';
import { failureCode } from './failure-codes.ts';
import {
  ADYEN_EXPONENTS,
  CHARGEBACK_DISPUTE_STATUSES,
  DEFAULT_CHARGEBACK,
  type EventRule,
  lookup,
  MODIFICATION_ACTIONS,
  type Outcome,
  ruleFor,
} from './maps.ts';
import { itemMetadata } from './metadata.ts';

export type ItemResult =
  | { readonly kind: 'event'; readonly event: UnifiedPaymentEvent }
  | { readonly kind: 'unsupported'; readonly eventCode: string }
  | { readonly kind: 'invalid'; readonly errors: readonly ValidationIssue[] };

export interface ItemContext {
  readonly receivedAt: string;
  /** The request's `live` flag ("true" / "false"), kept in metadata. */
  readonly live: string | null;
}

/** The outcome of an item, or null when it records no payment fact. May record an issue on `read`. */
function decide(rule: EventRule, success: boolean, extra: AdditionalData, read: PayloadReader): Outcome | null {
  switch (rule.kind) {
    case 'unsupported':
      return null;
    case 'fixed':
      return success ? rule.success : rule.failure;
    case 'modification_action': {
      if (!success) return rule.failure;
      const action = extra.string('modification.action');
      const found = lookup(MODIFICATION_ACTIONS, action);
      if (found) return found;
      const message = 'a successful CANCEL_OR_REFUND must say `cancel` or `refund`';
      if (!extra.has('modification.action')) read.fail('additionalData.modification.action', 'missing_field', message);
      else if (action !== null) read.fail('additionalData.modification.action', 'invalid_value', message);
      return null;
    }
    case 'dispute_status':
      return lookup(CHARGEBACK_DISPUTE_STATUSES, extra.string('disputeStatus')) ?? DEFAULT_CHARGEBACK;
  }
}

interface Amount {
  readonly value: number | undefined;
  readonly currency: string | undefined;
}

function readAmount(item: EnvelopeItem['item'], read: PayloadReader): Amount {
  const raw = at(item, 'amount.value');
  const value =
    typeof raw === 'number' && Number.isFinite(raw) && !Number.isInteger(raw)
      ? read.fail('amount.value', 'amount_precision', 'amount.value has a fraction; Adyen sends whole minor units')
      : read.amount('amount.value');
  const currency = read.string('amount.currency')?.toUpperCase();
  if (currency !== undefined && !ADYEN_EXPONENTS.has(currency)) {
    read.fail('amount.currency', 'unknown_currency', `${currency} is not a currency in Adyen's currency table`);
  }
  return { value, currency };
}

/**
 * After a CAPTURE_FAILED, Adyen may capture again (reason `Transaction Recaptured` or `Transaction
 * Auto-recaptured`), notifying a CAPTURE of the same capture with a new eventDate: without the date its id
 * would be the first CAPTURE's, and the recapture would be dropped as a duplicate. A redelivery keeps the date.
 */
function recaptureDate(eventCode: string, reason: string | null, eventDate: string | undefined): string | null {
  return eventCode === 'CAPTURE' && reason !== null && /recaptured/i.test(reason) ? (eventDate ?? null) : null;
}

function eventId(
  pspReference: string | undefined,
  eventCode: string,
  success: string | undefined,
  originalReference: string | null,
  recapturedAt: string | null,
): string {
  const optional = [originalReference, recapturedAt].filter((part) => part);
  return ['adyen', pspReference, eventCode, success, ...optional].join(':');
}

export function normalizeItem({ path, item }: EnvelopeItem, context: ItemContext): ItemResult {
  const read = createPayloadReader(item, path);
  const eventCode = read.string('eventCode');
  const success = read.string('success');
  if (success !== undefined && success !== 'true' && success !== 'false') {
    read.fail('success', 'invalid_value', 'success must be "true" or "false"');
  }
  if (eventCode === undefined || read.issues.length > 0) return { kind: 'invalid', errors: read.issues };
  const extra = readAdditionalData(item, read);
  const outcome = decide(ruleFor(eventCode), success === 'true', extra, read);
  if (read.issues.length > 0) return { kind: 'invalid', errors: read.issues };
  if (outcome === null) return { kind: 'unsupported', eventCode };

  const pspReference = read.string('pspReference');
  const originalReference = read.optionalString('originalReference');
  const merchantId = read.string('merchantAccountCode');
  const { value, currency } = readAmount(item, read);
  const eventDate = read.string('eventDate');
  const timestamp = eventDate === undefined ? undefined : isoFromText(eventDate);
  if (eventDate !== undefined && timestamp === undefined) {
    read.fail('eventDate', 'invalid_timestamp', 'eventDate must be an ISO 8601 date-time with an offset');
  }
  const reason = read.optionalString('reason');
  const metadata = itemMetadata(extra, {
    eventCode,
    outcome,
    pspReference,
    originalReference,
    merchantReference: read.optionalString('merchantReference'),
    paymentMethod: read.optionalString('paymentMethod'),
    success: success ?? '',
    reason,
    currency,
    live: context.live,
  });
  const failed = outcome.status === 'failed';
  const failure = failed ? failureCode(reason, extra.string('refusalReasonRaw')) : null;
  const customerId = extra.string('shopperReference');
  if (read.issues.length > 0) return { kind: 'invalid', errors: read.issues };

  const candidate = {
    schema_version: SCHEMA_VERSION,
    event_id: eventId(pspReference, eventCode, success, originalReference, recaptureDate(eventCode, reason, eventDate)),
    provider: 'adyen',
    event_type: outcome.eventType,
    provider_event_type: eventCode,
    payment_id: originalReference ?? pspReference,
    amount_cents: value,
    currency,
    status: outcome.status,
    failure_code: failure,
    customer_id: customerId,
    merchant_id: merchantId,
    timestamp,
    received_at: isoFromText(context.receivedAt) ?? context.receivedAt,
    metadata,
  };
  const checked = checkEvent(candidate, path);
  return checked.ok ? { kind: 'event', event: checked.event } : { kind: 'invalid', errors: checked.issues };
}
