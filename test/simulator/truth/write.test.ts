import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTruth, writeTruth } from '../../../src/simulator/truth/write.ts';
import { smallWorld } from '../calendar.ts';

test('the truth is written apart, one record a line, and reads back the same', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-truth-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const world = smallWorld();
  const paths = await writeTruth(dir, world.truth);
  assert.deepEqual(
    paths.map((p) => p.slice(dir.length + 1)),
    ['fraud.jsonl', 'retry.jsonl', 'churn.jsonl'],
  );
  const lines = (await readFile(join(dir, 'fraud.jsonl'), 'utf8')).trim().split('\n');
  assert.equal(lines.length, world.truth.fraud.length);
  assert.deepEqual(await readTruth(dir), JSON.parse(JSON.stringify(world.truth)));
});

test('a damaged line is skipped, not fatal', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-truth-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeTruth(dir, { fraud: [], retry: [], churn: [] });
  await writeFile(join(dir, 'churn.jsonl'), '{"customer_ref":"cust_1"}\n{"truncat\n');
  const truth = await readTruth(dir);
  assert.deepEqual(truth.churn, [{ customer_ref: 'cust_1' }]);
});
