/** Shared by the simulator tests: the known test secrets, and a receiver that verifies as the gateway does. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import type { ProviderName } from '../../src/contracts/vocabulary.ts';
import type { SignedRequest } from '../../src/providers/provider.ts';
import { createProviderRegistry, isProviderName } from '../../src/providers/registry.ts';
import { testConfig } from '../helpers/test-config.ts';

export const config = testConfig();
export const registry = createProviderRegistry(config.providers);

export type Checked =
  | { readonly verified: false; readonly reason: string }
  | { readonly verified: true; readonly events: readonly UnifiedPaymentEvent[]; readonly kind: string };

/** Verifies and normalizes a signed request through the registry, as the gateway and normalizer would. */
export function check(provider: ProviderName, signed: SignedRequest, receivedAt = new Date()): Checked {
  const body = Buffer.from(signed.body);
  const verification = registry[provider].verify({ body, headers: signed.headers, receivedAt });
  if (!verification.ok) return { verified: false, reason: verification.reason };
  const result = registry[provider].normalize({
    id: 'test',
    provider,
    received_at: receivedAt.toISOString(),
    headers: signed.headers,
    body,
  });
  return { verified: true, kind: result.kind, events: result.kind === 'events' ? result.events : [] };
}

export interface Receiver {
  readonly url: string;
  /** Arrival time (ms, performance clock) of every request. */
  readonly arrivals: number[];
  /** The body of every request, in arrival order. */
  readonly bodies: string[];
  readonly byStatus: Map<number, number>;
  /** The most requests ever open at once. */
  readonly maxOpen: () => number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A tiny node:http gateway on 127.0.0.1, port 0: 200 for a verified request, 401 otherwise. */
export async function startReceiver(delayMs = 0): Promise<Receiver> {
  const arrivals: number[] = [];
  const bodies: string[] = [];
  const byStatus = new Map<number, number>();
  let open = 0;
  let maxOpen = 0;
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    arrivals.push(performance.now());
    const body = await readBody(request);
    bodies.push(body.toString('utf8'));
    const name = (request.url ?? '').split('/')[2] ?? '';
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[key] = value;
    const status =
      isProviderName(name) && registry[name].verify({ body, headers, receivedAt: new Date() }).ok ? 200 : 401;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    open -= 1;
    response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? '[accepted]' : 'forged');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    bodies,
    byStatus,
    maxOpen: () => maxOpen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
