import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaypipeError } from '../../contracts/errors.ts';
import { contractJsonSchemas } from '../../contracts/json-schema.ts';
import { makeDirectory } from '../../runtime/make-directory.ts';
import { type Command, parseCommandOptions, printJson } from '../command.ts';

const usage = `usage: paypipe schema [--write DIR]

Prints the JSON Schemas of paypipe's contracts (unified and enriched payment events, raw record, dead
letter). With --write, writes one DIR/<name>.json per contract instead.`;

export const schemaCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandOptions(argv, { write: { type: 'string' } }, usage);
    const schemas = contractJsonSchemas();
    if (values.write === undefined) {
      printJson(schemas);
      return 0;
    }
    try {
      makeDirectory(values.write);
      for (const [name, schema] of Object.entries(schemas)) {
        writeFileSync(join(values.write, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
      }
    } catch (error) {
      throw new PaypipeError('PAYPIPE_ERR_USAGE', `--write: cannot write ${values.write}: ${(error as Error).message}`);
    }
    return 0;
  },
};
