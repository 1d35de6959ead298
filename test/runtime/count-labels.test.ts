import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { countLabels } from '../../src/runtime/count-labels.ts';

test('a batch of label sets adds one per set to the counter, whatever their order', async () => {
  const registry = new Registry();
  const counter = new Counter({ name: 'c', help: 'h', labelNames: ['provider', 'outcome'], registers: [registry] });
  countLabels(counter, [
    { provider: 'stripe', outcome: 'events' },
    { provider: 'adyen', outcome: 'events' },
    { provider: 'stripe', outcome: 'events' },
    { provider: 'stripe', outcome: 'invalid' },
  ]);
  countLabels(counter, []);
  countLabels(counter, [{ provider: 'stripe', outcome: 'events' }]);
  const values = (await counter.get()).values.map(
    ({ labels, value }) => `${labels.provider} ${labels.outcome} ${value}`,
  );
  assert.deepEqual(values.sort(), ['adyen events 1', 'stripe events 3', 'stripe invalid 1']);
});
