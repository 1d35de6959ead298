/**
 * Topic and partition key of a Square webhook. The key is the payment id, so a payment's updates, its
 * refunds and its disputes stay in order on one partition (DESIGN.md §1).
 */
import type { RawTopic } from '../../contracts/topics.ts';
import { at, isObject, parseJson } from '../payload.ts';
import type { RouteResult } from '../provider.ts';
import { quote } from './quote.ts';

export type Family = 'payment' | 'refund' | 'dispute';

/**
 * The topic names are fixed (DESIGN.md §1) and Square has none for disputes: a dispute is an event of the
 * payment it disputes, read on the payment's topic and partition with the payment's own events.
 */
const TOPICS = {
  payment: 'webhooks.square.payment',
  refund: 'webhooks.square.refund',
  dispute: 'webhooks.square.payment',
} as const satisfies Record<Family, RawTopic>;

/** The family of `payment.*`, `refund.*` and `dispute.*` event types; undefined for every other type. */
export function familyOf(type: string): Family | undefined {
  if (type.startsWith('payment.')) return 'payment';
  if (type.startsWith('refund.')) return 'refund';
  if (type.startsWith('dispute.')) return 'dispute';
  return undefined;
}

/**
 * Where a dispute event holds its Dispute: `data.object.dispute` in Square's webhook examples, and
 * `data.object.object` in the types of the SDK (square 46), which we accept as well rather than lose a
 * chargeback over the wrapper's name.
 */
export function disputePath(event: unknown): 'data.object.dispute' | 'data.object.object' {
  const underDispute = at(event, 'data.object.dispute');
  return underDispute === undefined && isObject(at(event, 'data.object.object'))
    ? 'data.object.object'
    : 'data.object.dispute';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The payment a Square event belongs to: the payment's own id, the refunded payment's id, or the disputed
 * payment's id. A refund not linked to any Square payment (`unlinked: true`) has no payment, so it is its
 * own root.
 */
export function rootReference(event: unknown, family: Family): string | undefined {
  if (family === 'payment') return text(at(event, 'data.object.payment.id')) ?? text(at(event, 'data.id'));
  if (family === 'dispute') return text(at(event, `${disputePath(event)}.disputed_payment.payment_id`));
  const paymentId = text(at(event, 'data.object.refund.payment_id'));
  if (paymentId !== undefined) return paymentId;
  return at(event, 'data.object.refund.unlinked') === true ? text(at(event, 'data.object.refund.id')) : undefined;
}

const MISSING_ROOT = {
  payment: 'payment id',
  refund: 'payment_id',
  dispute: 'disputed_payment.payment_id',
} as const satisfies Record<Family, string>;

export function routeSquare(body: Buffer): RouteResult {
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, message: `Square webhook body is not JSON: ${parsed.issue.message}` };
  const type = at(parsed.value, 'type');
  if (typeof type !== 'string') return { ok: false, message: 'Square webhook has no string "type"' };
  const family = familyOf(type);
  if (family === undefined) return { ok: false, message: `Square event type ${quote(type)} has no raw topic` };
  const partitionKey = rootReference(parsed.value, family);
  if (partitionKey === undefined) {
    return { ok: false, message: `Square ${quote(type)} event carries no ${MISSING_ROOT[family]}` };
  }
  return { ok: true, topic: TOPICS[family], partitionKey };
}
