/** The events the scoring benchmark scores, chosen from the stored world. */
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import type { MeasureInput } from './latency.ts';

/**
 * The world's last days are not stored (fill.ts): their events are the ones scored, each with its whole
 * past before these days in the store, as the pipeline scores a new event of a customer it knows.
 */
export const PROBE_WINDOW_MS = 90 * 86_400_000;

/** The first instant of the probe window of a world whose events end with `events.at(-1)`. */
export function probeWindowStart(events: readonly UnifiedPaymentEvent[]): number {
  return Date.parse(events.at(-1)?.timestamp ?? '') - PROBE_WINDOW_MS;
}

/**
 * The events each measurement scores: of the world's last 90 days, with a customer, evenly spread, and no
 * customer and instant in two measurements (sibling events of one payment step share both): the second
 * would find in SQLite's page cache what the first just read, and look faster.
 */
export function chooseProbes(events: readonly UnifiedPaymentEvent[], count: number): MeasureInput['probes'] {
  const start = probeWindowStart(events);
  const recent = events.filter((event) => event.customer_id !== null && Date.parse(event.timestamp) >= start);
  const used = new Set<string>();
  const key = (event: UnifiedPaymentEvent) => `${event.customer_id}\u0000${event.timestamp}`;
  const sample = (keep: (event: UnifiedPaymentEvent) => boolean) => {
    const seen = new Set<string>();
    const eligible = recent.filter((event) => {
      const at = key(event);
      if (used.has(at) || seen.has(at) || !keep(event)) return false;
      seen.add(at);
      return true;
    });
    const stride = Math.max(1, eligible.length / count);
    const chosen = Array.from({ length: Math.min(count, eligible.length) }, (_, i) => eligible[Math.floor(i * stride)]);
    const events = chosen.filter((event): event is UnifiedPaymentEvent => event !== undefined);
    for (const event of events) used.add(key(event));
    return events;
  };
  // The rarest first, so it gets all of its kind.
  const retry = sample((event) => event.event_type === 'payment.failed');
  const fraud = sample((event) => event.status === 'succeeded');
  return { retry, fraud, churn: sample(() => true), event: sample(() => true), history: sample(() => true) };
}
