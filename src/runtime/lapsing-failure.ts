/**
 * Readiness after a dependency failed (the event log for the gateway, the store for the inference
 * service). Unready until a request through it succeeded would never end behind a load balancer that stops
 * sending requests to an unready instance: nothing would try the dependency again. So a failure makes the
 * instance unready for as long as its 503 told the client to wait (`Retry-After`), then ready to be tried
 * again; the next failure starts the wait over, and a success ends it.
 */
export interface LapsingFailure {
  failed(): void;
  succeeded(): void;
  /** False for `waitMs` after the last failure, unless a success came since. */
  healthy(): boolean;
}

export function createLapsingFailure(now: () => number, waitMs: number): LapsingFailure {
  let failedAt: number | undefined;
  return {
    failed() {
      failedAt = now();
    },
    succeeded() {
      failedAt = undefined;
    },
    healthy: () => failedAt === undefined || now() - failedAt >= waitMs,
  };
}
