/**
 * The running inference service: the store named by `DATABASE_URL`, the same in-process inference the
 * pipeline scores with, and the HTTP app on a port. What `paypipe inference` starts, and the benchmark and
 * the tests too. Shutdown stops accepting, answers the requests in flight, then closes the store.
 */
import type { Logger } from 'pino';
import { PaypipeError } from '../../contracts/errors.ts';
import { createStore } from '../../storage/create-store.ts';
import { createInProcessInference } from '../in-process.ts';
import type { LoadedModels } from '../models/load.ts';
import { createInferenceService } from './app.ts';

export interface InferenceServerOptions {
  /** The store to read customers' histories from: `sqlite:PATH` or `postgres://…`. */
  readonly databaseUrl: string;
  /** The variable that named it, for the error when it cannot open (default DATABASE_URL). */
  readonly databaseSetting?: string;
  readonly host: string;
  /** 0 picks a free port (tests, benchmarks). */
  readonly port: number;
  readonly logger: Logger;
  /** The models to score with (default: the committed `models/`). */
  readonly models?: LoadedModels;
}

export interface InferenceServer {
  /** The base URL, e.g. http://127.0.0.1:8002: what `INFERENCE_URL` names. */
  readonly url: string;
  /** Stops accepting, finishes the requests in flight, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the service; a port it cannot listen on is PAYPIPE_ERR_CONFIG naming HOST and PAYPIPE_INFERENCE_PORT. */
export async function startInferenceServer(options: InferenceServerOptions): Promise<InferenceServer> {
  const store = await createStore(options.databaseUrl, options.databaseSetting);
  const inference = createInProcessInference({
    history: store,
    ...(options.models === undefined ? {} : { models: options.models }),
  });
  const app = createInferenceService({ inference, logger: options.logger });
  let url: string;
  try {
    url = await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await store.close();
    // An operator's mistake (a port taken, a HOST not on this machine), said as `paypipe up` says it.
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const where = `${options.host}:${options.port}`;
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', `HOST, PAYPIPE_INFERENCE_PORT: cannot listen on ${where} (${why})`, {
      cause: error,
    });
  }
  options.logger.info({ url, store: options.databaseUrl.split(':')[0] }, 'inference service is up');
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        await app.close();
        await store.close();
        options.logger.info('inference service stopped');
      })();
      return stopping;
    },
  };
}
