/** Customers and merchants: who pays, in which currency, through which provider. */
import type { ProviderName } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import { CAPABILITIES } from './capabilities.ts';
import type { Customer, Merchant } from './model.ts';

export interface Population {
  readonly customers: readonly Customer[];
  readonly merchants: readonly Merchant[];
}

const SHOPS = ['Northwind', 'Lumen', 'Kestrel', 'Harbor', 'Juniper', 'Atlas', 'Marigold', 'Quarry', 'Tessera'];
const TRADES = ['Books', 'Coffee', 'Outdoor', 'Games', 'Tools', 'Studio', 'Pharmacy', 'Garden', 'Travel'];

export function createPopulation(
  random: Random,
  providerWeights: Readonly<Partial<Record<ProviderName, number>>>,
  size: { readonly customers: number; readonly merchants: number },
): Population {
  const merchants = Array.from({ length: size.merchants }, (_, i) => ({
    id: `merch_${String(i + 1).padStart(4, '0')}`,
    name: `${random.pick(SHOPS)} ${random.pick(TRADES)}`,
  }));
  const customers = Array.from({ length: size.customers }, (_, i) => {
    const provider = random.weighted(providerWeights);
    return {
      id: `cust_${String(i + 1).padStart(6, '0')}`,
      homeCurrency: random.weighted(CAPABILITIES[provider].currencies as Record<string, number>),
      provider,
    };
  });
  return { customers, merchants };
}
