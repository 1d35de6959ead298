/**
 * The whole one-process pipeline (src/runtime/pipeline.ts, what `paypipe up` runs) as a benchmark target:
 * SQLite log and SQLite store under DATA_DIR, the gateway on a free port.
 * Usage: target.ts DATA_DIR — prints {"url": "..."} once listening; SIGTERM drains and stops it.
 */
import { createLogger } from '../../src/runtime/logger.ts';
import { startPipeline } from '../../src/runtime/pipeline.ts';
import { stopSignal } from '../shared/child.ts';
import { benchConfig } from '../shared/config.ts';

const [dataDir = '.paypipe/bench'] = process.argv.slice(2);
const pipeline = await startPipeline(benchConfig(dataDir), createLogger('warn'));
process.stdout.write(`${JSON.stringify({ url: pipeline.url })}\n`);
await stopSignal();
await pipeline.stop();
