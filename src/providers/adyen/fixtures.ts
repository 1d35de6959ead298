/**
 * Real-shaped Adyen standard webhooks (the Notification API's NotificationRequestItem, as in the SDK's
 * own notification mocks), one per mapped event code and outcome, plus event codes paypipe does not
 * record. `sign` adds `additionalData.hmacSignature`. Two payment stories run through them: a Visa
 * payment that is captured, refunded and disputed, and a Mastercard payment refused and then cancelled.
 */
import type { ProviderFixture } from '../fixture.ts';
import type { AdyenNotificationRequestItem } from './types.ts';

const MERCHANT = 'PaypipeShopECOM';
const PAYMENT = 'QFQTPCQ8HXSKGK82';
const CAPTURE = 'LF6HNMQZ6LXKGK82';
const REFUND = 'V4HZ4RBFJGXXGN82';
const DISPUTE = 'D8TL7ZVVT6C2VK82';
const CARD_PAYMENT = 'JD9KCPLT8NZ8GK82';

const SHOPPER = {
  shopperReference: 'cus_7f3a91c2',
  shopperEmail: 's.jansen@example.com',
  shopperCountry: 'NL',
  'metadata.orderId': 'order-100482',
  'metadata.channel': 'web',
};

const VISA = { paymentMethod: 'visa', merchantReference: 'order-100482' };

type Item = Omit<AdyenNotificationRequestItem, 'merchantAccountCode' | 'success'> & { success?: 'true' | 'false' };

function notification(item: Item): string {
  const full = { merchantAccountCode: MERCHANT, success: 'true', ...item };
  return JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: full }] }, null, 2);
}

function fixture(name: string, expect: ProviderFixture['expect'], item: Item): ProviderFixture {
  return { name, payload: notification(item), expect };
}

const EUR = (value: number) => ({ currency: 'EUR', value });

const dispute = (eventCode: string, disputeStatus: string, eventDate: string): Item => ({
  ...VISA,
  eventCode,
  eventDate,
  pspReference: DISPUTE,
  originalReference: PAYMENT,
  amount: EUR(12_995),
  reason: 'Other Fraud-Card Absent Environment',
  additionalData: {
    chargebackReasonCode: '10.4',
    chargebackSchemeCode: 'visa',
    disputeStatus,
    defendable: 'true',
    autoDefended: 'false',
    defensePeriodEndsAt: '2025-12-18T10:15:30+01:00',
    arn: '74987505249000000000001',
    shopperReference: SHOPPER.shopperReference,
  },
});

