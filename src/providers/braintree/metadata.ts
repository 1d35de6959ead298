/**
 * The event's metadata: Braintree's raw codes and references, string values only. The merchant's own
 * `custom-fields` map travels too, each key prefixed `custom_field.` so it can never shadow ours.
 */
import { countryCode } from '../country.ts';
import { isObject } from '../payload.ts';
import { type PaymentSubject, text } from './subjects.ts';
import type { Notification } from './types.ts';

/** Metadata key → path in a transaction element. */
const TRANSACTION_FIELDS = {
  transaction_id: 'id',
  transaction_status: 'status',
  transaction_type: 'type',
  order_id: 'order-id',
  payment_instrument_type: 'payment-instrument-type',
  card_type: 'credit-card.card-type',
  processor_response_code: 'processor-response-code',
  processor_response_text: 'processor-response-text',
  provider_additional_response: 'additional-processor-response',
  provider_failure_code: 'gateway-rejection-reason',
  provider_settlement_code: 'processor-settlement-response-code',
  provider_settlement_text: 'processor-settlement-response-text',
  provider_ach_return_code: 'ach-return-code',
  network_response_code: 'network-response-code',
} as const satisfies Record<string, string>;

export function transactionMetadata(notification: Notification, subject: PaymentSubject): Record<string, string> {
  const entries: [string, string | null][] = [['source_merchant_id', text(notification, 'source-merchant-id')]];
  if (subject.path === 'subject.dispute') {
    entries.push(['transaction_id', subject.paymentId]);
  } else {
    for (const [key, path] of Object.entries(TRANSACTION_FIELDS)) entries.push([key, text(subject.node, path)]);
    // Braintree reports alpha-3 (`USA`) or `Unknown`; the unified metadata holds alpha-2.
    entries.push(['card_country', countryCode(text(subject.node, 'credit-card.country-of-issuance')) ?? null]);
    // 1000-class processor codes are approvals: only the others are the provider's decline code.
    const code = text(subject.node, 'processor-response-code');
    if (code !== null && !code.startsWith('1')) entries.push(['provider_decline_code', code]);
  }
  entries.push(...Object.entries(subject.references));
  const custom = subject.node?.['custom-fields'];
  if (isObject(custom)) {
    for (const [name, value] of Object.entries(custom)) {
      if (typeof value === 'string' && value !== '') entries.push([`custom_field.${name}`, value]);
    }
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) if (value !== null) metadata[key] = value;
  return metadata;
}
