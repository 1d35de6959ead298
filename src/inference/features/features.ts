/**
 * The one feature module: every feature the scoring uses, computed from an event and the customer's past
 * strictly before the event's timestamp, folded into a `CustomerState` (state.ts). Pure and free of I/O,
 * so the same code scores online (from the state the store keeps) and builds training sets (folding each
 * event's past). Times are measured from the event's timestamp, never from a clock.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { countryCode } from '../../providers/country.ts';
import { isoMinor, toMajor } from './amounts.ts';
import { usesCurrency } from './cross-border.ts';
import { DAY_MS, eventsBefore, HOUR_MS, type PastEvent } from './history.ts';
import { type CustomerState, needsNewCard, type RecentKind, stateOf, WINDOW_MS } from './state.ts';

/**
 * Each feature's meaning. Amounts are in major units of the event's currency (ISO 4217 exponent, whatever the
 * provider's own: amounts.ts).
 */
export const FEATURES = {
  has_customer: '1 when the event names a customer, else 0 (anonymous payments have no history).',
  history_events: 'Number of past events of the customer (any type).',
  is_new_customer: '1 when the customer has no past event, else 0.',
  velocity_count_1h: 'Payment attempts (successes and declines) in the hour before the event.',
  velocity_count_24h: 'Payment attempts in the 24 hours before the event.',
  velocity_count_7d: 'Payment attempts in the 7 days before the event.',
  velocity_amount_1h: 'Sum of the attempts in the event currency in the hour before the event.',
  velocity_amount_24h: 'Sum of the attempts in the event currency in the 24 hours before the event.',
  velocity_amount_7d: 'Sum of the attempts in the event currency in the 7 days before the event.',
  amount: "The event's amount.",
  amount_to_median:
    "The event's amount divided by the median of the customer's past successful payments in the same " +
    'currency; 1 when there is no such payment (no norm, so no evidence either way); at most 1000.',
  amount_norm_size: 'Number of past successful payments in the event currency behind `amount_to_median`.',
  failures_24h: 'Declined attempts in the 24 hours before the event.',
  failures_30d: 'Declined attempts in the 30 days before the event.',
  consecutive_failures: "Declined attempts since the customer's last success (or since first seen).",
  event_failed: '1 when the event itself is a failure (status `failed`), else 0.',
  event_succeeded:
    '1 when the event itself is a successful payment (`payment.succeeded` or `payment.captured`), else 0: ' +
    '`days_since_last_success` counts only successes before it.',
  days_since_last_success:
    'Days since the last successful payment; since first seen when none succeeded; 0 for a new customer.',
  frequency_90d: 'Successful payments in the 90 days before the event.',
  successes_total: 'Successful payments in the whole past.',
  monetary_90d: 'Sum of the successful payments in the event currency in the 90 days before the event.',
  tenure_days: "Days since the customer's first past event; 0 for a new customer.",
  new_currency: '1 when the customer has a past but never in this currency, else 0.',
  new_merchant: '1 when the customer has a past but never with this merchant, else 0.',
  hour_of_day: "UTC hour (0..23) of the event's timestamp.",
  failures_1h: 'Declined attempts in the hour before the event (card testing comes in bursts).',
  successes_24h: 'Successful payments in the 24 hours before the event.',
  successes_30d: 'Successful payments in the 30 days before the event (with `frequency_90d`: a fading rhythm).',
  days_since_last_event: 'Days since the latest past event of any kind; 0 for a new customer.',
  hour_distance: "Circular hours (0..12) from the event's UTC hour to the nearest hour of a past success; 0 with none.",
  new_merchants_7d: 'Merchants used in the last 7 days that the customer had not used before those 7 days.',
  amount_to_max:
    'The amount over the largest past success in the same currency; 1 with none; at most 1000 (a stolen card ' +
    'spends more than its owner ever did).',
  card_declines_30d:
    'Declines in the 30 days before the event that no retry can fix (hard declines, an expired or blocked ' +
    'card, details only the customer can correct): a customer whose card stopped working may be gone.',
  event_card_decline: '1 when the event itself is such a decline, else 0.',
  recency_to_rhythm:
    'Days since the last success over the usual gap between successes; 0 with fewer than two; at most 100.',
  card_country_mismatch:
    "1 when the card's issuing country (`metadata.card_country`, or an earlier event of the same payment in the " +
    "90 days before) is known and does not use the payment's currency (cross-border: the currency is the merchant's " +
    "price, and no webhook names the merchant's country), else 0.",
  currency_mismatch:
    '1 when the customer has past attempts and this currency is not the one most of them were in, else 0 ' +
    '(unlike `new_currency`, it stays 1 through a spree abroad).',
  monthly_repeats:
    'Past successes repeating an earlier success (same merchant, amount and currency) 25 to 35 days before: a ' +
    'subscription, which a customer who is still there pays again within a month.',
  days_since_monthly_repeat: 'Days since the latest of those; 0 with none.',
} as const satisfies Record<string, string>;

