/**
 * The HTTP adapter of the inference port: the workflows' scoring calls go to the inference service
 * (`INFERENCE_URL`, DESIGN.md §2) instead of running in this process. Connections are kept alive and
 * reused; every call has a timeout. Failures are typed for the orchestrator's retry policy: a service that
 * is down, slow, overloaded or answering garbage is `PAYPIPE_ERR_INFERENCE_UNAVAILABLE` (retryable); a 4xx
 * saying the event itself is bad is `PAYPIPE_ERR_INFERENCE_REJECTED` (not retryable: it would be bad again).
 */
import http from 'node:http';
import https from 'node:https';
import { PaypipeError } from '../contracts/errors.ts';
import type { UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import type { Inference } from './port.ts';

export interface HttpInferenceOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8002 (a path prefix is kept). */
  readonly url: string;
  /** Per call, from sending to the whole answer (default 5 000 ms, well under an activity's 30 s). */
  readonly timeoutMs?: number;
  /** Connections kept open to the service at most (default 64). */
  readonly maxSockets?: number;
}

export interface HttpInference extends Inference {
  /** Closes the kept-alive connections. */
  close(): void;
}

/** 408 and 429 say "not now", like a 5xx; any other 4xx is about the request itself. */
const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

export function createHttpInference(options: HttpInferenceOptions): HttpInference {
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  const secure = base.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 5_000;
  // An idle connection is dropped here after 60 s, before the service's 72 s (Fastify's keep-alive timeout)
  // would close it under a request just being sent on it.
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: 60_000 };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const send = secure ? https.request : http.request;

  function post<T>(path: string, event: UnifiedPaymentEvent): Promise<T> {
    const target = new URL(path, base);
    const body = JSON.stringify(event);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const unavailable = (why: string) =>
        settle(new PaypipeError('PAYPIPE_ERR_INFERENCE_UNAVAILABLE', `${path}: ${why}`));
      function settle(error: Error | null, value?: T): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(value as T);
      }
      const request = send(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => unavailable(error.message));
          response.on('close', () => unavailable('the connection closed before the answer was complete'));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status === 200) {
              try {
                return settle(null, JSON.parse(text) as T);
              } catch {
                return unavailable('the answer is not JSON');
              }
            }
            const why = `${status} ${text.slice(0, 500)}`;
            if (retryableStatus(status)) return unavailable(why);
            settle(new PaypipeError('PAYPIPE_ERR_INFERENCE_REJECTED', `${path}: ${why}`));
          });
        },
      );
      const timer = setTimeout(() => unavailable(`no answer within ${timeoutMs} ms`), timeoutMs);
      request.on('error', (error) => unavailable(error.message));
      request.end(body);
    });
  }

  return {
    fraudScore: (event) => post('fraud/score', event),
    retryStrategy: (event) => post('retry/strategy', event),
    churnPrediction: (event) => post('churn/predict', event),
    close: () => agent.destroy(),
  };
}
