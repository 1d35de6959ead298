/**
 * A whole request → events. One event per item. A request is stored all or nothing: if any item is
 * invalid, the whole request is `invalid` (each issue's path names its item), so a redelivery after a fix
 * never finds half of it already stored. Items that record no payment fact are skipped; a request made
 * only of such items is `unsupported`, named by its first item's event code.
 */

import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import type { ValidationIssue } from '../../contracts/reasons.ts';
import type { NormalizeResult } from '../provider.ts';
import { readEnvelope } from './envelope.ts';
import { normalizeItem } from './normalize-item.ts';

export function normalizeNotification(record: RawRecord): NormalizeResult {
  const envelope = readEnvelope(record.body);
  if (!envelope.ok) return { kind: 'invalid', errors: [envelope.issue] };
  const live = typeof envelope.root.live === 'string' && envelope.root.live !== '' ? envelope.root.live : null;
  const events: UnifiedPaymentEvent[] = [];
  const errors: ValidationIssue[] = [];
  const skipped: string[] = [];
  for (const entry of envelope.items) {
    const result = normalizeItem(entry, { receivedAt: record.received_at, live });
    if (result.kind === 'event') events.push(result.event);
    else if (result.kind === 'invalid') errors.push(...result.errors);
    else skipped.push(result.eventCode);
  }
  if (errors.length > 0) return { kind: 'invalid', errors };
  if (events.length > 0) return { kind: 'events', events };
  return { kind: 'unsupported', providerEventType: skipped[0] ?? 'unknown' };
}
