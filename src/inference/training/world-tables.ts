/**
 * One seed → one calendar world → its training tables: the single path `make models` (training seeds)
 * and `paypipe models evaluate` (a fresh seed) both take, so the model is measured on tables built exactly
 * as its training tables were.
 */
import { createRenderers } from '../../simulator/render/index.ts';
import { declinesOf } from '../../simulator/run-world.ts';
import { type CalendarWorld, createCalendarWorld } from '../../simulator/world/calendar-world.ts';
import { type Replay, replayWorld } from './replay.ts';
import { buildTrainingSets, type TrainingSets } from './tables.ts';

/** The worlds `make models` trains on (scripts/train-models.sh reads them from here): never evaluate on them. */
export const TRAINING_SEEDS: readonly number[] = [101, 102, 103, 104, 105, 106, 107];
/** Cardholders in each training world (and the default world size). */
export const TRAINING_CUSTOMERS = 1500;

export interface WorldSize {
  /** Cardholders in the world (default `TRAINING_CUSTOMERS`). */
  readonly customers?: number;
  /** Days of payments (default 120). */
  readonly days?: number;
}

export interface WorldTables {
  readonly world: CalendarWorld;
  readonly replay: Replay;
  readonly sets: TrainingSets;
}

/** Builds the world of `seed` with every renderer's declines, replays it and builds its tables. */
export function worldTables(seed: number, size: WorldSize = {}): WorldTables {
  const world = createCalendarWorld({
    seed,
    declines: declinesOf(createRenderers(seed)),
    customers: size.customers ?? TRAINING_CUSTOMERS,
    ...(size.days === undefined ? {} : { days: size.days }),
  });
  const replay = replayWorld(world);
  return { world, replay, sets: buildTrainingSets(replay.events, world.truth) };
}
