/** Topic names, fixed by the original design (DESIGN.md §1). */
import type { ProviderName } from './vocabulary.ts';

export const RAW_TOPICS = {
  stripe: ['webhooks.stripe.payment_intent', 'webhooks.stripe.charge', 'webhooks.stripe.refund'],
  square: ['webhooks.square.payment', 'webhooks.square.refund'],
  adyen: ['webhooks.adyen.notification'],
  braintree: ['webhooks.braintree.notification'],
} as const satisfies Record<ProviderName, readonly string[]>;

export type RawTopic = (typeof RAW_TOPICS)[ProviderName][number];

export const WEBHOOKS_DLQ = 'webhooks.dlq';
export const PAYMENTS_NORMALIZED = 'payments.normalized';
export const PAYMENTS_VALIDATION_DLQ = 'payments.validation.dlq';

export const ALL_TOPICS: readonly string[] = [
  ...Object.values(RAW_TOPICS).flat(),
  WEBHOOKS_DLQ,
  PAYMENTS_NORMALIZED,
  PAYMENTS_VALIDATION_DLQ,
];
