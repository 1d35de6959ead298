import { randomUUID } from 'node:crypto';
import { PaypipeError } from '../../contracts/errors.ts';
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { ValidationIssue } from '../../contracts/reasons.ts';
import type { Provider } from '../../providers/provider.ts';
import { type Command, parseCommandArgs, printJson, readInput } from '../command.ts';
import { providerFromArguments } from '../provider-argument.ts';

const usage = `usage: paypipe inspect <stripe|square|adyen|braintree> --body FILE [--header 'Name: value']… [--received-at ISO]

Verifies a webhook exactly as the gateway would (secrets from the environment, see .env.example), then routes
and normalizes it, and prints one JSON object:
  {"verified", "reason", "message", "hint", "topic", "partition_key", "events", "unsupported", "errors"}
--body - reads standard input. --received-at sets the receive time (default now) for Stripe's tolerance.
Exit code: 0 verified (normalized or unsupported), 2 verification failed, 3 verified but not normalizable.`;

export interface Inspection {
  readonly verified: boolean;
  /** The stable reason code of a failed verification. */
  readonly reason: string | null;
  readonly message: string | null;
  readonly hint: string | null;
  readonly topic: string | null;
  readonly partition_key: string | null;
  readonly events: readonly UnifiedPaymentEvent[];
  readonly unsupported: boolean;
  readonly errors: readonly ValidationIssue[];
}

export const INSPECT_EXIT = { verified: 0, verificationFailed: 2, notNormalizable: 3 } as const;

/** What the pipeline would make of one request: verification, routing and normalization. */
export function inspectWebhook(
  provider: Provider,
  request: { body: Buffer; headers: Record<string, string>; receivedAt: Date },
): Inspection {
  const empty = { topic: null, partition_key: null, events: [], unsupported: false, errors: [] };
  const verification = provider.verify(request);
  if (!verification.ok) {
    return {
      verified: false,
      reason: verification.reason,
      message: verification.message,
      hint: verification.hint ?? null,
      ...empty,
    };
  }
  const route = provider.route(request.body);
  const normalized = provider.normalize({
    id: randomUUID(),
    provider: provider.name,
    received_at: request.receivedAt.toISOString(),
    headers: request.headers,
    body: request.body,
  });
  return {
    verified: true,
    reason: null,
    message: route.ok ? null : route.message,
    hint: null,
    topic: route.ok ? route.topic : null,
    partition_key: route.ok ? route.partitionKey : null,
    events: normalized.kind === 'events' ? normalized.events : [],
    unsupported: normalized.kind === 'unsupported',
    errors: normalized.kind === 'invalid' ? normalized.errors : [],
  };
}

export function inspectionExitCode(inspection: Inspection): number {
  if (!inspection.verified) return INSPECT_EXIT.verificationFailed;
  return inspection.errors.length > 0 ? INSPECT_EXIT.notNormalizable : INSPECT_EXIT.verified;
}

/** `Name: value` header arguments as a lower-cased header map. */
export function parseHeaders(items: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of items) {
    const colon = item.indexOf(':');
    if (colon <= 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--header must look like 'Name: value', got "${item}"`);
    headers[item.slice(0, colon).trim().toLowerCase()] = item.slice(colon + 1).trim();
  }
  return headers;
}

function parseReceivedAt(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--received-at: not a date: ${text}`);
  return date;
}

export const inspectCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { body: { type: 'string' }, header: { type: 'string', multiple: true }, 'received-at': { type: 'string' } },
      usage,
    );
    if (values.body === undefined) throw new PaypipeError('PAYPIPE_ERR_USAGE', `--body is required\n${usage}`);
    const provider = providerFromArguments(positionals, usage);
    const inspection = inspectWebhook(provider, {
      body: readInput(values.body),
      headers: parseHeaders(values.header ?? []),
      receivedAt: parseReceivedAt(values['received-at']),
    });
    printJson(inspection);
    return inspectionExitCode(inspection);
  },
};
