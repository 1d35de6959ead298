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

/** A PostgreSQL server on this machine (an admin URL): the pipeline benchmark runs on its store too. */
const POSTGRES_URL = 'BENCH_POSTGRES_URL';

export type BenchSettings = { readonly [key in keyof typeof SETTINGS]: number } & {
  readonly postgresUrl: string | undefined;
};

export const BENCH_VARIABLES: readonly string[] = [...Object.values(SETTINGS).map(({ name }) => name), POSTGRES_URL];

/** The URL is not repeated in the error: it may hold a password. */
function postgresUrl(env: NodeJS.ProcessEnv): string | undefined {
  const text = env[POSTGRES_URL]?.trim() ?? '';
  if (text === '') return undefined;
  if (/^postgres(ql)?:\/\/./.test(text)) return text;
  throw new Error(`${POSTGRES_URL} must be a postgres:// or postgresql:// URL`);
}

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
  const sizes = Object.fromEntries(Object.entries(SETTINGS).map(([key, setting]) => [key, whole(env, setting)]));
  return { ...sizes, postgresUrl: postgresUrl(env) } as BenchSettings;
}
