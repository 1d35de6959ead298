import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toCsv, toJsonLines, writeTrainingSets } from '../../../src/inference/training/write.ts';

const rows = [
  { id: 'a', amount: 1.5, note: 'plain', label: 1 },
  { id: 'b', amount: 0, note: 'with "quotes", a comma\nand a line', label: null },
];

test('CSV: a header, then one line per row, quoted only where needed; null is empty', () => {
  assert.equal(toCsv(rows), 'id,amount,note,label\na,1.5,plain,1\nb,0,"with ""quotes"", a comma\nand a line",\n');
  assert.equal(toCsv([]), '');
});

test('JSON lines: one object a line', () => {
  const text = toJsonLines(rows);
  assert.deepEqual(
    text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line)),
    rows,
  );
});

test('writes every table into a folder', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-training-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const paths = await writeTrainingSets(
    join(dir, 'sets'),
    { fraud: rows, retry: [], churn: rows, churn_earlier: [] },
    'jsonl',
  );
  assert.deepEqual(
    paths.map((p) => p.slice(dir.length + 1)),
    ['sets/fraud.jsonl', 'sets/retry.jsonl', 'sets/churn.jsonl', 'sets/churn_earlier.jsonl'],
  );
  assert.equal(await readFile(join(dir, 'sets', 'retry.jsonl'), 'utf8'), '');
  assert.equal((await readFile(join(dir, 'sets', 'churn.jsonl'), 'utf8')).split('\n').length, 3);
});