export type FeatureName = keyof typeof FEATURES;
/** A flat record of numbers, one per feature; always finite. */
export type Features = Readonly<Record<FeatureName, number>>;

const MAX_AMOUNT_RATIO = 1000;

/** `amount` over the median of `sorted` (ISO minor units, ascending); 1 with none, at most the cap. */
function amountToMedian(amount: number, sorted: readonly number[], currency: string): number {
  if (sorted.length === 0) return 1;
  const middle = Math.floor(sorted.length / 2);
  const upper = toMajor(sorted[middle] ?? 0, currency);
  const typical = sorted.length % 2 === 1 ? upper : (toMajor(sorted[middle - 1] ?? 0, currency) + upper) / 2;
  if (typical === 0) return amount === 0 ? 1 : MAX_AMOUNT_RATIO;
  return Math.min(amount / typical, MAX_AMOUNT_RATIO);
}

/** `amount` over the largest past success; 1 with none, at most the cap. */
function amountToMax(amount: number, sorted: readonly number[], currency: string): number {
  if (sorted.length === 0) return 1;
  const largest = toMajor(sorted.at(-1) ?? 0, currency);
  return largest === 0 ? (amount === 0 ? 1 : MAX_AMOUNT_RATIO) : Math.min(amount / largest, MAX_AMOUNT_RATIO);
}

/** Circular distance in hours (0..12) from `hour` to the nearest hour set in `hours`; 0 with none. */
function hourDistance(hour: number, hours: number): number {
  let best = hours === 0 ? 0 : 12;
  for (let h = 0; h < 24; h++) {
    if ((hours & (1 << h)) === 0) continue;
    const gap = Math.abs(h - hour);
    best = Math.min(best, gap, 24 - gap);
  }
  return best;
}

/**
 * Days since the last success over the customer's usual gap between successes (tenure / successes):
 * about 1 for someone paying on their own rhythm, well above it for someone who stopped. 0 without two
 * successes (no rhythm to compare with), at most 100.
 */
function recencyToRhythm(state: CustomerState, now: number): number {
  const { firstSuccess: first, lastSuccess: last } = state;
  if (state.successes < 2 || first === undefined || last === undefined) return 0;
  const gap = (last - first) / (state.successes - 1);
  return gap <= 0 ? 100 : Math.min((now - last) / gap, 100);
}

/**
 * The card's issuing country from the event's `metadata.card_country`, else from the latest past event
 * of the same payment in the window that reported it (Stripe reports it on the Charge, not on the
 * PaymentIntent). 1 when known and not a country that uses the payment's currency, else 0.
 */
function cardCountryMismatch(event: UnifiedPaymentEvent, state: CustomerState, now: number): number {
  const earlier = state.cardCountries.get(event.payment_id);
  const country =
    countryCode(event.metadata.card_country) ??
    (earlier !== undefined && earlier.time >= now - WINDOW_MS ? earlier.country : undefined);
  return country !== undefined && !usesCurrency(country, event.currency) ? 1 : 0;
}

/** Counts and sums over the recent outcomes (oldest first), per window. */
function windowed(state: CustomerState, now: number, currency: string) {
  const count = (ms: number, ...kinds: RecentKind[]) =>
    state.recent.filter((o) => o.time >= now - ms && (kinds.length === 0 || kinds.includes(o.kind))).length;
  const sum = (ms: number, ...kinds: RecentKind[]) =>
    state.recent
      .filter((o) => o.time >= now - ms && (kinds.length === 0 || kinds.includes(o.kind)) && o.currency === currency)
      .reduce((total, o) => total + toMajor(o.amountCents, o.currency), 0);
  return { count, sum };
}

