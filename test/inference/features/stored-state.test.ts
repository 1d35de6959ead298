import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { FAILURE_CODES } from '../../../src/contracts/vocabulary.ts';
import { computeFeatures, featuresFromState } from '../../../src/inference/features/features.ts';
import { stateOf } from '../../../src/inference/features/state.ts';
import {
  advancedState,
  copyState,
  foldPending,
  MAX_STATE_CHARS,
  OVERSIZED_STATE,
  parseState,
  rebuildState,
  rebuiltState,
  serializeState,
  stateAt,
  storableState,
} from '../../../src/inference/features/stored-state.ts';
import { DAY, event, failed, HOUR, iso, MINUTE, succeeded, T0 } from '../events.ts';

/** Events of one customer over ~200 days, with shared timestamps, repeats and foreign cards and currencies. */
const pastEvent = fc
  .record({
    id: fc.uuid(),
    offset: fc.oneof(fc.integer({ min: 0, max: 200 * DAY }), fc.constantFrom(0, MINUTE, HOUR, 30 * DAY)),
    kind: fc.constantFrom('succeeded', 'captured', 'failed', 'refund', 'dispute'),
    payment: fc.integer({ min: 0, max: 12 }),
    amount: fc.constantFrom(0, 500, 1000, 1999, 25_000),
    currency: fc.constantFrom('USD', 'USD', 'EUR', 'JPY'),
    merchant: fc.option(fc.constantFrom('m_1', 'm_2', 'm_3'), { nil: null }),
    code: fc.constantFrom(...FAILURE_CODES),
    country: fc.option(fc.constantFrom('US', 'GB', 'fr', 'nowhere'), { nil: undefined }),
  })
  .map(({ id: eventId, offset, kind, payment, amount, currency, merchant, code, country }): UnifiedPaymentEvent => {
    const fields = {
      event_id: `evt_${eventId}`,
      amount_cents: amount,
      currency,
      merchant_id: merchant,
      metadata: country === undefined ? {} : { card_country: country },
    };
    const at = T0 - offset;
    const id = `pi_${payment}`;
    if (kind === 'failed') return failed(id, at, code, fields);
    if (kind === 'succeeded') return succeeded(id, at, fields);
    const type = kind === 'captured' ? 'payment.captured' : kind === 'refund' ? 'refund.succeeded' : 'dispute.opened';
    return event({ ...fields, payment_id: id, event_type: type, timestamp: iso(at) });
  });

/** Stores `events` in the order given, as a store does: append when it can, rebuild from all when not. */
function storeInOrder(events: readonly UnifiedPaymentEvent[]): string | null {
  let text: string | null = null;
  events.forEach((stored, index) => {
    text = advancedState(text, stored) ?? rebuiltState(events.slice(0, index + 1));
  });
  return text;
}

test('the state kept as events are stored, in any arrival order, scores as the past does', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(pastEvent, { maxLength: 40, selector: (e) => e.event_id }),
      pastEvent,
      fc.boolean(),
      (past, scored, inOrder) => {
        const arrival = inOrder ? [...past].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp)) : past;
        const stored = parseState(storeInOrder(arrival));
        const now = Date.parse(scored.timestamp);
        const state = stored === undefined ? undefined : stateAt(stored, now);
        const latest = Math.max(...past.map((e) => Date.parse(e.timestamp)));
        // The state answers for any time at or after the newest stored event, and never for an earlier one.
        assert.equal(state !== undefined, past.length > 0 && now >= latest);
        if (state !== undefined) assert.deepEqual(featuresFromState(scored, state, now), computeFeatures(scored, past));
      },
    ),
    { numRuns: 400 },
  );
});

test('folding into a copy of a state leaves the state as it was, and folds as the state itself does', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(pastEvent, { minLength: 1, maxLength: 40, selector: (e) => e.event_id }),
      fc.uniqueArray(pastEvent, { maxLength: 10, selector: (e) => e.event_id }),
      (past, later) => {
        const latest = Math.max(...past.map((e) => Date.parse(e.timestamp)));
        // At the state's newest time (joining its tip) and after it.
        const pending = later.map((e, i) => ({
          ...e,
          event_id: `later_${e.event_id}`,
          timestamp: iso(latest + (i % 2) * DAY),
        }));
        const text = rebuiltState(past) ?? assert.fail('no state');
        const original = parseState(text) ?? assert.fail('unreadable');
        const copied = stateAt(foldPending(copyState(original), pending) ?? assert.fail('refused'), latest + 2 * DAY);
        assert.equal(serializeState(original), text, 'the original is untouched');
        const folded = stateAt(foldPending(original, pending) ?? assert.fail('refused'), latest + 2 * DAY);
        assert.deepEqual(copied, folded);
      },
    ),
    { numRuns: 200 },
  );
});

