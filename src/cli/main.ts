/** The `paypipe` command: one entry point, one module per subcommand. */
import { isPaypipeError } from '../contracts/errors.ts';
import type { Command } from './command.ts';

/** Each command is loaded only when run, so one command's dependencies never slow down another. */
const COMMANDS: Readonly<Record<string, { readonly summary: string; load(): Promise<Command> }>> = {
  inspect: {
    summary: 'explain why a webhook verifies or not, and what it normalizes to',
    load: async () => (await import('./commands/inspect.ts')).inspectCommand,
  },
  sign: {
    summary: 'sign a payload as the provider would send it',
    load: async () => (await import('./commands/sign.ts')).signCommand,
  },
  up: {
    summary: 'run every stage in one process: gateway, log, normalizers, workflows, scoring, store',
    load: async () => (await import('./commands/up.ts')).upCommand,
  },
  inference: {
    summary: 'run the inference service: fraud, retry and churn scoring over HTTP',
    load: async () => (await import('./commands/inference.ts')).inferenceCommand,
  },
  status: {
    summary: 'counts per topic, lag per consumer group, dead letters and quarantine by reason',
    load: async () => (await import('./commands/status.ts')).statusCommand,
  },
  replay: {
    summary: 're-drive dead letters after a fix, e.g. a rotated secret',
    load: async () => (await import('./commands/replay.ts')).replayCommand,
  },
  schema: {
    summary: "print the JSON Schemas of paypipe's contracts",
    load: async () => (await import('./commands/schema.ts')).schemaCommand,
  },
  simulate: {
    summary: 'send signed webhooks from a seeded synthetic world to a gateway',
    load: async () => (await import('./commands/simulate.ts')).simulateCommand,
  },
  models: {
    summary: "build training tables, and evaluate the trained models against the world's ceiling",
    load: async () => (await import('./commands/models.ts')).modelsCommand,
  },
  trigger: {
    summary: "send one provider event, signed, as the Stripe CLI's trigger does",
    load: async () => (await import('./commands/trigger.ts')).triggerCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `usage: paypipe <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'paypipe <command> --help' for a command's options.\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  // Help asked for is output (stdout, 0); no command is a usage error (stderr, 64), as an unknown one is.
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === undefined) {
    process.stderr.write(`paypipe: no command given\n\n${usage()}`);
    return 64;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`paypipe: unknown command "${name}"\n\n${usage()}`);
    return 64;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (!isPaypipeError(error)) throw error;
    if (error.code === 'PAYPIPE_ERR_USAGE') {
      process.stderr.write(`paypipe: ${error.message}\n`);
      return 64;
    }
    process.stderr.write(`paypipe: ${error.message} (${error.code})\n`);
    return 1;
  }
}

// A reader that went away (`paypipe schema | head -1`) is no failure of the command: what it writes is
// dropped, and it ends as it would have (a server keeps serving), instead of dying with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
process.exitCode = await main(process.argv.slice(2));