const paymentFixtures: readonly ProviderFixture[] = [
  fixture('AUTHORISATION', ['payment.authorized'], {
    ...VISA,
    eventCode: 'AUTHORISATION',
    eventDate: '2025-11-20T14:02:05+01:00',
    pspReference: PAYMENT,
    amount: EUR(12_995),
    reason: '064785:1111:03/2030',
    operations: ['CANCEL', 'CAPTURE', 'REFUND'],
    additionalData: {
      ...SHOPPER,
      authCode: '064785',
      cardSummary: '1111',
      expiryDate: '03/2030',
      cardBin: '411111',
      paymentMethodVariant: 'visacredit',
      'recurring.recurringDetailReference': 'M5N7TQ4TG5PFWR50',
    },
  }),
  fixture('AUTHORISATION.refused', ['payment.failed'], {
    eventCode: 'AUTHORISATION',
    success: 'false',
    eventDate: '2025-11-20T15:11:42+01:00',
    pspReference: CARD_PAYMENT,
    merchantReference: 'order-100517',
    paymentMethod: 'mc',
    amount: { currency: 'USD', value: 4_900 },
    reason: 'Not enough balance',
    additionalData: {
      shopperReference: 'cus_19be22d0',
      refusalReasonRaw: '51 : Insufficient funds/over credit limit',
      cardSummary: '4444',
      cardBin: '555555',
      'metadata.orderId': 'order-100517',
    },
  }),
  fixture('AUTHORISATION.cvc_declined', ['payment.failed'], {
    eventCode: 'AUTHORISATION',
    success: 'false',
    eventDate: '2025-11-21T09:30:00+09:00',
    pspReference: 'KX3PTM2M9R5VGK82',
    merchantReference: 'order-jp-2281',
    paymentMethod: 'jcb',
    amount: { currency: 'JPY', value: 5_200 },
    reason: 'CVC Declined',
    additionalData: { shopperReference: 'cus_4ad0f7e1', refusalReasonRaw: 'N7 : Decline for CVV2 failure' },
  }),
  fixture('AUTHORISATION_ADJUSTMENT', ['payment.authorized'], {
    ...VISA,
    eventCode: 'AUTHORISATION_ADJUSTMENT',
    eventDate: '2025-11-20T14:20:10+01:00',
    pspReference: 'P2C6BX4NWQ7RGN82',
    originalReference: PAYMENT,
    amount: EUR(13_995),
    additionalData: { shopperReference: SHOPPER.shopperReference },
  }),
  fixture('CAPTURE', ['payment.captured'], {
    ...VISA,
    eventCode: 'CAPTURE',
    eventDate: '2025-11-20T18:00:12+01:00',
    pspReference: CAPTURE,
    originalReference: PAYMENT,
    amount: EUR(12_995),
    additionalData: { shopperReference: SHOPPER.shopperReference, 'metadata.orderId': 'order-100482' },
  }),
  fixture('CAPTURE.failed', ['payment.failed'], {
    ...VISA,
    eventCode: 'CAPTURE',
    success: 'false',
    eventDate: '2025-11-20T18:00:12+01:00',
    pspReference: 'T9GQ3C7MZ2WDGK82',
    originalReference: PAYMENT,
    amount: EUR(12_995),
    reason: 'Insufficient balance on payment',
  }),
  fixture('CAPTURE_FAILED', ['payment.failed'], {
    ...VISA,
    eventCode: 'CAPTURE_FAILED',
    eventDate: '2025-11-22T03:15:40+01:00',
    // The rejected capture's own pspReference, as its CAPTURE had (the payment's is originalReference).
    pspReference: CAPTURE,
    originalReference: PAYMENT,
    amount: EUR(12_995),
    reason: 'Issuer Unavailable',
  }),
  fixture('CANCELLATION', ['payment.canceled'], {
    eventCode: 'CANCELLATION',
    eventDate: '2025-11-20T16:40:00+01:00',
    pspReference: 'B7WZ5QK2X9LMGN82',
    originalReference: 'R2JXG4QHV8TNGK82',
    merchantReference: 'order-100520',
    paymentMethod: 'mc',
    amount: { currency: 'ISK', value: 1_250_000 },
    additionalData: { shopperReference: 'cus_19be22d0' },
  }),
  fixture('TECHNICAL_CANCEL', ['payment.canceled'], {
    eventCode: 'TECHNICAL_CANCEL',
    eventDate: '2025-11-20T16:41:00+01:00',
    pspReference: 'W5D9RXK3Q7HTGN82',
    originalReference: 'Z8PKM2T6B4YQGK82',
    merchantReference: 'order-100521',
    paymentMethod: 'amex',
    amount: { currency: 'USD', value: 2_500 },
  }),
  fixture('OFFER_CLOSED', ['payment.canceled'], {
    eventCode: 'OFFER_CLOSED',
    eventDate: '2025-11-20T17:05:33+01:00',
    pspReference: 'N6XQ8C2VRJ4TGK82',
    merchantReference: 'order-100530',
    paymentMethod: 'ideal',
    amount: EUR(3_450),
    additionalData: { shopperReference: 'cus_0c8e5b7a' },
  }),
  fixture('PENDING', ['payment.pending'], {
    eventCode: 'PENDING',
    eventDate: '2025-11-20T17:01:02+01:00',
    pspReference: 'M4KS7V2QXC9DGK82',
    merchantReference: 'order-100531',
    paymentMethod: 'sepadirectdebit',
    amount: EUR(8_000),
    additionalData: { shopperReference: 'cus_0c8e5b7a' },
  }),
  fixture('CANCEL_OR_REFUND.cancel', ['payment.canceled'], {
    eventCode: 'CANCEL_OR_REFUND',
    eventDate: '2025-11-21T10:00:00+01:00',
    pspReference: 'C3RTX8P5LQ2VGN82',
    originalReference: 'F9VB2X7KQ4MRGK82',
    merchantReference: 'order-100540',
    paymentMethod: 'visa',
    amount: { currency: 'KWD', value: 12_500 },
    additionalData: { 'modification.action': 'cancel', shopperReference: 'cus_5e71aa09' },
  }),
  fixture('CANCEL_OR_REFUND.refund', ['refund.succeeded'], {
    ...VISA,
    eventCode: 'CANCEL_OR_REFUND',
    eventDate: '2025-11-23T11:30:00+01:00',
    pspReference: 'G8QWZ3K6T2XNGN82',
    originalReference: PAYMENT,
    amount: EUR(12_995),
    additionalData: { 'modification.action': 'refund', shopperReference: SHOPPER.shopperReference },
  }),
  fixture('REFUND', ['refund.succeeded'], {
    ...VISA,
    eventCode: 'REFUND',
    eventDate: '2025-11-24T09:12:45+01:00',
    pspReference: REFUND,
    originalReference: PAYMENT,
    amount: EUR(2_000),
    additionalData: { shopperReference: SHOPPER.shopperReference, 'metadata.refundReason': 'damaged item' },
  }),
  fixture('REFUND.failed', ['refund.failed'], {
    ...VISA,
    eventCode: 'REFUND',
    success: 'false',
    eventDate: '2025-11-24T09:12:45+01:00',
    pspReference: 'Q5NL2W8RX4CZGN82',
    originalReference: PAYMENT,
    amount: EUR(20_000),
    reason: 'Insufficient in-process funds on account to refund',
  }),
  fixture('REFUND_WITH_DATA', ['refund.succeeded'], {
    ...VISA,
    eventCode: 'REFUND_WITH_DATA',
    eventDate: '2025-11-24T12:00:00+01:00',
    pspReference: 'Y2GR6K9TZQ3WGN82',
    amount: EUR(1_500),
    additionalData: { shopperReference: SHOPPER.shopperReference },
  }),
  fixture('REFUND_WITH_DATA.failed', ['refund.failed'], {
    ...VISA,
    eventCode: 'REFUND_WITH_DATA',
    success: 'false',
    eventDate: '2025-11-24T12:05:00+01:00',
    pspReference: 'K7TX2M4QZ9RWGN82',
    amount: EUR(1_500),
    reason: 'Transaction Not Permitted',
    additionalData: { shopperReference: SHOPPER.shopperReference },
  }),
  fixture('REFUND_FAILED', ['refund.failed'], {
    ...VISA,
    eventCode: 'REFUND_FAILED',
    eventDate: '2025-11-26T08:00:00+01:00',
    pspReference: REFUND,
    originalReference: PAYMENT,
    amount: EUR(2_000),
    reason: 'Refund rejected by the issuer',
  }),
  fixture('REFUNDED_REVERSED', ['refund.failed'], {
    ...VISA,
    eventCode: 'REFUNDED_REVERSED',
    eventDate: '2025-11-28T08:00:00+01:00',
    pspReference: REFUND,
    originalReference: PAYMENT,
    amount: EUR(2_000),
    reason: 'Account closed',
  }),
  fixture(
    'NOTIFICATION_OF_CHARGEBACK',
    ['dispute.opened'],
    dispute('NOTIFICATION_OF_CHARGEBACK', 'Undefended', '2025-12-01T09:00:00+01:00'),
  ),
  fixture('CHARGEBACK', ['dispute.opened'], dispute('CHARGEBACK', 'Pending', '2025-12-03T09:00:00+01:00')),
  // A second payment whose chargeback the merchant accepted without defending it.
  fixture('CHARGEBACK.accepted', ['dispute.lost'], {
    ...dispute('CHARGEBACK', 'Accepted', '2025-12-05T09:00:00+01:00'),
    pspReference: 'E2XK9P4QW7TMVK82',
    originalReference: 'J6WR2KX8QZ4NGK82',
    amount: EUR(4_500),
  }),
  fixture('CHARGEBACK_REVERSED', ['dispute.won'], dispute('CHARGEBACK_REVERSED', 'Won', '2025-12-20T09:00:00+01:00')),
  fixture(
    'ISSUER_RESPONSE_TIMEFRAME_EXPIRED',
    ['dispute.won'],
    dispute('ISSUER_RESPONSE_TIMEFRAME_EXPIRED', 'Won', '2025-12-28T09:00:00+01:00'),
  ),
  fixture('SECOND_CHARGEBACK', ['dispute.lost'], dispute('SECOND_CHARGEBACK', 'Lost', '2026-01-10T09:00:00+01:00')),
  fixture('PREARBITRATION_WON', ['dispute.won'], dispute('PREARBITRATION_WON', 'Won', '2026-01-20T09:00:00+01:00')),
  fixture('PREARBITRATION_LOST', ['dispute.lost'], dispute('PREARBITRATION_LOST', 'Lost', '2026-01-20T09:00:00+01:00')),
];

