/**
 * Reading the payment or refund inside a Square event: amount, status and the references paypipe keeps.
 * Every problem becomes a ValidationIssue on the reader; nothing here throws.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { exponentTable } from '../currency.ts';
import { at, isObject, type JsonObject, type PayloadReader } from '../payload.ts';
import { failureCode, type Outcome, paymentOutcome, refundOutcome } from './maps.ts';
import { quote } from './quote.ts';

/**
 * Square amounts are integers in the currency's smallest unit under ISO 4217. Square's Currency enum still
 * lists codes ISO has withdrawn; their historic exponents are kept so old payloads keep normalizing. Its
 * codes without a minor unit (metals, XDR, XTS, XXX) and BTC / XUS, whose unit Square does not document,
 * stay unknown: guessing an exponent would silently scale amounts.
 */
export const SQUARE_EXPONENTS = exponentTable({ BYR: 0, LTL: 2, LVL: 2, MRO: 2, STD: 2, USS: 2, VEF: 2, ZMK: 2 });

/** What a payment or refund contributes to the unified event. */
export interface ObjectFacts {
  readonly outcome: Outcome;
  readonly amountCents: number;
  readonly currency: string;
  readonly failureCode: FailureCode | null;
  readonly customerId: string | null;
  readonly metadata: Record<string, string>;
}

export interface Money {
  readonly amount: number | undefined;
  readonly currency: string | undefined;
}

export function readMoney(reader: PayloadReader, object: JsonObject, field: string): Money {
  const raw = at(object, `${field}.amount`);
  // A fraction of the smallest unit is more precision than the currency allows: reported, never rounded.
  const amount =
    typeof raw === 'number' && Number.isFinite(raw) && !Number.isInteger(raw)
      ? reader.fail(`${field}.amount`, 'amount_precision', `${raw} is not a whole number of minor units`)
      : reader.amount(`${field}.amount`);
  const code = reader.string(`${field}.currency`)?.toUpperCase();
  if (code !== undefined && !SQUARE_EXPONENTS.has(code)) {
    return {
      amount,
      currency: reader.fail(`${field}.currency`, 'unknown_currency', `unknown currency ${quote(code)}`),
    };
  }
  return { amount, currency: code };
}

/**
 * The money a payment moved. `amount_money` leaves out `tip_money`; `total_money` (amount plus tip) is what
 * the card was charged and what a full refund returns, so it counts when sent. `amount_money` is read (and
 * checked) either way: Square always sends it, and the two must be in one currency.
 */
function paymentMoney(reader: PayloadReader, payment: JsonObject): Money {
  const amount = readMoney(reader, payment, 'amount_money');
  if (payment.total_money === undefined || payment.total_money === null) return amount;
  const total = readMoney(reader, payment, 'total_money');
  if (amount.currency !== undefined && total.currency !== undefined && amount.currency !== total.currency) {
    const message = `total_money is in ${total.currency}, amount_money in ${amount.currency}`;
    return { amount: total.amount, currency: reader.fail('total_money.currency', 'invalid_value', message) };
  }
  return total;
}

/** The string fields at `paths` (metadata key → path), skipping absent or non-string ones. */
export function strings(object: JsonObject, paths: Readonly<Record<string, string>>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, path] of Object.entries(paths)) {
    const value = at(object, path);
    if (typeof value === 'string' && value !== '') found[key] = value;
  }
  return found;
}

function facts(
  reader: PayloadReader,
  object: JsonObject,
  kind: 'payment' | 'refund',
): Omit<ObjectFacts, 'failureCode' | 'customerId' | 'metadata'> | undefined {
  const status = reader.string('status');
  const outcome = status === undefined ? undefined : (kind === 'payment' ? paymentOutcome : refundOutcome)(status);
  if (status !== undefined && outcome === undefined) {
    reader.fail('status', 'invalid_value', `unknown Square ${kind} status ${quote(status)}`);
  }
  const { amount, currency } =
    kind === 'payment' ? paymentMoney(reader, object) : readMoney(reader, object, 'amount_money');
  if (outcome === undefined || amount === undefined || currency === undefined) return undefined;
  return { outcome, amountCents: amount, currency };
}

/** Where Square puts the errors of a failed payment, by source type (card, ACH, wallet, BNPL, Square account). */
const DETAILS = [
  'card_details',
  'bank_account_details',
  'wallet_details',
  'buy_now_pay_later_details',
  'square_account_details',
];

/** Why a payment failed: Square's first error, with its raw code kept in metadata. */
function decline(payment: JsonObject): { code: FailureCode; metadata: Record<string, string> } {
  const first = DETAILS.map((details) => at(payment, `${details}.errors`))
    .map((errors): unknown => (Array.isArray(errors) ? errors[0] : undefined))
    .find(isObject);
  if (first === undefined) return { code: 'other', metadata: {} };
  const metadata = strings(first, { provider_failure_code: 'code', provider_error_category: 'category' });
  // PAYMENT_METHOD_ERROR is Square's category for declines of the card or account itself.
  if (metadata.provider_error_category === 'PAYMENT_METHOD_ERROR' && metadata.provider_failure_code !== undefined) {
    metadata.provider_decline_code = metadata.provider_failure_code;
  }
  return { code: failureCode(metadata.provider_failure_code), metadata };
}

export function readPayment(reader: PayloadReader, payment: JsonObject): ObjectFacts | undefined {
  reader.string('id');
  const base = facts(reader, payment, 'payment');
  if (base === undefined) return undefined;
  const failed = base.outcome.status === 'failed' ? decline(payment) : undefined;
  const metadata = strings(payment, {
    provider_status: 'status',
    location_id: 'location_id',
    order_id: 'order_id',
    reference_id: 'reference_id',
    source_type: 'source_type',
    card_status: 'card_details.status',
    card_brand: 'card_details.card.card_brand',
    card_fingerprint: 'card_details.card.fingerprint',
    avs_status: 'card_details.avs_status',
    cvv_status: 'card_details.cvv_status',
    risk_level: 'risk_evaluation.risk_level',
  });
  const tip = at(payment, 'tip_money.amount');
  if (typeof tip === 'number' && Number.isSafeInteger(tip)) metadata.tip_amount = String(tip);
  return {
    ...base,
    failureCode: failed?.code ?? null,
    customerId: reader.optionalString('customer_id'),
    metadata: { ...metadata, ...failed?.metadata },
  };
}

export function readRefund(reader: PayloadReader, refund: JsonObject): ObjectFacts | undefined {
  reader.string('id');
  const base = facts(reader, refund, 'refund');
  if (base === undefined) return undefined;
  const metadata = strings(refund, {
    provider_status: 'status',
    refund_id: 'id',
    refund_reason: 'reason',
    location_id: 'location_id',
    order_id: 'order_id',
    destination_type: 'destination_type',
  });
  // Square's refunds carry no error code: a rejected or failed refund is `other` in the taxonomy.
  return { ...base, failureCode: base.outcome.status === 'failed' ? 'other' : null, customerId: null, metadata };
}
