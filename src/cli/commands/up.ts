import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../runtime/logger.ts';
import { startPipeline } from '../../runtime/pipeline.ts';
import { type Command, parseCommandOptions, stopSignal } from '../command.ts';

const usage = `usage: paypipe up

Runs every stage in one process on the configured backends (see .env.example): the gateway on HOST:PORT
(default 127.0.0.1:8000), the event log, the normalizers, the workflows, scoring and the store. A stage that
fails is logged, named by GET /readyz (stagesDown, still 200) and started again after a pause; webhooks are still accepted meanwhile.
SIGINT or SIGTERM stops accepting webhooks, drains the stages, commits and exits. One per event log: a second
paypipe up on the same log is refused at start.`;

export const upCommand: Command = {
  usage,
  async run(argv) {
    parseCommandOptions(argv, {}, usage);
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const pipeline = await startPipeline(config, logger);
    await stopSignal(logger);
    await pipeline.stop();
    return 0;
  },
};
