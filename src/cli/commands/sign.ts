import { PaypipeError } from '../../contracts/errors.ts';
import { type Command, parseCommandArgs, printJson, readInput } from '../command.ts';
import { providerFromArguments } from '../provider-argument.ts';

const usage = `usage: paypipe sign <stripe|square|adyen|braintree> --body FILE [--timestamp ISO]

Prints {"headers": {...}, "body": "..."}: the request that provider would send for that payload, signed
with the first configured secret (see .env.example). The payload is the provider's own: the event JSON
(Stripe, Square), the notification JSON (Adyen: each item gets its hmacSignature, plus Basic auth), or the
notification XML (Braintree: sent as the bt_signature/bt_payload form). --body - reads standard input.
--timestamp sets Stripe's signing time (default now).`;

export const signCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { body: { type: 'string' }, timestamp: { type: 'string' } },
      usage,
    );
    if (values.body === undefined) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--body is required\n${usage}`);
    const provider = providerFromArguments(positionals, usage);
    const timestamp = values.timestamp === undefined ? undefined : new Date(values.timestamp);
    if (timestamp !== undefined && Number.isNaN(timestamp.getTime())) {
      throw new PaypipeError('PAYPIPE_ERR_USAGE', `--timestamp: not a date: ${values.timestamp}`);
    }
    const payload = readInput(values.body).toString('utf8');
    printJson(provider.sign(payload, timestamp === undefined ? {} : { timestamp }));
    return 0;
  },
};
