/**
 * Topic and partition key of a Stripe event (DESIGN.md §1): the event family picks the topic, and the
 * payment's root reference, the PaymentIntent id (charges, refunds and disputes carry it) else the
 * Charge id, keeps every event of one payment in order on one partition.
 */
import type { RawTopic } from '../../contracts/topics.ts';
import { isObject, type JsonObject, parseJson } from '../payload.ts';
import type { RouteResult } from '../provider.ts';

/** The raw topic of an event type's family, or undefined for families paypipe does not take. */
export function topicOf(type: string): RawTopic | undefined {
  if (type.startsWith('payment_intent.')) return 'webhooks.stripe.payment_intent';
  if (type.startsWith('charge.')) return 'webhooks.stripe.charge';
  if (type.startsWith('refund.')) return 'webhooks.stripe.refund';
  return undefined;
}

/** An id field: a string, or an expanded object's `id` (webhooks send strings; API fetches may expand). */
export function idOf(value: unknown): string | undefined {
  const id = isObject(value) ? value.id : value;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The payment's root reference from a PaymentIntent, Charge, Refund or Dispute object. */
export function paymentReference(object: JsonObject): string | undefined {
  if (object.object === 'payment_intent') return idOf(object.id);
  if (object.object === 'charge') return idOf(object.payment_intent) ?? idOf(object.id);
  return idOf(object.payment_intent) ?? idOf(object.charge);
}

const quoted = (value: unknown) => (typeof value === 'string' && value !== '' ? JSON.stringify(value) : undefined);

/**
 * Why a thin event (an event destination's `object: "v2.core.event"`) is not routed: it names the object it is
 * about (`related_object`) but carries no copy of it, and paypipe, which calls no provider, cannot fetch one.
 * The same fact comes whole as a snapshot event, whose id a thin v1 event names (`snapshot_event`).
 */
function thinEventMessage(event: JsonObject): string {
  const related = isObject(event.related_object) ? event.related_object : {};
  const kind = typeof related.type === 'string' ? related.type : 'object';
  const about = quoted(related.id) === undefined ? 'no object' : `${kind} ${quoted(related.id)}`;
  const snapshot = quoted(event.snapshot_event);
  return (
    `thin event ${quoted(event.type) ?? '(no type)'} (v2.core.event) names ${about} but carries no snapshot of it, ` +
    "and paypipe does not fetch from Stripe's API: send snapshot events to this endpoint" +
    (snapshot === undefined ? '' : `; this fact is snapshot event ${snapshot}`)
  );
}

export function routeStripeEvent(body: Buffer): RouteResult {
  const json = parseJson(body);
  if (!json.ok) return { ok: false, message: `the body is not JSON: ${json.issue.message}` };
  const event = json.value;
  if (isObject(event) && event.object === 'v2.core.event') return { ok: false, message: thinEventMessage(event) };
  if (!isObject(event) || typeof event.type !== 'string') {
    return { ok: false, message: 'the body is not a Stripe event (no string `type`)' };
  }
  const topic = topicOf(event.type);
  if (topic === undefined) {
    return { ok: false, message: `Stripe event type ${JSON.stringify(event.type)} belongs to no routed family` };
  }
  const object = isObject(event.data) ? event.data.object : undefined;
  const key = isObject(object) ? paymentReference(object) : undefined;
  if (key === undefined) {
    return {
      ok: false,
      message: `${event.type}: data.object carries no PaymentIntent or Charge id to key the partition with`,
    };
  }
  return { ok: true, topic, partitionKey: key };
}
