import { loadConfig } from '../../config/config.ts';
import { openExistingData } from '../../runtime/existing-data.ts';
import { collectStatus, formatStatus } from '../../runtime/status.ts';
import { type Command, parseCommandOptions, printJson } from '../command.ts';

const usage = `usage: paypipe status [--json]

Counts per topic, the log file's size and how much of it retention freed for new records, lag per
consumer group (with the part of it older than the log's retention, kept until the group commits it), dead
letters by reason (those still waiting apart from those 'paypipe replay' put back), the store's events by
provider and status and quarantine by reason, and the webhook → stored latency (p50, p90, p99, max), on the
configured backends (it can run beside a running 'paypipe up'). The sqlite: log and store must exist:
paypipe up creates them.`;

export const statusCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandOptions(argv, { json: { type: 'boolean' } }, usage);
    const config = loadConfig();
    const { log, store } = await openExistingData(config);
    try {
      const status = await collectStatus(log, store);
      if (values.json) printJson(status);
      else process.stdout.write(`${formatStatus(status)}\n`);
      return 0;
    } finally {
      await store.close();
      await log.close();
    }
  },
};
