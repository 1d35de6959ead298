/**
 * Builders for Square-shaped webhook payloads, following the examples in Square's webhook reference
 * (payment.created / payment.updated / refund.* / dispute.*). The simulator reuses them to emit its own events.
 */
import type {
  SquareCardDetails,
  SquareDispute,
  SquareError,
  SquareEvent,
  SquareMoney,
  SquarePayment,
  SquareRefund,
} from './types.ts';

export const FIXTURE_MERCHANT = 'MLEFBHHSJGVHD';
export const FIXTURE_LOCATION = 'L88917AVBK2S5';

export interface PaymentSpec {
  readonly id: string;
  readonly status: string;
  readonly money: SquareMoney;
  /** When the payment was created. */
  readonly at: string;
  /** The last change, for payment.updated; defaults to `at`. */
  readonly updatedAt?: string;
  readonly customerId?: string;
  readonly orderId?: string;
  readonly sourceType?: string;
  readonly cardStatus?: string;
  readonly errors?: readonly SquareError[];
}

function cardDetails(spec: PaymentSpec): SquareCardDetails {
  const failed = spec.errors !== undefined && spec.errors.length > 0;
  return {
    status: spec.cardStatus ?? 'CAPTURED',
    card: {
      card_brand: 'VISA',
      last_4: failed ? '0002' : '1111',
      exp_month: 11,
      exp_year: 2028,
      fingerprint: `sq-1-${spec.id.slice(0, 12)}Tvruf3vPQxlvI6n0IcKYfBukrcv6IqWr8UyBdViWXU2yzGn5VMJ`,
      card_type: 'CREDIT',
      prepaid_type: 'NOT_PREPAID',
      bin: failed ? '400000' : '411111',
    },
    entry_method: 'KEYED',
    cvv_status: spec.errors?.some((error) => error.code === 'CVV_FAILURE') ? 'CVV_REJECTED' : 'CVV_ACCEPTED',
    avs_status: 'AVS_ACCEPTED',
    ...(failed ? { errors: spec.errors } : { auth_result_code: 'YFB91d' }),
    statement_description: 'SQ *PAYPIPE COFFEE',
  };
}

export function payment(spec: PaymentSpec): SquarePayment {
  const card = (spec.sourceType ?? 'CARD') === 'CARD';
  return {
    id: spec.id,
    created_at: spec.at,
    updated_at: spec.updatedAt ?? spec.at,
    amount_money: spec.money,
    total_money: spec.money,
    ...(spec.status === 'FAILED' ? {} : { approved_money: spec.money }),
    status: spec.status,
    source_type: spec.sourceType ?? 'CARD',
    ...(card ? { card_details: cardDetails(spec) } : {}),
    location_id: FIXTURE_LOCATION,
    ...(spec.orderId === undefined ? {} : { order_id: spec.orderId }),
    ...(spec.customerId === undefined ? {} : { customer_id: spec.customerId }),
    risk_evaluation: { created_at: spec.at, risk_level: spec.status === 'FAILED' ? 'MODERATE' : 'NORMAL' },
    receipt_number: spec.id.slice(0, 4),
    version_token: `${spec.id.slice(0, 10)}o6RBo0cdsl4ppyFn`,
  };
}

export interface RefundSpec {
  readonly paymentId: string;
  readonly suffix: string;
  readonly status: string;
  readonly money: SquareMoney;
  readonly at: string;
  readonly orderId?: string;
  readonly reason?: string;
}

export function refund(spec: RefundSpec): SquareRefund {
  return {
    // Square refund ids are the payment id, an underscore and a refund-specific part.
    id: `${spec.paymentId}_${spec.suffix}`,
    status: spec.status,
    amount_money: spec.money,
    payment_id: spec.paymentId,
    ...(spec.orderId === undefined ? {} : { order_id: spec.orderId }),
    location_id: FIXTURE_LOCATION,
    ...(spec.reason === undefined ? {} : { reason: spec.reason }),
    destination_type: 'CARD',
    created_at: spec.at,
    updated_at: spec.at,
  };
}

export interface DisputeSpec {
  readonly id: string;
  readonly paymentId: string;
  readonly state: string;
  readonly money: SquareMoney;
  readonly reason: string;
  /** When the bank reported the dispute. */
  readonly at: string;
  /** The last change (a new state, evidence); defaults to `at`. */
  readonly updatedAt?: string;
  /** Incremented by Square on every change of the dispute. */
  readonly version?: number;
  readonly evidenceIds?: readonly string[];
}

/** A Dispute as Square's dispute webhook examples show it. */
export function dispute(spec: DisputeSpec): SquareDispute {
  const reported = `${spec.at.slice(0, 10)}T00:00:00.000Z`;
  const due = new Date(Date.parse(reported) + 14 * 86_400_000).toISOString();
  return {
    id: spec.id,
    amount_money: spec.money,
    reason: spec.reason,
    state: spec.state,
    due_at: due,
    disputed_payment: { payment_id: spec.paymentId },
    ...(spec.evidenceIds === undefined ? {} : { evidence_ids: spec.evidenceIds }),
    card_brand: 'VISA',
    created_at: spec.at,
    updated_at: spec.updatedAt ?? spec.at,
    // The card network's own case id; Square's examples show a 22-character token.
    brand_dispute_id: `r9${spec.id}`,
    reported_at: reported,
    version: spec.version ?? 1,
    location_id: FIXTURE_LOCATION,
  };
}

type WebhookObject =
  | { readonly payment: SquarePayment }
  | { readonly refund: SquareRefund }
  | { readonly dispute: SquareDispute };

function kindAndId(object: WebhookObject): [string, string] {
  if ('payment' in object) return ['payment', object.payment.id];
  if ('refund' in object) return ['refund', object.refund.id];
  return ['dispute', object.dispute.id];
}

/**
 * The webhook envelope around a payment, refund or dispute, as compact JSON text, which is how Square sends
 * it. Dispute events also name their location at the top, as in Square's examples.
 */
export function webhook(type: string, eventId: string, createdAt: string, object: WebhookObject): string {
  const [kind, id] = kindAndId(object);
  const event: SquareEvent = {
    merchant_id: FIXTURE_MERCHANT,
    ...('dispute' in object ? { location_id: object.dispute.location_id } : {}),
    type,
    event_id: eventId,
    created_at: createdAt,
    data: { type: kind, id, object },
  };
  return JSON.stringify(event);
}
