/**
 * parseUnifiedPaymentEvent, the hot path's check, against zod's `UnifiedPaymentEvent.safeParse`: the same
 * answer for every input (valid, mutated, or anything at all), zod's output for valid events (keys in the
 * schema's order), and zod left uncalled for a valid event, which is where the speed comes from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseUnifiedPaymentEvent, UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { EVENT_TYPES, FAILURE_CODES, PROVIDERS, STATUSES } from '../../src/contracts/vocabulary.ts';

/** Text with the characters the checks care about: NUL, surrogates, the lengths 0, 1, 255 and 256. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', 'x'.repeat(255), 'x'.repeat(256)),
);
const instant = fc.date({
  min: new Date('0000-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
/** Strings in the timestamp's shape with any digits: days past the month's end, hour 24, 29 February. */
const nearTimestamp = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
  .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
const timestamp = fc.oneof(
  instant.map((date) => date.toISOString()),
  nearTimestamp,
  text,
);

const validEvent = fc.record({
  schema_version: fc.constant(1),
  event_id: fc.string({ minLength: 1, maxLength: 255 }).filter((value) => !value.includes('\u0000')),
  provider: fc.constantFrom(...PROVIDERS),
  event_type: fc.constantFrom(...EVENT_TYPES),
  provider_event_type: fc.constantFrom('payment_intent.succeeded', 'AUTHORISATION'),
  payment_id: fc.constantFrom('pi_1', 'sq_2'),
  amount_cents: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
  currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
  status: fc.constantFrom(...STATUSES),
  failure_code: fc.oneof(fc.constant(null), fc.constantFrom(...FAILURE_CODES)),
  customer_id: fc.oneof(fc.constant(null), fc.constantFrom('cus_1', 'c')),
  merchant_id: fc.oneof(fc.constant(null), fc.constant('m_1')),
  timestamp: instant.map((date) => date.toISOString()),
  received_at: instant.map((date) => date.toISOString()),
  metadata: fc.dictionary(
    fc.string({ maxLength: 8 }).filter((key) => !key.includes('\u0000') && key !== '__proto__'),
    fc.string({ maxLength: 8 }).filter((value) => !value.includes('\u0000')),
    { maxKeys: 4 },
  ),
});

const FIELDS = Object.keys(UnifiedPaymentEvent.shape);
/** One change to a valid event: a field set to something else or removed, a key added, metadata changed. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constantFrom(...FIELDS),
    value: fc.oneof(text, timestamp, fc.anything()),
  }),
  fc.record({
    kind: fc.constant('amount' as const),
    value: fc.constantFrom(-1, -0, 0.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '1'),
  }),
  fc.record({ kind: fc.constant('remove' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({ kind: fc.constant('add' as const), field: text, value: fc.anything() }),
  fc.record({ kind: fc.constant('metadata' as const), key: text, value: fc.oneof(text, fc.anything()) }),
  fc
    .constantFrom('proto-key', 'symbol-key', 'hidden-key', 'class', 'inherited', 'array', 'json-proto')
    .map((kind) => ({ kind })),
);

function mutate(event: Record<string, unknown>, change: Record<string, unknown>) {
  const copy: Record<string, unknown> = { ...event, metadata: { ...(event.metadata as object) } };
  const metadata = copy.metadata as Record<PropertyKey, unknown>;
  switch (change.kind) {
    case 'set':
      copy[change.field as string] = change.value;
      return copy;
    case 'amount':
      copy.amount_cents = change.value;
      return copy;
    case 'remove':
      delete copy[change.field as string];
      return copy;
    case 'add':
      copy[change.field as string] = change.value;
      return copy;
    case 'metadata':
      metadata[change.key as string] = change.value;
      return copy;
    case 'proto-key':
      // JSON.parse makes an own key named __proto__, which an object literal cannot.
      metadata['\u0001proto'] = 'x';
      return JSON.parse(JSON.stringify(copy).replace('"\\u0001proto"', '"__proto__"'));
    case 'json-proto':
      return JSON.parse(`{"__proto__":{"a":1},${JSON.stringify(copy).slice(1)}`);
    case 'symbol-key':
      metadata[Symbol('s')] = 'v';
      return copy;
    case 'hidden-key':
      Object.defineProperty(metadata, 'hidden', { value: 1, enumerable: false });
      return copy;
    case 'class':
      return Object.assign(new (class Event {})(), copy);
    case 'inherited':
      return Object.assign(Object.create({ extra: 1 }), copy);
    default:
      return [copy];
  }
}

function assertSameAsZod(value: unknown): void {
  const fast = parseUnifiedPaymentEvent(value);
  const zod = UnifiedPaymentEvent.safeParse(value);
  assert.equal(fast.success, zod.success, JSON.stringify(zod.error?.issues ?? null));
  if (fast.success && zod.success) {
    assert.deepEqual(fast.data, zod.data);
    assert.equal(JSON.stringify(fast.data), JSON.stringify(zod.data), 'keys in the same order');
  } else assert.deepEqual(fast.error?.issues, zod.error?.issues);
}

test('valid events: the same data as zod, keys in the schema order', () => {
  fc.assert(fc.property(validEvent, assertSameAsZod), { numRuns: 500 });
});

test('mutated events: accepted and refused exactly as zod does, with its issues', () => {
  fc.assert(
    fc.property(validEvent, fc.array(mutation, { minLength: 1, maxLength: 3 }), (event, changes) => {
      assertSameAsZod(
        changes.reduce<unknown>((value, change) => mutate(value as Record<string, unknown>, change), event),
      );
    }),
    { numRuns: 3000 },
  );
});

test('anything at all, and timestamps near the valid ones, are judged as zod judges them', () => {
  fc.assert(fc.property(fc.anything(), assertSameAsZod), { numRuns: 500 });
  fc.assert(
    fc.property(validEvent, nearTimestamp, (event, timestamp) => assertSameAsZod({ ...event, timestamp })),
    { numRuns: 1000 },
  );
});

test('a valid event is checked without zod', (t) => {
  t.mock.method(UnifiedPaymentEvent, 'safeParse', () => {
    throw new Error('zod was called');
  });
  fc.assert(
    fc.property(validEvent, (event) => parseUnifiedPaymentEvent(event).success),
    { numRuns: 200 },
  );
  assert.equal(parseUnifiedPaymentEvent(JSON.parse(JSON.stringify(fc.sample(validEvent, 1)[0]))).success, true);
});
