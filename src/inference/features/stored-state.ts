/**
 * A customer's state as the store keeps it (table `customer_state`), updated in the transaction that
 * stores each of their events, so that a score reads one row instead of the customer's whole past.
 *
 * Features use the past strictly before an event's timestamp, and a payment's events often share one
 * timestamp (Stripe's `payment_intent.succeeded` and `charge.succeeded`). So the stored state is the fold
 * of every event before the latest timestamp (`base`), plus the events at that timestamp (`tip`), not yet
 * folded: an event at the same time is scored from `base`, a later one from `base` and `tip`. An event
 * older than the tip cannot be appended: the store folds the customer's past again (`rebuildState`), and
 * scores it from its past read from the store (the state answers `undefined`). Pure: no I/O.
 */
import { byTime, type PastEvent, type TimedEvent } from './history.ts';
import { type CustomerState, compact, foldEvent, type RecentKind, stateOf } from './state.ts';

export interface StoredState {
  readonly base: CustomerState;
  readonly tipTime: number;
  /** The stored events at `tipTime`. */
  readonly tip: PastEvent[];
}

/**
 * Bumped whenever the serialized form or its meaning changes: a state of another version is rebuilt, never
 * misread. 2: amounts in ISO 4217 minor units (amounts.ts); version 1 kept each provider's own.
 */
const VERSION = 2;

const timed = (event: PastEvent): TimedEvent => ({ time: Date.parse(event.timestamp), event });

function foldTip(stored: StoredState): void {
  for (const { time, event } of stored.tip.map(timed).sort(byTime)) foldEvent(stored.base, time, event);
}

/**
 * The state after `event` is stored, or `undefined` when it must be rebuilt from the customer's whole
 * past: no state yet, or an event older than the newest stored one. Updates `stored` in place.
 */
function advanceState(stored: StoredState | undefined, event: PastEvent): StoredState | undefined {
  const time = Date.parse(event.timestamp);
  if (stored === undefined) return undefined;
  // An event whose time does not parse is in no one's past (eventsBefore leaves it out).
  if (!Number.isFinite(time)) return stored;
  if (time < stored.tipTime) return undefined;
  if (time === stored.tipTime) {
    stored.tip.push(event);
    return stored;
  }
  foldTip(stored);
  return { base: stored.base, tipTime: time, tip: [event] };
}

/**
 * `stored` with `events` (any order, none older than its tip) folded in; `undefined` when one is older and
 * the state must be rebuilt. Updates `stored` in place.
 */
export function foldPending(stored: StoredState, events: readonly PastEvent[]): StoredState | undefined {
  let state: StoredState | undefined = stored;
  for (const { event } of events.map(timed).sort(byTime)) state = advanceState(state, event);
  return state;
}

/** The state of a customer's whole stored past (any order); `undefined` when no event's time parses. */
export function rebuildState(past: readonly PastEvent[]): StoredState | undefined {
  const events = past.map(timed).filter(({ time }) => Number.isFinite(time));
  if (events.length === 0) return undefined;
  // A loop, not Math.max(...times): a past of a few hundred thousand events would overflow the arguments.
  const tipTime = events.reduce((latest, { time }) => Math.max(latest, time), Number.NEGATIVE_INFINITY);
  const base = stateOf(events.filter(({ time }) => time < tipTime).sort(byTime));
  return { base, tipTime, tip: events.filter(({ time }) => time === tipTime).map(({ event }) => event) };
}

const copyLists = <K>(lists: Map<K, number[]>) => new Map([...lists].map(([key, list]) => [key, [...list]]));

/**
 * A copy of `stored` that folding can consume while `stored` stays as it was: every Map, Set and array
 * folding changes is copied; what they hold is either a number, a string or an object never changed.
 */
export function copyState(stored: StoredState): StoredState {
  const s = stored.base;
  const base: CustomerState = {
    count: s.count,
    first: s.first,
    last: s.last,
    currencies: new Set(s.currencies),
    merchants: new Map(s.merchants),
    cardCountries: new Map(s.cardCountries),
    outcomes: { succeeded: new Map(s.outcomes.succeeded), declines: new Map(s.outcomes.declines) },
    recent: [...s.recent],
    consecutiveFailures: s.consecutiveFailures,
    attemptCurrencies: new Map(s.attemptCurrencies),
    usualCurrency: s.usualCurrency,
    successes: s.successes,
    firstSuccess: s.firstSuccess,
    lastSuccess: s.lastSuccess,
    successHours: s.successHours,
    successAmounts: copyLists(s.successAmounts),
    monthlyTimes: copyLists(s.monthlyTimes),
    monthlyRepeats: s.monthlyRepeats,
    lastMonthlyRepeat: s.lastMonthlyRepeat,
  };
  return { base, tipTime: stored.tipTime, tip: [...stored.tip] };
}

/**
 * The state of the past strictly before `now` (epoch ms), or `undefined` when the store holds events
 * later than `now` (its past must then be read from the store event by event). Consumes `stored`.
 */
