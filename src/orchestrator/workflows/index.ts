/**
 * The workflows, bound to activities through a proxy; the in-process runner passes its own proxy, and a
 * Temporal workflow module would do (Temporal's `ActivityInterfaceFor<A>` has the shape of our
 * promise-returning `A`, but TypeScript cannot prove it for a generic `A`, hence the cast):
 *
 *   const proxy: ActivityProxy = <A extends object>(options) => proxyActivities<A>(options) as A;
 *   export const { PaymentEventWorkflow, DLQReviewWorkflow } = createWorkflows(proxy);
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
