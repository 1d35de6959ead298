import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { changed, codes, fixture, normalize, only, PAID } from './helpers.ts';

const CHARGEBACK = 'ORSEVtZAJxb37RA1EiGw';
const INQUIRY = 'XwLqp8mTy2VdC4s9KbNe';
const JPY_PAYMENT = 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY';

const EXPECTED: Record<string, Partial<UnifiedPaymentEvent>> = {
  'dispute.created:EVIDENCE_REQUIRED': {
    event_id: `square:dispute:${CHARGEBACK}:EVIDENCE_REQUIRED`,
    event_type: 'dispute.opened',
    amount_cents: 2500,
    currency: 'USD',
    payment_id: PAID,
    timestamp: '2026-03-20T21:24:54.101Z',
  },
  'dispute.state.changed:WON': {
    event_id: `square:dispute:${CHARGEBACK}:WON`,
    event_type: 'dispute.won',
    payment_id: PAID,
    timestamp: '2026-04-19T21:34:41.851Z',
  },
  'dispute.state.changed:LOST': { event_id: `square:dispute:${CHARGEBACK}:LOST`, event_type: 'dispute.lost' },
  // The seller gave in: the cardholder keeps the money, as when the bank decides against the seller.
  'dispute.state.changed:ACCEPTED': { event_id: `square:dispute:${CHARGEBACK}:ACCEPTED`, event_type: 'dispute.lost' },
  'dispute.created:INQUIRY_EVIDENCE_REQUIRED': {
    event_id: `square:dispute:${INQUIRY}:INQUIRY_EVIDENCE_REQUIRED`,
    event_type: 'dispute.opened',
    amount_cents: 480000,
    currency: 'JPY',
    payment_id: JPY_PAYMENT,
  },
  'dispute.state.updated:INQUIRY_CLOSED': {
    event_id: `square:dispute:${INQUIRY}:INQUIRY_CLOSED`,
    event_type: 'dispute.won',
    payment_id: JPY_PAYMENT,
  },
};

test('each dispute fixture gives its unified dispute event, on the disputed payment, with the dispute in metadata', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const payload = JSON.parse(fixture(name));
    const dispute = payload.data.object.dispute;
    const event = only(normalize(fixture(name)));
    assert.deepEqual({ ...event, ...expected }, event, name);
    assert.equal(event.status, 'disputed', name);
    assert.equal(event.provider_event_type, name.split(':')[0]);
    assert.equal(event.amount_cents, dispute.amount_money.amount, name);
    assert.equal(event.payment_id, dispute.disputed_payment.payment_id, name);
    assert.equal(event.timestamp, new Date(payload.created_at).toISOString(), 'the event’s own time');
    assert.equal(event.failure_code, null);
    assert.equal(event.customer_id, null);
    assert.equal(event.merchant_id, 'MLEFBHHSJGVHD');
    assert.equal(event.metadata.dispute_id, dispute.id, name);
    assert.equal(event.metadata.dispute_reason, dispute.reason, name);
    assert.equal(event.metadata.provider_status, dispute.state, name);
    assert.equal(event.metadata.square_event_id, payload.event_id, name);
  }
  const mapped = squareFixtures.filter((f) => f.name.startsWith('dispute.') && f.expect !== 'unsupported');
  assert.deepEqual(mapped.map((f) => f.name).sort(), Object.keys(EXPECTED).sort());
});

test('a dispute under review and evidence changes are unsupported: no outcome, and no second opening', () => {
  for (const name of ['dispute.state.changed:PROCESSING', 'dispute.evidence.created:EVIDENCE_REQUIRED']) {
    assert.deepEqual(normalize(fixture(name)), { kind: 'unsupported', providerEventType: name.split(':')[0] });
  }
  const inquiryProcessing = changed('dispute.state.changed:WON', (event) => {
    event.data.object.dispute.state = 'INQUIRY_PROCESSING';
  });
  assert.equal(normalize(inquiryProcessing).kind, 'unsupported');
  for (const type of ['dispute.evidence.added', 'dispute.evidence.deleted', 'dispute.evidence.removed']) {
    const body = changed('dispute.evidence.created:EVIDENCE_REQUIRED', (event) => {
      event.type = type;
    });
    assert.deepEqual(normalize(body), { kind: 'unsupported', providerEventType: type });
  }
});

test('a redelivery keeps its event id, a new state gets a new one, and both names of one state change share it', () => {
  const won = only(normalize(fixture('dispute.state.changed:WON')));
  const redelivered = only(normalize(fixture('dispute.state.changed:WON'), '2026-04-20T08:00:00.000Z'));
  assert.equal(redelivered.event_id, won.event_id);
  const opened = only(normalize(fixture('dispute.created:EVIDENCE_REQUIRED')));
  assert.notEqual(opened.event_id, won.event_id);
  // A subscription on an older API version gets dispute.state.updated for the same change, with its own
  // event_id: the dispute's state is recorded once.
  const olderName = changed('dispute.state.changed:WON', (event) => {
    event.type = 'dispute.state.updated';
    event.event_id = '11111111-2222-4333-8444-555555555555';
  });
  assert.equal(only(normalize(olderName)).event_id, won.event_id);
});

