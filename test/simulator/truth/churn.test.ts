import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY } from '../../../src/simulator/world/calendar.ts';
import { rocAuc, smallWorld } from '../calendar.ts';

const world = smallWorld({ customers: 600, churn: { replicates: 48 } });
const churn = world.truth.churn;

test('the churn label is exactly: no successful payment of their own in the window after the cutoff', () => {
  assert.ok(churn.length > 400);
  for (const record of churn) {
    const cutoff = Date.parse(record.cutoff);
    const paid = world.truth.fraud.some(
      (r) =>
        r.customer_ref === record.customer_ref &&
        r.actor === 'customer' &&
        r.approved &&
        Date.parse(r.at) >= cutoff &&
        Date.parse(r.at) < cutoff + record.window_days * DAY,
    );
    assert.equal(record.churned, !paid, record.customer_ref);
  }
  const rate = churn.filter((r) => r.churned).length / churn.length;
  assert.ok(rate > 0.05 && rate < 0.4, `churn rate ${rate}`);
});

test('a customer who stopped before the cutoff has churned for certain', () => {
  const stopped = churn.filter((r) => r.stopped_at !== null && Date.parse(r.stopped_at) < Date.parse(r.cutoff));
  assert.ok(stopped.length > 10);
  for (const record of stopped) {
    assert.equal(record.churn_probability, 1);
    assert.equal(record.churned, true);
  }
});

test('the probability is calibrated and ranks the labels, without being the label', () => {
  const mean = churn.reduce((sum, r) => sum + r.churn_probability, 0) / churn.length;
  const rate = churn.filter((r) => r.churned).length / churn.length;
  assert.ok(Math.abs(mean - rate) < 0.05, `mean probability ${mean}, rate ${rate}`);
  const auc = rocAuc(
    churn.map((r) => r.churn_probability),
    churn.map((r) => r.churned),
  );
  assert.ok(auc > 0.85 && auc < 1, `ceiling ROC AUC ${auc}`);
  assert.ok(churn.some((r) => r.churn_probability > 0 && r.churn_probability < 1));
});

test('churn is partly visible: churners more often ended on a decline, and paid less often lately', () => {
  const stats = (churned: boolean) => {
    const group = churn.filter((r) => r.churned === churned);
    let endedDeclined = 0;
    let recent = 0;
    for (const record of group) {
      const cutoff = Date.parse(record.cutoff);
      const past = world.truth.fraud.filter(
        (r) => r.customer_ref === record.customer_ref && r.actor === 'customer' && Date.parse(r.at) < cutoff,
      );
      if (past.at(-1)?.approved === false) endedDeclined += 1;
      recent += past.filter((r) => r.approved && Date.parse(r.at) >= cutoff - 30 * DAY).length;
    }
    return { endedDeclined: endedDeclined / group.length, recentSuccesses: recent / group.length };
  };
  const churners = stats(true);
  const stayers = stats(false);
  const detail = JSON.stringify({ churners, stayers });
  assert.ok(churners.endedDeclined > 2 * stayers.endedDeclined, detail);
  assert.ok(churners.recentSuccesses < stayers.recentSuccesses / 2, detail);
});
