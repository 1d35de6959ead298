/** A training table's row, and the identifying columns every table starts with. */
import type { ReplayedEvent } from './replay.ts';

export type Cell = number | string | null;
export type Row = Readonly<Record<string, Cell>>;

/** The scored event and the world refs that join it to the truth; never model inputs. */
export const identity = (replayed: ReplayedEvent) => ({
  event_id: replayed.event.event_id,
  payment_ref: replayed.paymentRef,
  customer_ref: replayed.customerRef,
  provider: replayed.event.provider,
  timestamp: replayed.event.timestamp,
});
