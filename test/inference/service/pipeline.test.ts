/**
 * The pipeline with INFERENCE_URL set: webhooks go in at the gateway, the workflows ask the inference
 * service (a real one, on a real port, over the same store) for every score, and store what it answered.
 */
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { runFixturesThroughService } from '../../helpers/inference-pipeline.ts';

interface Answered {
  readonly route: string;
  readonly eventId: string;
  readonly answer: { score?: number; strategy?: string; retry_at?: string | null; model_version: string };
}

interface Row {
  event_id: string;
  status: string;
  fraud_score: number | null;
  churn_score: number | null;
  retry_strategy: string | null;
  retry_at: string | null;
  model_versions: string;
}

test('with INFERENCE_URL set, every stored event carries the scores the service answered for it', async (t) => {
  const answered: Answered[] = [];
  const path = await runFixturesThroughService(t, (service) => {
    service.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'POST' && reply.statusCode === 200) {
        const eventId = JSON.parse(String(request.body)).event_id;
        answered.push({ route: request.url, eventId, answer: JSON.parse(String(payload)) });
      }
      return payload;
    });
  });

  const db = new DatabaseSync(path, { readOnly: true });
  t.after(() => db.close());
  const rows = db.prepare('SELECT * FROM payment_events').all() as unknown as Row[];
  assert.ok(rows.some((row) => row.status === 'succeeded') && rows.some((row) => row.status === 'failed'));
  const answer = (route: string, eventId: string) => {
    const found = answered.filter((entry) => entry.route === route && entry.eventId === eventId);
    assert.equal(found.length, 1, `${route} asked once for ${eventId}`);
    return found[0]?.answer;
  };
  for (const row of rows) {
    const versions = JSON.parse(row.model_versions);
    const churn = answer('/churn/predict', row.event_id);
    assert.deepEqual([row.churn_score, versions.churn], [churn?.score, churn?.model_version], row.event_id);
    if (row.status === 'succeeded') {
      const fraud = answer('/fraud/score', row.event_id);
      assert.deepEqual([row.fraud_score, versions.fraud], [fraud?.score, fraud?.model_version], row.event_id);
    }
    if (row.status === 'failed') {
      const retry = answer('/retry/strategy', row.event_id);
      assert.deepEqual(
        [row.retry_strategy, row.retry_at, versions.retry],
        [retry?.strategy, retry?.retry_at, retry?.model_version],
        row.event_id,
      );
    }
  }
  const scored = rows.length + rows.filter((row) => row.status === 'succeeded' || row.status === 'failed').length;
  assert.equal(answered.length, scored, 'the service answered every score the stored events carry, and no other');
});
