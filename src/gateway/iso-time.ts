/**
 * `new Date(ms).toISOString()`, the hottest line of the gateway's own handler: the text up to the minute is
 * made once per minute, and only the seconds and milliseconds per call. Outside years 0000-9999, where
 * toISOString switches to its six-digit year form, it is called as before.
 */
const MINUTE_MS = 60_000;
/** 9999-12-31T23:59:59.999Z, the last instant with a four-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** A formatter with its own one-minute cache. */
export function createIsoTime(): (ms: number) => string {
  let minute = Number.NaN;
  let prefix = '';
  return (ms) => {
    if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR_MS) return new Date(ms).toISOString();
    const start = ms - (ms % MINUTE_MS);
    if (start !== minute) {
      minute = start;
      prefix = new Date(start).toISOString().slice(0, 17);
    }
    const rest = ms - start;
    const seconds = Math.floor(rest / 1000);
    const millis = rest % 1000;
    return `${prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 100 ? (millis < 10 ? '00' : '0') : ''}${millis}Z`;
  };
}
