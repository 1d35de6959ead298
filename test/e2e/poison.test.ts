/**
 * A poison event through the whole pipeline: the inference service refuses every Adyen event (a 422, as
 * for an event it cannot score). Those events must end quarantined as `processing_failed`, and every other
 * event, before and after them in the log, stored: one bad event never holds up the rest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { readTables } from '../helpers/e2e-store.ts';
import { runFixturesThroughService } from '../helpers/inference-pipeline.ts';

test('events the inference service refuses are quarantined as processing_failed; the others are stored', async (t) => {
  let refused = 0;
  const path = await runFixturesThroughService(t, (service) => {
    service.addHook('preHandler', async (request, reply) => {
      if (JSON.parse(String(request.body)).provider !== 'adyen') return;
      refused++;
      return reply.code(422).send({ error: 'unscorable', message: 'refused by the test' });
    });
  });

  const { events, quarantine } = readTables(path);
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
