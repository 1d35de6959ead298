/**
 * The pipeline scoring through a real inference service (INFERENCE_URL) over the same SQLite store, fed
 * every payment fixture of every provider, SDK-signed, and drained. `configure` sees the service before it
 * listens (to record or refuse requests with a hook).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { createInProcessInference } from '../../src/inference/in-process.ts';
import { createInferenceService } from '../../src/inference/service/app.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { FIXTURES } from '../../src/simulator/fixtures.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { dataFolder, startE2ePipeline } from './e2e-pipeline.ts';
import { post, sdkSign } from './sdk-signers.ts';

/** Resolves with the store's file once every fixture went through and every stage has drained. */
export async function runFixturesThroughService(
  t: TestContext,
  configure: (service: ReturnType<typeof createInferenceService>) => void,
): Promise<string> {
  const dir = dataFolder(t);
  const path = join(dir, 'paypipe.db');
  const store = await createStore(`sqlite:${path}`);
  t.after(() => store.close());
  const service = createInferenceService({
    inference: createInProcessInference({ history: store }),
    logger: createLogger('silent'),
  });
  configure(service);
  const url = await service.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => service.close());

  const pipeline = await startE2ePipeline(t, { DATABASE_URL: `sqlite:${path}`, INFERENCE_URL: url });
  for (const provider of PROVIDERS) {
    for (const fixture of FIXTURES[provider]) {
      const answer = await post(pipeline.url, provider, sdkSign(provider, fixture.payload));
      assert.equal(answer.status, 200, `${provider} ${fixture.name}: ${answer.text}`);
    }
  }
  await pipeline.observer.drained();
  return path;
}
