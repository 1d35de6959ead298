/**
 * The one feature module: every feature the scoring uses, computed from an event and the customer's past
 * strictly before the event's timestamp. Pure and free of I/O, so the same code scores online and builds
 * training sets. Times are measured from the event's timestamp, never from a clock.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { ISO_4217 } from '../../providers/currency.ts';
import { DECLINE_RULES } from '../retry/rules.ts';
import { cardCountryMismatch, currencyMismatch } from './cross-border.ts';
import { DAY_MS, eventsBefore, HOUR_MS, type Outcome, outcomes, type PastEvent } from './history.ts';
import { amountToMax, hourDistance, monthlyRepeats, newMerchants7d, recencyToRhythm } from './patterns.ts';

/** Each feature's meaning. Amounts are in major units of the event's currency (ISO 4217 exponent). */
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
    "1 when the card's issuing country (`metadata.card_country`, or an earlier event of the same payment) is " +
    "known and does not use the payment's currency (cross-border: the currency is the merchant's price, and no " +
    "webhook names the merchant's country), else 0.",
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

function toMajor(amountCents: number, currency: string): number {
  return amountCents / 10 ** (ISO_4217.get(currency) ?? 2);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

function amountRatio(amount: number, norm: readonly number[]): number {
  if (norm.length === 0) return 1;
  const typical = median(norm);
  if (typical === 0) return amount === 0 ? 1 : MAX_AMOUNT_RATIO;
  return Math.min(amount / typical, MAX_AMOUNT_RATIO);
}

/** A decline only the cardholder can fix (new card or details) or that will never be approved. */
function needsNewCard(code: Outcome['failureCode']): boolean {
  const kind = DECLINE_RULES[code ?? 'other'].kind;
  return kind === 'hard_decline' || kind === 'needs_customer';
}

function consecutiveFailures(past: readonly Outcome[]): number {
  let count = 0;
  for (let i = past.length - 1; i >= 0 && past[i]?.succeeded === false; i--) count++;
  return count;
}

/**
 * Computes every feature of `event` from `history`, the customer's past events in any order. Only
 * history strictly before the event's timestamp is used, whatever the caller passes: no future leakage.
 */
export function computeFeatures(event: UnifiedPaymentEvent, history: readonly PastEvent[]): Features {
  const now = Date.parse(event.timestamp);
  const past = eventsBefore(history, now);
  const results = outcomes(past);
  const successes = results.filter((outcome) => outcome.succeeded);
  const failures = results.filter((outcome) => !outcome.succeeded);
  const inCurrency = (outcome: Outcome) => outcome.currency === event.currency;
  const within = (ms: number) => (outcome: Outcome) => outcome.time >= now - ms;
  const sum = (list: readonly Outcome[]) =>
    list.filter(inCurrency).reduce((total, outcome) => total + toMajor(outcome.amountCents, outcome.currency), 0);
  const amount = toMajor(event.amount_cents, event.currency);
  const first = past[0]?.time;
  const lastSuccess = successes.at(-1)?.time ?? first;
  const days = (since: number | undefined) => (since === undefined ? 0 : (now - since) / DAY_MS);
  const hasPast = past.length > 0;
  const merchant = event.merchant_id;
  const hour = Number.isFinite(now) ? new Date(now).getUTCHours() : 0;
  const norm = successes.filter(inCurrency).map((outcome) => toMajor(outcome.amountCents, outcome.currency));
  const monthly = monthlyRepeats(successes, now);
  return {
    has_customer: event.customer_id === null ? 0 : 1,
    history_events: past.length,
    is_new_customer: hasPast ? 0 : 1,
    velocity_count_1h: results.filter(within(HOUR_MS)).length,
    velocity_count_24h: results.filter(within(DAY_MS)).length,
    velocity_count_7d: results.filter(within(7 * DAY_MS)).length,
    velocity_amount_1h: sum(results.filter(within(HOUR_MS))),
    velocity_amount_24h: sum(results.filter(within(DAY_MS))),
    velocity_amount_7d: sum(results.filter(within(7 * DAY_MS))),
    amount,
    amount_to_median: amountRatio(amount, norm),
    amount_norm_size: norm.length,
    failures_24h: failures.filter(within(DAY_MS)).length,
    failures_30d: failures.filter(within(30 * DAY_MS)).length,
    consecutive_failures: consecutiveFailures(results),
    event_failed: event.status === 'failed' ? 1 : 0,
    event_succeeded: event.event_type === 'payment.succeeded' || event.event_type === 'payment.captured' ? 1 : 0,
    days_since_last_success: days(lastSuccess),
    frequency_90d: successes.filter(within(90 * DAY_MS)).length,
    successes_total: successes.length,
    monetary_90d: sum(successes.filter(within(90 * DAY_MS))),
    tenure_days: days(first),
    new_currency: hasPast && !past.some(({ event: e }) => e.currency === event.currency) ? 1 : 0,
    new_merchant: hasPast && merchant !== null && !past.some(({ event: e }) => e.merchant_id === merchant) ? 1 : 0,
    hour_of_day: hour,
    failures_1h: failures.filter(within(HOUR_MS)).length,
    successes_24h: successes.filter(within(DAY_MS)).length,
    successes_30d: successes.filter(within(30 * DAY_MS)).length,
    days_since_last_event: days(past.at(-1)?.time),
    hour_distance: hourDistance(
      hour,
      successes.map((outcome) => outcome.time),
    ),
    new_merchants_7d: newMerchants7d(past, now),
    amount_to_max: amountToMax(amount, norm, MAX_AMOUNT_RATIO),
    recency_to_rhythm: recencyToRhythm(successes, now),
    card_declines_30d: failures.filter(within(30 * DAY_MS)).filter((o) => needsNewCard(o.failureCode)).length,
    event_card_decline: event.status === 'failed' && needsNewCard(event.failure_code) ? 1 : 0,
    card_country_mismatch: cardCountryMismatch(event, past),
    currency_mismatch: currencyMismatch(event.currency, results),
    monthly_repeats: monthly.count,
    days_since_monthly_repeat: monthly.daysSinceLast,
  };
}
