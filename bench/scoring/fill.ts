/**
 * The store the scoring benchmark reads: a calendar world (src/simulator) rendered into each provider's
 * webhooks and normalized by the providers' own code (the training replay), every event saved into a SQLite
 * store as the pipeline would have stored it (and its customers' states with them), but for the last days,
 * whose events are the ones scored (probes.ts). What scoring reads is the customers' pasts, so the scores
 * the rows carry do not matter and are left empty.
 */
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { replayWorld } from '../../src/inference/training/replay.ts';
import { createRenderers } from '../../src/simulator/render/index.ts';
import { declinesOf } from '../../src/simulator/run-world.ts';
import { createCalendarWorld } from '../../src/simulator/world/calendar-world.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { probeWindowStart } from './probes.ts';

export interface FillOptions {
  readonly seed: number;
  readonly customers: number;
  readonly days: number;
  readonly progress: (message: string) => void;
}

export interface FilledWorld {
  /** Every event of the world, oldest first: stored, then those of the probe window. */
  readonly events: readonly UnifiedPaymentEvent[];
  readonly stored: number;
  /** Stored events per customer: median, 90th percentile and most. */
  readonly eventsPerCustomer: { readonly p50: number; readonly p90: number; readonly max: number };
}

const BATCH = 2_000;

function unscored(event: UnifiedPaymentEvent): EnrichedPaymentEvent {
  const model_versions = { fraud: null, churn: null, retry: null };
  const empty = { fraud_score: null, churn_score: null, retry_strategy: null, retry_at: null };
  return { ...event, ...empty, processed_at: event.received_at, model_versions };
}

/** Builds the world of `seed` and saves its events into the store at `databaseUrl`. */
export async function fillStore(databaseUrl: string, options: FillOptions): Promise<FilledWorld> {
  const { seed, customers, days, progress } = options;
  const declines = declinesOf(createRenderers(seed));
  progress(`scoring bench: building world ${seed} (${customers} customers, ${days} days)`);
  const world = createCalendarWorld({ seed, declines, customers, days });
  const events = replayWorld(world).events.map((replayed) => replayed.event);
  const start = probeWindowStart(events);
  const stored = events.filter((event) => Date.parse(event.timestamp) < start);
  progress(`  ${events.length} events; saving the ${stored.length} before the last days into the store`);
  const store = await createStore(databaseUrl);
  try {
    // Writes issued in one turn share one group commit: a batch at a time keeps memory flat.
    for (let first = 0; first < stored.length; first += BATCH) {
      await Promise.all(stored.slice(first, first + BATCH).map((event) => store.saveEvent(unscored(event))));
    }
  } finally {
    await store.close();
  }
  const perCustomer = new Map<string, number>();
  for (const { customer_id } of stored) {
    if (customer_id !== null) perCustomer.set(customer_id, (perCustomer.get(customer_id) ?? 0) + 1);
  }
  const counts = [...perCustomer.values()].sort((a, b) => a - b);
  const at = (share: number) => counts[Math.min(counts.length - 1, Math.floor(share * counts.length))] ?? 0;
  return { events, stored: stored.length, eventsPerCustomer: { p50: at(0.5), p90: at(0.9), max: counts.at(-1) ?? 0 } };
}
