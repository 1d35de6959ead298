import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truthOfPayments } from '../../../src/simulator/truth/sent.ts';
import { smallWorld } from '../calendar.ts';

const world = smallWorld({ customers: 200, days: 40, churn: { replicates: 1 } });

test("a run's truth keeps the records of its payments and of their customers, nothing else", () => {
  const chosen = world.truth.fraud.filter((_, index) => index % 3 === 0);
  const refs = new Set(chosen.map((record) => record.payment_ref));
  const truth = truthOfPayments(world.truth, refs);
  assert.deepEqual(truth.fraud, chosen);
  assert.deepEqual(
    truth.retry,
    world.truth.retry.filter((record) => refs.has(record.payment_ref)),
  );
  assert.ok(truth.retry.length > 0);
  const customers = new Set(chosen.map((record) => record.customer_ref));
  assert.deepEqual(
    truth.churn,
    world.truth.churn.filter((record) => customers.has(record.customer_ref)),
  );
  assert.ok(truth.churn.length > 0 && truth.churn.length < world.truth.churn.length);
  assert.deepEqual(truthOfPayments(world.truth, new Set(['phantom:pay_00000001'])), {
    fraud: [],
    retry: [],
    churn: [],
  });
});
