/** Calendar arithmetic of the world: days, and each customer's paydays (salary lands at 09:00 UTC). */
import type { PaydayCycle } from './people.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const PAYDAY_HOUR = 9;

/** Paydays by month and day: the world asks for the same few months millions of times. */
const PAYDAYS = new Map<number, number>();

function paydayIn(year: number, month: number, day: number): number {
  const key = (year * 12 + month) * 32 + day;
  let found = PAYDAYS.get(key);
  if (found === undefined) {
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    found = Date.UTC(year, month, Math.min(day, last), PAYDAY_HOUR);
    PAYDAYS.set(key, found);
  }
  return found;
}

/**
 * The customer's paydays around `time`: the latest at or before it and the first after it. Paydays are at
 * most a month apart, so the months before, of and after `time` hold both.
 */
function around(cycle: PaydayCycle, time: number): { previous: number; next: number } {
  const start = new Date(time);
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  let previous = Number.NEGATIVE_INFINITY;
  let next = Number.POSITIVE_INFINITY;
  for (let offset = -1; offset <= 1; offset++) {
    for (const day of cycle.days) {
      const candidate = paydayIn(year, month + offset, day);
      if (candidate <= time && candidate > previous) previous = candidate;
      if (candidate > time && candidate < next) next = candidate;
    }
  }
  return { previous, next };
}

/** The customer's first payday strictly after `time` (epoch ms). */
export function nextPayday(cycle: PaydayCycle, time: number): number {
  return around(cycle, time).next;
}

/** 0 just after payday, rising to 1 just before the next: how far into the pay period `time` is. */
export function payPeriodProgress(cycle: PaydayCycle, time: number): number {
  const { previous, next } = around(cycle, time);
  return (time - previous) / (next - previous);
}
