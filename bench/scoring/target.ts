/**
 * The inference service as a benchmark target (src/inference/service, what `paypipe inference` runs).
 * Usage: target.ts DATABASE_URL — prints {"url": "..."} once listening; SIGTERM stops it.
 */
import { startInferenceServer } from '../../src/inference/service/server.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { stopSignal } from '../shared/child.ts';

const [databaseUrl = 'sqlite:.paypipe/bench/paypipe.db'] = process.argv.slice(2);
const server = await startInferenceServer({ databaseUrl, host: '127.0.0.1', port: 0, logger: createLogger('warn') });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
await stopSignal();
await server.stop();
