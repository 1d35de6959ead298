/** Shared helpers for the Square normalization tests: run normalize, reshape fixtures, unpack results. */
import assert from 'node:assert/strict';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { ValidationIssue } from '../../../src/contracts/reasons.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { normalizeSquare } from '../../../src/providers/square/normalize.ts';

export const RECEIVED = '2026-03-01T12:10:00.000Z';

export function normalize(body: string | Buffer, receivedAt = RECEIVED): NormalizeResult {
  return normalizeSquare({
    id: 'rec-1',
    provider: 'square',
    received_at: receivedAt,
    headers: {},
    body: Buffer.from(body),
  });
}

export function fixture(name: string): string {
  const found = squareFixtures.find((candidate) => candidate.name === name);
  assert.ok(found, name);
  return found.payload;
}

/** The fixture with a change applied to its parsed JSON. */
// biome-ignore lint/suspicious/noExplicitAny: the tests reshape payloads into deliberately ill-typed ones.
export function changed(name: string, change: (event: Record<string, any>) => void): string {
  const event = JSON.parse(fixture(name));
  change(event);
  return JSON.stringify(event);
}

export function only(result: NormalizeResult): UnifiedPaymentEvent {
  assert.equal(result.kind, 'events', JSON.stringify(result));
  assert.ok(result.kind === 'events');
  assert.equal(result.events.length, 1);
  const [event] = result.events;
  assert.ok(event);
  return event;
}

export function issues(result: NormalizeResult): readonly ValidationIssue[] {
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  assert.ok(result.kind === 'invalid');
  return result.errors;
}

export function codes(result: NormalizeResult): string[] {
  return issues(result).map((issue) => `${issue.path}:${issue.code}`);
}

export const PAID = 'KkAkhdMsgzn59SM8A89WgKwekxLZY';
export const CUSTOMER = 'JDKYHBWT1D4F8MFH63DBMEN8Y4';
