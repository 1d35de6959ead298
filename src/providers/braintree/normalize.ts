/**
 * Braintree notification → unified payment event. Pure and total: any bytes give events, `unsupported`
 * or `invalid` with every issue found, never an exception.
 */
import { createHash } from 'node:crypto';
import type { BraintreeConfig } from '../../config/config.ts';
import { SCHEMA_VERSION } from '../../contracts/payment-event.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { decimalToMinor, type ExponentTable } from '../currency.ts';
import { eventResult, invalid } from '../normalized.ts';
import { createPayloadReader, isoFromText, type PayloadReader } from '../payload.ts';
import type { NormalizeResult } from '../provider.ts';
import { readNotification } from './envelope.ts';
import { failureCodeOf, KIND_MAP, type KindMapping } from './maps.ts';
import { transactionMetadata } from './metadata.ts';
import { locateSubject, type PaymentSubject, text } from './subjects.ts';
import { isBraintreeKind, type Notification } from './types.ts';

export interface NormalizeOptions {
  readonly currencies: BraintreeConfig['merchantCurrencies'];
  readonly exponents: ExponentTable;
}

/** Braintree sends no event id: kind, subject and notification time identify a delivery (DESIGN.md §3). */
export function braintreeEventId(kind: string, subjectId: string, timestamp: string): string {
  return `braintree:${createHash('sha256')
    .update(JSON.stringify([kind, subjectId, timestamp]))
    .digest('hex')}`;
}

/** The amount in minor units and its currency, or undefined with the issues recorded on the reader. */
function readMoney(subject: PaymentSubject, reader: PayloadReader, options: NormalizeOptions) {
  const { byMerchant, fallback } = options.currencies;
  const merchant = subject.merchantAccountId;
  const sent = text(subject.node, 'currency-iso-code');
  // Samples and some merchant accounts omit the currency: it is then the merchant account's currency.
  const configured = merchant !== null && Object.hasOwn(byMerchant, merchant) ? byMerchant[merchant] : undefined;
  const currency = (sent ?? configured ?? fallback).toUpperCase();
  const amountText = reader.string(subject.amountField);
  const exponent = options.exponents.get(currency);
  if (exponent === undefined) {
    const origin = sent === null ? ` (configured for merchant account "${merchant ?? ''}")` : '';
    reader.fail('currency-iso-code', 'unknown_currency', `${currency.slice(0, 40)}${origin} is not a known currency`);
  }
  if (amountText === undefined || exponent === undefined) return undefined;
  const converted = decimalToMinor(amountText, exponent);
  if (converted.ok) return { amount: converted.value, currency };
  reader.fail(subject.amountField, converted.code, `"${amountText.slice(0, 40)}" is not a ${currency} amount`);
  return undefined;
}

function requireReferences(subject: PaymentSubject, reader: PayloadReader): void {
  for (const [value, path] of [
    [subject.subjectId, subject.subjectIdPath],
    [subject.paymentId, subject.paymentIdPath],
  ] as const) {
    const full = `notification.${path}`;
    if (value === null && !reader.issues.some((issue) => issue.path === full)) {
      reader.issues.push({ path: full, code: 'missing_field', message: `${full} is required` });
    }
  }
}

function paymentEvent(
  notification: Notification,
  kind: string,
  mapping: KindMapping,
  timestamp: string,
  record: RawRecord,
  options: NormalizeOptions,
): NormalizeResult {
  const subject = locateSubject(mapping.shape, notification);
  const base = `notification.${subject.path}`;
  if (subject.node === undefined) {
    return invalid([{ path: base, code: 'missing_field', message: `${base} is required` }]);
  }
  const reader = createPayloadReader(subject.node, base);
  requireReferences(subject, reader);
  const money = readMoney(subject, reader, options);
  const { subjectId, paymentId } = subject;
  if (reader.issues.length > 0 || subjectId === null || paymentId === null || money === undefined) {
    return invalid(reader.issues);
  }
  const metadata = transactionMetadata(notification, subject);
  const outcome = subject.credit && mapping.credit !== undefined ? mapping.credit : mapping;
  const failed = outcome.status === 'failed';
  const event = {
    schema_version: SCHEMA_VERSION,
    event_id: braintreeEventId(kind, subjectId, timestamp),
    provider: 'braintree' as const,
    event_type: outcome.eventType,
    provider_event_type: kind,
    payment_id: paymentId,
    amount_cents: money.amount,
    currency: money.currency,
    status: outcome.status,
    failure_code: failed ? failureCodeOf(decline(subject.node)) : null,
    customer_id: subject.customerId,
    merchant_id: subject.merchantAccountId,
    timestamp,
    received_at: isoFromText(record.received_at) ?? record.received_at,
    metadata,
  };
  return eventResult(event);
}

function decline(node: unknown) {
  return {
    gatewayRejectionReason: text(node, 'gateway-rejection-reason'),
    achReturnCode: text(node, 'ach-return-code'),
    settlementResponseCode: text(node, 'processor-settlement-response-code'),
    processorResponseCode: text(node, 'processor-response-code'),
  };
}

/** Normalizes the raw record of a verified Braintree webhook. */
export function normalizeRecord(record: RawRecord, options: NormalizeOptions): NormalizeResult {
  const decoded = readNotification(record.body);
  if (!decoded.ok) return invalid([decoded.issue]);
  const notification = decoded.notification;
  const reader = createPayloadReader(notification, 'notification');
  const kind = reader.string('kind');
  if (kind === undefined) return invalid(reader.issues);
  const mapping = isBraintreeKind(kind) ? KIND_MAP[kind] : null;
  if (mapping === null) return { kind: 'unsupported', providerEventType: kind };
  const timestampText = reader.string('timestamp');
  const timestamp = timestampText === undefined ? undefined : isoFromText(timestampText);
  if (timestampText !== undefined && timestamp === undefined) {
    reader.fail('timestamp', 'invalid_timestamp', `"${timestampText.slice(0, 40)}" is not an ISO 8601 time`);
  }
  if (timestamp === undefined) return invalid(reader.issues);
  return paymentEvent(notification, kind, mapping, timestamp, record, options);
}
