/** Test doubles for the orchestrator: a deterministic inference and a fixed clock. */
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import type { Inference } from '../../src/inference/port.ts';
import type { Clock } from '../../src/orchestrator/activities/index.ts';

export interface FakeInference extends Inference {
  /** `method:event_id`, in call order. */
  readonly calls: string[];
}

export function fakeInference(): FakeInference {
  const calls: string[] = [];
  const note = (method: string, event: UnifiedPaymentEvent) => calls.push(`${method}:${event.event_id}`);
  return {
    calls,
    async fraudScore(event) {
      note('fraud', event);
      return { score: 0.25, model_version: 'fraud-test', explanation: {} };
    },
    async retryStrategy(event) {
      note('retry', event);
      return { strategy: 'delayed', retry_at: '2026-01-02T00:00:00.000Z', model_version: 'retry-test', reason: 'test' };
    },
    async churnPrediction(event) {
      note('churn', event);
      return { score: 0.5, model_version: 'churn-test', explanation: {} };
    },
  };
}

export const FIXED_CLOCK: Clock = { now: () => new Date('2026-01-01T00:00:09.000Z') };
