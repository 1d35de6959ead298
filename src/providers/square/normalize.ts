/**
 * Square webhook → UnifiedPaymentEvent. A pure function of the raw record: the same bytes always give the
 * same result, and no input makes it throw.
 */
import { SCHEMA_VERSION } from '../../contracts/payment-event.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { eventResult, invalid } from '../normalized.ts';
import { createPayloadReader, isObject, isoFromText, parseJson } from '../payload.ts';
import type { NormalizeResult } from '../provider.ts';
import { readPayment, readRefund } from './objects.ts';
import { quote } from './quote.ts';
import { familyOf, rootReference } from './route.ts';

/** The event types that carry a payment fact; every other Square type is well-formed but unsupported. */
const MAPPED_TYPES: ReadonlySet<string> = new Set([
  'payment.created',
  'payment.updated',
  'refund.created',
  'refund.updated',
]);

export function normalizeSquare(record: RawRecord): NormalizeResult {
  const parsed = parseJson(record.body);
  if (!parsed.ok) return invalid([parsed.issue]);
  const event = parsed.value;
  if (!isObject(event)) {
    return invalid([{ path: '', code: 'invalid_type', message: 'a Square webhook is a JSON object' }]);
  }
  const reader = createPayloadReader(event);
  const type = reader.string('type');
  if (type === undefined) return invalid(reader.issues);
  const family = familyOf(type);
  if (family === undefined || !MAPPED_TYPES.has(type)) return { kind: 'unsupported', providerEventType: type };

  const eventId = reader.string('event_id');
  const createdAt = reader.string('created_at');
  const timestamp = createdAt === undefined ? undefined : isoFromText(createdAt);
  if (createdAt !== undefined && timestamp === undefined) {
    reader.fail('created_at', 'invalid_timestamp', `created_at ${quote(createdAt)} is not an RFC 3339 timestamp`);
  }
  const merchantId = reader.optionalString('merchant_id');
  const path = `data.object.${family}`;
  const object = reader.object(path);
  const objectReader = createPayloadReader(object, path);
  const facts =
    object === undefined ? undefined : (family === 'payment' ? readPayment : readRefund)(objectReader, object);
  const paymentId = rootReference(event, family);
  if (paymentId === undefined && object !== undefined) {
    reader.fail(
      family === 'payment' ? `${path}.id` : `${path}.payment_id`,
      'missing_field',
      'the payment id is required',
    );
  }
  const issues = [...reader.issues, ...objectReader.issues];
  if (issues.length > 0 || !facts || !eventId || !timestamp || !paymentId) return invalid(issues);

  const candidate = {
    schema_version: SCHEMA_VERSION,
    // Square's event_id is the same on every delivery attempt of one event, so a redelivery dedupes.
    event_id: `square:${eventId}`,
    provider: 'square',
    event_type: facts.outcome.eventType,
    provider_event_type: type,
    payment_id: paymentId,
    amount_cents: facts.amountCents,
    currency: facts.currency,
    status: facts.outcome.status,
    failure_code: facts.failureCode,
    customer_id: facts.customerId,
    merchant_id: merchantId,
    timestamp,
    received_at: record.received_at,
    metadata: facts.metadata,
  };
  return eventResult(candidate);
}
