/**
 * Adyen's one raw topic, partitioned by the payment's root reference: `originalReference` (modifications
 * and disputes point at the payment), else `pspReference` (the payment itself). A request is routed by its
 * first item; Adyen sends one item per JSON request.
 */
import { RAW_TOPICS } from '../../contracts/topics.ts';
import type { RouteResult } from '../provider.ts';
import { readEnvelope } from './envelope.ts';

const TOPIC = RAW_TOPICS.adyen[0];

function reference(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function routeNotification(body: Buffer): RouteResult {
  const envelope = readEnvelope(body);
  if (!envelope.ok) return { ok: false, message: `not an Adyen notification: ${envelope.issue.message}` };
  const first = envelope.items[0];
  const key = reference(first?.item.originalReference) ?? reference(first?.item.pspReference);
  if (key === undefined) {
    return { ok: false, message: `${first?.path ?? 'the first item'} has neither originalReference nor pspReference` };
  }
  return { ok: true, topic: TOPIC, partitionKey: key };
}
