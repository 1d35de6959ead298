/**
 * Currency exponents and exact decimal ⇄ minor-unit conversion. Each provider keeps an explicit table
 * (PROVIDERS.md): ISO 4217 plus that provider's own exceptions. `Intl.NumberFormat` gives display digits,
 * which differ from what providers use, so it is not used here.
 */

const ISO_ZERO = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const ISO_THREE = 'BHD IQD JOD KWD LYD OMR TND';
const ISO_FOUR = 'CLF UYW';
/** Active ISO 4217 currencies with a minor unit (metals, funds codes without one and XTS/XXX excluded). */
const ISO_TWO =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF ' +
  'CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ ' +
  'GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD ' +
  'MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD ' +
  'RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH ' +
  'USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';

export type ExponentTable = ReadonlyMap<string, number>;

function codes(list: string, exponent: number): [string, number][] {
  return list.split(' ').map((code) => [code, exponent]);
}

export const ISO_4217: ExponentTable = new Map([
  ...codes(ISO_TWO, 2),
  ...codes(ISO_ZERO, 0),
  ...codes(ISO_THREE, 3),
  ...codes(ISO_FOUR, 4),
]);

/** ISO 4217 with a provider's exceptions applied. */
export function exponentTable(exceptions: Readonly<Record<string, number>>): ExponentTable {
  return new Map([...ISO_4217, ...Object.entries(exceptions)]);
}

export type AmountError = 'invalid_amount' | 'amount_precision' | 'amount_out_of_range';
export type AmountResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly code: AmountError };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Converts a non-negative decimal string in major units ("10.00", "100", "250.0") to an integer in minor
 * units, exactly. More significant digits than the exponent allows is an error, never rounded.
 */
export function decimalToMinor(amount: string, exponent: number): AmountResult {
  const match = DECIMAL.exec(amount.trim());
  if (!match) return { ok: false, code: 'invalid_amount' };
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return { ok: false, code: 'amount_precision' };
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, code: 'amount_out_of_range' };
  return { ok: true, value: Number(minor) };
}

/** The inverse of `decimalToMinor`: always exactly `exponent` fraction digits. */
export function minorToDecimal(minor: number, exponent: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not a minor-unit amount: ${minor}`);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
