/** Durations as people type them on a command line: `90` (seconds), `500ms`, `30s`, `2m`, `1h`. */

const UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** What parseDuration takes, for help texts and errors. */
export const DURATION_FORMAT = '500ms, 30s, 2m or 1h; a number alone is seconds';

/** The duration in seconds (0 is one: a caller that needs more says so), or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (UNITS[match[2] ?? 's'] as number);
  return Number.isFinite(seconds) ? seconds : undefined;
}
