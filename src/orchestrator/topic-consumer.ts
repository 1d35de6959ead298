/**
 * The orchestrator's topic consumer: `payments.normalized` → PaymentEventWorkflow, and
 * `payments.validation.dlq` → DLQReviewWorkflow. Events of one payment run one after another, in log order,
 * so the business rules see a payment's earlier events, even across batches; different payments run
 * concurrently. A few batches are handled at once, and a batch is committed only once every workflow of it
 * and of the batches before it has finished; an infrastructure failure retries that payment's events
 * (workflows are idempotent by workflow id), so nothing is skipped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ } from '../contracts/topics.ts';
import { type ConsumeLoop, runConsumeLoop } from '../log/consume-loop.ts';
import type { EventLog, LogRecord } from '../log/port.ts';
import { warnOfLogUnavailable } from '../log/retry.ts';
import { countLabels } from '../runtime/count-labels.ts';
import { createLogSpells } from '../runtime/log-spells.ts';
import type { WorkflowDone, WorkflowStarter } from './record-workflows.ts';

export const ORCHESTRATOR_GROUP = 'paypipe-orchestrator';

/**
 * Batches handled at once. The next batch is polled while the last workflows of the previous ones wait for
 * their COMMIT, so the runner's slots stay full. At a steady rate a poll returns the few records of one
 * group commit, and a batch is held by its slowest workflow: with few batches in flight, records waited
 * in the log for a free batch while the runner had free slots.
 */
const BATCHES_IN_FLIGHT = 16;

/** What a stop gives the workflows in hand; the runner is closed after it and cuts off what still runs (thread-runner.ts). */
const STOP_GRACE_MS = 5_000;

export interface OrchestratorDeps {
  readonly log: EventLog;
  /** The runner on its own thread (thread-runner.ts), or one on this thread (`recordsOf`). */
  readonly runner: WorkflowStarter;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Pause before a failed batch is tried again. */
  readonly retryDelayMs?: number;
  /** How long a stop waits for the workflows in hand before giving their batches up (default 5 s). */
  readonly stopGraceMs?: number;
}

/** The last unfinished run of each payment key. */
type Tails = Map<string, Promise<void>>;

/** `work`'s outcome, or a rejection with the signal's reason once `graceMs` have passed since it aborted. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const abort = (): void => {
      grace = setTimeout(() => reject(signal.reason), graceMs);
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
      clearTimeout(grace);
    });
  });
}

export interface Orchestrator {
  /** Joins the group with a new consumer, which resumes at its committed offsets, and runs the loop. */
  start(): ConsumeLoop;
}

/** The stage, started by `start` (again after a failure: src/runtime/supervise.ts); its metrics are made once. */
export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  const { runner, logger } = deps;
  // In an outage every payment's workflows fail alike, each retried on its own: a line per payment and
  // attempt (with its stack) was 1,200 lines in 18 s while the runner's thread could not open the store.
  const due = createLogSpells(Date.now);
  const outcomes = new Counter({
    name: 'paypipe_workflows_total',
    help: 'Workflows finished, by workflow and outcome',
    labelNames: ['workflow', 'outcome'],
    registers: [deps.registry],
  });

  /** Adds to `done` only once all have finished: a failed run is run again whole, and would count twice. */
  async function runInOrder(records: readonly LogRecord[], done: WorkflowDone[]): Promise<void> {
    const finished: WorkflowDone[] = [];
    for (const record of records) finished.push(await runner.record(record));
    done.push(...finished);
  }

  /**
   * Runs until it succeeds (workflows are idempotent by workflow id, so a retry repeats nothing done), or
   * until the loop stops: then it gives up with the signal's reason and the batch is delivered again later.
   * A stop waits `stopGraceMs` for the workflows in hand, so that those about to finish are committed, and
   * then gives up: one whose activity the runner retries (the store down) would hold the stop for minutes.
   */
  async function untilDone(records: number, work: () => Promise<void>, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await untilAborted(work(), signal, deps.stopGraceMs ?? STOP_GRACE_MS);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const skipped = due('workflows');
        if (skipped !== null) {
          logger.error(
            { err: error, attempt, records, alsoFailedSinceLastLine: skipped },
            'workflows failed; retrying',
          );
        }
        await sleep(Math.min((deps.retryDelayMs ?? 500) * attempt, 30_000), undefined, { signal }).catch(() => {});
        if (signal.aborted) throw signal.reason;
      }
    }
  }

  /**
   * Runs `records` once the payment's earlier events have finished: batches overlap, and a payment's events
   * of a later batch start only after its events of the earlier ones. `tails` holds the last unfinished run
   * of each payment key.
   */
  function afterTail(
    tails: Tails,
    key: string,
    records: readonly LogRecord[],
    signal: AbortSignal,
    done: WorkflowDone[],
  ): Promise<void> {
    const run = (tails.get(key) ?? Promise.resolve()).then(() =>
      untilDone(records.length, () => runInOrder(records, done), signal),
    );
    tails.set(key, run);
    return run.finally(() => {
      if (tails.get(key) === run) tails.delete(key);
    });
  }

  async function handle(tails: Tails, batch: readonly LogRecord[], signal: AbortSignal): Promise<void> {
    // A payment's records in log order; each dead letter on its own (they are not a payment's).
    const byPayment = new Map<string, LogRecord[]>();
    const letters: LogRecord[] = [];
    for (const record of batch) {
      if (record.topic === PAYMENTS_VALIDATION_DLQ) letters.push(record);
      else {
        const group = byPayment.get(record.key);
        if (group === undefined) byPayment.set(record.key, [record]);
        else group.push(record);
      }
    }
    const done: WorkflowDone[] = [];
    try {
      await Promise.all([
        ...[...byPayment].map(([key, records]) => afterTail(tails, key, records, signal, done)),
        ...letters.map((record) => untilDone(1, () => runInOrder([record], done), signal)),
      ]);
    } finally {
      countLabels(
        outcomes,
        done.map(({ workflow, outcome }) => ({ workflow, outcome })),
      );
    }
  }

  function start(): ConsumeLoop {
    // Tails of this loop only: a failed loop's runs are given up with its signal's reason, which a new loop's
    // runs chained after them would fail with. Its uncommitted records come again to the new loop, and the
    // runner joins a workflow still running under the same id, so a payment's order holds across a restart.
    const tails: Tails = new Map();
    const consumer = deps.log.consumer({
      group: ORCHESTRATOR_GROUP,
      topics: [PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ],
    });
    return runConsumeLoop(consumer, (batch, signal) => handle(tails, batch, signal), {
      inFlight: BATCHES_IN_FLIGHT,
      onLogUnavailable: warnOfLogUnavailable(logger, 'orchestrator'),
    });
  }

  return { start };
}
