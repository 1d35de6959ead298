/**
 * Where the money crosses a border. No provider's webhook names the merchant's country, but the payment's
 * currency is the merchant's price, so "the card's issuing country does not use this currency" is the
 * cross-border test the event supports (`card_country_mismatch` in features.ts).
 */

/**
 * Countries using a currency beyond the one its ISO 4217 code begins with (`USD` → `US`): currency
 * unions, dollarized economies, and territories on their parent's currency.
 */
const SHARED: Readonly<Record<string, string>> = {
  EUR: 'AD AT AX BE BG BL CY DE EE ES FI FR GF GP GR HR IE IT LT LU LV MC ME MF MQ MT NL PM PT RE SI SK SM TF VA YT',
  USD: 'AS BQ EC FM GU IO MH MP PA PR PW SV TC TL UM VG VI ZW',
  AUD: 'CC CX HM KI NF NR TV',
  NZD: 'CK NU PN TK',
  GBP: 'GG GS IM JE',
  CHF: 'LI',
  DKK: 'FO GL',
  NOK: 'BV SJ',
  INR: 'BT',
  ZAR: 'LS NA SZ',
  MAD: 'EH',
  ILS: 'PS',
  ANG: 'CW SX',
  XCG: 'CW SX',
  XCD: 'AG AI DM GD KN LC MS VC',
  XOF: 'BF BJ CI GW ML NE SN TG',
  XAF: 'CF CG CM GA GQ TD',
  XPF: 'NC PF WF',
};

const SHARED_BY_CURRENCY: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(SHARED).map(([currency, countries]) => [currency, new Set(countries.split(' '))]),
);

/** Whether `country` (alpha-2) uses `currency` (ISO 4217). */
export function usesCurrency(country: string, currency: string): boolean {
  return currency.slice(0, 2) === country || (SHARED_BY_CURRENCY.get(currency)?.has(country) ?? false);
}
