/**
 * The event's metadata: Adyen's references and raw codes, kept as strings so that nothing the unified
 * fields flatten is lost. The merchant's own `metadata.*` entries are kept under `merchant_metadata.`.
 */
import { countryCode } from '../country.ts';
import type { AdditionalData } from './additional-data.ts';
import { ADYEN_EXPONENTS, type Outcome } from './maps.ts';

export interface MetadataContext {
  readonly eventCode: string;
  readonly outcome: Outcome;
  readonly pspReference: string | undefined;
  readonly originalReference: string | null;
  readonly merchantReference: string | null;
  readonly paymentMethod: string | null;
  readonly success: string;
  readonly reason: string | null;
  readonly currency: string | undefined;
  readonly live: string | null;
}

const MERCHANT_METADATA = 'metadata.';

export function itemMetadata(extra: AdditionalData, context: MetadataContext): Record<string, string> {
  const { outcome, pspReference, reason, currency } = context;
  const metadata: Record<string, string> = {};
  const put = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) metadata[key] = value;
  };
  put('psp_reference', pspReference);
  put('original_reference', context.originalReference);
  put('merchant_reference', context.merchantReference);
  put('payment_method', context.paymentMethod);
  put('success', context.success);
  put('live', context.live);
  // amount_cents is in Adyen's minor units, which differ from ISO 4217 for CLP, CVE, IDR and ISK.
  const exponent = currency === undefined ? undefined : ADYEN_EXPONENTS.get(currency);
  put('currency_exponent', exponent === undefined ? undefined : String(exponent));
  if (outcome.status === 'failed') {
    put('provider_failure_code', reason);
    put('provider_decline_code', extra.string('refusalReasonRaw'));
  }
  // A CAPTURE's pspReference is the capture's own, one per partial capture (the payment's is originalReference);
  // a CAPTURE_FAILED carries the pspReference of the capture the scheme rejected.
  if (outcome.eventType === 'payment.captured' || context.eventCode === 'CAPTURE_FAILED')
    put('capture_id', pspReference);
  if (outcome.eventType.startsWith('refund.')) put('refund_id', pspReference);
  if (outcome.eventType.startsWith('dispute.')) {
    put('dispute_id', pspReference);
    put('dispute_reason', reason);
    put('dispute_status', extra.string('disputeStatus'));
    put('chargeback_reason_code', extra.string('chargebackReasonCode'));
    put('chargeback_scheme_code', extra.string('chargebackSchemeCode'));
  }
  put('modification_action', extra.string('modification.action'));
  // Informational only: an unusable country is left out rather than making the whole event invalid.
  const strings = new Map(extra.entries());
  put('card_country', countryCode(strings.get('issuerCountry')) ?? countryCode(strings.get('cardIssuingCountry')));
  for (const [key, value] of extra.entries()) {
    if (key.startsWith(MERCHANT_METADATA) && key.length > MERCHANT_METADATA.length) {
      metadata[`merchant_metadata.${key.slice(MERCHANT_METADATA.length)}`] = value;
    }
  }
  return metadata;
}
