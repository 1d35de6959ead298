/**
 * The ground truth on disk, apart from the events: `fraud.jsonl`, `retry.jsonl` and `churn.jsonl` in a
 * folder of its own, one record a line. Reading skips lines that do not parse rather than failing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from '../../runtime/make-directory.ts';
import type { WorldTruth } from './types.ts';

const FILES = ['fraud', 'retry', 'churn'] as const;

export async function writeTruth(dir: string, truth: WorldTruth): Promise<string[]> {
  makeDirectory(dir);
  return Promise.all(
    FILES.map(async (name) => {
      const path = join(dir, `${name}.jsonl`);
      await writeFile(path, truth[name].map((record) => `${JSON.stringify(record)}\n`).join(''));
      return path;
    }),
  );
}

function parseLines(text: string): unknown[] {
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** The truth written by `writeTruth`. The records are trusted as the simulator wrote them. */
export async function readTruth(dir: string): Promise<WorldTruth> {
  const [fraud, retry, churn] = await Promise.all(
    FILES.map(async (name) => parseLines(await readFile(join(dir, `${name}.jsonl`), 'utf8'))),
  );
  return { fraud, retry, churn } as WorldTruth;
}
