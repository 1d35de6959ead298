import { loadConfig } from '../../config/config.ts';
import { startInferenceServer } from '../../inference/service/server.ts';
import { requireExistingStore, storeSettingOf } from '../../runtime/existing-data.ts';
import { createLogger } from '../../runtime/logger.ts';
import { type Command, parseCommandOptions, stopSignal } from '../command.ts';

const usage = `usage: paypipe inference

Runs the inference service on HOST:PAYPIPE_INFERENCE_PORT (default 127.0.0.1:8002): POST /fraud/score,
/retry/strategy and /churn/predict, each taking a UnifiedPaymentEvent as JSON and answering the score with its
model version, plus GET /healthz and /readyz. Customers' histories are read from the store named by
DATABASE_URL, which paypipe up must have created (a sqlite: store that does not exist is refused, not
created empty); the workflows call it when INFERENCE_URL names it. SIGINT or SIGTERM stops accepting, answers
the requests in flight and exits.`;

export const inferenceCommand: Command = {
  usage,
  async run(argv) {
    parseCommandOptions(argv, {}, usage);
    const config = loadConfig();
    requireExistingStore(config);
    const logger = createLogger(config.logLevel);
    const server = await startInferenceServer({
      databaseUrl: config.databaseUrl,
      databaseSetting: storeSettingOf(config),
      host: config.gateway.host,
      port: config.inference.port,
      logger,
    });
    await stopSignal(logger);
    await server.stop();
    return 0;
  },
};
