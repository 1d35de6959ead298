/**
 * Builders for Braintree notification XML in the shapes Braintree sends (the SDK's `sampleNotification`
 * subjects, filled out with the fields of the Transaction, Subscription and Dispute API responses). The
 * fixtures, the simulator and the property tests build their payloads with them.
 */

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, value: string | null | undefined): string {
  return value === null || value === undefined ? `<${name} nil="true"/>` : `<${name}>${escapeXml(value)}</${name}>`;
}

export interface TransactionSample {
  readonly id: string;
  readonly status: string;
  readonly type?: 'sale' | 'credit';
  readonly amount: string;
  /** null: omitted, as in the SDK's samples; the merchant account's configured currency applies. */
  readonly currency: string | null;
  readonly merchantAccountId: string;
  readonly orderId?: string;
  readonly customer?: {
    readonly id: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly email: string;
  };
  readonly processorResponseCode?: string;
  readonly processorResponseText?: string;
  readonly gatewayRejectionReason?: string;
  readonly customFields?: Readonly<Record<string, string>>;
  /** Further child elements, as XML (payment instrument details, settlement codes, refund links). */
  readonly extra?: string;
  readonly createdAt?: string;
}

export function transactionXml(sample: TransactionSample): string {
  const customer = sample.customer
    ? `<customer>${element('id', sample.customer.id)}${element('first-name', sample.customer.firstName)}` +
      `${element('last-name', sample.customer.lastName)}${element('email', sample.customer.email)}</customer>`
    : '';
  const customFields = sample.customFields
    ? `<custom-fields>${Object.entries(sample.customFields)
        .map(([name, value]) => element(name, value))
        .join('')}</custom-fields>`
    : '';
  return [
    '<transaction>',
    element('id', sample.id),
    element('status', sample.status),
    element('type', sample.type ?? 'sale'),
    sample.currency === null ? '' : element('currency-iso-code', sample.currency),
    element('amount', sample.amount),
    element('merchant-account-id', sample.merchantAccountId),
    element('order-id', sample.orderId ?? null),
    sample.createdAt ? `<created-at type="datetime">${sample.createdAt}</created-at>` : '',
    customer,
    customFields,
    sample.processorResponseCode ? element('processor-response-code', sample.processorResponseCode) : '',
    sample.processorResponseText ? element('processor-response-text', sample.processorResponseText) : '',
    element('gateway-rejection-reason', sample.gatewayRejectionReason ?? null),
    sample.extra ?? '',
    '</transaction>',
  ].join('\n');
}

/** A Visa credit card issued in `countryOfIssuance` (alpha-3, as Braintree reports it, or `Unknown`). */
export function visaCardXml(countryOfIssuance = 'USA'): string {
  return (
    '<payment-instrument-type>credit_card</payment-instrument-type><credit-card><token>pm_7d2kq9</token>' +
    '<bin>411111</bin><last-4>1111</last-4><card-type>Visa</card-type><expiration-month>12</expiration-month>' +
    `<expiration-year>2028</expiration-year><customer-location>US</customer-location>` +
    `${element('country-of-issuance', countryOfIssuance)}</credit-card>`
  );
}

export const VISA_CARD_XML = visaCardXml();

export const US_BANK_ACCOUNT_XML =
  '<payment-instrument-type>us_bank_account</payment-instrument-type><us-bank-account>' +
  '<routing-number>021000021</routing-number><last-4>6789</last-4><account-type>checking</account-type>' +
  '<account-holder-name>Grace Hopper</account-holder-name><ach-mandate><text>I authorize Acme Tools</text>' +
  '</ach-mandate></us-bank-account>';

export interface SubscriptionSample {
  readonly id: string;
  readonly planId: string;
  readonly status: string;
  readonly price: string;
  readonly merchantAccountId: string;
  readonly failureCount: number;
  /** Newest first, as Braintree lists them. */
  readonly transactions: readonly TransactionSample[];
}

export function subscriptionXml(sample: SubscriptionSample): string {
  return [
    '<subscription>',
    element('id', sample.id),
    element('plan-id', sample.planId),
    element('status', sample.status),
    element('price', sample.price),
    element('merchant-account-id', sample.merchantAccountId),
    `<failure-count type="integer">${sample.failureCount}</failure-count>`,
    '<payment-method-token>pm_7d2kq9</payment-method-token>',
    `<transactions type="array">${sample.transactions.map(transactionXml).join('\n')}</transactions>`,
    '<add-ons type="array"/>',
    '<discounts type="array"/>',
    '</subscription>',
  ].join('\n');
}

export interface DisputeSample {
  readonly id: string;
  readonly status: string;
  readonly kind: 'chargeback' | 'retrieval' | 'pre_arbitration';
  readonly reason: string;
  readonly reasonCode: string;
  readonly amount: string;
  readonly currency: string;
  readonly merchantAccountId: string;
  readonly transactionId: string;
  readonly dateWon?: string;
}

export function disputeXml(sample: DisputeSample): string {
  return [
    '<dispute>',
    element('id', sample.id),
    element('amount', sample.amount),
    element('amount-disputed', sample.amount),
    element('amount-won', sample.status === 'won' ? sample.amount : '0.00'),
    element('currency-iso-code', sample.currency),
    element('case-number', `CB-${sample.id.toUpperCase()}`),
    element('kind', sample.kind),
    element('status', sample.status),
    element('reason', sample.reason),
    element('reason-code', sample.reasonCode),
    element('merchant-account-id', sample.merchantAccountId),
    '<received-date type="date">2026-03-02</received-date>',
    '<reply-by-date type="date">2026-03-20</reply-by-date>',
    '<date-opened type="date">2026-03-02</date-opened>',
    sample.dateWon ? `<date-won type="date">${sample.dateWon}</date-won>` : '',
    `<transaction>${element('id', sample.transactionId)}${element('amount', sample.amount)}`,
    `${element('order-id', 'ord_100231')}<payment-instrument-subtype>Visa</payment-instrument-subtype></transaction>`,
    '</dispute>',
  ].join('\n');
}

/** A whole notification, as `WebhookTestingGateway.sampleXml` lays it out. */
export function notificationXml(kind: string, timestamp: string, subject: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<notification>
  <timestamp type="datetime">${timestamp}</timestamp>
  <kind>${escapeXml(kind)}</kind>
  <subject>${subject}</subject>
</notification>
`;
}
