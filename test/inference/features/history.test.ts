import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventsBefore, outcomes } from '../../../src/inference/features/history.ts';
import { event, failed, iso, MINUTE, succeeded, T0 } from '../events.ts';

test('eventsBefore keeps only events strictly before the cutoff, oldest first, and skips bad timestamps', () => {
  const late = succeeded('pi_late', T0 + 1);
  const same = succeeded('pi_same', T0);
  const old = succeeded('pi_old', T0 - 2 * MINUTE);
  const recent = succeeded('pi_recent', T0 - MINUTE);
  const broken = event({ payment_id: 'pi_broken', timestamp: 'not a time' });
  const kept = eventsBefore([late, recent, broken, same, old], T0);
  assert.deepEqual(
    kept.map(({ event: e }) => e.payment_id),
    ['pi_old', 'pi_recent'],
  );
  assert.equal(kept[0]?.time, T0 - 2 * MINUTE);
});

test('eventsBefore orders ties by event_id, whatever the input order', () => {
  const a = succeeded('pi_a', T0 - MINUTE);
  const b = succeeded('pi_b', T0 - MINUTE);
  const ids = (list: (typeof a)[]) => eventsBefore(list, T0).map(({ event: e }) => e.event_id);
  assert.deepEqual(ids([b, a]), ids([a, b]));
});

test('a payment succeeds once, whether announced as succeeded, captured, or both', () => {
  const list = eventsBefore(
    [
      succeeded('pi_1', T0 - 3 * MINUTE),
      succeeded('pi_1', T0 - 2 * MINUTE, { event_type: 'payment.captured', status: 'succeeded' }),
      succeeded('pi_2', T0 - MINUTE, { event_type: 'payment.captured', status: 'succeeded' }),
      succeeded('pi_3', T0 - MINUTE, { event_type: 'payment.authorized', status: 'authorized' }),
      succeeded('pi_1', T0 - MINUTE, { event_type: 'refund.succeeded', status: 'refunded' }),
    ],
    T0,
  );
  assert.deepEqual(
    outcomes(list).map((o) => [o.paymentId, o.succeeded]),
    [
      ['pi_1', true],
      ['pi_2', true],
    ],
  );
});

test('a decline announced twice within a minute is one attempt; a later one is another', () => {
  const list = eventsBefore(
    [
      failed('pi_1', T0 - 10 * MINUTE, 'do_not_honor'),
      failed('pi_1', T0 - 10 * MINUTE + 30_000, 'do_not_honor', { provider_event_type: 'charge.failed' }),
      failed('pi_1', T0 - 5 * MINUTE, 'do_not_honor'),
      failed('pi_1', T0 - 5 * MINUTE + 1000, 'processing_error'),
    ],
    T0,
  );
  assert.deepEqual(
    outcomes(list).map((o) => [iso(o.time), o.failureCode]),
    [
      [iso(T0 - 10 * MINUTE), 'do_not_honor'],
      [iso(T0 - 5 * MINUTE), 'do_not_honor'],
      [iso(T0 - 5 * MINUTE + 1000), 'processing_error'],
    ],
  );
});
