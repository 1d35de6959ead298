/**
 * The gateway (DESIGN.md §5): raw bytes → verify → durable append → acknowledge. A 2xx is sent only after
 * the raw record is durably in the event log; when the log cannot take it, 503 so the provider retries.
 */
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from '../config/config.ts';
import { type RawRecord, rawRecordBytes } from '../contracts/raw-record.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';
import type { EventLog } from '../log/port.ts';
import type { Provider } from '../providers/provider.ts';
import { isProviderName, type ProviderRegistry } from '../providers/registry.ts';
import { createLapsingFailure } from '../runtime/lapsing-failure.ts';
import { createLogSpells } from '../runtime/log-spells.ts';
import { createDeadLetterWriter } from './dead-letters.ts';
import { createIsoTime } from './iso-time.ts';
import { createGatewayMetrics, type WebhookOutcome } from './metrics.ts';
import { createRecordIds } from './record-id.ts';

export interface GatewayDeps {
  readonly providers: ProviderRegistry;
  readonly log: EventLog;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The stages of this process that failed and wait to be started again (src/runtime/supervise.ts). */
  readonly stagesDown?: () => readonly string[];
  /** Serve only these providers (a per-provider gateway process); all by default. */
  readonly serve?: readonly ProviderName[];
  readonly now?: () => number;
}

/** Headers every raw record keeps besides the provider's signature headers. */
const KEPT_HEADERS = ['content-type', 'user-agent'];

/**
 * The request's headers as strings. Node joins a repeated header into one string, except `set-cookie`, the
 * one it keeps as an array (IncomingMessage.headers): only then is a copy made, with that array joined.
 */
