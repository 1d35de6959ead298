/**
 * Features about the customer's habits rather than counts: when they usually pay, where, and how big. A
 * stolen card is used at night, at new merchants, for more than the owner ever spent; a fading customer
 * pays less often than their own rhythm. Pure, over the outcomes of `history.ts`.
 */
import { DAY_MS, type Outcome, type TimedEvent } from './history.ts';

/** Circular distance in hours (0..12) from `hour` to the nearest hour of day among `times`; 0 with none. */
export function hourDistance(hour: number, times: readonly number[]): number {
  let best = times.length === 0 ? 0 : 12;
  for (const time of times) {
    const gap = Math.abs(new Date(time).getUTCHours() - hour);
    best = Math.min(best, gap, 24 - gap);
  }
  return best;
}

/**
 * Merchants paid (or tried) in the last 7 days that the customer had never used before those 7 days:
 * a compromised card visits many; a customer's own week rarely more than one.
 */
export function newMerchants7d(past: readonly TimedEvent[], now: number): number {
  const start = now - 7 * DAY_MS;
  const known = new Set<string>();
  const fresh = new Set<string>();
  for (const { time, event } of past) {
    if (event.merchant_id === null) continue;
    if (time < start) known.add(event.merchant_id);
    else if (!known.has(event.merchant_id)) fresh.add(event.merchant_id);
  }
  return fresh.size;
}

/** `amount` over the largest past success in the same currency; 1 with none, at most `cap`. */
export function amountToMax(amount: number, norm: readonly number[], cap: number): number {
  if (norm.length === 0) return 1;
  const largest = Math.max(...norm);
  return largest === 0 ? (amount === 0 ? 1 : cap) : Math.min(amount / largest, cap);
}

/**
 * Days since the last success over the customer's usual gap between successes (tenure / successes):
 * about 1 for someone paying on their own rhythm, well above it for someone who stopped. 0 without two
 * successes (no rhythm to compare with), at most 100.
 */
export function recencyToRhythm(successes: readonly Outcome[], now: number): number {
  const first = successes[0]?.time;
  const last = successes.at(-1)?.time;
  if (successes.length < 2 || first === undefined || last === undefined) return 0;
  const gap = (last - first) / (successes.length - 1);
  return gap <= 0 ? 100 : Math.min((now - last) / gap, 100);
}

/** How far apart two charges of a monthly subscription fall (calendar months and a late retry). */
const MONTHLY = { min: 25 * DAY_MS, max: 35 * DAY_MS };

/**
 * Successes that repeat an earlier success (same merchant, same amount and currency) 25 to 35 days before:
 * a monthly subscription, visible without any plan id. Their number, and the days since the latest (0 with
 * none). A subscriber pays again within a month unless they stopped or their card did.
 */
export function monthlyRepeats(successes: readonly Outcome[], now: number): { count: number; daysSinceLast: number } {
  const earlier = new Map<string, number[]>();
  let count = 0;
  let last: number | undefined;
  for (const success of successes) {
    if (success.merchantId === null) continue;
    const key = `${success.merchantId}\u0000${success.currency}\u0000${success.amountCents}`;
    const times = earlier.get(key) ?? [];
    const gap = (time: number) => success.time - time;
    if (times.some((time) => gap(time) >= MONTHLY.min && gap(time) <= MONTHLY.max)) {
      count += 1;
      last = success.time;
    }
    times.push(success.time);
    earlier.set(key, times);
  }
  return { count, daysSinceLast: last === undefined ? 0 : (now - last) / DAY_MS };
}
