/** The gateway's Prometheus metrics. */
import { Counter, Histogram, type Registry } from 'prom-client';

export const WEBHOOK_OUTCOMES = [
  'accepted',
  'dead_lettered',
  'rejected',
  'too_large',
  'malformed',
  'unknown_provider',
  'unavailable',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export interface GatewayMetrics {
  readonly webhooks: Counter<'provider' | 'outcome'>;
  readonly deadLettersDropped: Counter<'provider'>;
  readonly duration: Histogram<'provider'>;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    webhooks: new Counter({
      name: 'paypipe_webhooks_total',
      help: 'Webhook requests by provider and outcome',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    }),
    deadLettersDropped: new Counter({
      name: 'paypipe_dead_letters_dropped_total',
      help: 'Rejected requests not written to webhooks.dlq because the per-provider rate limit was reached',
      labelNames: ['provider'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'paypipe_gateway_request_seconds',
      help: 'Time from request body received to answer, including the durable append',
      labelNames: ['provider'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}