function flatHeaders(request: FastifyRequest): Readonly<Record<string, string | undefined>> {
  const given = request.headers;
  if (given['set-cookie'] === undefined) return given as Record<string, string | undefined>;
  const headers: Record<string, string> = {};
  for (const name in given) {
    const value = given[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Answers JSON made by the caller: Fastify's serializer would only run JSON.stringify on the same object. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** How long a 503 asks the provider to wait (`Retry-After`), and /readyz to stay unready after it. */
const RETRY_AFTER_SECONDS = 5;

/** The headers a raw record keeps (`names`): enough to verify it again, credentials only as digests. */
function keptHeaders(
  provider: Provider,
  names: readonly string[],
  headers: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  return provider.storedHeaders?.(kept) ?? kept;
}

export function createGateway(deps: GatewayDeps) {
  const { log, logger, config } = deps;
  const now = deps.now ?? Date.now;
  const recordId = createRecordIds(now);
  const isoTime = createIsoTime();
  const served = new Set<string>(deps.serve ?? Object.keys(deps.providers));
  const keptNames = new Map<Provider, readonly string[]>(
    Object.values(deps.providers).map((provider) => [provider, [...KEPT_HEADERS, ...provider.signatureHeaders]]),
  );
  const metrics = createGatewayMetrics(deps.registry);
  const deadLetters = createDeadLetterWriter({
    log,
    ratePerSecond: config.deadLetterRatePerSecond,
    metrics,
    now,
    onError: (error) => logger.error({ err: error }, 'dead letter not written'),
  });
  // Readiness after the log refused an append: back once the 503's Retry-After has passed (lapsing-failure.ts).
  const logFailure = createLapsingFailure(now, RETRY_AFTER_SECONDS * 1000);
  // A full disk refuses every webhook: one line per provider per spell, not one (with its stack) per request.
  const refusalLineDue = createLogSpells(now);
  let closing = false;

  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request child logger: requests are not logged, and the errors logged name the provider and
    // record. A pino child with redaction cost ~3% of the gateway's time, made for every request.
    childLoggerFactory: (logger) => logger,
    bodyLimit: config.bodyLimitBytes,
    // Fastify's default is no timeout at all: a body left half-sent would hold its connection forever.
    // A client that sends half a body and then nothing is cut off (slowloris). Providers send a whole body
    // at once and wait 10-30 s for the answer, so only a stalled client hits it.
    connectionTimeout: config.idleTimeoutMs,
    // A client that trickles its body, a byte now and then, is never idle: without a bound on the whole
    // request (Fastify's default is none) it held its connection for as long as it kept dripping. Node
    // answers 408 and closes once a request has taken this long, checking its connections every quarter
    // of it (at most every 5 s), so a trickler is cut within 1.25 times the timeout. Node enforces only
    // the timeout given to createServer (`http`); Fastify's own option, set on the server afterwards, is
    // given the same value so that it does not put its default of none back.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(config.requestTimeoutMs / 4, 5_000),
    },
  });
  // Signatures are computed over the exact bytes received: no body parser may touch them.
  app.removeAllContentTypeParsers();
  const rawBody = (_request: FastifyRequest, body: Buffer | string, done: (error: null, body: unknown) => void) =>
    done(null, body);
  // The providers' own types too: Fastify caches the parser of a content type it matched by name, while a
  // request that falls through to the catch-all has its content-type header parsed again every time.
  for (const type of ['application/json', 'application/x-www-form-urlencoded', '*']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, rawBody);
  }

  // The path's provider name is the sender's text: any name but the four shares one label, or forged paths
  // would each add a time series to the registry, without bound.
  const count = (provider: string, outcome: WebhookOutcome) =>
    metrics.webhooks.inc({ provider: isProviderName(provider) ? provider : 'unknown', outcome });
  const lookup = (name: string): Provider | undefined =>
    isProviderName(name) && served.has(name) ? deps.providers[name] : undefined;

  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    const provider = (request.params as { provider?: string } | undefined)?.provider ?? 'unknown';
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      count(provider, 'too_large');
      return reply.code(413).send({ error: 'body_too_large', message: `body over ${config.bodyLimitBytes} bytes` });
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      count(provider, 'malformed');
      return reply.code(400).send({ error: 'malformed_request', message: error.message });
    }
    logger.error({ err: error }, 'gateway request failed');
    return reply.code(503).header('retry-after', '5').send({ error: 'unavailable', message: 'try again' });
  });

  async function receive(request: FastifyRequest<{ Params: { provider: string } }>, reply: FastifyReply) {
    const started = now();
    const provider = lookup(request.params.provider);
    if (!provider) {
      count(request.params.provider, 'unknown_provider');
      return reply.code(404).send({ error: 'unknown_provider', message: `no provider "${request.params.provider}"` });
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const headers = flatHeaders(request);
    const receivedAt = new Date(started);
    const record: RawRecord = {
      id: recordId(),
      provider: provider.name,
      received_at: isoTime(started),
      headers: keptHeaders(provider, keptNames.get(provider) ?? KEPT_HEADERS, headers),
      body,
    };
    const verification = provider.verify({ body, headers, receivedAt, explain: false });
    if (!verification.ok) {
      await deadLetters.writeLimited(record, verification.reason, verification.message);
      count(provider.name, 'rejected');
      const status = verification.reason === 'malformed_body' ? 400 : 401;
      return reply.code(status).send({ error: verification.reason, message: verification.message });
    }
    const route = provider.route(body);
    try {
      if (route.ok) {
        await log.append(route.topic, [{ key: route.partitionKey, value: rawRecordBytes(record) }]);
      } else {
        await deadLetters.write(record, 'unroutable', route.message);
      }
      logFailure.succeeded();
    } catch (error) {
      logFailure.failed();
      count(provider.name, 'unavailable');
      const skipped = refusalLineDue(provider.name);
      if (skipped !== null) {
        logger.error(
          { err: error, provider: provider.name, recordId: record.id, alsoRefusedSinceLastLine: skipped },
          'event log refused the webhook',
        );
      }
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'unavailable', message: 'event log unavailable' });
    }
    count(provider.name, route.ok ? 'accepted' : 'dead_lettered');
    metrics.duration.observe({ provider: provider.name }, (now() - started) / 1000);
    if (provider.name === 'adyen') return reply.code(200).type('text/plain').send('[accepted]');
    return reply.code(200).type(JSON_TYPE).send(`{"received":true,"id":"${record.id}"}`);
  }

  app.post('/webhooks/:provider', receive);
  app.post('/webhooks/:provider/*', receive);

  async function answerChallenge(request: FastifyRequest, reply: FastifyReply) {
    const challenge = (request.query as Record<string, unknown>).bt_challenge;
    const answer =
      typeof challenge === 'string' && lookup('braintree')
        ? deps.providers.braintree.answerChallenge?.(challenge)
        : undefined;
    if (answer === undefined)
      return reply.code(400).send({ error: 'malformed_request', message: 'bt_challenge expected' });
    return reply.type('text/plain').send(answer);
  }

  // Braintree checks a destination URL with this GET before it posts there: the same paths as the POSTs.
  app.get('/webhooks/braintree', answerChallenge);
  app.get('/webhooks/braintree/*', answerChallenge);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (closing) return reply.code(503).send({ status: 'closing' });
    if (!logFailure.healthy()) return reply.code(503).send({ status: 'event log unavailable' });
    // Readiness is intake: a stage waiting to be started again takes up the webhooks accepted meanwhile, so
    // the gateway stays in a load balancer's rotation (503 would only turn them into providers' retries).
    const stagesDown = deps.stagesDown?.() ?? [];
    return reply.code(200).send(stagesDown.length > 0 ? { status: 'ready', stagesDown } : { status: 'ready' });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
  app.addHook('onClose', async () => {
    closing = true;
  });
  return app;
}
