/**
 * A customer's past folded into what the features read of it: counts, first and last times, the amounts
 * of their successes, the merchants and currencies they used, and the outcomes of the longest window a
 * feature looks back over (90 days). The features are computed from this state (features.ts), whether it
 * was folded just now from a list of past events (training, or a past read from the store) or kept in the
 * store and folded one event at a time as events were stored (stored-state.ts): the same fold, so online
 * and offline features agree by construction, and a score costs the same with a week's past or ten years'.
 *
 * Folding needs the events oldest first (ties by `event_id`); what no later event can reach any more is
 * dropped by `compact`. Pure: no I/O, no clock.
 */
import { countryCode } from '../../providers/country.ts';
import { DECLINE_RULES } from '../retry/rules.ts';
import { pastIsoMinor } from './amounts.ts';
import {
  countOutcome,
  DAY_MS,
  DUPLICATE_SUCCESS_MS,
  emptyOutcomeMemory,
  type OutcomeMemory,
  type PastEvent,
  type TimedEvent,
} from './history.ts';

/** The longest window any feature looks back over: older outcomes are summed up, not kept one by one. */
export const WINDOW_MS = 90 * DAY_MS;
/** How far apart two charges of a monthly subscription fall (calendar months and a late retry). */
const MONTHLY = { min: 25 * DAY_MS, max: 35 * DAY_MS } as const;

/** An outcome of the last 90 days: a success, a decline, or a decline only a new card fixes. */
export type RecentKind = 'success' | 'decline' | 'card_decline';

export interface RecentOutcome {
  readonly time: number;
  readonly kind: RecentKind;
  /** In ISO 4217 minor units, whichever provider's the event's were (amounts.ts). */
  readonly amountCents: number;
  readonly currency: string;
}

export interface CustomerState {
  /** Past events of any type. */
  count: number;
  first: number | undefined;
  last: number | undefined;
  /** Every currency of any past event. */
  readonly currencies: Set<string>;
  /** Merchant id → time of the customer's first event with it. */
  readonly merchants: Map<string, number>;
  /** Payment id → the card's country from its latest event in the window that reported one. */
  readonly cardCountries: Map<string, { readonly time: number; readonly country: string }>;
  readonly outcomes: OutcomeMemory;
  /** Outcomes of the window, oldest first. */
  readonly recent: RecentOutcome[];
  /** Declined attempts since the last success. */
  consecutiveFailures: number;
  /** Attempts per currency, and the currency most of them were in (ties: the latest). */
  readonly attemptCurrencies: Map<string, number>;
  usualCurrency: string | undefined;
  successes: number;
  firstSuccess: number | undefined;
  lastSuccess: number | undefined;
  /** Bit h set when a success happened at UTC hour h. */
  successHours: number;
  /** Currency → the amounts of every success in it, in ISO 4217 minor units (amounts.ts), ascending. */
  readonly successAmounts: Map<string, number[]>;
  /** Same merchant, currency and amount → the times of such successes that a later one can still repeat. */
  readonly monthlyTimes: Map<string, number[]>;
  monthlyRepeats: number;
  lastMonthlyRepeat: number | undefined;
}

function emptyState(): CustomerState {
  return {
    count: 0,
    first: undefined,
    last: undefined,
    currencies: new Set(),
    merchants: new Map(),
    cardCountries: new Map(),
    outcomes: emptyOutcomeMemory(),
    recent: [],
    consecutiveFailures: 0,
    attemptCurrencies: new Map(),
    usualCurrency: undefined,
    successes: 0,
    firstSuccess: undefined,
    lastSuccess: undefined,
    successHours: 0,
    successAmounts: new Map(),
    monthlyTimes: new Map(),
    monthlyRepeats: 0,
    lastMonthlyRepeat: undefined,
  };
}

/** A decline only the cardholder can fix (new card or details) or that will never be approved. */
export function needsNewCard(code: PastEvent['failure_code']): boolean {
  const kind = DECLINE_RULES[code ?? 'other'].kind;
  return kind === 'hard_decline' || kind === 'needs_customer';
}

