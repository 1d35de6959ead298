/**
 * Topic and partition key of a Square webhook. The key is the payment id, so a payment's updates and its
 * refunds stay in order on one partition (DESIGN.md §1).
 */
import type { RawTopic } from '../../contracts/topics.ts';
import { at, parseJson } from '../payload.ts';
import type { RouteResult } from '../provider.ts';
import { quote } from './quote.ts';

type Family = 'payment' | 'refund';

const TOPICS = {
  payment: 'webhooks.square.payment',
  refund: 'webhooks.square.refund',
} as const satisfies Record<Family, RawTopic>;

/** `payment` for `payment.*` event types, `refund` for `refund.*`, else undefined. */
export function familyOf(type: string): Family | undefined {
  if (type.startsWith('payment.')) return 'payment';
  if (type.startsWith('refund.')) return 'refund';
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The payment a Square event belongs to: the payment's own id, or the refunded payment's id. A refund not
 * linked to any Square payment (`unlinked: true`) has no payment, so it is its own root.
 */
export function rootReference(event: unknown, family: Family): string | undefined {
  if (family === 'payment') return text(at(event, 'data.object.payment.id')) ?? text(at(event, 'data.id'));
  const paymentId = text(at(event, 'data.object.refund.payment_id'));
  if (paymentId !== undefined) return paymentId;
  return at(event, 'data.object.refund.unlinked') === true ? text(at(event, 'data.object.refund.id')) : undefined;
}

export function routeSquare(body: Buffer): RouteResult {
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, message: `Square webhook body is not JSON: ${parsed.issue.message}` };
  const type = at(parsed.value, 'type');
  if (typeof type !== 'string') return { ok: false, message: 'Square webhook has no string "type"' };
  const family = familyOf(type);
  if (family === undefined) return { ok: false, message: `Square event type ${quote(type)} has no raw topic` };
  const partitionKey = rootReference(parsed.value, family);
  if (partitionKey === undefined) {
    return {
      ok: false,
      message: `Square ${type} event carries no ${family === 'payment' ? 'payment id' : 'payment_id'}`,
    };
  }
  return { ok: true, topic: TOPICS[family], partitionKey };
}
