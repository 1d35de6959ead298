/**
 * Adds a batch's label sets to a prom-client counter, once per distinct set. prom-client hashes the labels
 * on every `inc`, which once per record cost the normalizer more than the rest of its own work per record.
 */
import type { Counter } from 'prom-client';

export function countLabels<T extends string>(counter: Counter<T>, labelSets: readonly Record<T, string>[]): void {
  const tally = new Map<string, { labels: Record<T, string>; n: number }>();
  for (const labels of labelSets) {
    const key = Object.values(labels).join('\u0000');
    const entry = tally.get(key);
    if (entry) entry.n += 1;
    else tally.set(key, { labels, n: 1 });
  }
  for (const { labels, n } of tally.values()) counter.inc(labels, n);
}