test('dispute.created opens the dispute whatever stage Square reports it at, unless it is already decided', () => {
  const created = (state: string) =>
    only(
      normalize(
        changed('dispute.created:EVIDENCE_REQUIRED', (event) => {
          event.data.object.dispute.state = state;
        }),
      ),
    ).event_type;
  assert.equal(created('PROCESSING'), 'dispute.opened');
  assert.equal(created('INQUIRY_PROCESSING'), 'dispute.opened');
  assert.equal(created('LOST'), 'dispute.lost');
  assert.equal(created('ACCEPTED'), 'dispute.lost');
  assert.equal(created('WON'), 'dispute.won');
});

test('a state change back to evidence required (an inquiry become a chargeback) opens the dispute', () => {
  const escalated = changed('dispute.state.updated:INQUIRY_CLOSED', (event) => {
    event.data.object.dispute.state = 'EVIDENCE_REQUIRED';
  });
  assert.equal(only(normalize(escalated)).event_type, 'dispute.opened');
});

test('the dispute is also read where the SDK’s types put it (data.object.object), and by dispute_id', () => {
  const expected = only(normalize(fixture('dispute.state.changed:LOST')));
  const sdkShape = changed('dispute.state.changed:LOST', (event) => {
    event.data.object = { object: event.data.object.dispute };
  });
  assert.deepEqual(only(normalize(sdkShape)), expected);
  const byDisputeId = changed('dispute.state.changed:LOST', (event) => {
    const { id, ...rest } = event.data.object.dispute;
    event.data.object.dispute = { ...rest, dispute_id: id };
  });
  assert.deepEqual(only(normalize(byDisputeId)), expected);
});

test('the disputed money is checked as a payment’s is', () => {
  const cases: [(dispute: Record<string, unknown>) => void, string][] = [
    [(d) => delete d.amount_money, 'data.object.dispute.amount_money.amount:missing_field'],
    [
      (d) => Object.assign(d, { amount_money: { amount: '2500', currency: 'USD' } }),
      'amount_money.amount:invalid_amount',
    ],
    [
      (d) => Object.assign(d, { amount_money: { amount: 25.5, currency: 'USD' } }),
      'amount_money.amount:amount_precision',
    ],
    [
      (d) => Object.assign(d, { amount_money: { amount: -1, currency: 'USD' } }),
      'amount_money.amount:amount_out_of_range',
    ],
    [
      (d) => Object.assign(d, { amount_money: { amount: 2500, currency: 'XAU' } }),
      'amount_money.currency:unknown_currency',
    ],
    [(d) => Object.assign(d, { amount_money: { amount: 2500 } }), 'amount_money.currency:missing_field'],
  ];
  for (const [change, code] of cases) {
    const body = changed('dispute.created:EVIDENCE_REQUIRED', (event) => change(event.data.object.dispute));
    const found = codes(normalize(body));
    assert.ok(
      found.some((c) => c.endsWith(code)),
      `${code} in ${found}`,
    );
  }
  const lower = changed('dispute.created:EVIDENCE_REQUIRED', (event) => {
    event.data.object.dispute.amount_money.currency = 'usd';
  });
  assert.equal(only(normalize(lower)).currency, 'USD');
});

test('every problem of a dispute event is reported at once, by path', () => {
  const body = changed('dispute.state.changed:WON', (event) => {
    event.created_at = '2026-02-30T10:00:00Z';
    event.data.object.dispute.state = 'REVERSED';
    delete event.data.object.dispute.id;
    delete event.data.object.dispute.disputed_payment;
  });
  assert.deepEqual(codes(normalize(body)).sort(), [
    'created_at:invalid_timestamp',
    'data.object.dispute.disputed_payment.payment_id:missing_field',
    'data.object.dispute.id:missing_field',
    'data.object.dispute.state:invalid_value',
  ]);
  const noState = changed('dispute.state.changed:WON', (event) => {
    delete event.data.object.dispute.state;
  });
  assert.deepEqual(codes(normalize(noState)), ['data.object.dispute.state:missing_field']);
  const noDispute = changed('dispute.created:EVIDENCE_REQUIRED', (event) => {
    event.data.object = {};
  });
  assert.deepEqual(codes(normalize(noDispute)), ['data.object.dispute:missing_field']);
  const forged = changed('dispute.created:EVIDENCE_REQUIRED', (event) => {
    event.data.object.dispute.state = '__proto__';
  });
  assert.deepEqual(codes(normalize(forged)), ['data.object.dispute.state:invalid_value']);
});
