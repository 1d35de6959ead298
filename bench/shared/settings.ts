/**
 * The BENCH_* sizes (bench/README.md), read and checked once, before any benchmark starts. A value that is
 * not a whole number in range is refused naming its variable: run at the default instead, a typo cost a
 * whole run measuring something else (and BENCH_WARMUP_REQUESTS=abc skipped the warm-up altogether).
 */

/** Each setting: its variable, its default, and the range it must fall in. */
const SETTINGS = {
  connections: { name: 'BENCH_CONNECTIONS', fallback: 128, min: 1 },
  durationSeconds: { name: 'BENCH_DURATION', fallback: 10, min: 1 },
  warmUpRequests: { name: 'BENCH_WARMUP_REQUESTS', fallback: 60_000, min: 0 },
  pipelineCount: { name: 'BENCH_PIPELINE_COUNT', fallback: 20_000, min: 1 },
  pipelineRate: { name: 'BENCH_PIPELINE_RATE', fallback: 1000, min: 1 },
  pipelineSeconds: { name: 'BENCH_PIPELINE_SECONDS', fallback: 10, min: 1 },
  pipelineConcurrency: { name: 'BENCH_PIPELINE_CONCURRENCY', fallback: 64, min: 1 },
  scoringCustomers: { name: 'BENCH_SCORING_CUSTOMERS', fallback: 400, min: 1 },
  // The calendar world's bounds, as `paypipe simulate --days` has them.
  scoringDays: { name: 'BENCH_SCORING_DAYS', fallback: 365, min: 2, max: 3650 },
  scoringEvents: { name: 'BENCH_SCORING_EVENTS', fallback: 1000, min: 1 },
} as const satisfies Record<string, { name: string; fallback: number; min: number; max?: number }>;

export type BenchSettings = { readonly [key in keyof typeof SETTINGS]: number };

export const BENCH_VARIABLES: readonly string[] = Object.values(SETTINGS).map(({ name }) => name);

function whole(env: NodeJS.ProcessEnv, setting: { name: string; fallback: number; min: number; max?: number }) {
  const text = env[setting.name]?.trim() ?? '';
  if (text === '') return setting.fallback;
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  const { min, max = Number.MAX_SAFE_INTEGER } = setting;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `from ${min}` : `from ${min} to ${max}`;
  throw new Error(`${setting.name} must be a whole number ${range}, got ${JSON.stringify(text)}`);
}

/** Every BENCH_* size from `env`, an unset or empty one at its default; throws on the first bad one. */
export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  return Object.fromEntries(
    Object.entries(SETTINGS).map(([key, setting]) => [key, whole(env, setting)]),
  ) as BenchSettings;
}
