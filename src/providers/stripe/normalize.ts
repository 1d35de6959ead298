/**
 * A verified Stripe event → one unified payment event, `unsupported`, or the validation issues that stop
 * it. Pure and total: any bytes give a value, never an exception.
 */
import { SCHEMA_VERSION } from '../../contracts/payment-event.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import type { EventType, Status } from '../../contracts/vocabulary.ts';
import { eventResult, invalid } from '../normalized.ts';
import {
  at,
  createPayloadReader,
  isObject,
  isoFromText,
  isoFromUnixSeconds,
  type JsonObject,
  type PayloadReader,
  parseJson,
} from '../payload.ts';
import type { NormalizeResult } from '../provider.ts';
import { failureOf, metadataOf } from './details.ts';
import {
  DISPUTE_STATUSES,
  EVENT_RULES,
  type EventRule,
  LEGACY_DISPUTE_STATUSES,
  lookup,
  REFUND_STATUSES,
  STRIPE_EXPONENTS,
} from './maps.ts';
import { type ChargeRefunded, isExpiryRelease, readChargeRefunded } from './released.ts';
import { idOf, paymentReference } from './route.ts';

type Decided = { readonly eventType: EventType; readonly status: Status };

/** The unified type and status, from the rule and, where it depends on them, the object's fields. */
function decide(
  rule: EventRule,
  object: JsonObject,
  reader: PayloadReader,
  refunded: ChargeRefunded | undefined,
): Decided | undefined {
  const { outcome } = rule;
  if (outcome.kind === 'fixed') return outcome;
  if (refunded?.kind === 'canceled') return { eventType: 'payment.canceled', status: 'canceled' };
  if (outcome.kind === 'charge_refunded') return { eventType: 'refund.succeeded', status: 'refunded' };
  if (outcome.kind === 'capture') {
    if (object.captured === true) return { eventType: 'payment.succeeded', status: 'succeeded' };
    if (object.captured === false) return { eventType: 'payment.authorized', status: 'authorized' };
    return reader.fail('captured', 'invalid_type', 'data.object.captured must be a boolean');
  }
  if (outcome.kind === 'refund') {
    const state = lookup(REFUND_STATUSES, object.status);
    if (state === undefined) {
      return reader.fail('status', 'invalid_value', `unknown refund status ${JSON.stringify(object.status)}`);
    }
    return outcome.created ? { eventType: 'refund.created', status: state.status } : state;
  }
  const result = lookup(DISPUTE_STATUSES, object.status) ?? lookup(LEGACY_DISPUTE_STATUSES, object.status);
  if (result === 'won') return { eventType: 'dispute.won', status: 'disputed' };
  if (result === 'lost') return { eventType: 'dispute.lost', status: 'disputed' };
  return reader.fail('status', 'invalid_value', `a closed dispute has status ${JSON.stringify(object.status)}`);
}

/** Stripe amounts are integers in minor units: a fraction is more precision than any currency allows. */
function amountOf(object: JsonObject, field: EventRule['amountField'], reader: PayloadReader): number | undefined {
  const value = object[field];
  if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) {
    return reader.fail(field, 'amount_precision', `data.object.${field} has a fraction of a minor unit; not rounded`);
  }
  return reader.amount(field);
}

function currencyOf(reader: PayloadReader): string | undefined {
  const text = reader.string('currency');
  if (text === undefined) return undefined;
  const code = text.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !STRIPE_EXPONENTS.has(code)) {
    return reader.fail('currency', 'unknown_currency', `${JSON.stringify(text)} is not a currency Stripe amounts use`);
  }
  return code;
}

function eventFrom(event: JsonObject, type: string, rule: EventRule, receivedAt: string): NormalizeResult {
  const envelope = createPayloadReader(event);
  const id = envelope.string('id');
  const timestamp =
    event.created === undefined || event.created === null
      ? envelope.fail('created', 'missing_field', 'created is required')
      : (isoFromUnixSeconds(event.created) ??
        envelope.fail('created', 'invalid_timestamp', 'created must be Unix seconds'));
  const merchantId = envelope.optionalString('account');
  const received =
    isoFromText(receivedAt) ??
    envelope.fail('received_at', 'invalid_timestamp', 'the record received_at is not ISO 8601');
  const object = envelope.object('data.object');
  if (object === undefined) return invalid(envelope.issues);

  const reader = createPayloadReader(object, 'data.object');
  if (object.object !== rule.object) {
    reader.fail('object', 'invalid_value', `${type} carries a ${rule.object}, not ${JSON.stringify(object.object)}`);
  }
  reader.string('id');
  const paymentId = paymentReference(object);
  if (paymentId === undefined) reader.fail('payment_intent', 'missing_field', 'no PaymentIntent or Charge id');
  const refunded = rule.outcome.kind === 'charge_refunded' ? readChargeRefunded(event, object) : undefined;
  if (refunded?.kind === 'release') return { kind: 'unsupported', providerEventType: type };
  // A released authorization's amount is the charge's; a refund's leaves out what was released with it.
  const reported = amountOf(object, refunded?.kind === 'canceled' ? 'amount' : rule.amountField, reader);
  const amount = reported === undefined || refunded?.kind !== 'refunded' ? reported : reported - refunded.released;
  const currency = currencyOf(reader);
  const decided = decide(rule, object, reader, refunded);
  const issues = [...envelope.issues, ...reader.issues];
  // Every undefined below has recorded its issue; the checks narrow the types.
  if (
    issues.length > 0 ||
    id === undefined ||
    timestamp === undefined ||
    received === undefined ||
    paymentId === undefined ||
    amount === undefined ||
    currency === undefined ||
    decided === undefined
  ) {
    return invalid(issues);
  }
  const failed = decided.eventType === 'payment.failed' || decided.eventType === 'refund.failed';
  const candidate = {
    schema_version: SCHEMA_VERSION,
    event_id: `stripe:${id}`,
    provider: 'stripe',
    event_type: decided.eventType,
    provider_event_type: type,
    payment_id: paymentId,
    amount_cents: amount,
    currency,
    status: decided.status,
    failure_code: failed ? failureOf(rule.object, object) : null,
    customer_id: idOf(object.customer) ?? null,
    merchant_id: merchantId,
    timestamp,
    received_at: received,
    metadata: metadataOf(event, rule.object, object),
  };
  return eventResult(candidate);
}

/** Normalizes a raw record holding a Stripe event. */
export function normalizeStripeEvent(record: RawRecord): NormalizeResult {
  const json = parseJson(record.body);
  if (!json.ok) return invalid([json.issue]);
  const event = json.value;
  if (!isObject(event))
    return invalid([{ path: '', code: 'invalid_type', message: 'a Stripe event is a JSON object' }]);
  const reader = createPayloadReader(event);
  const type = reader.string('type');
  if (type === undefined) return invalid(reader.issues);
  const rule = lookup<EventRule | 'unsupported'>(EVENT_RULES, type);
  if (rule === undefined || rule === 'unsupported') return { kind: 'unsupported', providerEventType: type };
  if (rule.object === 'refund' && isExpiryRelease(at(event, 'data.object'))) {
    return { kind: 'unsupported', providerEventType: type };
  }
  return eventFrom(event, type, rule, record.received_at);
}