export function stateAt(stored: StoredState, now: number): CustomerState | undefined {
  if (now === stored.tipTime) return stored.base;
  if (!(now > stored.tipTime)) return undefined;
  foldTip(stored);
  return stored.base;
}

const KINDS: readonly RecentKind[] = ['success', 'decline', 'card_decline'];

/**
 * The state as JSON text (Maps and Sets as arrays; `undefined` as null), without what no later event can
 * reach (`compact`: done here only, since a state read to score is never written back).
 */
export function serializeState(stored: StoredState): string {
  const s = stored.base;
  compact(s);
  return JSON.stringify({
    v: VERSION,
    tipTime: stored.tipTime,
    tip: stored.tip,
    count: s.count,
    first: s.first ?? null,
    last: s.last ?? null,
    currencies: [...s.currencies],
    merchants: [...s.merchants],
    cardCountries: [...s.cardCountries].map(([payment, { time, country }]) => [payment, time, country]),
    succeeded: [...s.outcomes.succeeded],
    declines: [...s.outcomes.declines],
    recent: s.recent.map((o) => [o.time, KINDS.indexOf(o.kind), o.amountCents, o.currency]),
    consecutiveFailures: s.consecutiveFailures,
    attemptCurrencies: [...s.attemptCurrencies],
    usualCurrency: s.usualCurrency ?? null,
    successes: s.successes,
    firstSuccess: s.firstSuccess ?? null,
    lastSuccess: s.lastSuccess ?? null,
    successHours: s.successHours,
    successAmounts: [...s.successAmounts],
    monthlyTimes: [...s.monthlyTimes],
    monthlyRepeats: s.monthlyRepeats,
    lastMonthlyRepeat: s.lastMonthlyRepeat ?? null,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON is checked by use; any failure means "rebuild".
type Json = any;

const optional = (value: Json): number | undefined => (typeof value === 'number' ? value : undefined);

/** The state from its JSON text; `undefined` for anything else (another version, damage): rebuild it. */
export function parseState(text: string | null | undefined): StoredState | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const j: Json = JSON.parse(text);
    if (j?.v !== VERSION || typeof j.tipTime !== 'number' || !Array.isArray(j.tip)) return undefined;
    const base: CustomerState = {
      count: Number(j.count),
      first: optional(j.first),
      last: optional(j.last),
      currencies: new Set(j.currencies),
      merchants: new Map(j.merchants),
      cardCountries: new Map(j.cardCountries.map(([payment, time, country]: Json) => [payment, { time, country }])),
      outcomes: { succeeded: new Map(j.succeeded), declines: new Map(j.declines) },
      recent: j.recent.map(([time, kind, amountCents, currency]: Json) => ({
        time,
        kind: KINDS[kind],
        amountCents,
        currency,
      })),
      consecutiveFailures: Number(j.consecutiveFailures),
      attemptCurrencies: new Map(j.attemptCurrencies),
      usualCurrency: typeof j.usualCurrency === 'string' ? j.usualCurrency : undefined,
      successes: Number(j.successes),
      firstSuccess: optional(j.firstSuccess),
      lastSuccess: optional(j.lastSuccess),
      successHours: Number(j.successHours),
      successAmounts: new Map(j.successAmounts),
      monthlyTimes: new Map(j.monthlyTimes),
      monthlyRepeats: Number(j.monthlyRepeats),
      lastMonthlyRepeat: optional(j.lastMonthlyRepeat),
    };
    return { base, tipTime: j.tipTime, tip: j.tip };
  } catch {
    return undefined;
  }
}

/**
 * A state longer than this is not kept (a platform's own account paying thousands of merchants, say):
 * reading it would cost more than reading the newest events of the past, which is what scores of that
 * customer then do. A customer of the simulated worlds keeps ~5 KB after a year.
 */
export const MAX_STATE_CHARS = 256 * 1024;

/** What the store keeps instead of a state past `MAX_STATE_CHARS`: read as no state, never rebuilt. */
export const OVERSIZED_STATE = `{"v":${VERSION},"oversized":true}`;

/** The text the store keeps for `stored`: its JSON, or `OVERSIZED_STATE` when that is too long. */
export function storableState(stored: StoredState): string {
  const text = serializeState(stored);
  return text.length > MAX_STATE_CHARS ? OVERSIZED_STATE : text;
}

/**
 * The stored state's text after `event` is stored, or `undefined` when it must be rebuilt from the
 * customer's whole past (`rebuiltState`): none yet, unreadable, or `event` older than the newest stored.
 */
export function advancedState(current: string | null, event: PastEvent): string | undefined {
  if (current === OVERSIZED_STATE) return current;
  const advanced = advanceState(parseState(current), event);
  return advanced === undefined ? undefined : storableState(advanced);
}

/** The stored state's text for a customer's whole stored past; null when no event's time parses. */
export function rebuiltState(past: readonly PastEvent[]): string | null {
  const rebuilt = rebuildState(past);
  return rebuilt === undefined ? null : storableState(rebuilt);
}
