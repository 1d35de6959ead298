import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import { PROVIDERS, type ProviderName } from '../../contracts/vocabulary.ts';
import { isProviderName } from '../../providers/registry.ts';
import { makeDirectory } from '../../runtime/make-directory.ts';
import { DURATION_FORMAT, parseDuration } from '../../simulator/duration.ts';
import { createSimulationProgress } from '../../simulator/progress.ts';
import { DEFAULTS, MAX_DELIVERIES, type SimulateOptions, simulate } from '../../simulator/simulate.ts';
import { formatSummary, type SimulationSummary } from '../../simulator/summary.ts';
import { writeTruth } from '../../simulator/truth/write.ts';
import { type Command, localGateway, parseCommandArgs, printJson } from '../command.ts';

const usage = `usage: paypipe simulate --rate N (--duration D | --count N) [--providers stripe,adyen,…] [--seed S]
                        [--customers N] [--days N] [--truth DIR] [--target URL] [--concurrency N]
                        [--forgery-rate R] [--redelivery-rate R] [--out-of-order-rate R] [--out FILE] [--json]

Sends signed webhooks from a seeded synthetic world to a gateway: cardholders with paydays, subscriptions and
expiring cards, merchants, declines that may recover, fraud and churn, over --days of world time (default
60, at most 3650), in the world's order at N deliveries a second for D (${DURATION_FORMAT}) or N
deliveries in all, not both, at most ${MAX_DELIVERIES} (the world is built in memory first; --customers is
bounded alike).
Event timestamps follow the delivery pace, never the receiver's future. The world has --customers
cardholders (default: as many as the run needs to send nearly all of it). From the chosen providers (default
all four), with redeliveries (default ${DEFAULTS.redeliveryRate}), webhooks overtaking earlier ones of their payment
(${DEFAULTS.outOfOrderRate}) and forged requests (${DEFAULTS.forgeryRate} per webhook). Secrets come from the environment (see .env.example).
--target defaults to the gateway of HOST and PORT (http://127.0.0.1:8000 unset); --seed to a random one, printed so that the run can be repeated.
Progress goes to stderr; the summary to stdout (--json: as JSON). Ctrl-C (SIGINT) or SIGTERM stops
sending and prints the summary of what was sent, saying the run was cut short (while the world is still
being built, it ends the run, nothing sent). --out
writes every delivery as JSON lines; --truth writes the ground truth of the payments sent (fraud.jsonl,
retry.jsonl, churn.jsonl) into DIR, apart from the events: join them on the order id (pay_…) the payloads
carry.
Exit code: 0 when every genuine webhook was acknowledged and every forgery refused, 2 otherwise; 3 when
all of those sent were, but the run was cut short.`;

function number(name: string, text: string | undefined, check: (value: number) => boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !check(value))
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--${name}: invalid value "${text}"`);
  return value;
}

function providersOf(text: string | undefined): readonly ProviderName[] {
  if (text === undefined) return PROVIDERS;
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw new PaypipeError(
      'PAYPIPE_ERR_USAGE',
      `--providers: empty list (expected one or more of ${PROVIDERS.join(', ')})`,
    );
  }
  const unknown = names.filter((name) => !isProviderName(name));
  if (unknown.length > 0) {
    throw new PaypipeError(
      'PAYPIPE_ERR_USAGE',
      `--providers: unknown ${unknown.join(', ')} (expected ${PROVIDERS.join(', ')})`,
    );
  }
  return names as ProviderName[];
}

/** --duration in seconds: a format it does not take and a duration of nothing are told apart. */
function durationOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--duration: expected ${DURATION_FORMAT}, got "${text}"`);
  }
  if (seconds === 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--duration: must be above 0, got "${text}"`);
  return seconds;
}

const OPTIONS = {
  rate: { type: 'string' },
  duration: { type: 'string' },
  count: { type: 'string' },
  providers: { type: 'string' },
  seed: { type: 'string' },
  customers: { type: 'string' },
  days: { type: 'string' },
  truth: { type: 'string' },
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
  // One or the other, as the usage shows: given both, one was silently ignored.
  if (values.duration !== undefined && values.count !== undefined) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `give --duration or --count, not both\n${usage}`);
  }
  const duration = durationOf(values.duration);
  const count = number('count', values.count, (value) => Number.isSafeInteger(value) && value >= 0);
  if (duration === undefined && count === undefined) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `give --duration or --count\n${usage}`);
  }
  const share = (name: string, text: string | undefined) => number(name, text, (value) => value >= 0 && value <= 1);
  const whole = (name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) =>
    number(name, text, (value) => Number.isSafeInteger(value) && value >= min && value <= max);
  const optional = {
    duration,
    count,
    customers: whole('customers', values.customers, 1),
    // Ten years of world time is already far more than a run can lay out; more would only take long to build.
    days: whole('days', values.days, 2, 3650),
    target: values.target ?? localGateway(loadConfig().gateway),
    concurrency: whole('concurrency', values.concurrency, 1),
    forgeryRate: share('forgery-rate', values['forgery-rate']),
    redeliveryRate: share('redelivery-rate', values['redelivery-rate']),
    outOfOrderRate: share('out-of-order-rate', values['out-of-order-rate']),
  };
  const seed = number('seed', values.seed, (value) => Number.isSafeInteger(value)) ?? randomInt(2 ** 31);
  const defined = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return { rate, seed, providers: providersOf(values.providers), ...defined };
}

/** Creates the truth folder before anything is sent, so that a bad path costs no run. */
function truthFolder(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    makeDirectory(dir);
    return dir;
  } catch (error) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--truth: cannot create ${dir}: ${(error as Error).message}`);
  }
}

/** A gateway that got something wrong outranks the interruption; a run cut short is never reported as complete. */
function exitCodeOf(summary: SimulationSummary): number {
  const clean = summary.genuineNotAcknowledged === 0 && summary.forgeriesRejected === summary.forged;
  if (!clean) return 2;
  return summary.interrupted ? 3 : 0;
}

export const simulateCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
    if (positionals.length > 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', usage);
    const options = optionsOf(values);
    const truthDir = truthFolder(values.truth);
    const progress = createSimulationProgress(process.stderr);
    // SIGINT and SIGTERM stop sending; the summary still covers everything sent. They are taken only once
    // sending starts: the world is built synchronously, so a handler installed before would run only after the
    // build, and the signal would be ignored for minutes; before, it ends the process at once, nothing sent.
    const stop = new AbortController();
    const onInterrupt = () => stop.abort();
    try {
      const { deliveries, summary, truth } = await simulate({
        ...options,
        signal: stop.signal,
        onSending: () => {
          process.once('SIGINT', onInterrupt);
          process.once('SIGTERM', onInterrupt);
        },
        onProgress: (update) => progress.update(update),
      });
      progress.finish();
      if (values.out !== undefined) {
        writeFileSync(values.out, deliveries.map((delivery) => `${JSON.stringify(delivery)}\n`).join(''));
      }
      if (truthDir !== undefined) await writeTruth(truthDir, truth);
      if (values.json) printJson(summary);
      else process.stdout.write(`${formatSummary(summary)}\n`);
      return exitCodeOf(summary);
    } finally {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    }
  },
};
