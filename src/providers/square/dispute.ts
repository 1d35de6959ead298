/**
 * Reading the Dispute inside a Square dispute event: its state, the disputed money and payment, and the
 * references paypipe keeps. Every problem becomes a ValidationIssue on the reader; nothing here throws.
 */
import { at, type JsonObject, type PayloadReader } from '../payload.ts';
import { disputeOutcome, type Outcome } from './maps.ts';
import { readMoney, strings } from './objects.ts';
import { quote } from './quote.ts';

export interface DisputeFacts {
  readonly outcome: Outcome;
  readonly disputeId: string;
  readonly state: string;
  readonly paymentId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly metadata: Record<string, string>;
}

/** The dispute's id: `id`, or `dispute_id`, which Square's evidence examples carry instead. */
function disputeId(reader: PayloadReader, dispute: JsonObject): string | undefined {
  const legacy = at(dispute, 'dispute_id');
  if ((dispute.id === undefined || dispute.id === null) && typeof legacy === 'string' && legacy !== '') return legacy;
  return reader.string('id');
}

/**
 * The dispute's facts; null for a state change paypipe does not record (into review), however the rest of
 * the dispute reads; undefined when invalid (the issues are on the reader). `created`: the event is
 * dispute.created, the first report of the dispute.
 */
export function readDispute(
  reader: PayloadReader,
  dispute: JsonObject,
  created: boolean,
): DisputeFacts | null | undefined {
  const state = reader.string('state');
  const outcome = state === undefined ? undefined : disputeOutcome(state, created);
  if (outcome === null) return null;
  if (state !== undefined && outcome === undefined) {
    reader.fail('state', 'invalid_value', `unknown Square dispute state ${quote(state)}`);
  }
  const id = disputeId(reader, dispute);
  const paymentId = reader.string('disputed_payment.payment_id');
  // The disputed amount, which can be less than the payment's (a dispute over some of the items).
  const { amount, currency } = readMoney(reader, dispute, 'amount_money');
  if (state === undefined || outcome === undefined || id === undefined || paymentId === undefined) return undefined;
  if (amount === undefined || currency === undefined) return undefined;
  const metadata = strings(dispute, {
    provider_status: 'state',
    dispute_reason: 'reason',
    brand_dispute_id: 'brand_dispute_id',
    card_brand: 'card_brand',
    location_id: 'location_id',
    dispute_due_at: 'due_at',
  });
  return {
    outcome,
    disputeId: id,
    state,
    paymentId,
    amountCents: amount,
    currency,
    metadata: { ...metadata, dispute_id: id },
  };
}
