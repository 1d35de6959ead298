/**
 * The inference service (DESIGN.md §5, `paypipe inference`): the inference port over HTTP. Each scoring
 * route takes a `UnifiedPaymentEvent` as its JSON body and answers exactly what the port answers (the
 * model version included), so the HTTP adapter (`../http.ts`) is a drop-in for in-process scoring.
 * A bad body is a 400 with a stable reason code; a failure behind the port (the store) is a 503 to retry.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { PROVIDER_EXPONENTS } from '../../providers/exponents.ts';
import { createLapsingFailure } from '../../runtime/lapsing-failure.ts';
import type { Inference } from '../port.ts';

/** Stable reason codes of the service's error answers (`{ error, message }`). */
export const INFERENCE_ERRORS = {
  /** 400: the body is not JSON. */
  malformed_json: 400,
  /**
   * 400: JSON, but not a valid `UnifiedPaymentEvent` (`issues` says where), or in a currency its provider's
   * exponent table lacks: no normalizer makes such an event, and its amount could not be read.
   */
  invalid_event: 400,
  /** 400: not HTTP the server can read (framing: Content-Length and Transfer-Encoding, a bad chunk). */
  malformed_request: 400,
  /** 431: headers over Node's limit (16 KiB). */
  headers_too_large: 431,
  /** 408: the request was not received whole within the request timeout; the connection is closed. */
  request_timeout: 408,
  /** 413: over the body limit. */
  body_too_large: 413,
  /** 404: no such route. */
  not_found: 404,
  /** 503: the port failed (e.g. the store is unreachable); retrying can help. */
  unavailable: 503,
} as const;
export type InferenceErrorReason = keyof typeof INFERENCE_ERRORS;

/** Path → the port's method it serves. */
export const INFERENCE_ROUTES = {
  '/fraud/score': 'fraudScore',
  '/retry/strategy': 'retryStrategy',
  '/churn/predict': 'churnPrediction',
} as const satisfies Record<string, keyof Inference>;
export type InferenceRoute = keyof typeof INFERENCE_ROUTES;

export interface InferenceServiceDeps {
  readonly inference: Inference;
  readonly logger: Logger;
  /** Larger bodies are answered 413 (default 64 KiB: an event is well under 4 KiB). */
  readonly bodyLimitBytes?: number;
  /** A request not received whole within this long is answered 408 and its connection closed (default 10 s). */
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
}

/**
 * The HTTP adapter sends an event whole at once and gives up on a call after 5 s: a request still arriving
 * after 10 s is a stalled or hostile client, whose connection would otherwise be held for ever.
 */
const REQUEST_TIMEOUT_MS = 10_000;

/** How long a 503 asks the caller to wait (`Retry-After`), and /readyz to stay unready after a store failure. */
const RETRY_AFTER_SECONDS = 1;

function fail(reply: FastifyReply, reason: InferenceErrorReason, message: string, extra: object = {}) {
  return reply.code(INFERENCE_ERRORS[reason]).send({ error: reason, message, ...extra });
}

/**
 * The contract takes any three capital letters as a currency; the features read an amount with its
 * provider's exponent for it (features/amounts.ts), which a currency outside the provider's table lacks.
 */
function currencyIssue(event: UnifiedPaymentEvent): { path: string; message: string } | undefined {
  if (PROVIDER_EXPONENTS[event.provider].has(event.currency)) return undefined;
  return { path: 'currency', message: `${event.currency} is not a currency ${event.provider} sends amounts in` };
}

/**
 * Requests Node's parser refuses never reach Fastify's routes; Fastify's own answer to them has no reason
 * code of ours, so they are answered here, in the same `{ error, message }` form, and the connection closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const reason: InferenceErrorReason =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'malformed_request';
  const status = INFERENCE_ERRORS[reason];
  const body = JSON.stringify({ error: reason, message: error.code ?? error.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

export function createInferenceService(deps: InferenceServiceDeps) {
  const { inference, logger } = deps;
  const requestTimeoutMs = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Readiness after the store failed a read: back once the 503's Retry-After has passed (lapsing-failure.ts).
  const storeFailure = createLapsingFailure(deps.now ?? Date.now, RETRY_AFTER_SECONDS * 1000);
  let closing = false;
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent) => parent,
    bodyLimit: deps.bodyLimitBytes ?? 65_536,
    clientErrorHandler: answerClientError,
    // Fastify's default is no bound at all: a body sent half-way (or a byte at a time) held its connection
    // for ever. Node answers 408 once a request has taken this long, checking every quarter of it (at most
    // every 5 s); only the value given to the server it creates is enforced, and Fastify's own option is
    // given the same so that it does not put its default of none back (as the gateway does).
    requestTimeout: requestTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(requestTimeoutMs / 4, 5_000) },
  });
  // Any content type is read as text and parsed here, so a body that is not JSON is one 400 with one reason
  // code whatever its headers claim, not Fastify's 415 or its own parse error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', '*'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(reply, 'body_too_large', error.message);
    if (error.statusCode !== undefined && error.statusCode < 500) return fail(reply, 'malformed_json', error.message);
    logger.error({ err: error }, 'inference request failed');
    return fail(reply.header('retry-after', String(RETRY_AFTER_SECONDS)), 'unavailable', 'try again');
  });

  function score(route: InferenceRoute) {
    const method = INFERENCE_ROUTES[route];
    return async (request: FastifyRequest, reply: FastifyReply) => {
      let body: unknown;
      try {
        body = JSON.parse(typeof request.body === 'string' ? request.body : '');
      } catch (error) {
        return fail(reply, 'malformed_json', (error as Error).message);
      }
      const parsed = UnifiedPaymentEvent.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        return fail(reply, 'invalid_event', 'the body is not a valid UnifiedPaymentEvent', { issues });
      }
      const currency = currencyIssue(parsed.data);
      if (currency !== undefined)
        return fail(reply, 'invalid_event', 'the body is not a valid UnifiedPaymentEvent', { issues: [currency] });
      try {
        const answer = await inference[method](parsed.data);
        storeFailure.succeeded();
        return answer;
      } catch (error) {
        storeFailure.failed();
        logger.error({ err: error, route, eventId: parsed.data.event_id }, 'scoring failed');
        return fail(reply.header('retry-after', String(RETRY_AFTER_SECONDS)), 'unavailable', 'scoring failed');
      }
    };
  }
  for (const route of Object.keys(INFERENCE_ROUTES) as InferenceRoute[]) app.post(route, score(route));
  app.setNotFoundHandler((request, reply) => fail(reply, 'not_found', `no route ${request.method} ${request.url}`));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = storeFailure.healthy() && !closing;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : closing ? 'closing' : 'store unavailable' });
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Closing ends only the connections idle at that moment; one busy with a request answered afterwards
  // would be kept alive until its client let it go (the HTTP adapter's after 60 s), holding the stop that
  // long. Its answer closes it instead.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  return app;
}