function insertSorted(values: number[], value: number): void {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) <= value) low = middle + 1;
    else high = middle;
  }
  values.splice(low, 0, value);
}

function foldSuccess(state: CustomerState, time: number, event: PastEvent): void {
  state.consecutiveFailures = 0;
  state.successes += 1;
  state.firstSuccess ??= time;
  state.lastSuccess = time;
  state.successHours |= 1 << new Date(time).getUTCHours();
  const amount = pastIsoMinor(event);
  const amounts = state.successAmounts.get(event.currency) ?? [];
  insertSorted(amounts, amount);
  state.successAmounts.set(event.currency, amounts);
  if (event.merchant_id === null) return;
  const key = `${event.merchant_id}\u0000${event.currency}\u0000${amount}`;
  const times = state.monthlyTimes.get(key) ?? [];
  if (times.some((earlier) => time - earlier >= MONTHLY.min && time - earlier <= MONTHLY.max)) {
    state.monthlyRepeats += 1;
    state.lastMonthlyRepeat = time;
  }
  times.push(time);
  state.monthlyTimes.set(key, times);
}

function foldAttempt(state: CustomerState, time: number, event: PastEvent, succeeded: boolean): void {
  const count = (state.attemptCurrencies.get(event.currency) ?? 0) + 1;
  state.attemptCurrencies.set(event.currency, count);
  if (count >= (state.attemptCurrencies.get(state.usualCurrency ?? '') ?? 0)) state.usualCurrency = event.currency;
  const kind = succeeded ? 'success' : needsNewCard(event.failure_code) ? 'card_decline' : 'decline';
  state.recent.push({ time, kind, amountCents: pastIsoMinor(event), currency: event.currency });
  if (succeeded) foldSuccess(state, time, event);
  else state.consecutiveFailures += 1;
}

/** Adds one event at `time` to `state`; `time` is at or after every event folded before it. */
export function foldEvent(state: CustomerState, time: number, event: PastEvent): void {
  state.count += 1;
  state.first ??= time;
  state.last = time;
  state.currencies.add(event.currency);
  if (event.merchant_id !== null && !state.merchants.has(event.merchant_id))
    state.merchants.set(event.merchant_id, time);
  const country = countryCode(event.metadata.card_country);
  if (country !== undefined) state.cardCountries.set(event.payment_id, { time, country });
  const succeeded = countOutcome(state.outcomes, time, event);
  if (succeeded !== undefined) foldAttempt(state, time, event, succeeded);
}

function dropWhere<K, V>(map: Map<K, V>, stale: (value: V) => boolean): void {
  for (const [key, value] of map) if (stale(value)) map.delete(key);
}

/**
 * Drops what no event after `state.last` can reach: outcomes older than the longest window, payments
 * older than their duplicate windows, successes too old to be repeated monthly. Features computed at
 * any time after `state.last` are the same with or without it.
 */
export function compact(state: CustomerState): void {
  const last = state.last;
  if (last === undefined) return;
  const firstKept = state.recent.findIndex((outcome) => outcome.time >= last - WINDOW_MS);
  state.recent.splice(0, firstKept === -1 ? state.recent.length : firstKept);
  dropWhere(state.cardCountries, ({ time }) => time < last - WINDOW_MS);
  dropWhere(state.outcomes.succeeded, (time) => time <= last - DUPLICATE_SUCCESS_MS);
  dropWhere(state.outcomes.declines, (time) => time <= last - DAY_MS);
  for (const [key, times] of state.monthlyTimes) {
    const kept = times.filter((time) => time >= last - MONTHLY.max);
    if (kept.length === 0) state.monthlyTimes.delete(key);
    else state.monthlyTimes.set(key, kept);
  }
}

/** The state of a past given oldest first (`eventsBefore`). */
export function stateOf(past: readonly TimedEvent[]): CustomerState {
  const state = emptyState();
  for (const { time, event } of past) foldEvent(state, time, event);
  return state;
}
