import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { FAILURE_CODES } from '../../../src/contracts/vocabulary.ts';
import { computeFeatures, FEATURES } from '../../../src/inference/features/features.ts';
import { DAY, event, failed, HOUR, iso, MINUTE, succeeded, T0 } from '../events.ts';

// A customer first seen 100 days ago, three successes, then three declines (one announced twice, one in EUR).
const HISTORY = [
  succeeded('p1', T0 - 100 * DAY, { amount_cents: 2000 }),
  succeeded('p2', T0 - 40 * DAY, { amount_cents: 3000 }),
  succeeded('p2', T0 - 39 * DAY, { event_type: 'refund.succeeded', status: 'refunded', amount_cents: 3000 }),
  succeeded('p3', T0 - 10 * DAY, { amount_cents: 4000 }),
  failed('p4', T0 - 2 * DAY, 'insufficient_funds', { amount_cents: 1000 }),
  failed('p6', T0 - 5 * HOUR, 'processing_error', { amount_cents: 700, currency: 'EUR' }),
  failed('p5', T0 - 30 * MINUTE, 'do_not_honor', { amount_cents: 500 }),
  failed('p5', T0 - 30 * MINUTE + 20_000, 'do_not_honor', { amount_cents: 500, provider_event_type: 'charge.failed' }),
];
// Events at or after the scored event's time: a store bug or a replay must not leak them into features.
const FUTURE = [succeeded('p7', T0 + MINUTE, { amount_cents: 999_999 }), failed('p8', T0, 'suspected_fraud')];
const NOW = succeeded('p9', T0, { amount_cents: 5000 });

test('every feature is computed exactly from a hand-built history', () => {
  assert.deepEqual(computeFeatures(NOW, HISTORY), {
    has_customer: 1,
    history_events: 8,
    is_new_customer: 0,
    velocity_count_1h: 1,
    velocity_count_24h: 2,
    velocity_count_7d: 3,
    velocity_amount_1h: 5,
    velocity_amount_24h: 5,
    velocity_amount_7d: 15,
    amount: 50,
    amount_to_median: 50 / 30,
    amount_norm_size: 3,
    failures_24h: 2,
    failures_30d: 3,
    consecutive_failures: 3,
    event_failed: 0,
    event_succeeded: 1,
    days_since_last_success: 10,
    frequency_90d: 2,
    successes_total: 3,
    monetary_90d: 70,
    tenure_days: 100,
    new_currency: 0,
    new_merchant: 0,
    hour_of_day: 12,
    failures_1h: 1,
    successes_24h: 0,
    successes_30d: 1,
    days_since_last_event: (30 * MINUTE - 20_000) / DAY,
    hour_distance: 0,
    new_merchants_7d: 0,
    amount_to_max: 50 / 40,
    recency_to_rhythm: 10 / 45,
    card_declines_30d: 0,
    event_card_decline: 0,
    // No event reports a card country; USD is the usual currency (5 of 6 attempts).
    card_country_mismatch: 0,
    currency_mismatch: 0,
    monthly_repeats: 0,
    days_since_monthly_repeat: 0,
  });
});

test('declines only the cardholder can fix: an expired card, and a stolen one, but not a lack of funds', () => {
  const past = [
    failed('p20', T0 - 3 * DAY, 'expired_card'),
    failed('p21', T0 - 2 * DAY, 'lost_or_stolen_card'),
    failed('p22', T0 - DAY, 'insufficient_funds'),
    failed('p23', T0 - 40 * DAY, 'expired_card'),
  ];
  const features = computeFeatures(failed('p24', T0, 'expired_card'), past);
  assert.equal(features.card_declines_30d, 2);
  assert.equal(features.event_card_decline, 1);
  assert.equal(computeFeatures(failed('p25', T0, 'do_not_honor'), past).event_card_decline, 0);
});

test('habits: a payment at night, at new merchants, above anything the customer paid before', () => {
  const night = succeeded('p10', T0 - 9 * HOUR, { amount_cents: 30_000, merchant_id: 'm_new' });
  const features = computeFeatures(night, [...HISTORY, succeeded('p11', T0 - 2 * DAY, { merchant_id: 'm_other' })]);
  assert.equal(features.hour_distance, 9);
  assert.equal(features.new_merchants_7d, 1);
  assert.equal(features.amount_to_max, 300 / 40);
});

test('a subscription shows as the same charge at the same merchant a month apart', () => {
  const monthly = (time: number, overrides = {}) => succeeded(`s${time}`, time, { amount_cents: 1500, ...overrides });
  const history = [
    monthly(T0 - 95 * DAY),
    monthly(T0 - 64 * DAY),
    monthly(T0 - 33 * DAY, { merchant_id: 'm_2' }), // another merchant: not a repeat
    monthly(T0 - 20 * DAY, { amount_cents: 1501 }), // another amount: not a repeat
    monthly(T0 - 34 * DAY + HOUR), // 30 days after the second
    monthly(T0 - 10 * DAY), // 24 days after: too soon for a monthly charge
  ];
  const features = computeFeatures(event(), history);
  assert.equal(features.monthly_repeats, 2);
  assert.equal(features.days_since_monthly_repeat, 34 - 1 / 24);
  assert.equal(computeFeatures(event(), history.slice(0, 1)).monthly_repeats, 0);
  assert.equal(computeFeatures(event(), history.slice(0, 1)).days_since_monthly_repeat, 0);
});

test('history at or after the event time is ignored: no future leakage', () => {
  assert.deepEqual(computeFeatures(NOW, [...FUTURE, ...HISTORY]), computeFeatures(NOW, HISTORY));
});

