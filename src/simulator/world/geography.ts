/**
 * Where customers and merchants are: a country per currency the providers charge in, rough exchange rates
 * (so a customer's habits, set in US dollars, read in any merchant's currency), and merchant categories
 * with how fraudsters favour them. Rates are fixed round figures: the world needs scale, not markets.
 */

/** The country of each currency's merchants and cardholders (one per currency keeps the world legible). */
export const COUNTRY_OF_CURRENCY: Readonly<Record<string, string>> = {
  USD: 'US',
  EUR: 'DE',
  GBP: 'GB',
  JPY: 'JP',
  KWD: 'KW',
  CAD: 'CA',
  AUD: 'AU',
};

/** Units of each currency per US dollar (major units). */
const PER_USD: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  JPY: 150,
  KWD: 0.31,
  CAD: 1.36,
  AUD: 1.52,
};

/** ISO 4217 exponents of the currencies above. */
const EXPONENT: Readonly<Record<string, number>> = { JPY: 0, KWD: 3 };

/** A US-dollar amount in the minor unit of `currency`, at least one unit. */
export function usdToMinor(usd: number, currency: string): number {
  const major = usd * (PER_USD[currency] ?? 1);
  return Math.max(1, Math.round(major * 10 ** (EXPONENT[currency] ?? 2)));
}

/** Categories, with the weight of each among ordinary merchants and among fraudsters' targets. */
export const CATEGORIES = {
  grocery: { merchants: 3, fraud: 0.3 },
  restaurants: { merchants: 2, fraud: 0.3 },
  apparel: { merchants: 2, fraud: 1 },
  electronics: { merchants: 1, fraud: 4 },
  travel: { merchants: 1, fraud: 2.5 },
  digital_goods: { merchants: 1.5, fraud: 3 },
  gift_cards: { merchants: 0.5, fraud: 4 },
  subscriptions: { merchants: 1.5, fraud: 0.5 },
} as const satisfies Record<string, { merchants: number; fraud: number }>;

export type Category = keyof typeof CATEGORIES;

/** Relative weights of the categories, for one of the two populations. */
export function categoryWeights(kind: 'merchants' | 'fraud'): Record<Category, number> {
  const weights = {} as Record<Category, number>;
  for (const [name, entry] of Object.entries(CATEGORIES)) weights[name as Category] = entry[kind];
  return weights;
}
