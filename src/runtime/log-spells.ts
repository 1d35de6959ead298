/**
 * One log line per quiet spell. In an outage (a full disk, the store down) every request or workflow fails
 * alike: a line each, with its stack, says nothing more and can fill the disk that holds the logs. A key's
 * first failure is logged; the ones within `spellMs` of that line are only counted, and the next line says
 * how many it stands for.
 */
export type LogSpells = (key: string) => number | null;

/** `due(key)`: null when this failure falls in the key's spell, else how many were skipped since its last line. */
export function createLogSpells(now: () => number, spellMs = 5_000): LogSpells {
  const last = new Map<string, { readonly at: number; skipped: number }>();
  return (key) => {
    const at = now();
    const seen = last.get(key);
    if (seen !== undefined && at - seen.at < spellMs) {
      seen.skipped += 1;
      return null;
    }
    last.set(key, { at, skipped: 0 });
    return seen?.skipped ?? 0;
  };
}
