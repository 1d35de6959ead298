/**
 * The workflows, bound to activities through a proxy. On Temporal, a workflow module does
 * `export const { PaymentEventWorkflow, DLQReviewWorkflow } = createWorkflows(proxyActivities);`
 * and the in-process runner calls `createWorkflows` with its own proxy: the same code runs in both.
 */
import type { DeadLetter } from '../../contracts/dead-letter.ts';
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { Activities } from '../activities/index.ts';
import { type DlqReviewOutcome, dlqReviewWorkflow } from './dlq-review.ts';
import { ACTIVITY_OPTIONS, type ActivityOptions, type ActivityProxy } from './options.ts';
import { type PaymentEventOutcome, paymentEventWorkflow } from './payment-event.ts';

export interface Workflows {
  PaymentEventWorkflow(event: UnifiedPaymentEvent): Promise<PaymentEventOutcome>;
  DLQReviewWorkflow(deadLetter: DeadLetter): Promise<DlqReviewOutcome>;
}

export function createWorkflows(proxy: ActivityProxy, options: ActivityOptions = ACTIVITY_OPTIONS): Workflows {
  const acts = proxy<Activities>(options);
  return {
    PaymentEventWorkflow: (event) => paymentEventWorkflow(acts, event),
    DLQReviewWorkflow: (deadLetter) => dlqReviewWorkflow(acts, deadLetter),
  };
}
