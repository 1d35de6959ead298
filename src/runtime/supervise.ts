/**
 * Keeps the consuming stages of `paypipe up` (the normalizer, the orchestrator's consumer) running. A
 * consume loop waits out the log's own unavailability (src/log/retry.ts) and fails on anything else: a bug,
 * a log closed under it. Unobserved, that rejection ended the process, gateway and all; yet no record was
 * lost, since offsets are committed only once a batch's outputs are durable. Supervised, a failure is logged
 * once and counted, /readyz names the stage while it is down (still 200: the gateway keeps taking webhooks in), and the stage is started again after a pause:
 * a new consumer of its group, which resumes at the committed offsets, so what the failed loop had not
 * committed is delivered again. The pause doubles while the stage keeps failing, so a failure that recurs
 * at every start (a record the stage cannot get past) does not spin, and starts over once a run has lasted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { isPaypipeError } from '../contracts/errors.ts';
import type { ConsumeLoop } from '../log/consume-loop.ts';

export interface SupervisorOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  /** The pause after a first failure (default 1 s), doubled at each failure in a row. */
  readonly firstPauseMs?: number;
  /** The longest pause (default 30 s). */
  readonly maxPauseMs?: number;
  /** A run that lasted this long before it failed counts as a first failure again (default 60 s). */
  readonly healthyAfterMs?: number;
}

export interface SupervisedStage {
  /** Stops the stage's loop (ConsumeLoop.stop), or ends the pause before its restart at once. Never rejects. */
  stop(): Promise<void>;
}

export interface Supervisor {
  /** Runs `start()`'s loop as the stage named `stage`, started again after each failure, until `stop`. */
  supervise(stage: string, start: () => ConsumeLoop): SupervisedStage;
  /** The stages that failed and wait to be started again: what /readyz names. */
  down(): readonly string[];
}

/** What an operator can alert on: the error's own code when it has one, `unexpected` for anything else (a bug). */
const codeOf = (error: unknown): string => (isPaypipeError(error) ? error.code : 'unexpected');

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  const firstPauseMs = options.firstPauseMs ?? 1_000;
  const maxPauseMs = options.maxPauseMs ?? 30_000;
  const healthyAfterMs = options.healthyAfterMs ?? 60_000;
  const failures = new Counter({
    name: 'paypipe_stage_failures_total',
    help: 'Consuming stages failed on anything but the event log being unavailable, each started again after a pause',
    labelNames: ['stage'],
    registers: [options.registry],
  });
  const down = new Set<string>();

  function supervise(stage: string, start: () => ConsumeLoop): SupervisedStage {
    const stopping = new AbortController();
    let loop: ConsumeLoop | undefined;
    let inARow = 0;

    async function run(): Promise<void> {
      while (!stopping.signal.aborted) {
        const startedAt = Date.now();
        try {
          loop = start();
          await loop.done;
          return;
        } catch (error) {
          loop = undefined;
          if (stopping.signal.aborted) {
            // Stopping during a log outage, say: what the loop had not committed is delivered at the next start.
            logger.error({ err: error, stage, code: codeOf(error) }, 'stage failed while stopping');
            return;
          }
          inARow = Date.now() - startedAt >= healthyAfterMs ? 1 : inARow + 1;
          const pauseMs = Math.min(firstPauseMs * 2 ** (inARow - 1), maxPauseMs);
          failures.inc({ stage });
          down.add(stage);
          logger.error(
            { err: error, stage, code: codeOf(error), pauseMs },
            'stage failed; starting it again after a pause',
          );
          await sleep(pauseMs, undefined, { signal: stopping.signal }).catch(() => {});
          down.delete(stage);
        }
      }
    }

    const running = run();
    return {
      async stop() {
        stopping.abort();
        // A failure while stopping is the run's to log; the stop itself goes on, so the rest can shut down.
        await loop?.stop().catch(() => {});
        await running;
      },
    };
  }

  return { supervise, down: () => [...down] };
}
