import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { computeFeatures, FEATURES, type Features } from '../../../src/inference/features/features.ts';
import { createInProcessInference } from '../../../src/inference/in-process.ts';
import { loadModels } from '../../../src/inference/models/load.ts';
import { modelChurnScore, modelFraudScore } from '../../../src/inference/models/scores.ts';
import { replayWorld } from '../../../src/inference/training/replay.ts';
import { buildTrainingSets, type Row } from '../../../src/inference/training/tables.ts';
import { createStore } from '../../../src/storage/create-store.ts';
import { smallWorld } from '../../simulator/calendar.ts';

const world = smallWorld({ customers: 120, days: 60 });
const replay = replayWorld(world);
const sets = buildTrainingSets(replay.events, world.truth);

function enriched(event: UnifiedPaymentEvent): EnrichedPaymentEvent {
  return {
    ...event,
    fraud_score: null,
    churn_score: null,
    retry_strategy: null,
    retry_at: null,
    processed_at: event.received_at,
    model_versions: { fraud: null, churn: null, retry: null },
  };
}

const loaded = loadModels();
if (loaded.kind !== 'models') throw new Error(`the committed models do not load: ${loaded.reason}`);
const { models } = loaded;

const featuresOf = (row: Row) => Object.fromEntries(Object.keys(FEATURES).map((name) => [name, row[name]]));

test('offline features equal what the online path computes from the SQLite store, event by event', async (t) => {
  const store = await createStore('sqlite::memory:');
  t.after(() => store.close());
  const inference = createInProcessInference({ history: store });
  const rows = new Map([...sets.fraud, ...sets.retry, ...sets.churn].map((row) => [row.event_id as string, row]));
  let compared = 0;
  let withHistory = 0;
  // Online: each event is stored as it arrives; the scored events read their history back from the store.
  for (const { event } of replay.events) {
    const row = rows.get(event.event_id);
    if (row !== undefined && event.customer_id !== null) {
      const history = await store.customerHistory(event.customer_id, event.timestamp, 1000);
      assert.deepEqual(computeFeatures(event, history), featuresOf(row), event.event_id);
      // The in-process inference (what the pipeline calls) scores exactly what the offline row holds.
      const offline = featuresOf(row) as Features;
      if (event.status === 'succeeded') {
        assert.deepEqual(await inference.fraudScore(event), modelFraudScore(models.fraud, offline));
      }
      assert.deepEqual(await inference.churnPrediction(event), modelChurnScore(models.churn, offline));
      if ((row.history_events as number) > 0) withHistory += 1;
      compared += 1;
    }
    await store.saveEvent(enriched(event));
  }
  assert.ok(compared > 1000, `${compared} events compared`);
  assert.ok(withHistory > compared * 0.8, `${withHistory} of ${compared} with a past`);
});
