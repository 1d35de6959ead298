/**
 * The HTTP adapter of the inference port: the workflows' scoring calls go to the inference service
 * (`INFERENCE_URL`, DESIGN.md §2) instead of running in this process. Connections are kept alive and
 * reused; every call has a timeout. Failures are typed for the orchestrator's retry policy: a service that
 * is down, slow, overloaded, misaddressed or answering garbage is `PAYPIPE_ERR_INFERENCE_UNAVAILABLE`
 * (retryable); a 400, 413 or 422 saying the event itself is bad is `PAYPIPE_ERR_INFERENCE_REJECTED` (not
 * retryable: it would be bad again).
 */
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { PaypipeError } from '../contracts/errors.ts';
import type { UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import { RetryStrategy } from '../contracts/vocabulary.ts';
import type { ChurnScore, FraudScore, Inference, RetryDecision } from './port.ts';

export interface HttpInferenceOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8002 (a path prefix is kept). */
  readonly url: string;
  /** Per call, from sending to the whole answer (default 5 000 ms, well under an activity's 30 s). */
  readonly timeoutMs?: number;
  /** Connections kept open to the service at most (default 64). */
  readonly maxSockets?: number;
  /**
   * A longer answer is cut off and retried (default 64 KiB; an answer is under 1 KiB): the whole answer is
   * held in memory, by the workflows' thread, for as many calls as are in flight.
   */
  readonly maxAnswerBytes?: number;
}

export interface HttpInference extends Inference {
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * What the port promises, checked on every answer: the workflow stores it as it is (SQLite checks no
 * range), so a score of 7, a null one or a strategy named `later` from a service of another version would
 * otherwise be stored as the event's enrichment. Unknown fields are dropped, not refused, so a newer
 * service that answers more still serves.
 */
const Explanation = z.record(z.string(), z.number());
const Probability = z.number().min(0).max(1);
const FraudAnswer = z.object({ score: Probability, model_version: z.string().min(1), explanation: Explanation });
const ChurnAnswer = FraudAnswer;
const RetryAnswer = z.object({
  strategy: RetryStrategy,
  retry_at: z.iso.datetime({ offset: false, precision: 3 }).nullable(),
  model_version: z.string().min(1),
  reason: z.string(),
});

/**
 * The answers that refuse the event itself: it is malformed (400, the service's `invalid_event`), too
 * large (413) or cannot be scored (422), and would be refused again. Any other status is not about the
 * event: a 5xx, 408 or 429 says "not now", and a redirect, 401, 403, 404 or 405 is a wrong INFERENCE_URL
 * or credentials, which every event would get alike; quarantining them all would empty the stream into
 * quarantine instead of waiting for the fix.
 */
const REFUSED = new Set([400, 413, 422]);

export function createHttpInference(options: HttpInferenceOptions): HttpInference {
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  const secure = base.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxAnswerBytes = options.maxAnswerBytes ?? 65_536;
  // An idle connection is dropped here after 60 s, before the service's 72 s (Fastify's keep-alive timeout)
  // would close it under a request just being sent on it.
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: 60_000 };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const send = secure ? https.request : http.request;

  function post<T>(path: string, event: UnifiedPaymentEvent, schema: z.ZodType<T>, kind: string): Promise<T> {
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
          let length = 0;
          response.on('data', (chunk: Buffer) => {
            length += chunk.length;
            if (length > maxAnswerBytes) return unavailable(`the answer is larger than ${maxAnswerBytes} bytes`);
            chunks.push(chunk);
          });
          response.on('error', (error) => unavailable(error.message));
          response.on('close', () => unavailable('the connection closed before the answer was complete'));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status === 200) {
              let answer: unknown;
              try {
                answer = JSON.parse(text);
              } catch {
                return unavailable('the answer is not JSON');
              }
              // Retried as an outage, not blamed on the event: a service answering out of its contract
              // answers so for every event (a version skew, a broken deployment), and quarantining them all
              // would hide it.
              const parsed = schema.safeParse(answer);
              if (parsed.success) return settle(null, parsed.data);
              const where = parsed.error.issues.map(
                (issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`,
              );
              return unavailable(`the answer is not a ${kind} (${where.join('; ')})`);
            }
            const why = `${status} ${text.slice(0, 500)}`;
            if (!REFUSED.has(status)) return unavailable(why);
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
    fraudScore: (event) => post<FraudScore>('fraud/score', event, FraudAnswer, 'FraudScore'),
    retryStrategy: (event) => post<RetryDecision>('retry/strategy', event, RetryAnswer, 'RetryDecision'),
    churnPrediction: (event) => post<ChurnScore>('churn/predict', event, ChurnAnswer, 'ChurnScore'),
    close: () => agent.destroy(),
  };
}
