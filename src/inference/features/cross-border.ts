/**
 * Where the money crosses a border. No provider's webhook names the merchant's country, but the payment's
 * currency is the merchant's price, so "the card's issuing country does not use this currency" is the
 * cross-border test the event supports; and a payment in a currency other than the one the customer
 * usually pays in is a trip abroad, or someone else spending the card. Pure, over the event and its past.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { countryCode } from '../../providers/country.ts';
import type { Outcome, TimedEvent } from './history.ts';

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

/**
 * The card's issuing country from the event's `metadata.card_country`, else from the latest past event
 * of the same payment that reported it (Stripe reports it on the Charge, not on the PaymentIntent).
 */
export function cardCountryOf(event: UnifiedPaymentEvent, past: readonly TimedEvent[]): string | undefined {
  const own = countryCode(event.metadata.card_country);
  if (own !== undefined) return own;
  for (let i = past.length - 1; i >= 0; i--) {
    const earlier = past[i]?.event;
    if (earlier?.payment_id !== event.payment_id) continue;
    const country = countryCode(earlier.metadata.card_country);
    if (country !== undefined) return country;
  }
  return undefined;
}

/** 1 when the card's country is known and does not use the payment's currency, else 0. */
export function cardCountryMismatch(event: UnifiedPaymentEvent, past: readonly TimedEvent[]): number {
  const country = cardCountryOf(event, past);
  return country !== undefined && !usesCurrency(country, event.currency) ? 1 : 0;
}

/**
 * 1 when the customer has past attempts and the event's currency is not the one most of them were in
 * (ties go to the most recent of the tied currencies), else 0. Unlike `new_currency`, it stays 1 for the
 * second and later payments of a spree abroad.
 */
export function currencyMismatch(currency: string, attempts: readonly Outcome[]): number {
  const counts = new Map<string, number>();
  let usual: string | undefined;
  for (const attempt of attempts) {
    const count = (counts.get(attempt.currency) ?? 0) + 1;
    counts.set(attempt.currency, count);
    if (count >= (counts.get(usual ?? '') ?? 0)) usual = attempt.currency;
  }
  return usual !== undefined && usual !== currency ? 1 : 0;
}