test('no future leakage, for any events added at or after the event time (property)', () => {
  const later = fc.record({
    offset: fc.integer({ min: 0, max: 400 * DAY }),
    failure: fc.constantFrom(null, ...FAILURE_CODES),
    amount: fc.integer({ min: 0, max: 10_000_000 }),
  });
  fc.assert(
    fc.property(fc.array(later, { maxLength: 20 }), (extra) => {
      const leaks = extra.map(({ offset, failure, amount }, i) =>
        failure === null
          ? succeeded(`f${i}`, T0 + offset, { amount_cents: amount })
          : failed(`f${i}`, T0 + offset, failure, { amount_cents: amount }),
      );
      assert.deepEqual(computeFeatures(NOW, [...HISTORY, ...leaks]), computeFeatures(NOW, HISTORY));
    }),
  );
});

test('a new customer: no history, neutral amount ratio, zero recency and tenure', () => {
  const features = computeFeatures(failed('p1', T0 + 3 * HOUR, 'do_not_honor', { amount_cents: 123_456 }), []);
  assert.equal(features.is_new_customer, 1);
  assert.equal(features.history_events, 0);
  assert.equal(features.amount, 1234.56);
  assert.equal(features.amount_to_median, 1);
  assert.equal(features.days_since_last_success, 0);
  assert.equal(features.tenure_days, 0);
  assert.equal(features.new_currency, 0);
  assert.equal(features.new_merchant, 0);
  assert.equal(features.event_failed, 1);
  assert.equal(features.hour_of_day, 15);
});

test('amounts use the currency exponent, and only the same currency forms the norm', () => {
  const history = [succeeded('p1', T0 - DAY, { amount_cents: 1000, currency: 'JPY' })];
  const yen = computeFeatures(succeeded('p2', T0, { amount_cents: 5000, currency: 'JPY' }), history);
  assert.equal(yen.amount, 5000);
  assert.equal(yen.amount_to_median, 5);
  const dollars = computeFeatures(succeeded('p3', T0, { amount_cents: 5000, currency: 'USD' }), history);
  assert.equal(dollars.amount_to_median, 1);
  assert.equal(dollars.amount_norm_size, 0);
  assert.equal(dollars.new_currency, 1);
});

test("amounts use the exponent of the provider that sent them, not ISO 4217's (Adyen's IDR and CLP)", () => {
  // 100,000 rupiah twice through Adyen (IDR has no minor unit there), then 200,000 through Stripe (ISO: 2).
  const adyen = (paymentId: string, time: number, rupiah: number) =>
    succeeded(paymentId, time, { provider: 'adyen', currency: 'IDR', amount_cents: rupiah });
  const history = [adyen('p1', T0 - 2 * DAY, 100_000), adyen('p2', T0 - HOUR / 2, 100_000)];
  const stripe = computeFeatures(succeeded('p3', T0, { currency: 'IDR', amount_cents: 20_000_000 }), history);
  assert.equal(stripe.amount, 200_000);
  assert.equal(stripe.amount_to_median, 2);
  assert.equal(stripe.amount_to_max, 2);
  assert.equal(stripe.velocity_amount_1h, 100_000);
  assert.equal(stripe.monetary_90d, 200_000);
  assert.equal(computeFeatures(adyen('p4', T0, 150_000), history).amount, 150_000);
  // Adyen gives the Chilean peso two decimals where ISO gives none: 10,000 pesos is 1,000,000 there.
  const pesos = succeeded('p5', T0, { provider: 'adyen', currency: 'CLP', amount_cents: 1_000_000 });
  assert.equal(computeFeatures(pesos, []).amount, 10_000);
});

test('a new merchant for a known customer is flagged; an anonymous merchant is not', () => {
  const history = [succeeded('p1', T0 - DAY)];
  assert.equal(computeFeatures(succeeded('p2', T0, { merchant_id: 'm_2' }), history).new_merchant, 1);
  assert.equal(computeFeatures(succeeded('p2', T0, { merchant_id: null }), history).new_merchant, 0);
});

test('a customer who never succeeded has been lapsing since first seen', () => {
  const history = [failed('p1', T0 - 20 * DAY, 'insufficient_funds'), failed('p2', T0 - 5 * DAY, 'do_not_honor')];
  const features = computeFeatures(succeeded('p3', T0), history);
  assert.equal(features.days_since_last_success, 20);
  assert.equal(features.consecutive_failures, 2);
  assert.equal(features.successes_total, 0);
});

test('every feature is documented and always a finite number, for any history (property)', () => {
  const past = fc.record({
    daysAgo: fc.double({ min: 0.0001, max: 500, noNaN: true }),
    failure: fc.constantFrom(null, ...FAILURE_CODES),
    amount: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    currency: fc.constantFrom('USD', 'JPY', 'KWD', 'XXX'),
    payment: fc.integer({ min: 0, max: 5 }),
  });
  fc.assert(
    fc.property(fc.array(past, { maxLength: 30 }), fc.integer({ min: 0, max: 10 ** 9 }), (items, amount) => {
      const history: UnifiedPaymentEvent[] = items.map(({ daysAgo, failure, amount: a, currency, payment }) => {
        const time = Math.round(T0 - daysAgo * DAY);
        const overrides = { amount_cents: a, currency };
        return failure === null
          ? succeeded(`p${payment}`, time, overrides)
          : failed(`p${payment}`, time, failure, overrides);
      });
      const features = computeFeatures(event({ amount_cents: amount, timestamp: iso(T0) }), history);
      assert.deepEqual(Object.keys(features).sort(), Object.keys(FEATURES).sort());
      for (const [name, value] of Object.entries(features)) assert.ok(Number.isFinite(value), name);
    }),
  );
});

test('the same event and history always give the same features, whatever the history order', () => {
  assert.deepEqual(computeFeatures(NOW, [...HISTORY].reverse()), computeFeatures(NOW, HISTORY));
});
