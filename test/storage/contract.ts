/**
 * The contract every PaymentStore adapter passes (STYLE.md: one suite, run once per adapter). Each test
 * opens its own database through the harness and removes it afterwards.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFeatures, featuresFromState } from '../../src/inference/features/features.ts';
import { stateAt } from '../../src/inference/features/stored-state.ts';
import type { PaymentStore, QuarantineEntry } from '../../src/storage/port.ts';
import { enrichedEvent, unifiedEvent } from './events.ts';

export interface StoreHarness {
  /** Opens the harness's database; a second call opens the same database again (a new connection). */
  open(): Promise<PaymentStore>;
  /** Removes the database. */
  destroy(): Promise<void>;
}

const RECORD = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  provider: 'square',
  received_at: '2026-01-01T00:00:00.000Z',
  headers: { 'x-square-hmacsha256-signature': 'c2ln' },
  body_base64: Buffer.from('{"not":"json"').toString('base64'),
} as const;

function recordEntry(code: string): QuarantineEntry {
  return {
    stage: 'normalizer',
    provider: 'square',
    reasons: [{ code, message: `because ${code}` }],
    event: null,
    record: { ...RECORD, headers: { ...RECORD.headers } },
    quarantined_at: '2026-01-01T00:00:05.000Z',
  };
}

