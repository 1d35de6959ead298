import { loadConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import { DEAD_LETTER_REASONS, REQUEST_REFUSAL_REASONS } from '../../contracts/reasons.ts';
import { createProviderRegistry, isProviderName } from '../../providers/registry.ts';
import { claimConfiguredLog, openExistingData, requireExistingData } from '../../runtime/existing-data.ts';
import { createProgressReporter, ratePerSecond } from '../../runtime/progress.ts';
import { type ReplayProgress, replayDeadLetters } from '../../runtime/replay.ts';
import { type Command, parseCommandOptions, printJson } from '../command.ts';

const usage = `usage: paypipe replay [--reason REASON]… [--provider NAME] [--dry-run] [--again]

Re-drives dead letters after a fix (DATABASE_URL and PAYPIPE_LOG_URL name the store and the log):
- webhooks.dlq, the gateway's (e.g. a rotated secret now configured): each raw record is verified again
  with today's configuration at its original receive time;
- payments.validation.dlq, the normalizer's (e.g. a merchant account's currency now configured): each raw
  record is normalized again, and its quarantine row is marked re-driven as the record goes back into the
  pipeline (a row not yet written leaves the record alone). Restart paypipe up with the fix first: a
  record the running pipeline still refuses is quarantined again.
Those that pass go to their raw topic as if just received; redelivered events are stored once. Once they
are back, the store remembers those dead letters replayed: a later replay skips them (counted as
alreadyReplayed) unless --again is given; --dry-run marks nothing. A record replayed and dead-lettered
again is a new dead letter, replayed in turn. Progress goes to stderr. Prints {"examined", "replayed",
"alreadyReplayed", "stillFailing": {reason: count}, "redriven"}; a record that is not a dead letter counts
as unreadable, as in paypipe status (when no --reason or --provider is given). One replay at a time per
event log (it runs beside paypipe up): a second is refused at start, exit 1 (PAYPIPE_ERR_CONFIG).`;

function describe(progress: ReplayProgress): string {
  const { done, total, replayed, alreadyReplayed, stillFailing } = progress;
  return `${done}/${total} dead letters read · replayed ${replayed} · already replayed ${alreadyReplayed} · still failing ${stillFailing} · ${ratePerSecond(progress)}/s`;
}

/**
 * Refuses a --reason no dead letter can have. The gateway's answers to a request it does not take are
 * stable reason codes an operator sees in its replies, so they are told apart from a mistyped reason.
 */
function checkReasons(reasons: readonly string[]): void {
  const refusal = reasons.find((reason) => (REQUEST_REFUSAL_REASONS as readonly string[]).includes(reason));
  if (refusal !== undefined) {
    throw new PaypipeError(
      'PAYPIPE_ERR_USAGE',
      `--reason ${refusal}: no dead letter has this reason: the gateway answers a request it does not take ` +
        '(413 body_too_large, 400 malformed_request, 404 unknown_provider) without keeping it, so there is nothing to replay',
    );
  }
  const unknown = reasons.filter((reason) => !(DEAD_LETTER_REASONS as readonly string[]).includes(reason));
  if (unknown.length > 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', `unknown reason ${unknown.join(', ')}`);
}

export const replayCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandOptions(
      argv,
      {
        reason: { type: 'string', multiple: true },
        provider: { type: 'string' },
        'dry-run': { type: 'boolean' },
        again: { type: 'boolean' },
      },
      usage,
    );
    const reasons = values.reason ?? [];
    checkReasons(reasons);
    if (values.provider !== undefined && !isProviderName(values.provider)) {
      throw new PaypipeError('PAYPIPE_ERR_USAGE', `unknown provider ${values.provider}`);
    }
    const config = loadConfig();
    // Checked before the lock is taken: taking it creates its file, and a wrong data folder gets nothing.
    requireExistingData(config);
    const replaying = claimConfiguredLog(config, 'replay');
    let opened: Awaited<ReturnType<typeof openExistingData>>;
    try {
      opened = await openExistingData(config);
    } catch (error) {
      replaying.release();
      throw error;
    }
    const { log, store } = opened;
    const progress = createProgressReporter<ReplayProgress>(process.stderr, { label: 'replay', describe });
    try {
      const filter = {
        reasons,
        dryRun: values['dry-run'] ?? false,
        again: values.again ?? false,
        ...(values.provider !== undefined && isProviderName(values.provider) ? { provider: values.provider } : {}),
      };
      const providers = createProviderRegistry(config.providers);
      const result = await replayDeadLetters({ log, providers, store }, filter, (update) => progress.update(update));
      progress.finish();
      printJson(result);
      return 0;
    } finally {
      await Promise.all([log.close(), store.close()]);
      replaying.release();
    }
  },
};
