/**
 * The delivery schedule: the calendar world's webhooks in its time order, perturbed the way providers
 * deliver them. Some are delivered again later (same bytes, signed anew when sent), some overtake an
 * earlier webhook of the same payment, and forged requests (the payloads of a phantom world, signed with the
 * wrong secrets) are mixed in. Pure and lazy: nothing is signed or sent here, and the world is rendered
 * only as far as the deliveries asked for.
 */
import type { EventType, FailureCode, ProviderName } from '../contracts/vocabulary.ts';
import { createRandom } from './random.ts';
import { createRenderers, type Renderers } from './render/index.ts';
import type { RenderedEvent } from './render/renderer.ts';
import { phantomWorld } from './run-world.ts';
import type { CalendarWorld } from './world/calendar-world.ts';
import type { TimedStep } from './world/model.ts';
import type { WorldShares } from './world/shares.ts';

export interface PlanOptions {
  readonly seed: number;
  readonly providers: readonly ProviderName[];
  /** Deliveries per second. */
  readonly rate: number;
  /** When the first event happens; later events are spread after it at the delivery pace. */
  readonly startAt: Date;
  /** Share of webhooks delivered a second time. */
  readonly redeliveryRate: number;
  /**
   * Share of webhooks delivered before the webhook of their payment that precedes them, among those that
   * follow it closely (within the reorder window of 64 webhooks; a refund days later cannot overtake).
   */
  readonly outOfOrderRate: number;
  /** Forged requests per genuine webhook. */
  readonly forgeryRate: number;
  /** Cardholders in the world. Default: as many as the run's deliveries need (see `run-world.ts`). */
  readonly customers?: number;
  /** Days of world time. Default 60. */
  readonly days?: number;
  readonly shares?: Partial<WorldShares>;
}

export type DeliveryKind = 'original' | 'redelivery' | 'forgery';

export interface PlannedDelivery {
  /** Position in the delivery order, from 0. */
  readonly seq: number;
  /** When to send it, in milliseconds after the start (`seq / rate`). */
  readonly sendAt: number;
  readonly provider: ProviderName;
  readonly kind: DeliveryKind;
  /** Delivered ahead of an earlier webhook of its payment. */
  readonly outOfOrder: boolean;
  /** Which webhook this is: a redelivery shares its original's number. Forgeries have their own. */
  readonly webhook: number;
  /** The world payment (`pay_…`), or the phantom payment of a forgery (`phantom:pay_…`). */
  readonly paymentRef: string;
  /** The provider's event name (`charge.succeeded`, `AUTHORISATION`…). */
  readonly name: string;
  readonly payload: string;
  readonly expect: readonly EventType[];
  readonly amount: number;
  readonly currency: string;
  readonly failureCode: FailureCode | null;
}

type Pending = Omit<PlannedDelivery, 'seq' | 'sendAt'> & { readonly key: number };

/** How far (in webhooks) a redelivery or an overtaking webhook may move. */
export const REORDER_WINDOW = 64;

interface Rendered {
  readonly event: RenderedEvent;
  readonly timed: TimedStep;
}

/**
 * The world's webhooks in its order. Its weeks are not delivery time: events are said to happen at the pace
 * they are delivered, so no timestamp lies in the receiver's future.
 */
function* renderedStream(world: CalendarWorld, renderers: Renderers, options: PlanOptions, again: boolean) {
  const interval = 1000 / options.rate / (1 + options.redeliveryRate + options.forgeryRate);
  let count = 0;
  do {
    for (const timed of world.steps) {
      const time = new Date(options.startAt.getTime() + Math.round(count * interval));
      for (const event of renderers[timed.payment.provider].render(timed, time)) {
        count += 1;
        yield { event, timed } satisfies Rendered;
      }
    }
  } while (again && world.steps.length > 0);
}

/** The phantom world's webhooks, built on the first forgery and read round and round. */
function* phantomStream(options: PlanOptions): Generator<Rendered> {
  const world = phantomWorld(options);
  yield* renderedStream(world, createRenderers(world.seed), options, true);
}

/** The deliveries of a run of `world` (see `planWorld`), in sending order; they end when the world does. */
export function* planDeliveries(options: PlanOptions, world: CalendarWorld): Generator<PlannedDelivery> {
  const random = createRandom(options.seed).fork(3);
  const genuine = renderedStream(world, createRenderers(options.seed), options, false);
  const phantom = phantomStream(options);
  const buffer: Pending[] = [];
  const latest = new Map<string, Pending>();
  const insert = (item: Pending) => {
    let at = buffer.length;
    while (at > 0 && (buffer[at - 1] as Pending).key > item.key) at -= 1;
    buffer.splice(at, 0, item);
  };
  const describe = (event: RenderedEvent, ref: string, currency: string) => ({
    paymentRef: ref,
    name: event.name,
    payload: event.payload,
    expect: event.expect,
    amount: event.amount,
    currency,
    failureCode: event.failureCode,
  });
  let seq = 0;
  let forged = 0;
  /** Sends everything whose key is at most `upTo`, in key order. */
  function* release(upTo: number): Generator<PlannedDelivery> {
    while (buffer.length > 0 && (buffer[0] as Pending).key <= upTo) {
      const { key: _key, ...next } = buffer.shift() as Pending;
      if (latest.get(next.paymentRef)?.webhook === next.webhook) latest.delete(next.paymentRef);
      yield { seq, sendAt: (seq * 1000) / options.rate, ...next };
      seq += 1;
    }
  }
  for (let position = 0; ; position++) {
    const step = genuine.next();
    if (step.done) break;
    const { event, timed } = step.value;
    const { ref, provider, currency } = timed.payment;
    const base = { provider, webhook: position, ...describe(event, ref, currency) };
    const previous = latest.get(ref);
    const overtake = previous !== undefined && random.chance(options.outOfOrderRate);
    const original: Pending = {
      ...base,
      kind: 'original',
      outOfOrder: overtake,
      key: overtake ? previous.key - 0.5 : position,
    };
    insert(original);
    latest.set(ref, original);
    if (random.chance(options.redeliveryRate)) {
      insert({
        ...base,
        kind: 'redelivery',
        outOfOrder: false,
        key: position + random.int(2, REORDER_WINDOW - 1) + 0.25,
      });
    }
    const fake = random.chance(options.forgeryRate) ? phantom.next() : null;
    if (fake && !fake.done) {
      forged += 1;
      const { payment } = fake.value.timed;
      insert({
        provider: payment.provider,
        webhook: -forged,
        ...describe(fake.value.event, `phantom:${payment.ref}`, payment.currency),
        kind: 'forgery',
        outOfOrder: false,
        key: position + 0.5,
      });
    }
    yield* release(position - REORDER_WINDOW);
  }
  // The world has ended: what is still held back goes out in its order.
  yield* release(Number.POSITIVE_INFINITY);
}
