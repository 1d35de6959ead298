/**
 * What a Stripe object says beyond amount and status: its failure, mapped onto the unified taxonomy, and
 * the provider's own codes and references as string metadata (the raw codes stay there, DESIGN.md §3).
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { countryCode } from '../country.ts';
import { isObject, type JsonObject } from '../payload.ts';
import { failureFromCharge, failureFromCodes, failureFromRefund } from './failure-codes.ts';
import { idOf } from './route.ts';
import type { StripeObjectKind } from './types.ts';

const EMPTY: JsonObject = {};

function objectAt(value: unknown): JsonObject {
  return isObject(value) ? value : EMPTY;
}

/** The unified failure code of a failed PaymentIntent, Charge or Refund. */
export function failureOf(kind: StripeObjectKind, object: JsonObject): FailureCode {
  if (kind === 'payment_intent') {
    const error = objectAt(object.last_payment_error);
    return failureFromCodes(error.decline_code, error.code);
  }
  if (kind === 'charge') {
    const outcome = objectAt(object.outcome);
    return failureFromCharge(outcome.type, outcome.reason, object.failure_code);
  }
  if (kind === 'refund') return failureFromRefund(object.failure_reason);
  return 'other';
}

type Metadata = Record<string, string>;

/** Sets a key only for a non-empty string, a number or a boolean: metadata holds strings only. */
function put(metadata: Metadata, key: string, value: unknown): void {
  if (typeof value === 'string' && value !== '') metadata[key] = value;
  else if (typeof value === 'number' && Number.isFinite(value)) metadata[key] = String(value);
  else if (typeof value === 'boolean') metadata[key] = String(value);
}

function failureDetails(metadata: Metadata, kind: StripeObjectKind, object: JsonObject): void {
  if (kind === 'payment_intent') {
    const error = objectAt(object.last_payment_error);
    put(metadata, 'provider_failure_code', error.code);
    put(metadata, 'provider_decline_code', error.decline_code);
    put(metadata, 'provider_failure_message', error.message);
    put(metadata, 'network_decline_code', error.network_decline_code);
    put(metadata, 'advice_code', error.advice_code);
    put(metadata, 'charge_id', idOf(error.charge));
    put(metadata, 'cancellation_reason', object.cancellation_reason);
    put(metadata, 'charge_id', idOf(object.latest_charge));
  } else if (kind === 'charge') {
    const outcome = objectAt(object.outcome);
    put(metadata, 'provider_failure_code', object.failure_code);
    put(metadata, 'provider_failure_message', object.failure_message);
    if (outcome.type === 'issuer_declined') put(metadata, 'provider_decline_code', outcome.reason);
    put(metadata, 'outcome_type', outcome.type);
    put(metadata, 'outcome_reason', outcome.reason);
    put(metadata, 'network_status', outcome.network_status);
    put(metadata, 'network_decline_code', outcome.network_decline_code);
    put(metadata, 'advice_code', outcome.advice_code);
    put(metadata, 'risk_level', outcome.risk_level);
    put(metadata, 'captured', object.captured);
    // The card's issuing country is reported on the Charge only (a PaymentIntent names its payment method).
    put(metadata, 'card_country', countryCode(objectAt(objectAt(object.payment_method_details).card).country));
  } else if (kind === 'refund') {
    put(metadata, 'provider_failure_code', object.failure_reason);
    put(metadata, 'refund_reason', object.reason);
  } else {
    put(metadata, 'dispute_reason', object.reason);
    put(metadata, 'network_reason_code', object.network_reason_code);
  }
}

/**
 * References and codes of the event and its object, then the object's own `metadata` map under a
 * `metadata.` prefix so that merchant keys can never overwrite paypipe's.
 */
export function metadataOf(event: JsonObject, kind: StripeObjectKind, object: JsonObject): Metadata {
  const metadata: Metadata = {};
  put(metadata, 'stripe_event_id', event.id);
  put(metadata, 'livemode', event.livemode);
  put(metadata, 'api_version', event.api_version);
  put(metadata, `${kind}_id`, idOf(object.id));
  if (kind !== 'payment_intent') put(metadata, 'payment_intent_id', idOf(object.payment_intent));
  if (kind === 'refund' || kind === 'dispute') put(metadata, 'charge_id', idOf(object.charge));
  put(metadata, 'provider_status', object.status);
  failureDetails(metadata, kind, object);
  for (const [key, value] of Object.entries(objectAt(object.metadata))) put(metadata, `metadata.${key}`, value);
  return metadata;
}