test('events at the newest stored time are not in the past of an event at that time, and are in a later one', () => {
  const intent = succeeded('pi_1', T0, { event_id: 'a' });
  const charge = succeeded('pi_1', T0, { event_id: 'b', metadata: { card_country: 'GB' } });
  const stored = storeInOrder([succeeded('pi_0', T0 - DAY), intent]);
  const same = stateAt(parseState(stored) ?? assert.fail('no state'), T0);
  assert.equal(featuresFromState(charge, same ?? assert.fail('no state'), T0).history_events, 1);
  const later = stateAt(parseState(stored) ?? assert.fail('no state'), T0 + 1);
  assert.equal(featuresFromState(charge, later ?? assert.fail('no state'), T0 + 1).history_events, 2);
});

test('a year of monthly payments keeps a state of bounded size: old outcomes are summed up, not listed', () => {
  const months = (count: number) =>
    Array.from({ length: count }, (_, i) => succeeded(`pi_${i}`, T0 + i * 30 * DAY, { event_id: `e${i}` }));
  const size = (count: number) => (storeInOrder(months(count)) ?? '').length;
  assert.ok(size(48) - size(12) < 400, `${size(12)} → ${size(48)} characters`);
});

test('a state of another version or damaged is not read: the store rebuilds it', () => {
  const text = storeInOrder([succeeded('pi_1', T0)]) ?? assert.fail('no state');
  assert.notEqual(parseState(text), undefined);
  assert.equal(parseState(text.replace(/"v":\d+/, '"v":0')), undefined);
  assert.equal(parseState(text.slice(0, -5)), undefined);
  assert.equal(parseState(`${text.slice(0, text.indexOf(','))}}`), undefined);
  assert.equal(parseState(null), undefined);
  assert.equal(advancedState('not json', succeeded('pi_2', T0 + DAY)), undefined);
});

test("a state of version 1 is rebuilt: it kept amounts in the provider's minor unit, not ISO 4217's", () => {
  const text = storeInOrder([succeeded('pi_1', T0, { provider: 'adyen', currency: 'IDR' })]) ?? assert.fail('no state');
  assert.equal(parseState(text.replace(/"v":\d+/, '"v":1')), undefined);
});

test('an event whose time does not parse changes no state, as it is in no past', () => {
  const text = storeInOrder([succeeded('pi_1', T0)]) ?? assert.fail('no state');
  const advanced = advancedState(text, event({ payment_id: 'pi_2', event_id: 'bad', timestamp: 'soon' }));
  assert.equal(advanced, text);
  assert.equal(rebuiltState([event({ timestamp: 'soon' })]), null);
  const stored = parseState(text) ?? assert.fail('no state');
  assert.equal(serializeState(stored), text, 'parse and serialize are inverses');
});

test('a state too long to be worth reading is kept as a marker that reads as none and never grows', () => {
  const spree = Array.from({ length: 12_000 }, (_, i) => {
    const time = T0 + i * MINUTE;
    return { time, event: succeeded(`pi_${i}`, time, { event_id: `e${i}`, merchant_id: `merchant_${i}` }) };
  });
  const stored = { base: stateOf(spree), tipTime: T0 + 12_000 * MINUTE, tip: [] };
  assert.ok(serializeState(stored).length > MAX_STATE_CHARS);
  assert.equal(storableState(stored), OVERSIZED_STATE);
  assert.equal(parseState(OVERSIZED_STATE), undefined, 'scores read the past instead');
  assert.equal(advancedState(OVERSIZED_STATE, succeeded('pi_next', T0 + DAY * 30)), OVERSIZED_STATE);
  const small = storeInOrder([succeeded('pi_1', T0)]) ?? assert.fail('no state');
  assert.equal(storableState(parseState(small) ?? assert.fail('unreadable')), small);
});

test('a past of 300,000 events is rebuilt, not refused for the size of an argument list', () => {
  const past = Array.from({ length: 300_000 }, (_, i) =>
    failed(`pi_${i % 50}`, T0 + i * MINUTE, 'insufficient_funds', { event_id: `e${i}` }),
  );
  const stored = rebuildState(past) ?? assert.fail('no state');
  assert.equal(stored.tipTime, T0 + 299_999 * MINUTE);
  assert.equal(stored.base.count, 299_999);
});