/** Merchants whose first use by the customer falls in the 7 days before `now`. */
function newMerchants7d(state: CustomerState, now: number): number {
  let fresh = 0;
  for (const first of state.merchants.values()) if (first >= now - 7 * DAY_MS) fresh++;
  return fresh;
}

/** Computes every feature of `event` at `now` (its timestamp) from the state of the customer's past before it. */
export function featuresFromState(event: UnifiedPaymentEvent, state: CustomerState, now: number): Features {
  const { count, sum } = windowed(state, now, event.currency);
  const failed = ['decline', 'card_decline'] as const;
  const amount = toMajor(isoMinor(event.amount_cents, event.currency, event.provider), event.currency);
  const days = (since: number | undefined) => (since === undefined ? 0 : (now - since) / DAY_MS);
  const hasPast = state.count > 0;
  const merchant = event.merchant_id;
  const hour = Number.isFinite(now) ? new Date(now).getUTCHours() : 0;
  const amounts = state.successAmounts.get(event.currency) ?? [];
  return {
    has_customer: event.customer_id === null ? 0 : 1,
    history_events: state.count,
    is_new_customer: hasPast ? 0 : 1,
    velocity_count_1h: count(HOUR_MS),
    velocity_count_24h: count(DAY_MS),
    velocity_count_7d: count(7 * DAY_MS),
    velocity_amount_1h: sum(HOUR_MS),
    velocity_amount_24h: sum(DAY_MS),
    velocity_amount_7d: sum(7 * DAY_MS),
    amount,
    amount_to_median: amountToMedian(amount, amounts, event.currency),
    amount_norm_size: amounts.length,
    failures_24h: count(DAY_MS, ...failed),
    failures_30d: count(30 * DAY_MS, ...failed),
    consecutive_failures: state.consecutiveFailures,
    event_failed: event.status === 'failed' ? 1 : 0,
    event_succeeded: event.event_type === 'payment.succeeded' || event.event_type === 'payment.captured' ? 1 : 0,
    days_since_last_success: days(state.lastSuccess ?? state.first),
    frequency_90d: count(WINDOW_MS, 'success'),
    successes_total: state.successes,
    monetary_90d: sum(WINDOW_MS, 'success'),
    tenure_days: days(state.first),
    new_currency: hasPast && !state.currencies.has(event.currency) ? 1 : 0,
    new_merchant: hasPast && merchant !== null && !state.merchants.has(merchant) ? 1 : 0,
    hour_of_day: hour,
    failures_1h: count(HOUR_MS, ...failed),
    successes_24h: count(DAY_MS, 'success'),
    successes_30d: count(30 * DAY_MS, 'success'),
    days_since_last_event: days(state.last),
    hour_distance: hourDistance(hour, state.successHours),
    new_merchants_7d: newMerchants7d(state, now),
    amount_to_max: amountToMax(amount, amounts, event.currency),
    recency_to_rhythm: recencyToRhythm(state, now),
    card_declines_30d: count(30 * DAY_MS, 'card_decline'),
    event_card_decline: event.status === 'failed' && needsNewCard(event.failure_code) ? 1 : 0,
    card_country_mismatch: cardCountryMismatch(event, state, now),
    currency_mismatch: state.usualCurrency !== undefined && state.usualCurrency !== event.currency ? 1 : 0,
    monthly_repeats: state.monthlyRepeats,
    days_since_monthly_repeat: days(state.lastMonthlyRepeat),
  };
}

/**
 * Computes every feature of `event` from `history`, the customer's past events in any order. Only
 * history strictly before the event's timestamp is used, whatever the caller passes: no future leakage.
 */
export function computeFeatures(event: UnifiedPaymentEvent, history: readonly PastEvent[]): Features {
  const now = Date.parse(event.timestamp);
  return featuresFromState(event, stateOf(eventsBefore(history, now)), now);
}
