import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FraudTruth } from '../../../src/simulator/truth/types.ts';
import { DAY, HOUR } from '../../../src/simulator/world/calendar.ts';
import { REPORT_PROBABILITY } from '../../../src/simulator/world/fraud.ts';
import { usdToMinor } from '../../../src/simulator/world/geography.ts';
import type { Cardholder } from '../../../src/simulator/world/people.ts';
import { rocAuc, smallWorld } from '../calendar.ts';

// Fraud is rare: a bigger world, so every scenario shows up enough times to measure.
const world = smallWorld({ customers: 1500, days: 120, churn: { replicates: 1 } });
const truth = world.truth.fraud;
const payments = new Map(world.payments.map((p) => [p.ref, p]));
const by = (scenario: FraudTruth['scenario']) => truth.filter((r) => r.scenario === scenario);

test('fraud is rare and every scenario happens', () => {
  const share = truth.filter((r) => r.actor === 'fraudster').length / truth.length;
  assert.ok(share > 0.004 && share < 0.03, `fraudsters made ${share} of attempts`);
  for (const scenario of ['card_testing', 'compromised_card', 'compromised_merchant'] as const) {
    assert.ok(by(scenario).length >= 20, `${scenario}: ${by(scenario).length}`);
  }
  assert.ok(truth.every((r) => (r.actor === 'fraudster') === (r.scenario !== null)));
});

test('card testing: bursts of small attempts at one merchant, most declined', () => {
  const tests = by('card_testing');
  const declined = tests.filter((r) => !r.approved).length / tests.length;
  assert.ok(declined > 0.5, `declined ${declined}`);
  for (const record of tests) {
    const payment = payments.get(record.payment_ref);
    assert.ok(payment);
    const usd = payment.amount / (payment.currency === 'JPY' ? 150 : payment.currency === 'KWD' ? 310 : 100);
    assert.ok(usd < 10, `${record.payment_ref}: ${usd} USD`);
    const burst = tests.filter(
      (other) =>
        other.customer_ref === record.customer_ref && Math.abs(Date.parse(other.at) - Date.parse(record.at)) < HOUR,
    );
    assert.ok(burst.length >= 4, `${record.payment_ref}: ${burst.length} attempts within the hour`);
  }
});

test("compromised cards spend out of pattern: bigger amounts, mostly outside the owner's usual merchants", () => {
  const customers = new Map(world.customers.map((c) => [c.id, c]));
  const records = by('compromised_card');
  let unusual = 0;
  let bigger = 0;
  for (const record of records) {
    const payment = payments.get(record.payment_ref);
    const owner = customers.get(record.customer_ref) as Cardholder;
    assert.ok(payment);
    if (!owner.usualShops.some((shop) => shop.id === payment.merchant.id)) unusual += 1;
    if (payment.amount > usdToMinor(owner.medianUsd, payment.currency)) bigger += 1;
  }
  assert.ok(unusual / records.length > 0.5, `unusual merchants ${unusual / records.length}`);
  assert.ok(bigger / records.length > 0.9, `above the owner's median ${bigger / records.length}`);
});

test('labels arrive late, as chargebacks do, and only as disputes where the provider reports them', () => {
  const reported = truth.filter((r) => r.fraud);
  const delays = reported.map((r) => (Date.parse(r.label_at as string) - Date.parse(r.at)) / DAY).sort((a, b) => a - b);
  assert.ok((delays[0] ?? 0) >= 2, `earliest label ${delays[0]} days`);
  const median = delays[Math.floor(delays.length / 2)] ?? 0;
  assert.ok(median > 10 && median < 40, `median delay ${median} days`);
  const start = world.startAt.getTime();
  for (const record of reported) {
    const payment = payments.get(record.payment_ref);
    assert.ok(payment);
    const opened = payment.steps.find((s) => s.step.kind === 'dispute_opened');
    if (opened) assert.ok(start + opened.at >= Date.parse(record.label_at as string), record.payment_ref);
  }
  // No dispute without a report: the dispute *is* the late label.
  for (const payment of world.payments) {
    if (payment.steps.some((s) => s.step.kind === 'dispute_opened')) assert.equal(truth[payment.seq - 1]?.fraud, true);
  }
});

test('labels are drawn from the true probability: fraudsters reported at about their scenario rate', () => {
  for (const scenario of ['compromised_card', 'card_testing'] as const) {
    const records = by(scenario);
    const rate = records.filter((r) => r.fraud).length / records.length;
    assert.ok(Math.abs(rate - REPORT_PROBABILITY[scenario]) < 0.12, `${scenario} reported ${rate}`);
  }
  const friendly = truth.filter((r) => r.actor === 'customer' && r.fraud).length;
  assert.ok(friendly > 0, 'some genuine payments are disowned later (friendly fraud)');
  assert.ok(truth.filter((r) => r.actor === 'customer' && !r.approved).every((r) => r.fraud_probability === 0));
});

test('the signal is real but imperfect: the true probability ranks well, yet below a perfect 1', () => {
  const approved = truth.filter((r) => r.approved);
  const ceiling = rocAuc(
    approved.map((r) => r.fraud_probability),
    approved.map((r) => r.fraud),
  );
  assert.ok(ceiling > 0.8 && ceiling < 0.98, `ceiling ROC AUC ${ceiling}`);
});
