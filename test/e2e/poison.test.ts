/**
 * A poison event through the whole pipeline: the inference service refuses every Adyen event (a 422, as
 * for an event it cannot score). Those events must end quarantined as `processing_failed`, and every other
 * event, before and after them in the log, stored: one bad event never holds up the rest.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { createInProcessInference } from '../../src/inference/in-process.ts';
import { createInferenceService } from '../../src/inference/service/app.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { FIXTURES } from '../../src/simulator/fixtures.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { dataFolder, startE2ePipeline } from '../helpers/e2e-pipeline.ts';
import { readTables } from '../helpers/e2e-store.ts';
import { post, sdkSign } from '../helpers/sdk-signers.ts';

test('events the inference service refuses are quarantined as processing_failed; the others are stored', async (t) => {
  const dir = dataFolder(t);
  const databaseUrl = `sqlite:${join(dir, 'paypipe.db')}`;
  const store = await createStore(databaseUrl);
  t.after(() => store.close());
  const app = createInferenceService({
    inference: createInProcessInference({ history: store }),
    logger: createLogger('silent'),
  });
  let refused = 0;
  app.addHook('preHandler', async (request, reply) => {
    if (JSON.parse(String(request.body)).provider !== 'adyen') return;
    refused++;
    return reply.code(422).send({ error: 'unscorable', message: 'refused by the test' });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());

  const pipeline = await startE2ePipeline(t, { DATABASE_URL: databaseUrl, INFERENCE_URL: url });
  for (const provider of PROVIDERS) {
    for (const fixture of FIXTURES[provider]) {
      const answer = await post(pipeline.url, provider, sdkSign(provider, fixture.payload));
      assert.equal(answer.status, 200, `${provider} ${fixture.name}: ${answer.text}`);
    }
  }
  await pipeline.observer.drained();

  const { events, quarantine } = readTables(join(dir, 'paypipe.db'));
  const poisoned = quarantine.filter((row) => row.reasons[0]?.code === 'processing_failed');
  assert.ok(refused > 0 && poisoned.length > 0, 'some Adyen events were refused and quarantined');
  assert.ok(poisoned.every((row) => row.provider === 'adyen' && row.stage === 'orchestrator' && row.event_id !== null));
  assert.match(poisoned[0]?.reasons[0]?.message ?? '', /PAYPIPE_ERR_INFERENCE_REJECTED|422/);
  assert.ok(!events.some((event) => event.provider === 'adyen'), 'no refused event was stored');
  for (const provider of PROVIDERS.filter((name) => name !== 'adyen')) {
    assert.ok(
      events.some((event) => event.provider === provider),
      `${provider} events sent after the poison ones are stored`,
    );
  }
});
