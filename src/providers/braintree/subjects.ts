/**
 * Where a notification's payment fact lives. The subject differs by kind (a subscription with its charged
 * transactions, a transaction, a refund transaction, a dispute), and so does the payment's root reference,
 * which route() and normalize() must agree on: it is both the partition key and `payment_id`.
 */
import { isObject, type JsonObject } from '../payload.ts';
import { first } from './envelope.ts';
import { KIND_MAP } from './maps.ts';
import { isBraintreeKind, type Notification, type SubjectShape } from './types.ts';

/** Follows a dotted path, taking the first of any repeated element on the way. */
function walk(root: unknown, path: string): unknown {
  let current = first(root);
  for (const key of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = first(current[key]);
  }
  return current;
}

/** A non-empty string leaf, else null (absent, empty, `nil="true"`, or a nested element). */
export function text(node: unknown, path: string): string | null {
  const value = walk(node, path);
  return typeof value === 'string' && value !== '' ? value : null;
}

export interface PaymentSubject {
  /** Path from the notification to the element holding the amount, currency and decline codes. */
  readonly path: string;
  readonly node: JsonObject | undefined;
  /** The element whose amount counts: a dispute's `amount-won` once won, else `amount-disputed`; a transaction's `amount`. */
  readonly amountField: string;
  /** The subject's own id (subscription, transaction, refund or dispute), part of the event id. */
  readonly subjectId: string | null;
  readonly subjectIdPath: string;
  /** The payment's root reference. */
  readonly paymentId: string | null;
  readonly paymentIdPath: string;
  readonly merchantAccountId: string | null;
  readonly customerId: string | null;
  /** Subject-level references for the event's metadata. */
  readonly references: Readonly<Record<string, string | null>>;
  /** A credit transaction: a refund, which belongs to the sale it refunds. */
  readonly credit: boolean;
}

function objectAt(root: unknown, path: string): JsonObject | undefined {
  const value = walk(root, path);
  return isObject(value) ? value : undefined;
}

function subscription(notification: Notification): PaymentSubject {
  const owner = objectAt(notification, 'subject.subscription');
  // Braintree lists a subscription's transactions newest first: the first is the one just charged.
  const node = objectAt(owner, 'transactions.transaction');
  return {
    path: 'subject.subscription.transactions.transaction',
    node,
    amountField: 'amount',
    subjectId: text(owner, 'id'),
    subjectIdPath: 'subject.subscription.id',
    paymentId: text(node, 'id'),
    paymentIdPath: 'subject.subscription.transactions.transaction.id',
    merchantAccountId: text(node, 'merchant-account-id') ?? text(owner, 'merchant-account-id'),
    customerId: text(node, 'customer.id'),
    references: { subscription_id: text(owner, 'id'), plan_id: text(owner, 'plan-id') },
    credit: false,
  };
}

function transaction(notification: Notification, refund: boolean): PaymentSubject {
  const node = objectAt(notification, 'subject.transaction');
  const id = text(node, 'id');
  // A refund belongs to the sale it refunds; the SDK's sample names that link `refunded-transaction-fk`.
  const refunded = refund ? (text(node, 'refunded-transaction-id') ?? text(node, 'refunded-transaction-fk')) : null;
  return {
    path: 'subject.transaction',
    node,
    amountField: 'amount',
    subjectId: id,
    subjectIdPath: 'subject.transaction.id',
    paymentId: refunded ?? id,
    paymentIdPath: 'subject.transaction.id',
    merchantAccountId: text(node, 'merchant-account-id'),
    customerId: text(node, 'customer.id'),
    references: refund ? { refund_id: id, refunded_transaction_id: refunded } : {},
    credit: refund,
  };
}

/**
 * A won dispute's amount is what came back to the merchant (`amount-won`, which a partial win makes less
 * than the disputed amount, as in the SDK's sample: 245.00 of 250.0); otherwise the amount in dispute.
 */
function disputeAmountField(node: JsonObject | undefined): string {
  if (text(node, 'status') === 'won' && text(node, 'amount-won') !== null) return 'amount-won';
  return text(node, 'amount-disputed') === null ? 'amount' : 'amount-disputed';
}

function dispute(notification: Notification): PaymentSubject {
  const node = objectAt(notification, 'subject.dispute');
  return {
    path: 'subject.dispute',
    node,
    amountField: disputeAmountField(node),
    subjectId: text(node, 'id'),
    subjectIdPath: 'subject.dispute.id',
    paymentId: text(node, 'transaction.id'),
    paymentIdPath: 'subject.dispute.transaction.id',
    merchantAccountId: text(node, 'merchant-account-id'),
    customerId: text(node, 'transaction.customer.id'),
    references: {
      dispute_id: text(node, 'id'),
      dispute_kind: text(node, 'kind'),
      dispute_reason: text(node, 'reason'),
      dispute_reason_code: text(node, 'reason-code'),
      dispute_status: text(node, 'status'),
      dispute_reply_by_date: text(node, 'reply-by-date'),
      dispute_case_number: text(node, 'case-number'),
      // As sent (major units): the event's amount is amount-won once the dispute is won.
      dispute_amount_disputed: text(node, 'amount-disputed'),
    },
    credit: false,
  };
}

export function locateSubject(shape: SubjectShape, notification: Notification): PaymentSubject {
  if (shape === 'subscription') return subscription(notification);
  if (shape === 'dispute') return dispute(notification);
  // Settlement kinds report refunds (credits) as well as sales.
  const credit = shape === 'refund' || text(objectAt(notification, 'subject.transaction'), 'type') === 'credit';
  return transaction(notification, credit);
}

/** Where other kinds keep a transaction or their own id, so related notifications share a partition. */
const FALLBACK_KEYS = [
  'subscription.transactions.transaction.id',
  'subscription.id',
  'transaction.id',
  'dispute.transaction.id',
  'transaction-review.transaction-id',
  'local-payment.transaction.id',
  'local-payment-funded.transaction.id',
  'local-payment-funded.payment-id',
  'local-payment-reversed.payment-id',
  'local-payment-expired.payment-id',
  'disbursement.id',
];

function fallbackKey(notification: Notification): string | null {
  for (const path of FALLBACK_KEYS) {
    const key = text(notification, `subject.${path}`);
    if (key !== null) return key;
  }
  return null;
}

export type Reference = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly message: string };

/** The partition key of a notification: the payment's root reference, else a stable key of its subject. */
export function partitionKey(notification: Notification): Reference {
  const kind = text(notification, 'kind');
  if (kind === null) return { ok: false, message: 'the notification has no <kind>' };
  const mapping = isBraintreeKind(kind) ? KIND_MAP[kind] : null;
  if (mapping === null) return { ok: true, key: fallbackKey(notification) ?? kind };
  const paymentId = locateSubject(mapping.shape, notification).paymentId;
  if (paymentId === null) return { ok: false, message: `${kind} carries no transaction id to partition by` };
  return { ok: true, key: paymentId };
}
