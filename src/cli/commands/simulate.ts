import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { PaypipeError } from '../../contracts/errors.ts';
import { PROVIDERS, type ProviderName } from '../../contracts/vocabulary.ts';
import { isProviderName } from '../../providers/registry.ts';
import { parseDuration } from '../../simulator/duration.ts';
import { createProgressReporter } from '../../simulator/progress.ts';
import { DEFAULTS, type SimulateOptions, simulate } from '../../simulator/simulate.ts';
import { formatSummary } from '../../simulator/summary.ts';
import { type Command, parseCommandArgs, printJson } from '../command.ts';

const usage = `usage: paypipe simulate --rate N (--duration D | --count N) [--providers stripe,adyen,…] [--seed S]
                        [--target URL] [--concurrency N] [--forgery-rate R] [--redelivery-rate R]
                        [--out-of-order-rate R] [--out FILE] [--json]

Sends signed webhooks from a seeded synthetic world (customers, merchants, payment lifecycles) to a gateway:
N deliveries a second for D (30s, 2m, 1h) or N deliveries in all, from the chosen providers (default all
four), with redeliveries (default ${DEFAULTS.redeliveryRate}), webhooks overtaking earlier ones of their payment (${DEFAULTS.outOfOrderRate}) and
forged requests (${DEFAULTS.forgeryRate} per webhook). Secrets come from the environment (see .env.example).
--target defaults to ${DEFAULTS.target}; --seed to a random one, printed so that the run can be repeated.
Progress goes to stderr; the summary to stdout (--json: as JSON). --out writes every delivery as JSON lines.
Exit code: 0 when every genuine webhook was acknowledged and every forgery refused, 2 otherwise.`;

function number(name: string, text: string | undefined, check: (value: number) => boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !check(value))
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--${name}: invalid value "${text}"`);
  return value;
}

function providersOf(text: string | undefined): readonly ProviderName[] {
  if (text === undefined) return PROVIDERS;
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isProviderName(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new PaypipeError(
      'PAYPIPE_ERR_USAGE',
      `--providers: unknown ${unknown.join(', ')} (expected ${PROVIDERS.join(', ')})`,
    );
  }
  return names as ProviderName[];
}

const OPTIONS = {
  rate: { type: 'string' },
  duration: { type: 'string' },
  count: { type: 'string' },
  providers: { type: 'string' },
  seed: { type: 'string' },
  target: { type: 'string' },
  concurrency: { type: 'string' },
  'forgery-rate': { type: 'string' },
  'redelivery-rate': { type: 'string' },
  'out-of-order-rate': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function optionsOf(values: Values): SimulateOptions {
  const rate = number('rate', values.rate, (value) => value > 0 && Number.isFinite(value));
  if (rate === undefined) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--rate is required\n${usage}`);
  const duration = values.duration === undefined ? undefined : parseDuration(values.duration);
  if (values.duration !== undefined && duration === undefined) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--duration: expected e.g. 30s, 2m or 1h, got "${values.duration}"`);
  }
  const count = number('count', values.count, (value) => Number.isSafeInteger(value) && value >= 0);
  if (duration === undefined && count === undefined) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `give --duration or --count\n${usage}`);
  }
  const share = (name: string, text: string | undefined) => number(name, text, (value) => value >= 0 && value <= 1);
  const optional = {
    duration,
    count,
    target: values.target,
    concurrency: number('concurrency', values.concurrency, (value) => Number.isSafeInteger(value) && value > 0),
    forgeryRate: share('forgery-rate', values['forgery-rate']),
    redeliveryRate: share('redelivery-rate', values['redelivery-rate']),
    outOfOrderRate: share('out-of-order-rate', values['out-of-order-rate']),
  };
  const seed = number('seed', values.seed, (value) => Number.isSafeInteger(value)) ?? randomInt(2 ** 31);
  const defined = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return { rate, seed, providers: providersOf(values.providers), ...defined };
}

export const simulateCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
    if (positionals.length > 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', usage);
    const progress = createProgressReporter(process.stderr);
    // Ctrl-C stops sending; the summary still covers everything sent.
    const stop = new AbortController();
    const onInterrupt = () => stop.abort();
    process.once('SIGINT', onInterrupt);
    try {
      const { deliveries, summary } = await simulate({
        ...optionsOf(values),
        signal: stop.signal,
        onProgress: (update) => progress.update(update),
      });
      progress.finish();
      if (values.out !== undefined) {
        writeFileSync(values.out, deliveries.map((delivery) => `${JSON.stringify(delivery)}\n`).join(''));
      }
      if (values.json) printJson(summary);
      else process.stdout.write(`${formatSummary(summary)}\n`);
      const clean = summary.genuineNotAcknowledged === 0 && summary.forgeriesRejected === summary.forged;
      return clean ? 0 : 2;
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  },
};
