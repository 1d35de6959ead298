import { loadConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import { createProviderRegistry, providerNamed } from '../../providers/registry.ts';
import { FIXTURES, fixtureNamed } from '../../simulator/fixtures.ts';
import { expectedEventIds } from '../../simulator/requests.ts';
import { checkTarget, DEFAULTS } from '../../simulator/simulate.ts';
import { type Command, localGateway, parseCommandArgs, printJson } from '../command.ts';

const usage = `usage: paypipe trigger <stripe|square|adyen|braintree> <event> [--target URL] [--json]
       paypipe trigger <provider> --list

Sends one real-shaped webhook of that event (one of the provider's fixtures), signed as the provider would
sign it now with the secrets from the environment (see .env.example), to --target (default: the gateway
of HOST and PORT from the same environment, http://127.0.0.1:8000 unset), and prints the answer and the events the pipeline should store, like the Stripe CLI's
trigger. --list prints the event names. Exit code: 0 when the webhook was acknowledged (2xx), 2 when it was
answered otherwise, 1 when nothing answered (within ${DEFAULTS.timeoutMs / 1000} s).`;

function whyNoAnswer(error: unknown): string {
  if ((error as Error).name === 'TimeoutError') return `within ${DEFAULTS.timeoutMs / 1000} s`;
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return `(${cause?.code ?? cause?.message ?? (error as Error).message})`;
}

export const triggerCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { target: { type: 'string' }, list: { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const [providerName, eventName, ...extra] = positionals;
    if (providerName === undefined || extra.length > 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', usage);
    const config = loadConfig();
    const provider = providerNamed(createProviderRegistry(config.providers), providerName);
    if (values.list) {
      const names = FIXTURES[provider.name].map((fixture) => fixture.name);
      if (values.json) printJson(names);
      else process.stdout.write(`${names.join('\n')}\n`);
      return 0;
    }
    if (eventName === undefined) throw new PaypipeError('PAYPIPE_ERR_USAGE', `name an event, or --list\n${usage}`);
    const fixture = fixtureNamed(provider.name, eventName);
    if (fixture === undefined) {
      throw new PaypipeError(
        'PAYPIPE_ERR_USAGE',
        `no ${provider.name} event "${eventName}"; 'paypipe trigger ${provider.name} --list' shows them`,
      );
    }
    const now = new Date();
    const signed = provider.sign(fixture.payload, { timestamp: now });
    const url = new URL(`/webhooks/${provider.name}`, checkTarget(values.target ?? localGateway(config.gateway)));
    let status: number;
    let body: string;
    try {
      // As simulate's requests: a target that takes the connection and never answers held trigger for
      // undici's 300 s header timeout.
      const signal = AbortSignal.timeout(DEFAULTS.timeoutMs);
      const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body, signal });
      status = response.status;
      body = await response.text();
    } catch (error) {
      process.stderr.write(`paypipe: no answer from ${url.href} ${whyNoAnswer(error)}\n`);
      return 1;
    }
    const events = expectedEventIds(provider, signed, now);
    if (values.json) {
      printJson({ provider: provider.name, event: fixture.name, url: url.href, status, body, expected_events: events });
    } else {
      process.stdout.write(`${provider.name} ${fixture.name} → ${url.href}: ${status}\n${body}\n`);
      const expected = fixture.expect === 'unsupported' ? 'none (not a payment fact)' : fixture.expect.join(', ');
      process.stdout.write(`events expected: ${expected}${events.length > 0 ? ` (${events.join(', ')})` : ''}\n`);
    }
    return status >= 200 && status < 300 ? 0 : 2;
  },
};
