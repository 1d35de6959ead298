/**
 * A calendar world as the pipeline would see it: every step rendered into its provider's webhook, signed
 * and normalized by the provider's own code (the path the gateway and the normalizer take), giving the
 * unified events in timestamp order. Each event keeps the world refs of its payment and customer, so
 * training rows can be joined to the ground truth without the truth ever touching an event.
 */
import type { ProvidersConfig } from '../../config/config.ts';
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { createProviderRegistry } from '../../providers/registry.ts';
import { createRenderers } from '../../simulator/render/index.ts';
import type { CalendarWorld } from '../../simulator/world/calendar-world.ts';

export interface ReplayedEvent {
  readonly event: UnifiedPaymentEvent;
  /** The world payment (`pay_…`) and customer (`cust_…`) behind the event. */
  readonly paymentRef: string;
  readonly customerRef: string;
}

/**
 * Secrets used only to produce the bytes a provider would send (Braintree's signed form, Adyen's HMAC
 * fields): nothing verifies them here. Braintree amounts are read in each merchant account's currency.
 */
function replayConfig(world: CalendarWorld): ProvidersConfig {
  const byMerchant: Record<string, string> = {};
  for (const shop of world.merchants) byMerchant[`${shop.id}_${shop.currency.toLowerCase()}`] = shop.currency;
  return {
    stripe: { secrets: ['whsec_paypipe_training_replay'], toleranceSeconds: 300 },
    square: { signatureKeys: ['paypipe-training-replay'], notificationUrl: 'https://replay.invalid/webhooks/square' },
    adyen: { hmacKeys: ['AB'.repeat(32)], basicAuth: { username: 'replay', password: 'replay' } },
    braintree: {
      keys: [{ publicKey: 'replay_public', privateKey: 'replay_private' }],
      merchantCurrencies: { byMerchant, fallback: 'USD' },
    },
  };
}

/** Why a replay cannot continue: a rendered webhook the provider's own code refused to normalize. */
export interface ReplayProblem {
  readonly paymentRef: string;
  readonly name: string;
  readonly reason: string;
}

export interface Replay {
  readonly events: readonly ReplayedEvent[];
  readonly problems: readonly ReplayProblem[];
}

/** The world's unified events, oldest first (ties keep the world's order). */
export function replayWorld(world: CalendarWorld): Replay {
  const registry = createProviderRegistry(replayConfig(world));
  const renderers = createRenderers(world.seed);
  const start = world.startAt.getTime();
  const events: ReplayedEvent[] = [];
  const problems: ReplayProblem[] = [];
  for (const timed of world.steps) {
    const { payment } = timed;
    const time = new Date(start + timed.at);
    for (const rendered of renderers[payment.provider].render(timed, time)) {
      const provider = registry[payment.provider];
      const signed = provider.sign(rendered.payload, { timestamp: time });
      const result = provider.normalize({
        id: `replay:${payment.ref}:${timed.index}:${rendered.name}`,
        provider: payment.provider,
        received_at: time.toISOString(),
        headers: signed.headers,
        body: Buffer.from(signed.body),
      });
      if (result.kind !== 'events') {
        problems.push({ paymentRef: payment.ref, name: rendered.name, reason: result.kind });
        continue;
      }
      for (const event of result.events) {
        events.push({ event, paymentRef: payment.ref, customerRef: payment.customer.id });
      }
    }
  }
  // Stable: events of one step, and steps of one instant, keep the order the world gave them.
  const times = new Map(events.map((replayed) => [replayed, Date.parse(replayed.event.timestamp)]));
  events.sort((a, b) => (times.get(a) as number) - (times.get(b) as number));
  return { events, problems };
}
