/**
 * Every stage of DESIGN.md §1 in one process (`paypipe up`): gateway → event log → normalizer →
 * orchestrator (in-process workflows and scoring, on a worker thread) → store. Each stage talks only to the ports, so
 * the same composition runs on Kafka, PostgreSQL and Temporal once their adapters are configured.
 * Shutdown is the reverse of start: stop accepting, let the stages drain and commit, close the ports.
 */
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Config } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';
import { PROVIDERS } from '../contracts/vocabulary.ts';
import { createGateway } from '../gateway/app.ts';
import { checkEventLogUrl } from '../log/index.ts';
import type { EventLog } from '../log/port.ts';
import { createNormalizer } from '../normalizer/normalizer.ts';
import { createThreadRunner } from '../orchestrator/thread-runner.ts';
import { createOrchestrator } from '../orchestrator/topic-consumer.ts';
import { createProviderRegistry } from '../providers/registry.ts';
import { openEventLog } from './event-log.ts';
import { claimConfiguredLog, storeSettingOf } from './existing-data.ts';
import { registerLagGauge } from './lag-gauge.ts';
import { makeDirectory } from './make-directory.ts';
import { reportProviderReadiness } from './provider-readiness.ts';
import { createRetentionWatch } from './retention-watch.ts';
import { createSupervisor } from './supervise.ts';

/**
 * Workflows in flight at once. The store group-commits its writes, so every workflow waiting for a COMMIT
 * adds to the next batch rather than queueing for its own fsync: more in flight, fewer fsyncs per event.
 */
const WORKFLOW_CONCURRENCY = 256;

export interface Pipeline {
  /** The gateway's base URL, e.g. http://127.0.0.1:8000. */
  readonly url: string;
  /** Stops accepting webhooks, drains every stage, commits and closes. Idempotent. */
  stop(): Promise<void>;
}

export interface PipelineOptions {
  /** The event log to run on instead of the configured one (a test's, made to fail); closed by `stop`. */
  readonly log?: EventLog;
}

export async function startPipeline(config: Config, logger: Logger, options: PipelineOptions = {}): Promise<Pipeline> {
  checkEventLogUrl(config.logUrl);
  if (config.logUrl.startsWith('sqlite:') || config.databaseUrl.startsWith('sqlite:')) {
    try {
      makeDirectory(config.dataDir);
    } catch (error) {
      throw new PaypipeError(
        'PAYPIPE_ERR_CONFIG',
        `PAYPIPE_DATA_DIR: cannot create ${config.dataDir} (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
  const ownership = claimConfiguredLog(config, 'consume');
  const registry = new Registry();
  const providers = createProviderRegistry(config.providers);
  let log: EventLog;
  try {
    log = options.log ?? openEventLog(config, { onRetention: createRetentionWatch({ logger, registry }) });
  } catch (error) {
    ownership.release();
    throw error;
  }
  // Workflows, their store and their scoring run on a thread of their own (thread-runner.ts).
  // A start that fails closes what it opened: the log's writer thread would keep the process alive.
  const runner = await createThreadRunner({
    databaseUrl: config.databaseUrl,
    databaseSetting: storeSettingOf(config),
    concurrency: WORKFLOW_CONCURRENCY,
    inferenceUrl: config.inference.url,
    logLevel: config.logLevel,
  }).catch(async (error: unknown) => {
    await log.close();
    ownership.release();
    throw error;
  });

  registerLagGauge(registry, log);
  // A stage whose loop fails is started again after a pause, and named by /readyz meanwhile (supervise.ts).
  const supervisor = createSupervisor({ logger, registry });
  const orchestrator = supervisor.supervise(
    'orchestrator',
    createOrchestrator({ log, runner, logger, registry }).start,
  );
  const normalizer = supervisor.supervise(
    'normalizer',
    createNormalizer({ log, providers, serve: PROVIDERS, logger, registry }).start,
  );
  const gateway = createGateway({
    providers,
    log,
    config: config.gateway,
    logger,
    registry,
    stagesDown: supervisor.down,
  });

  let stopping: Promise<void> | undefined;
  async function closeAll(): Promise<void> {
    await gateway.close();
    await normalizer.stop();
    await orchestrator.stop();
    await runner.close();
    await log.close();
    ownership.release();
  }
  const { host, port } = config.gateway;
  let url: string;
  try {
    url = await gateway.listen({ host, port });
  } catch (error) {
    // Never said to be up, so not said to stop: the error is what the operator sees.
    await closeAll();
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', `HOST, PORT: cannot listen on ${host}:${port} (${why})`, {
      cause: error,
    });
  }
  reportProviderReadiness(providers, logger);
  logger.info(
    {
      url,
      log: config.logUrl.split(':')[0],
      store: config.databaseUrl.split(':')[0],
      // Never INFERENCE_URL itself: it may carry credentials.
      scoring: config.inference.url === null ? 'in-process' : 'remote',
    },
    'paypipe is up',
  );
  return {
    url,
    stop() {
      stopping ??= closeAll().then(() => logger.info('paypipe stopped'));
      return stopping;
    },
  };
}
