/**
 * The inference service over PostgreSQL (DATABASE_URL=postgres://…): the same answers as over SQLite for the
 * same pasts. TEST_POSTGRES_URL names a server this test may create a database on (scripts/test.sh starts
 * one); without it the test is skipped and says so.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { createHttpInference } from '../../../src/inference/http.ts';
import { createInProcessInference } from '../../../src/inference/in-process.ts';
import { startInferenceServer } from '../../../src/inference/service/server.ts';
import { createLogger } from '../../../src/runtime/logger.ts';
import { filledStore, fillStoreAt, PROBES } from './fixtures.ts';

const ADMIN_URL = process.env.TEST_POSTGRES_URL;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

test('over PostgreSQL, the service answers what in-process inference answers over SQLite', {
  skip: ADMIN_URL === undefined && 'TEST_POSTGRES_URL is not set',
}, async (t) => {
  const name = `paypipe_inference_${randomUUID().replaceAll('-', '')}`;
  await admin(`CREATE DATABASE ${name}`);
  t.after(() => admin(`DROP DATABASE ${name} WITH (FORCE)`));
  const url = new URL(ADMIN_URL ?? '');
  url.pathname = `/${name}`;
  await fillStoreAt(t, url.href);
  const server = await startInferenceServer({
    databaseUrl: url.href,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('silent'),
  });
  t.after(() => server.stop());
  const remote = createHttpInference({ url: server.url });
  t.after(() => remote.close());
  const local = createInProcessInference({ history: (await filledStore(t)).store });
  for (const event of PROBES) {
    assert.deepEqual(await remote.fraudScore(event), await local.fraudScore({ ...event }), event.event_id);
    assert.deepEqual(await remote.retryStrategy(event), await local.retryStrategy({ ...event }), event.event_id);
    assert.deepEqual(await remote.churnPrediction(event), await local.churnPrediction({ ...event }), event.event_id);
  }
});
