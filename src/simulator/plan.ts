/**
 * The delivery schedule: the world's webhooks in time order, perturbed the way providers deliver them.
 * Some are delivered again later (same bytes, signed anew when sent), some overtake an earlier webhook of
 * the same payment, and forged requests (the payloads of a phantom world, signed with the wrong secrets)
 * are mixed in. Pure and lazy: nothing is signed or sent here, and an endless world is read only as far as
 * the deliveries asked for.
 */
import type { EventType, FailureCode, ProviderName } from '../contracts/vocabulary.ts';
import { createRandom } from './random.ts';
import { createRenderers, type Renderers } from './render/index.ts';
import type { RenderedEvent } from './render/renderer.ts';
import type { TimedStep } from './world/model.ts';
import type { WorldShares } from './world/shares.ts';
import { createWorld } from './world/world.ts';

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
   * follow it closely (within the reorder window of 64 webhooks; a refund minutes later cannot overtake).
   */
  readonly outOfOrderRate: number;
  /** Forged requests per genuine webhook. */
  readonly forgeryRate: number;
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

function* renderedStream(
  seed: number,
  options: PlanOptions,
  renderers: Renderers,
  paymentsPerSecond: number,
): Generator<Rendered, never> {
  const declines = {
    stripe: renderers.stripe.declines,
    square: renderers.square.declines,
    adyen: renderers.adyen.declines,
    braintree: renderers.braintree.declines,
  };
  const world = createWorld({
    seed,
    providers: options.providers,
    declines,
    paymentsPerSecond,
    ...(options.shares ? { shares: options.shares } : {}),
  });
  // Events are said to happen at the pace they are delivered, so no timestamp lies in the receiver's future.
  const interval = 1000 / options.rate / (1 + options.redeliveryRate + options.forgeryRate);
  let count = 0;
  const steps = world.steps();
  for (;;) {
    const timed = steps.next().value;
    const time = new Date(options.startAt.getTime() + Math.round(count * interval));
    for (const event of renderers[timed.payment.provider].render(timed, time)) {
      count += 1;
      yield { event, timed };
    }
  }
}

/**
 * The world's own pace. World time is not delivery time: it sets only the order of events (captures within
 * seconds, refunds and disputes within minutes of world time), while timestamps follow the delivery pace.
 */
const PAYMENTS_PER_WORLD_SECOND = 20;

export function* planDeliveries(options: PlanOptions): Generator<PlannedDelivery, never> {
  const random = createRandom(options.seed).fork(3);
  const genuine = renderedStream(options.seed, options, createRenderers(options.seed), PAYMENTS_PER_WORLD_SECOND);
  // A phantom world of its own seed: forgeries never share an id with a genuine webhook.
  const phantomSeed = (options.seed ^ 0x5eed) + 1;
  const phantom = renderedStream(phantomSeed, options, createRenderers(phantomSeed), PAYMENTS_PER_WORLD_SECOND);
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
  for (let position = 0; ; position++) {
    const { event, timed } = genuine.next().value;
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
    if (random.chance(options.forgeryRate)) {
      const fake = phantom.next().value;
      forged += 1;
      const details = describe(fake.event, `phantom:${fake.timed.payment.ref}`, fake.timed.payment.currency);
      insert({
        provider: fake.timed.payment.provider,
        webhook: -forged,
        ...details,
        kind: 'forgery',
        outOfOrder: false,
        key: position + 0.5,
      });
    }
    while (buffer.length > 0 && (buffer[0] as Pending).key <= position - REORDER_WINDOW) {
      const { key: _key, ...next } = buffer.shift() as Pending;
      if (latest.get(next.paymentRef)?.webhook === next.webhook) latest.delete(next.paymentRef);
      yield { seq, sendAt: (seq * 1000) / options.rate, ...next };
      seq += 1;
    }
  }
}
