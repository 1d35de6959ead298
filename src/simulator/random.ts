/**
 * The simulator's only source of randomness: a seeded xoroshiro128+ from pure-rand, so the same seed always
 * builds the same world. Never Math.random. The generator is mutable (pure-rand's unsafe API) because the
 * simulator draws millions of values and copying the state on each draw would dominate its cost.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Random {
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly. The list must not be empty. */
  pick<T>(items: readonly T[]): T;
  /** One key, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
  /** An exponentially distributed value with this mean (Poisson inter-arrival times). */
  exponential(mean: number): number;
  /** An independent stream, for a part of the world whose draws must not shift the others'. */
  fork(label: number): Random;
}

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
  const random: Random = {
    float: () => uniformFloat64(rng),
    int: (from, to) => uniformInt(rng, from, to),
    chance: (p) => p > 0 && uniformFloat64(rng) < p,
    pick<T>(items: readonly T[]): T {
      return items[uniformInt(rng, 0, items.length - 1)] as T;
    },
    weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
      const entries = Object.entries(weights) as [K, number][];
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let point = uniformFloat64(rng) * total;
      for (const [key, weight] of entries) {
        point -= weight;
        if (point < 0) return key;
      }
      return (entries[entries.length - 1] as [K, number])[0];
    },
    exponential: (mean) => -mean * Math.log(1 - uniformFloat64(rng)),
    fork: (label) => createRandom((seed * 0x9e3779b1 + label * 0x85ebca6b) | 0),
  };
  return random;
}
