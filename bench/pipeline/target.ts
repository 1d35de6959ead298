/**
 * The whole one-process pipeline (src/runtime/pipeline.ts, what `paypipe up` runs) as a benchmark target:
 * SQLite log and SQLite store under DATA_DIR (or the store at DATABASE_URL when given), the gateway on a
 * free port.
 * Usage: target.ts DATA_DIR [DATABASE_URL] — prints {"url": "..."} once listening; SIGTERM prints {"cpuMs": {thread: ms}},
 * the CPU each thread spent between the two lines (threads.ts), then drains and stops it.
 */
import { createLogger } from '../../src/runtime/logger.ts';
import { startPipeline } from '../../src/runtime/pipeline.ts';
import { stopSignal } from '../shared/child.ts';
import { benchConfig } from '../shared/config.ts';
import { cpuSince, sampleThreads } from './threads.ts';

const [dataDir = '.paypipe/bench', databaseUrl] = process.argv.slice(2);
const pipeline = await startPipeline(benchConfig(dataDir, databaseUrl), createLogger('warn'));
const ready = sampleThreads();
process.stdout.write(`${JSON.stringify({ url: pipeline.url })}\n`);
await stopSignal();
process.stdout.write(`${JSON.stringify({ cpuMs: cpuSince(ready) })}\n`);
await pipeline.stop();
