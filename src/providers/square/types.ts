/**
 * Square's webhook payloads as they travel on the wire (snake_case JSON), limited to the fields paypipe
 * reads or the fixtures send. The SDK's `square` types are the camelCase form of the same objects; the
 * tests parse every fixture with the SDK's own serializer to keep these shapes honest.
 */

export interface SquareMoney {
  /** Integer in the currency's smallest unit (cents for USD, yen for JPY). */
  readonly amount: number;
  readonly currency: string;
}

/** One entry of `card_details.errors`: why a card payment failed. */
export interface SquareError {
  readonly category: string;
  readonly code: string;
  readonly detail?: string;
}

export interface SquareCard {
  readonly card_brand: string;
  readonly last_4: string;
  readonly exp_month: number;
  readonly exp_year: number;
  readonly fingerprint: string;
  readonly card_type: string;
  readonly prepaid_type: string;
  readonly bin: string;
}

export interface SquareCardDetails {
  /** AUTHORIZED, CAPTURED, VOIDED or FAILED. */
  readonly status: string;
  readonly card: SquareCard;
  readonly entry_method: string;
  readonly cvv_status: string;
  readonly avs_status: string;
  readonly auth_result_code?: string;
  readonly statement_description?: string;
  readonly errors?: readonly SquareError[];
}

export interface SquarePayment {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
  /** Without the tip. */
  readonly amount_money: SquareMoney;
  readonly tip_money?: SquareMoney;
  /** amount_money plus tip_money: what the buyer paid, and the amount paypipe records. */
  readonly total_money: SquareMoney;
  readonly approved_money?: SquareMoney;
  /** APPROVED, PENDING, COMPLETED, CANCELED or FAILED. */
  readonly status: string;
  readonly source_type: string;
  readonly card_details?: SquareCardDetails;
  readonly location_id: string;
  readonly order_id?: string;
  readonly reference_id?: string;
  readonly customer_id?: string;
  readonly risk_evaluation?: { readonly created_at: string; readonly risk_level: string };
  readonly receipt_number?: string;
  readonly version_token?: string;
}

export interface SquareRefund {
  readonly id: string;
  /** PENDING, COMPLETED, REJECTED or FAILED. */
  readonly status: string;
  readonly amount_money: SquareMoney;
  readonly payment_id?: string;
  readonly order_id?: string;
  readonly location_id: string;
  readonly reason?: string;
  /** True for refunds not linked to a Square payment; they have no `payment_id`. */
  readonly unlinked?: boolean;
  readonly destination_type?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A chargeback or inquiry a cardholder opened with their bank against a Square payment. */
export interface SquareDispute {
  readonly id: string;
  /** The disputed amount, which can be less than the payment's. */
  readonly amount_money: SquareMoney;
  /** AMOUNT_DIFFERS, CANCELLED, DUPLICATE, NO_KNOWLEDGE, NOT_AS_DESCRIBED, NOT_RECEIVED, … */
  readonly reason: string;
  /** INQUIRY_EVIDENCE_REQUIRED, INQUIRY_PROCESSING, INQUIRY_CLOSED, EVIDENCE_REQUIRED, PROCESSING, WON, LOST, ACCEPTED. */
  readonly state: string;
  readonly due_at?: string;
  readonly disputed_payment: { readonly payment_id: string };
  readonly evidence_ids?: readonly string[];
  readonly card_brand: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly brand_dispute_id: string;
  readonly reported_at: string;
  readonly version: number;
  readonly location_id: string;
}

/**
 * The envelope every Square webhook shares; `data.object` holds `payment`, `refund` or `dispute` for
 * paypipe's types (Square's examples put a dispute under `dispute`; the SDK's types under `object`).
 */
export interface SquareEvent {
  readonly merchant_id: string;
  readonly location_id?: string;
  readonly type: string;
  readonly event_id: string;
  readonly created_at: string;
  readonly data: {
    readonly type: string;
    readonly id: string;
    readonly object?: {
      readonly payment?: SquarePayment;
      readonly refund?: SquareRefund;
      readonly dispute?: SquareDispute;
    };
  };
}