const unsupportedFixtures: readonly ProviderFixture[] = [
  fixture('REPORT_AVAILABLE', 'unsupported', {
    eventCode: 'REPORT_AVAILABLE',
    eventDate: '2025-11-21T02:00:00+01:00',
    pspReference: 'settlement_detail_report_batch_412.csv',
    merchantReference: '',
    amount: EUR(0),
    reason: `https://ca-test.adyen.com/reports/download/MerchantAccount/${MERCHANT}/settlement_detail_report_batch_412.csv`,
  }),
  fixture('NOTIFICATION_OF_FRAUD', 'unsupported', {
    ...VISA,
    eventCode: 'NOTIFICATION_OF_FRAUD',
    eventDate: '2025-11-29T09:00:00+01:00',
    pspReference: 'U7KD3M9XQ2TRGN82',
    originalReference: PAYMENT,
    amount: EUR(12_995),
    reason: 'Fraud report received from the issuer (TC40)',
    additionalData: { nofReasonCode: '6', nofSchemeCode: 'visa' },
  }),
  fixture('CANCELLATION.failed', 'unsupported', {
    ...VISA,
    eventCode: 'CANCELLATION',
    success: 'false',
    eventDate: '2025-11-20T18:30:00+01:00',
    pspReference: 'S4BX9Q2KW7LNGN82',
    originalReference: PAYMENT,
    amount: EUR(12_995),
    reason: 'Payment already captured',
  }),
];

/** Every fixture: one per mapped event code and outcome, then some that are not payment facts. */
export const adyenFixtures: readonly ProviderFixture[] = [...paymentFixtures, ...unsupportedFixtures];