export function storeContract(name: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`PaymentStore contract: ${name}`, () => {
    async function withStore(t: { after(fn: () => Promise<void>): void }): Promise<[PaymentStore, StoreHarness]> {
      const harness = await createHarness();
      const store = await harness.open();
      t.after(async () => {
        await store.close();
        await harness.destroy();
      });
      return [store, harness];
    }

    test('an event is stored once; a second write of its id changes nothing and says so', async (t) => {
      const [store] = await withStore(t);
      const event = enrichedEvent();
      assert.deepEqual(await store.saveEvent(event), { duplicate: false });
      assert.deepEqual(await store.saveEvent({ ...event, amount_cents: 99 }), { duplicate: true });
      assert.equal((await store.counts()).events, 1);
      const [stored] = await store.paymentHistory('stripe', 'pi_1', '2030-01-01T00:00:00.000Z', 10);
      assert.deepEqual(stored, event, 'the first write is kept, field for field');
    });

    test("each stored event is folded into its customer's state: in order, out of order, never twice", async (t) => {
      const [store] = await withStore(t);
      const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const saved = [
        enrichedEvent({ event_id: 'e2', payment_id: 'pi_2', timestamp: at(2), metadata: { card_country: 'GB' } }),
        enrichedEvent({
          event_id: 'e5',
          payment_id: 'pi_5',
          timestamp: at(5),
          status: 'failed',
          event_type: 'payment.failed',
          failure_code: 'insufficient_funds',
        }),
        enrichedEvent({ event_id: 'e3', payment_id: 'pi_3', timestamp: at(3), currency: 'EUR' }),
        enrichedEvent({
          event_id: 'e5b',
          payment_id: 'pi_5',
          timestamp: at(5),
          currency: 'EUR',
          merchant_id: 'acct_2',
        }),
        enrichedEvent({ event_id: 'anon', customer_id: null, timestamp: at(6) }),
      ];
      assert.equal(await store.customerState('cus_1'), undefined, 'no event, no state');
      for (const event of saved) await store.saveEvent(event);
      assert.deepEqual(await store.saveEvent({ ...saved[0], timestamp: at(9) } as never), { duplicate: true });
      const next = enrichedEvent({ event_id: 'next', payment_id: 'pi_2', timestamp: at(7), metadata: {} });
      const state = stateAt((await store.customerState('cus_1')) ?? assert.fail('no state kept'), Date.parse(at(7)));
      const features = featuresFromState(next, state ?? assert.fail('no state at day 7'), Date.parse(at(7)));
      assert.deepEqual(features, computeFeatures(next, saved.slice(0, 4)));
      assert.equal(features.history_events, 4);
      assert.equal(features.card_country_mismatch, 1, "day 2's card country, from the state");
      const earlier = (await store.customerState('cus_1')) ?? assert.fail('no state kept');
      assert.equal(stateAt(earlier, Date.parse(at(4))), undefined, 'later events are stored: the past must be read');
    });

    test("concurrent saves of one customer's events, in any order, leave the state of all of them", async (t) => {
      const [store] = await withStore(t);
      const saved = Array.from({ length: 24 }, (_, i) =>
        enrichedEvent({
          event_id: `c${i}`,
          payment_id: `pi_${i % 7}`,
          amount_cents: 100 * (i + 1),
          timestamp: new Date(Date.UTC(2026, 0, 1 + ((i * 5) % 24))).toISOString(),
        }),
      );
      await Promise.all(saved.map((event) => store.saveEvent(event)));
      const next = enrichedEvent({ event_id: 'next', timestamp: '2026-02-01T00:00:00.000Z' });
      const now = Date.parse(next.timestamp);
      const state = stateAt((await store.customerState('cus_1')) ?? assert.fail('no state kept'), now);
      assert.deepEqual(featuresFromState(next, state ?? assert.fail('no state'), now), computeFeatures(next, saved));
    });

    test('a row the store refuses fails alone, as PAYPIPE_ERR_STORE_REFUSED: retrying cannot help', async (t) => {
      const [store] = await withStore(t);
      await assert.rejects(store.saveEvent(enrichedEvent({ event_id: 'neg', amount_cents: -1 })), {
        name: 'PaypipeError',
        code: 'PAYPIPE_ERR_STORE_REFUSED',
        retryable: false,
      });
      assert.deepEqual(await store.saveEvent(enrichedEvent({ event_id: 'ok' })), { duplicate: false });
      assert.equal(await store.locate('neg'), null);
    });

    test('writes made together (one group commit) each get their own answer; a refused one fails alone', async (t) => {
      const [store] = await withStore(t);
      const first = enrichedEvent({ event_id: 'a', timestamp: '2026-01-02T00:00:00.000Z' });
      const results = await Promise.allSettled([
        store.saveEvent(first),
        store.saveEvent({ ...first, amount_cents: 99 }),
        store.saveEvent(enrichedEvent({ event_id: 'neg', amount_cents: -1 })),
        store.saveEvent(enrichedEvent({ event_id: 'b', customer_id: 'cus_2', timestamp: '2026-01-03T00:00:00.000Z' })),
      ]);
      const outcome = (result: PromiseSettledResult<unknown>) =>
        result.status === 'fulfilled' ? result.value : (result.reason as { code?: string }).code;
      assert.deepEqual(results.map(outcome), [
        { duplicate: false },
        { duplicate: true },
        'PAYPIPE_ERR_STORE_REFUSED',
        { duplicate: false },
      ]);
      assert.equal((await store.counts()).events, 2);
      const [kept] = await store.paymentHistory('stripe', 'pi_1', '2030-01-01T00:00:00.000Z', 10);
      assert.equal(kept?.amount_cents, first.amount_cents, 'the first write of the id is the one kept');
      const now = Date.parse('2026-02-01T00:00:00.000Z');
      const next = enrichedEvent({ event_id: 'next', timestamp: '2026-02-01T00:00:00.000Z' });
      for (const customer of ['cus_1', 'cus_2']) {
        const state = stateAt((await store.customerState(customer)) ?? assert.fail(`no state for ${customer}`), now);
        assert.equal(featuresFromState(next, state ?? assert.fail('no state'), now).history_events, 1, customer);
      }
    });

    test('locate says which table holds an event id', async (t) => {
      const [store] = await withStore(t);
      assert.equal(await store.locate('stripe:evt_1'), null);
      await store.saveEvent(enrichedEvent());
      assert.equal(await store.locate('stripe:evt_1'), 'payment_events');
      const bad = unifiedEvent({ event_id: 'stripe:evt_bad' });
      await store.quarantine({
        ...recordEntry('amount_not_positive'),
        stage: 'orchestrator',
        event: bad,
        record: null,
      });
      assert.equal(await store.locate('stripe:evt_bad'), 'payment_events_quarantine');
    });

    test('customer history is newest first, strictly before the bound, limited, and only that customer', async (t) => {
      const [store] = await withStore(t);
      for (const [id, day, customer] of [
        ['e1', '01', 'cus_1'],
        ['e2', '02', 'cus_1'],
        ['e3', '03', 'cus_1'],
        ['e4', '02', 'cus_2'],
      ] as const) {
        await store.saveEvent(
          enrichedEvent({ event_id: id, customer_id: customer, timestamp: `2026-01-${day}T00:00:00.000Z` }),
        );
      }
      const ids = async (before: string, limit: number) =>
        (await store.customerHistory('cus_1', before, limit)).map((event) => event.event_id);
      assert.deepEqual(await ids('2026-01-03T00:00:00.000Z', 10), ['e2', 'e1']);
      assert.deepEqual(await ids('2026-01-03T00:00:00.001Z', 10), ['e3', 'e2', 'e1']);
      assert.deepEqual(await ids('2026-01-03T00:00:00.001Z', 1), ['e3']);
      assert.deepEqual(await ids('2026-01-03T00:00:00+00:00', 10), ['e2', 'e1'], 'any ISO 8601 form of the bound');
      assert.deepEqual(await ids('not a date', 10), []);
      assert.deepEqual(await ids('2027-01-01T00:00:00.000Z', 0), []);
    });

    test("customer history carries what the features read, the card's country its only metadata", async (t) => {
      const [store] = await withStore(t);
      const abroad = enrichedEvent({
        event_id: 'abroad',
        event_type: 'payment.failed',
        status: 'failed',
        failure_code: 'insufficient_funds',
        merchant_id: 'm_9',
        amount_cents: 123_456_789_012,
        metadata: { card_country: 'DE', charge_id: 'ch_1' },
      });
      await store.saveEvent(abroad);
      await store.saveEvent(enrichedEvent({ event_id: 'home', timestamp: '2026-01-01T00:00:01.000Z', metadata: {} }));
      assert.deepEqual(await store.customerHistory('cus_1', '2030-01-01T00:00:00.000Z', 10), [
        {
          event_id: 'home',
          event_type: 'payment.succeeded',
          payment_id: 'pi_1',
          amount_cents: 1000,
          currency: 'USD',
          status: 'succeeded',
          failure_code: null,
          merchant_id: 'acct_1',
          timestamp: '2026-01-01T00:00:01.000Z',
          metadata: {},
        },
        {
          event_id: 'abroad',
          event_type: 'payment.failed',
          payment_id: 'pi_1',
          amount_cents: 123_456_789_012,
          currency: 'USD',
          status: 'failed',
          failure_code: 'insufficient_funds',
          merchant_id: 'm_9',
          timestamp: abroad.timestamp,
          metadata: { card_country: 'DE' },
        },
      ]);
    });

    test('payment history: that payment only, strictly before the bound, newest first, at most the limit', async (t) => {
      const [store] = await withStore(t);
      for (const [id, day, payment, provider] of [
        ['p1', '01', 'pi_1', 'stripe'],
        ['p2', '02', 'pi_1', 'stripe'],
        ['p3', '03', 'pi_1', 'stripe'],
        ['p4', '02', 'pi_2', 'stripe'],
        // The same id at another provider is another payment.
        ['p5', '02', 'pi_1', 'braintree'],
      ] as const) {
        await store.saveEvent(
          enrichedEvent({
            event_id: id,
            provider,
            payment_id: payment,
            customer_id: null,
            timestamp: `2026-01-${day}T00:00:00.000Z`,
          }),
        );
      }
      const ids = async (before: string, limit: number) =>
        (await store.paymentHistory('stripe', 'pi_1', before, limit)).map((event) => event.event_id);
      assert.deepEqual(await ids('2026-01-03T00:00:00.000Z', 10), ['p2', 'p1']);
      assert.deepEqual(await ids('2026-01-04T00:00:00.000Z', 2), ['p3', 'p2']);
      assert.deepEqual(await ids('garbage', 10), []);
    });

    test('payment totals: captured once, each refund once, cumulative reports not added, last status, types', async (t) => {
      const [store] = await withStore(t);
      const at = (minute: number) => `2026-01-01T00:0${minute}:00.000Z`;
      const events = [
        enrichedEvent({ event_id: 'a', event_type: 'payment.authorized', status: 'authorized', timestamp: at(1) }),
        enrichedEvent({ event_id: 'b', event_type: 'payment.succeeded', timestamp: at(2) }),
        enrichedEvent({ event_id: 'c', event_type: 'payment.captured', timestamp: at(2) }),
        enrichedEvent({
          event_id: 'd',
          event_type: 'refund.succeeded',
          status: 'refunded',
          amount_cents: 300,
          timestamp: at(3),
          metadata: { refund_id: 're_1' },
        }),
        enrichedEvent({
          event_id: 'e',
          event_type: 'refund.succeeded',
          status: 'refunded',
          amount_cents: 300,
          timestamp: at(4),
          metadata: { refund_id: 're_1' },
        }),
        enrichedEvent({
          event_id: 'f',
          event_type: 'refund.succeeded',
          status: 'refunded',
          amount_cents: 200,
          timestamp: at(5),
          metadata: { refund_id: 're_2' },
        }),
        // A cumulative report (no refund id, like Stripe's charge.refunded): a total, not one more refund.
        enrichedEvent({
          event_id: 'h',
          event_type: 'refund.succeeded',
          status: 'refunded',
          amount_cents: 450,
          timestamp: at(7),
        }),
        enrichedEvent({ event_id: 'g', payment_id: 'pi_other', amount_cents: 5000, timestamp: at(6) }),
        // The same payment id at another provider is another payment.
        enrichedEvent({
          event_id: 'i',
          provider: 'square',
          event_type: 'refund.succeeded',
          status: 'refunded',
          amount_cents: 900,
          timestamp: at(8),
          metadata: { refund_id: 'sq_1' },
        }),
      ];
      for (const event of events) await store.saveEvent(event);
      assert.deepEqual(await store.paymentTotals('stripe', 'pi_1'), {
        payment_id: 'pi_1',
        event_count: 7,
        currency: 'USD',
        authorized_cents: 1000,
        captured_cents: 1000,
        refunded_cents: 500,
        refunds: { re_1: 300, re_2: 200 },
        failed_refunds: [],
        last_status: 'refunded',
        event_types: ['payment.authorized', 'payment.succeeded', 'payment.captured', 'refund.succeeded'],
      });
      assert.deepEqual((await store.paymentTotals('square', 'pi_1')).refunds, { sq_1: 900 });
      const unseen = await store.paymentTotals('stripe', 'pi_never');
      assert.equal(unseen.event_count, 0);
      assert.equal(unseen.last_status, null);
      assert.equal(unseen.captured_cents, 0);
    });

    test("payment totals: Adyen's partial captures, each named by its capture id, add up", async (t) => {
      const [store] = await withStore(t);
      const capture = (id: string, amount: number, minute: number) =>
        enrichedEvent({
          event_id: `adyen:${id}:CAPTURE:true:psp_1`,
          provider: 'adyen',
          event_type: 'payment.captured',
          payment_id: 'psp_1',
          amount_cents: amount,
          timestamp: `2026-01-01T00:0${minute}:00.000Z`,
          metadata: { capture_id: id },
        });
      for (const event of [capture('cap_1', 6000, 1), capture('cap_2', 4000, 2)]) await store.saveEvent(event);
      assert.equal((await store.paymentTotals('adyen', 'psp_1')).captured_cents, 10_000);
    });

    test('quarantine is idempotent by event id, and by record id plus primary reason', async (t) => {
      const [store] = await withStore(t);
      const event = unifiedEvent({ event_id: 'stripe:evt_q' });
      const entry: QuarantineEntry = {
        ...recordEntry('refund_exceeds_captured'),
        stage: 'orchestrator',
        event,
        record: null,
      };
      const first = await store.quarantine(entry);
      assert.equal(first.duplicate, false);
      assert.deepEqual(await store.quarantine(entry), { id: first.id, duplicate: true });
      assert.equal((await store.quarantine(recordEntry('invalid_payload'))).duplicate, false);
      assert.equal((await store.quarantine(recordEntry('invalid_payload'))).duplicate, true);
      assert.equal((await store.quarantine(recordEntry('malformed_body'))).duplicate, false, 'another reason');
      assert.equal((await store.counts()).quarantined, 3);
    });

    test('a dead letter whose reason quotes odd text (a NUL, half a surrogate pair) is quarantined all the same', async (t) => {
      const [store] = await withStore(t);
      // The normalizer's issue messages name the payload's path, keys included (Adyen's merchant metadata).
      const odd = (code: string, text: string): QuarantineEntry => ({
        ...recordEntry(code),
        reasons: [{ code, message: `the event's metadata.merchant_metadata.${text} would be invalid` }],
      });
      assert.equal((await store.quarantine(odd('invalid_payload', 'k\u0000'))).duplicate, false);
      assert.equal((await store.quarantine(odd('invalid_value', 'k\ud83d'))).duplicate, false);
      assert.deepEqual((await store.counts()).quarantineByReason, [
        { reason: 'invalid_payload', count: 1 },
        { reason: 'invalid_value', count: 1 },
      ]);
    });

    test('a quarantine row re-driven after a fix is kept, marked once, and no longer counted as quarantined', async (t) => {
      const [store] = await withStore(t);
      const redriven = await store.quarantine(recordEntry('invalid_payload'));
      const open = await store.quarantine(recordEntry('malformed_body'));
      assert.equal(await store.quarantineState(redriven.id), 'open');
      assert.equal(await store.markRedriven(redriven.id, '2026-01-03T00:00:00.000Z'), true);
      assert.equal(await store.markRedriven(redriven.id, '2026-01-04T00:00:00.000Z'), false, 'marked once');
      assert.equal(await store.markRedriven('record:unknown:invalid_payload', '2026-01-04T00:00:00.000Z'), false);
      assert.deepEqual(
        await Promise.all([redriven.id, open.id, 'record:unknown:x'].map((id) => store.quarantineState(id))),
        ['redriven', 'open', null],
      );
      const counts = await store.counts();
      assert.deepEqual([counts.quarantined, counts.redriven], [1, 1]);
      assert.deepEqual(counts.quarantineByReason, [{ reason: 'malformed_body', count: 1 }]);
    });

    test('a re-driven record dead-lettered again (the pipeline still refuses it) is quarantined again', async (t) => {
      const [store] = await withStore(t);
      const { id } = await store.quarantine(recordEntry('invalid_payload'));
      await store.markRedriven(id, '2026-01-03T00:00:00.000Z');
      assert.deepEqual(await store.quarantine(recordEntry('invalid_payload')), { id, duplicate: false });
      assert.equal(await store.quarantineState(id), 'open');
      assert.deepEqual(await store.quarantine(recordEntry('invalid_payload')), { id, duplicate: true });
      const counts = await store.counts();
      assert.deepEqual([counts.quarantined, counts.redriven], [1, 0]);
      assert.equal(await store.markRedriven(id, '2026-01-04T00:00:00.000Z'), true, 'and can be re-driven again');
    });

    test('a dead letter written before its row was re-driven, reviewed again, leaves the row re-driven', async (t) => {
      const [store] = await withStore(t);
      const letter = (at: string): QuarantineEntry => ({ ...recordEntry('invalid_payload'), dead_lettered_at: at });
      const { id } = await store.quarantine(letter('2026-01-01T00:00:04.000Z'));
      await store.markRedriven(id, '2026-01-03T00:00:00.000Z');
      assert.deepEqual(await store.quarantine(letter('2026-01-01T00:00:04.000Z')), { id, duplicate: true });
      assert.deepEqual(await store.quarantine(letter('2026-01-02T00:00:00.000Z')), { id, duplicate: true }, 'a twin');
      assert.equal(await store.quarantineState(id), 'redriven');
      assert.deepEqual(await store.quarantine(letter('2026-01-03T00:00:00.000Z')), { id, duplicate: false });
      assert.equal(await store.quarantineState(id), 'open', 'one written since: its record was refused again');
    });

    test('a replayed dead letter is remembered by its position and record, marked once', async (t) => {
      const [store] = await withStore(t);
      const at = (offset: bigint, recordId = `rec_${offset}`) => ({
        topic: 'webhooks.dlq',
        partition: 3,
        offset,
        recordId,
      });
      const offsets = [0n, 1n, 2n, 9_007_199_254_740_993n];
      assert.deepEqual(await store.replayedDeadLetters(offsets.map((offset) => at(offset))), [
        false,
        false,
        false,
        false,
      ]);
      assert.deepEqual(await store.replayedDeadLetters([]), []);
      assert.equal(await store.markDeadLettersReplayed([], '2026-01-03T00:00:00.000Z'), 0);
      assert.equal(await store.markDeadLettersReplayed([at(1n), at(offsets[3] ?? 0n)], '2026-01-03T00:00:00.000Z'), 2);
      assert.equal(
        await store.markDeadLettersReplayed([at(1n), at(2n)], '2026-01-04T00:00:00.000Z'),
        1,
        'a dead letter is marked once',
      );
      assert.deepEqual(await store.replayedDeadLetters([...offsets.map((offset) => at(offset)), at(1n)]), [
        false,
        true,
        true,
        true,
        true,
      ]);
      assert.deepEqual(
        await store.replayedDeadLetters([
          { ...at(1n), topic: 'payments.validation.dlq' },
          { ...at(1n), partition: 4 },
          at(1n, 'rec_other'),
        ]),
        [false, false, false],
        'another topic, partition or record is another dead letter',
      );
    });

    test('a mark left by an earlier log (its offsets started again) does not hide the dead letter now there', async (t) => {
      const [store] = await withStore(t);
      const first = { topic: 'webhooks.dlq', partition: 0, offset: 0n, recordId: 'rec_old_log' };
      const now = { ...first, recordId: 'rec_new_log' };
      await store.markDeadLettersReplayed([first], '2026-01-03T00:00:00.000Z');
      assert.deepEqual(await store.replayedDeadLetters([now]), [false]);
      assert.equal(await store.markDeadLettersReplayed([now], '2026-01-04T00:00:00.000Z'), 1);
      assert.deepEqual(await store.replayedDeadLetters([now, first]), [true, false]);
    });

    test('counts group events by provider and status, and quarantine rows by each reason', async (t) => {
      const [store] = await withStore(t);
      await store.saveEvent(enrichedEvent({ event_id: 's1' }));
      await store.saveEvent(enrichedEvent({ event_id: 's2' }));
      await store.saveEvent(enrichedEvent({ event_id: 'a1', provider: 'adyen', status: 'failed' }));
      await store.quarantine({
        ...recordEntry('invalid_payload'),
        reasons: [
          { code: 'invalid_payload', message: 'x' },
          { code: 'unknown_currency', message: 'y' },
        ],
      });
      await store.quarantine(recordEntry('malformed_body'));
      const counts = await store.counts();
      assert.equal(counts.events, 3);
      assert.deepEqual(counts.byProviderStatus, [
        { provider: 'adyen', status: 'failed', count: 1 },
        { provider: 'stripe', status: 'succeeded', count: 2 },
      ]);
      assert.deepEqual(counts.quarantineByReason, [
        { reason: 'invalid_payload', count: 1 },
        { reason: 'malformed_body', count: 1 },
        { reason: 'unknown_currency', count: 1 },
      ]);
    });

    test('counts summarise webhook→stored latency with nearest-rank percentiles', async (t) => {
      const [store] = await withStore(t);
      assert.equal((await store.counts()).latencyMs, null);
      const received = Date.parse('2026-03-01T12:00:00.000Z');
      for (let i = 1; i <= 100; i++) {
        await store.saveEvent(
          enrichedEvent({
            event_id: `lat${i}`,
            received_at: new Date(received).toISOString(),
            processed_at: new Date(received + i * 10).toISOString(),
          }),
        );
      }
      assert.deepEqual((await store.counts()).latencyMs, { p50: 500, p90: 900, p99: 990, max: 1000 });
    });

    test('what was written survives closing and reopening', async (t) => {
      const [store, harness] = await withStore(t);
      await store.saveEvent(enrichedEvent());
      await store.quarantine(recordEntry('invalid_payload'));
      await store.close();
      const again = await harness.open();
      t.after(() => again.close());
      assert.equal(await again.locate('stripe:evt_1'), 'payment_events');
      assert.equal((await again.counts()).quarantined, 1);
      assert.deepEqual(await again.saveEvent(enrichedEvent()), { duplicate: true });
    });
  });
}
