/** The events the scoring benchmark scores, chosen from the stored world. */
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import type { MeasureInput } from './latency.ts';

const PROBE_WINDOW_MS = 90 * 86_400_000;

/**
 * The events each measurement scores: of the world's last 90 days (the longest pasts), with a customer,
 * evenly spread, and no customer and instant in two measurements: the store caches the past it read for a
 * customer and time (sibling events of one payment step share both), which would flatter whichever
 * measurement came second. Every measured call reads its past from SQLite.
 */
export function chooseProbes(events: readonly UnifiedPaymentEvent[], count: number): MeasureInput['probes'] {
  const last = Date.parse(events.at(-1)?.timestamp ?? '');
  const recent = events.filter(
    (event) => event.customer_id !== null && Date.parse(event.timestamp) > last - PROBE_WINDOW_MS,
  );
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
