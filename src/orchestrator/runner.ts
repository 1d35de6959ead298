/**
 * The in-process workflow runner (the embedded default; Temporal in the distributed mode). It runs the
 * same workflow code as Temporal would, with the workflow id as the unit of deduplication: a redelivered
 * event whose workflow completed is a no-op that returns the first outcome, and one still running is
 * joined. Activities are retried per the workflows' retry policy; at most `concurrency` workflows run.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { DeadLetter } from '../contracts/dead-letter.ts';
import type { UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import type { Activities } from './activities/index.ts';
import { type ActivityRetry, callWithRetry, type Sleep } from './retry.ts';
import { createSemaphore } from './semaphore.ts';
import type { DlqReviewOutcome } from './workflows/dlq-review.ts';
import { deadLetterWorkflowId } from './workflows/dlq-review.ts';
import { createWorkflows, type Workflows } from './workflows/index.ts';
import { ACTIVITY_OPTIONS, type ActivityOptions, type RetryPolicy } from './workflows/options.ts';
import type { PaymentEventOutcome } from './workflows/payment-event.ts';

export interface RunnerOptions {
  readonly activities: Activities;
  /** Workflows running at once; further ones wait for a slot. */
  readonly concurrency?: number;
  /** Replaces parts of the workflows' retry policy (e.g. short intervals in tests). */
  readonly retry?: Partial<RetryPolicy>;
  readonly startToCloseTimeout?: number;
  /** How many completed workflow ids to remember; older redeliveries are caught by the store instead. */
  readonly rememberCompleted?: number;
  readonly sleep?: Sleep;
  /**
   * Told of every failed activity attempt that will be retried. Without it, a store that is down shows
   * nothing for minutes: the workflow fails, and the orchestrator logs it, only once the attempts run out.
   */
  readonly onActivityRetry?: (retry: ActivityRetry) => void;
}

export interface Runner {
  /** PaymentEventWorkflow with workflow id = `event_id`. */
  paymentEvent(event: UnifiedPaymentEvent): Promise<PaymentEventOutcome>;
  /** DLQReviewWorkflow with workflow id = raw record id + reason. */
  dlqReview(deadLetter: DeadLetter): Promise<DlqReviewOutcome>;
  /** Runs `run` once per workflow id: completed ids return their outcome, running ones are joined. */
  execute<R>(workflowId: string, run: (workflows: Workflows) => Promise<R>): Promise<R>;
  /** Resolves once no workflow is running or waiting (failures included; their callers get the error). */
  drain(): Promise<void>;
  /** Workflows started and not yet finished, waiting ones included. */
  readonly inFlight: number;
}

export function createRunner(options: RunnerOptions): Runner {
  const { activities } = options;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const remember = options.rememberCompleted ?? 100_000;
  const slots = createSemaphore(options.concurrency ?? 16);
  const running = new Map<string, Promise<unknown>>();
  const completed = new Map<string, unknown>();

  const proxy = <A extends object>(activityOptions: ActivityOptions): A => {
    const policy = { ...activityOptions.retry, ...options.retry };
    const timeout = options.startToCloseTimeout ?? activityOptions.startToCloseTimeout;
    const bound = Object.entries(activities).map(([name, fn]: [string, (...args: unknown[]) => Promise<unknown>]) => [
      name,
      (...args: unknown[]) => callWithRetry(name, () => fn(...args), policy, timeout, sleep, options.onActivityRetry),
    ]);
    return Object.fromEntries(bound) as A;
  };
  const workflows = createWorkflows(proxy, ACTIVITY_OPTIONS);

  function finish(workflowId: string, outcome: unknown): void {
    completed.set(workflowId, outcome);
    // Maps iterate in insertion order: the first key is the oldest.
    if (completed.size > remember) completed.delete(completed.keys().next().value as string);
  }

  function execute<R>(workflowId: string, run: (workflows: Workflows) => Promise<R>): Promise<R> {
    if (completed.has(workflowId)) return Promise.resolve(completed.get(workflowId) as R);
    const joined = running.get(workflowId);
    if (joined !== undefined) return joined as Promise<R>;
    const started = slots
      .run(() => run(workflows))
      .then((outcome) => {
        finish(workflowId, outcome);
        return outcome;
      })
      .finally(() => running.delete(workflowId));
    running.set(workflowId, started);
    return started;
  }

  return {
    paymentEvent: (event) => execute(event.event_id, (wf) => wf.PaymentEventWorkflow(event)),
    dlqReview: (deadLetter) => execute(deadLetterWorkflowId(deadLetter), (wf) => wf.DLQReviewWorkflow(deadLetter)),
    execute,
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    get inFlight() {
      return running.size;
    },
  };
}
