import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PaypipeError } from '../../contracts/errors.ts';
import { writeEvaluationChart } from '../../inference/evaluation/chart.ts';
import { evaluateModels } from '../../inference/evaluation/evaluate.ts';
import { TRAINING_SEEDS, worldTables } from '../../inference/training/world-tables.ts';
import { writeTrainingSets } from '../../inference/training/write.ts';
import { makeDirectory } from '../../runtime/make-directory.ts';
import { type Command, parseCommandArgs, printJson } from '../command.ts';

const usage = `usage: paypipe models tables --seed N --out DIR [--customers N]
       paypipe models evaluate --seed N [--customers N] [--out metrics.json] [--chart chart.svg]

tables    builds the calendar world of seed N, replays it through the providers' code and writes its
          training tables (fraud.csv, retry.csv, churn.csv) into DIR; \`make models\` trains on them.
evaluate  builds a fresh world from seed N (never a training seed: 101, 102, 103), scores it with the
          committed models and prints one JSON object: fraud, churn and retry metrics beside the world's
          ceiling and the baselines. --chart draws ROC and precision-recall curves and recovery by policy.
--customers defaults to 1500 (tables) and 6000 (evaluate).`;

function whole(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--${name} is required\n${usage}`);
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--${name} must be a whole number, got ${text}\n${usage}`);
  }
  return value;
}

/** Runs `write`; a path it cannot write is a usage error naming the option, never a stack trace. */
async function writing(option: string, path: string, write: () => unknown): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--${option}: cannot write ${path}: ${(error as Error).message}`);
  }
}

export const modelsCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        seed: { type: 'string' },
        customers: { type: 'string' },
        out: { type: 'string' },
        chart: { type: 'string' },
      },
      usage,
    );
    const [action] = positionals;
    // The action first: without one, a complaint about --seed named the wrong thing.
    if (action !== 'tables' && action !== 'evaluate') {
      const why =
        action === undefined ? 'name an action: tables or evaluate' : `unknown action ${JSON.stringify(action)}`;
      throw new PaypipeError('PAYPIPE_ERR_USAGE', `${why}\n${usage}`);
    }
    const seed = whole('seed', values.seed);
    if (action === 'tables') {
      const { out } = values;
      if (out === undefined) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--out is required\n${usage}`);
      const customers = whole('customers', values.customers, 1500);
      // The folders are made before the world is built, so that a bad path costs no run.
      await writing('out', out, () => makeDirectory(out));
      const { sets } = worldTables(seed, { customers });
      await writing('out', out, () => writeTrainingSets(out, sets, 'csv'));
      return 0;
    }
    if (TRAINING_SEEDS.includes(seed)) {
      throw new PaypipeError('PAYPIPE_ERR_USAGE', `seed ${seed} is a training seed: evaluate on another one`);
    }
    const { out, chart } = values;
    const customers = whole('customers', values.customers, 6000);
    if (out !== undefined) await writing('out', out, () => makeDirectory(dirname(out)));
    if (chart !== undefined) await writing('chart', chart, () => makeDirectory(dirname(chart)));
    const evaluation = evaluateModels(seed, { customers });
    if (out !== undefined) {
      await writing('out', out, () => writeFileSync(out, `${JSON.stringify(evaluation.metrics, null, 2)}\n`));
    }
    if (chart !== undefined) await writing('chart', chart, () => writeEvaluationChart(chart, evaluation));
    printJson(evaluation.metrics);
    return 0;
  },
};
