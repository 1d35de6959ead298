/**
 * Sends planned deliveries over HTTP at their scheduled times, with at most `concurrency` requests in
 * flight, over keep-alive connections (Node's fetch pools them per origin). When the receiver is slower
 * than the rate, sending waits for a free slot: the schedule slips rather than the number of open requests
 * growing without bound.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderName } from '../contracts/vocabulary.ts';
import type { DeliveryKind, PlannedDelivery } from './plan.ts';
import type { PreparedRequest } from './requests.ts';

export interface DeliveryResult {
  readonly seq: number;
  readonly provider: ProviderName;
  readonly name: string;
  readonly kind: DeliveryKind;
  readonly forged: boolean;
  readonly outOfOrder: boolean;
  readonly paymentRef: string;
  /** The HTTP status received; 0 when no answer came (connection refused, reset, timeout). */
  readonly status: number;
  /** Why no answer came. */
  readonly error: string | null;
  /** From the start of the request to the end of the answer's body. */
  readonly latencyMs: number;
  /** The unified event ids the pipeline must store once this delivery is acknowledged (2xx). */
  readonly eventIds: readonly string[];
}

export interface SendOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8000. */
  readonly target: string;
  readonly concurrency: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onResult?: (result: DeliveryResult) => void;
}

async function deliver(
  planned: PlannedDelivery,
  request: PreparedRequest,
  options: SendOptions,
): Promise<DeliveryResult> {
  const started = performance.now();
  let status = 0;
  let error: string | null = null;
  try {
    const response = await fetch(new URL(request.path, options.target), {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Reading the body to its end returns the connection to the keep-alive pool.
    await response.arrayBuffer();
    status = response.status;
  } catch (cause) {
    const reason = (cause as Error & { cause?: { code?: string } }).cause?.code;
    error = reason ?? (cause as Error).name;
  }
  return {
    seq: planned.seq,
    provider: planned.provider,
    name: planned.name,
    kind: planned.kind,
    forged: planned.kind === 'forgery',
    outOfOrder: planned.outOfOrder,
    paymentRef: planned.paymentRef,
    status,
    error,
    latencyMs: performance.now() - started,
    eventIds: request.eventIds,
  };
}

/** Sends every delivery (each at `sendAt` after the start); resolves to the results in delivery order. */
export async function sendDeliveries(
  deliveries: Iterable<PlannedDelivery>,
  prepare: (planned: PlannedDelivery) => PreparedRequest,
  options: SendOptions,
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (const planned of deliveries) {
    if (options.signal?.aborted) break;
    const wait = start + planned.sendAt - performance.now();
    // Timers are coarse (about 1 ms): at high rates, requests due within 2 ms go out together.
    if (wait > 2) await sleep(wait);
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    const task = deliver(planned, prepare(planned), options).then((result) => {
      results[result.seq] = result;
      options.onResult?.(result);
      inFlight.delete(task);
    });
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  // A stop signal can leave gaps: keep the results dense and in order.
  return results.filter((result) => result !== undefined);
}
