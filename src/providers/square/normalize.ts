/**
 * Square webhook → UnifiedPaymentEvent. A pure function of the raw record: the same bytes always give the
 * same result, and no input makes it throw.
 */
import { SCHEMA_VERSION } from '../../contracts/payment-event.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { eventResult, invalid } from '../normalized.ts';
import {
  createPayloadReader,
  isObject,
  isoFromText,
  type JsonObject,
  type PayloadReader,
  parseJson,
} from '../payload.ts';
import type { NormalizeResult } from '../provider.ts';
import { readDispute } from './dispute.ts';
import { readPayment, readRefund } from './objects.ts';
import { quote } from './quote.ts';
import { disputePath, type Family, familyOf, rootReference } from './route.ts';

/**
 * The event types that carry a payment fact; every other Square type is well-formed but unsupported.
 * `dispute.state.updated` is the older name of `dispute.state.changed`, still sent to subscriptions on an
 * earlier API version. `dispute.evidence.*` report evidence the seller added or removed, never an outcome:
 * a decision arrives as a state change.
 */
const MAPPED_TYPES: ReadonlySet<string> = new Set([
  'payment.created',
  'payment.updated',
  'refund.created',
  'refund.updated',
  'dispute.created',
  'dispute.state.changed',
  'dispute.state.updated',
]);

/** What every Square event shares: its id, its own time and the merchant. */
interface Envelope {
  readonly type: string;
  readonly eventId: string | undefined;
  readonly timestamp: string | undefined;
  readonly merchantId: string | null;
}

function readEnvelope(reader: PayloadReader, type: string): Envelope {
  const eventId = reader.string('event_id');
  const createdAt = reader.string('created_at');
  const timestamp = createdAt === undefined ? undefined : isoFromText(createdAt);
  if (createdAt !== undefined && timestamp === undefined) {
    reader.fail('created_at', 'invalid_timestamp', `created_at ${quote(createdAt)} is not an RFC 3339 timestamp`);
  }
  return { type, eventId, timestamp, merchantId: reader.optionalString('merchant_id') };
}

function normalizePaymentOrRefund(
  record: RawRecord,
  event: JsonObject,
  reader: PayloadReader,
  envelope: Envelope,
  family: Exclude<Family, 'dispute'>,
): NormalizeResult {
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
  const { eventId, timestamp } = envelope;
  const issues = [...reader.issues, ...objectReader.issues];
  if (issues.length > 0 || !facts || !eventId || !timestamp || !paymentId) return invalid(issues);

  return eventResult({
    schema_version: SCHEMA_VERSION,
    // Square's event_id is the same on every delivery attempt of one event, so a redelivery dedupes.
    event_id: `square:${eventId}`,
    provider: 'square',
    event_type: facts.outcome.eventType,
    provider_event_type: envelope.type,
    payment_id: paymentId,
    amount_cents: facts.amountCents,
    currency: facts.currency,
    status: facts.outcome.status,
    failure_code: facts.failureCode,
    customer_id: facts.customerId,
    merchant_id: envelope.merchantId,
    timestamp,
    received_at: record.received_at,
    metadata: facts.metadata,
  });
}

function normalizeDispute(
  record: RawRecord,
  event: JsonObject,
  reader: PayloadReader,
  envelope: Envelope,
): NormalizeResult {
  const path = disputePath(event);
  const dispute = reader.object(path);
  const disputeReader = createPayloadReader(dispute, path);
  const facts =
    dispute === undefined ? undefined : readDispute(disputeReader, dispute, envelope.type === 'dispute.created');
  if (facts === null) return { kind: 'unsupported', providerEventType: envelope.type };
  const { eventId, timestamp } = envelope;
  const issues = [...reader.issues, ...disputeReader.issues];
  if (issues.length > 0 || !facts || !eventId || !timestamp) return invalid(issues);

  return eventResult({
    schema_version: SCHEMA_VERSION,
    // One fact per dispute and state. A redelivery is the same dispute in the same state, so it dedupes; a new
    // state is a new event. Square's event_id would not do: the same state change also arrives as
    // dispute.state.updated (its older name) to a subscription on an earlier API version, with another id.
    event_id: `square:dispute:${facts.disputeId}:${facts.state}`,
    provider: 'square',
    event_type: facts.outcome.eventType,
    provider_event_type: envelope.type,
    payment_id: facts.paymentId,
    amount_cents: facts.amountCents,
    currency: facts.currency,
    status: facts.outcome.status,
    failure_code: null,
    // A Dispute names no customer; the disputed payment's events do.
    customer_id: null,
    merchant_id: envelope.merchantId,
    timestamp,
    received_at: record.received_at,
    metadata: { ...facts.metadata, square_event_id: eventId },
  });
}

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
  const envelope = readEnvelope(reader, type);
  return family === 'dispute'
    ? normalizeDispute(record, event, reader, envelope)
    : normalizePaymentOrRefund(record, event, reader, envelope, family);
}
