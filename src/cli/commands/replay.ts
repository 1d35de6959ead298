import { loadConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import { DEAD_LETTER_REASONS } from '../../contracts/reasons.ts';
import { createEventLog } from '../../log/index.ts';
import { createProviderRegistry, isProviderName } from '../../providers/registry.ts';
import { createProgressReporter, ratePerSecond } from '../../runtime/progress.ts';
import { type ReplayProgress, replayDeadLetters } from '../../runtime/replay.ts';
import { type Command, parseCommandArgs, printJson } from '../command.ts';

const usage = `usage: paypipe replay [--reason REASON]… [--provider NAME] [--dry-run]

Re-drives the gateway's dead letters (webhooks.dlq) after a fix, such as configuring a rotated secret:
each raw record is verified again with today's configuration at its original receive time, and those
that pass go to their raw topic as if just received. Redelivered events are stored once. Progress goes
to stderr. Prints
{"examined", "replayed", "stillFailing": {reason: count}}; a record of webhooks.dlq that is not a dead
letter counts as unreadable, as in paypipe status (when no --reason or --provider is given).`;

function describe(progress: ReplayProgress): string {
  const { done, total, replayed, stillFailing } = progress;
  return `${done}/${total} dead letters read · replayed ${replayed} · still failing ${stillFailing} · ${ratePerSecond(progress)}/s`;
}

export const replayCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      { reason: { type: 'string', multiple: true }, provider: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      usage,
    );
    const reasons = values.reason ?? [];
    const unknown = reasons.filter((reason) => !(DEAD_LETTER_REASONS as readonly string[]).includes(reason));
    if (unknown.length > 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', `unknown reason ${unknown.join(', ')}`);
    if (values.provider !== undefined && !isProviderName(values.provider)) {
      throw new PaypipeError('PAYPIPE_ERR_USAGE', `unknown provider ${values.provider}`);
    }
    const config = loadConfig();
    const log = createEventLog(config.logUrl);
    const progress = createProgressReporter<ReplayProgress>(process.stderr, { label: 'replay', describe });
    try {
      const filter = {
        reasons,
        dryRun: values['dry-run'] ?? false,
        ...(values.provider !== undefined && isProviderName(values.provider) ? { provider: values.provider } : {}),
      };
      const result = await replayDeadLetters(log, createProviderRegistry(config.providers), filter, (update) =>
        progress.update(update),
      );
      progress.finish();
      printJson(result);
      return 0;
    } finally {
      await log.close();
    }
  },
};
