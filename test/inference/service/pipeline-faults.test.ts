/**
 * The pipeline with INFERENCE_URL set while the inference service misbehaves, then recovers: it drops
 * connections mid-answer, answers 404 and 401 (a wrong path, refused credentials) and answers out of its
 * contract. None of that is the events' fault: every event it was asked about must end stored exactly once
 * with valid scores once it answers right again, none quarantined for it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RETRY_STRATEGIES } from '../../../src/contracts/vocabulary.ts';
import { readTables } from '../../helpers/e2e-store.ts';
import { runFixturesThroughService } from '../../helpers/inference-pipeline.ts';

/**
 * Faulty answers before the service recovers. The workflows retry after 1 s, 2 s, 4 s…, and the first
 * few events hold the ones behind them (commits follow log order), so each fault more slows the test.
 */
const FAULTY_ANSWERS = 12;

test('a service that fails in every way but refusing the event delays events, never loses, doubles or quarantines them', async (t) => {
  const asked = new Set<string>();
  let faults = 0;
  const path = await runFixturesThroughService(t, (service) => {
    service.addHook('preHandler', async (request, reply) => {
      asked.add(JSON.parse(String(request.body)).event_id);
      if (faults >= FAULTY_ANSWERS) return;
      switch (faults++ % 4) {
        case 0:
          reply.hijack();
          request.raw.socket.destroy();
          return;
        case 1:
          return reply.code(404).send({ error: 'not_found', message: 'no route' });
        case 2:
          return reply.code(401).send({ error: 'unauthorized', message: 'who are you' });
        default:
          return reply.send({
            score: 7,
            strategy: 'later',
            retry_at: null,
            model_version: 'v',
            reason: '',
            explanation: {},
          });
      }
    });
  });

  assert.equal(faults, FAULTY_ANSWERS);
  const { events, quarantine } = readTables(path);
  assert.deepEqual(
    quarantine.filter((row) => row.reasons.some((reason) => reason.code === 'processing_failed')),
    [],
    'nothing quarantined for the service failing',
  );
  const stored = events.map((event) => event.event_id);
  assert.equal(new Set(stored).size, stored.length, 'each event stored once');
  assert.deepEqual(
    [...asked].filter((id) => !stored.includes(id)),
    [],
    'every event the service was asked about is stored',
  );
  for (const event of events) {
    assert.ok(event.churn_score !== null && event.churn_score >= 0 && event.churn_score <= 1, event.event_id);
    if (event.status === 'succeeded') assert.ok(event.fraud_score !== null && event.fraud_score <= 1, event.event_id);
    if (event.status === 'failed') assert.ok(RETRY_STRATEGIES.includes(event.retry_strategy as never), event.event_id);
  }
});
