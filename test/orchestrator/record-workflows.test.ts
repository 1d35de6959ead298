/** One orchestrator record → its workflow: valid events run, anything else is quarantined with its exact bytes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DeadLetter } from '../../src/contracts/dead-letter.ts';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ } from '../../src/contracts/topics.ts';
import { packRecords, unpackRecord } from '../../src/orchestrator/record-batch.ts';
import { runRecordWorkflow, type WorkflowRecord } from '../../src/orchestrator/record-workflows.ts';
import { unifiedEvent } from '../storage/events.ts';

/** A runner that notes what it was asked to run. */
function notingRunner() {
  const events: UnifiedPaymentEvent[] = [];
  const letters: DeadLetter[] = [];
  const runner = {
    async paymentEvent(event: UnifiedPaymentEvent) {
      events.push(event);
      return { outcome: 'stored' as const, event_id: event.event_id, duplicate: false };
    },
    async dlqReview(letter: DeadLetter) {
      letters.push(letter);
      return { outcome: 'quarantined' as const, id: 'q', duplicate: false };
    },
  };
  return { runner, events, letters };
}

const record = (topic: string, value: Buffer, offset = 5n): WorkflowRecord => ({
  topic,
  partition: 2,
  offset,
  timestamp: Date.parse('2026-03-04T05:06:07.089Z'),
  value,
});

test('a valid event on payments.normalized runs PaymentEventWorkflow with the event', async () => {
  const { runner, events, letters } = notingRunner();
  const event = unifiedEvent({ event_id: 'stripe:evt_ok' });
  const done = await runRecordWorkflow(runner, record(PAYMENTS_NORMALIZED, Buffer.from(JSON.stringify(event))));
  assert.deepEqual(done, { workflow: 'PaymentEventWorkflow', id: 'stripe:evt_ok', outcome: 'stored' });
  assert.deepEqual(events, [event]);
  assert.equal(letters.length, 0);
});

test('anything else on payments.normalized is quarantined with its exact bytes, invalid UTF-8 included', async () => {
  const { runner, events, letters } = notingRunner();
  const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x70]);
  const event = unifiedEvent({ provider: 'adyen', currency: 'eur' as 'EUR' });
  for (const value of [bytes, Buffer.from(JSON.stringify(event))]) {
    const done = await runRecordWorkflow(runner, record(PAYMENTS_NORMALIZED, value));
    assert.deepEqual(done, {
      workflow: 'DLQReviewWorkflow',
      id: `dlq:${PAYMENTS_NORMALIZED}/2/5:invalid_payload:2026-03-04T05:06:07.089Z`,
      outcome: 'quarantined',
    });
  }
  assert.equal(events.length, 0);
  assert.deepEqual(
    letters.map((letter) => [letter.record.body_base64, letter.record.provider, letter.message]),
    [
      [bytes.toString('base64'), 'stripe', `${PAYMENTS_NORMALIZED} record is not a valid unified payment event`],
      [
        Buffer.from(JSON.stringify(event)).toString('base64'),
        'adyen',
        `${PAYMENTS_NORMALIZED} record is not a valid unified payment event`,
      ],
    ],
  );
  assert.equal(letters[0]?.dead_lettered_at, '2026-03-04T05:06:07.089Z');
});

test('a dead letter runs DLQReviewWorkflow as it is; an unreadable one is quarantined as invalid_payload', async () => {
  const { runner, letters } = notingRunner();
  const letter: DeadLetter = {
    stage: 'normalizer',
    reason: 'invalid_payload',
    message: 'payload cannot be normalized',
    errors: [],
    dead_lettered_at: '2026-03-04T05:06:07.000Z',
    record: {
      id: 'rec_9',
      provider: 'square',
      received_at: '2026-03-04T05:06:06.000Z',
      headers: {},
      body_base64: 'e30=',
    },
  };
  const first = await runRecordWorkflow(runner, record(PAYMENTS_VALIDATION_DLQ, Buffer.from(JSON.stringify(letter))));
  assert.equal(first.id, 'dlq:rec_9:invalid_payload:2026-03-04T05:06:07.000Z');
  await runRecordWorkflow(runner, record(PAYMENTS_VALIDATION_DLQ, Buffer.from('{}'), 6n));
  assert.deepEqual(letters[0], letter);
  assert.equal(letters[1]?.record.id, `${PAYMENTS_VALIDATION_DLQ}/2/6`);
});

test('records packed for the runner thread come back byte for byte, pooled Buffers and empty values included', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (values) => {
      const records = values.map((bytes, i) => record(PAYMENTS_NORMALIZED, Buffer.from(bytes), BigInt(i)));
      const { packed, bytes } = packRecords(records);
      assert.equal(
        bytes.byteLength,
        values.reduce((sum, value) => sum + value.byteLength, 0),
        'only the values',
      );
      assert.deepEqual(
        packed.map((item) => unpackRecord(item, bytes)),
        records,
      );
    }),
  );
});
