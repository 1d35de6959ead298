/**
 * The BENCH_* sizes (bench/README.md) are read once, before any benchmark starts: a value that is not a
 * whole number in range is refused naming its variable, where it used to run silently at the default.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BENCH_VARIABLES, readBenchSettings } from '../../bench/shared/settings.ts';

const RUN = new URL('../../bench/run.ts', import.meta.url).pathname;

test('unset or empty variables take the README defaults; set ones are read', () => {
  const defaults = readBenchSettings({ BENCH_DURATION: '' });
  assert.equal(defaults.durationSeconds, 10);
  assert.equal(defaults.connections, 128);
  assert.equal(defaults.warmUpRequests, 60_000);
  assert.equal(defaults.scoringDays, 365);
  const set = readBenchSettings({ BENCH_DURATION: '3', BENCH_WARMUP_REQUESTS: '0', BENCH_SCORING_DAYS: ' 120 ' });
  assert.deepEqual([set.durationSeconds, set.warmUpRequests, set.scoringDays], [3, 0, 120]);
});

test('a value that is not a whole number in range is refused, naming the variable and the value', () => {
  for (const [name, value] of [
    ['BENCH_DURATION', 'abc'],
    ['BENCH_DURATION', '-5'],
    ['BENCH_DURATION', '0'],
    ['BENCH_CONNECTIONS', '1.5'],
    ['BENCH_PIPELINE_RATE', 'Infinity'],
    ['BENCH_PIPELINE_COUNT', '1e400'],
    ['BENCH_WARMUP_REQUESTS', '-1'],
    ['BENCH_SCORING_DAYS', '1'],
    ['BENCH_SCORING_EVENTS', '0x10'],
  ] as const) {
    assert.throws(
      () => readBenchSettings({ [name]: value }),
      (error: Error) => error.message.startsWith(`${name} must be a whole number`) && error.message.includes(value),
      `${name}=${value}`,
    );
  }
});

test('BENCH_POSTGRES_URL: unset, none; a postgres URL, read; anything else refused without repeating it', () => {
  assert.equal(readBenchSettings({}).postgresUrl, undefined);
  const url = 'postgres://postgres@127.0.0.1:5432/postgres';
  assert.equal(readBenchSettings({ BENCH_POSTGRES_URL: ` ${url} ` }).postgresUrl, url);
  assert.throws(
    () => readBenchSettings({ BENCH_POSTGRES_URL: 'mysql://root:secret@db/x' }),
    (error: Error) => error.message.startsWith('BENCH_POSTGRES_URL must be') && !error.message.includes('secret'),
  );
});

test('every variable the README lists is read, and no other', async () => {
  const readme = await readFile(new URL('../../bench/README.md', import.meta.url), 'utf8');
  const listed = [...readme.matchAll(/^\| `(BENCH_[A-Z_]+)`(?: \/ `(_[A-Z]+)`)?/gm)].flatMap(([, name, second]) => {
    if (name === undefined) return [];
    if (second === undefined) return [name];
    return [name, name.replace(/_[A-Z]+$/, second)];
  });
  assert.deepEqual([...BENCH_VARIABLES].sort(), listed.sort());
});

/** bench/run.ts with `args` and only `env` (and PATH) set: its exit code and stderr. */
function run(args: readonly string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', RUN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, _stdout, stderr) => resolve({ code: (error as { code?: number } | null)?.code ?? 0, stderr }),
    );
  });
}

test('bench/run.ts refuses a bad value before any benchmark starts: one line, exit 64', async () => {
  const result = await run(['gateway'], { BENCH_DURATION: 'abc' });
  assert.equal(result.code, 64, result.stderr);
  assert.equal(result.stderr, 'bench: BENCH_DURATION must be a whole number from 1, got "abc"\n');
});

test('bench/run.ts refuses a benchmark it does not have, naming the ones it has: exit 64, nothing run', async () => {
  const result = await run(['pipelines'], {});
  assert.equal(result.code, 64, result.stderr);
  assert.equal(result.stderr, 'bench: no benchmark "pipelines"; one of gateway, pipeline, scoring, all\n');
});
