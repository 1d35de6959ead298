/**
 * The servers the gateway benchmark compares, one per process: `bare`, a `node:http` server that reads
 * the whole body and answers 200 (the floor any HTTP receiver pays); `fastify`, a Fastify route that reads
 * the raw body and answers 200 the way the gateway answers (the framework's own share of the gap); and
 * `minimal`, the yardstick: the least a verifying, durably logging receiver does (one HMAC of the
 * body, the bytes group-committed to SQLite on a writer thread, answered after the fsync); and `gateway`,
 * the real gateway (src/gateway/app.ts) verifying every signature and appending to a real SQLite log on disk.
 * Every server also answers `GET /bench/cpu` with its CPU time by thread (cpu.ts), read before and after a load;
 * the gateway's group-commit statistics start at the first reading, after the warm-up.
 * Usage: target.ts bare|fastify|minimal|gateway DATA_DIR — prints {"port": N} once listening.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { createGateway } from '../../src/gateway/app.ts';
import { createSqliteEventLog, type FlushInfo } from '../../src/log/sqlite.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { percentile } from '../../src/simulator/summary.ts';
import { type Listening, listen, startCommitter } from '../minimal/receiver.ts';
import { stopSignal } from '../shared/child.ts';
import { BENCH_SECRETS, benchConfig } from '../shared/config.ts';
import { CPU_PATH, readThreadCpu } from './cpu.ts';

function bare(): Promise<Listening> {
  return listen((body, _request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ received: true, bytes: body.length }));
  });
}

/**
 * The least a receiver does that verifies and durably logs each webhook before answering: the yardstick of
 * issue 3 ("a minimal verify + group-commit prototype reaches about 80%"). One HMAC-SHA256 of the body
 * with a key imported once (no provider's header format, no routing), the receive time and the digest
 * prepended to the body, every request of a turn in one transaction on a writer thread (the same batching
 * as the log: src/runtime/group-commit.ts), the answer sent after its COMMIT. What the gateway costs beyond
 * this is the four providers' real schemes, routing, the raw record, partitions and offsets, Fastify and
 * metrics.
 */
async function minimal(dataDir: string): Promise<Listening> {
  const key = createSecretKey(Buffer.from(BENCH_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS));
  const committer = startCommitter({
    path: join(dataDir, 'minimal.db'),
    schema: 'CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, value BLOB NOT NULL) STRICT',
    insert: 'INSERT INTO raw (value) VALUES (?)',
  });
  const server = await listen((body, _request, response) => {
    const digest = createHmac('sha256', key).update(body).digest('hex');
    const value = Buffer.concat([Buffer.from(`${new Date().toISOString()} ${digest}\n`), body]);
    committer.write([[value]], (error) =>
      error
        ? response.writeHead(503).end()
        : response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
    );
  });
  return {
    port: server.port,
    async close() {
      await server.close();
      await committer.close();
    },
  };
}

/** Fastify with nothing behind it: the raw body as a Buffer, a pre-serialized JSON answer. */
async function bareFastify(): Promise<Listening> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/webhooks/:provider', async (request, reply) => {
    const bytes = Buffer.isBuffer(request.body) ? request.body.length : 0;
    return reply.type('application/json').send(`{"received":true,"bytes":${bytes}}`);
  });
  app.get(CPU_PATH, async () => readThreadCpu());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { port: Number(new URL(url).port), close: () => app.close() };
}

/**
 * Group commits of the run: how many requests each carried and how long each took (its fsync included).
 * `restart` forgets those so far: the harness's first CPU reading comes after the warm-up.
 */
function flushStats() {
  let flushes: FlushInfo[] = [];
  return {
    onFlush: (info: FlushInfo) => flushes.push(info),
    restart() {
      flushes = [];
    },
    summary() {
      const durations = flushes.map((flush) => flush.durationMs).sort((a, b) => a - b);
      const records = flushes.reduce((sum, flush) => sum + flush.records, 0);
      return {
        commits: flushes.length,
        recordsPerCommit: flushes.length > 0 ? records / flushes.length : 0,
        commitMs: { p50: percentile(durations, 50), p99: percentile(durations, 99), max: durations.at(-1) ?? 0 },
      };
    },
  };
}

async function gateway(dataDir: string): Promise<Listening> {
  const config = benchConfig(dataDir);
  const stats = flushStats();
  const log = createSqliteEventLog(join(dataDir, 'log.db'), { onFlush: stats.onFlush });
  const app = createGateway({
    providers: createProviderRegistry(config.providers),
    log,
    config: config.gateway,
    logger: createLogger('warn'),
    registry: new Registry(),
  });
  // The first reading starts the measured run (cpu.ts): the commits printed on exit are that run's alone.
  let measuring = false;
  app.get(CPU_PATH, async () => {
    if (!measuring) stats.restart();
    measuring = true;
    return readThreadCpu();
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    port: Number(new URL(url).port),
    async close() {
      await app.close();
      await log.close();
      process.stdout.write(`${JSON.stringify({ groupCommits: stats.summary() })}\n`);
    },
  };
}

const [kind, dataDir = '.paypipe/bench'] = process.argv.slice(2);
const targets = { bare, fastify: bareFastify, minimal, gateway };
if (!Object.hasOwn(targets, kind ?? '')) throw new Error(`target.ts: unknown server ${JSON.stringify(kind)}`);
const server = await targets[kind as keyof typeof targets](dataDir);
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
await stopSignal();
await server.close();
