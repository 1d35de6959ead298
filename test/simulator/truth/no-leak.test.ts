import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRenderers } from '../../../src/simulator/render/index.ts';
import type { RenderedEvent } from '../../../src/simulator/render/renderer.ts';
import type { TimedStep } from '../../../src/simulator/world/model.ts';
import { smallWorld, TRUTH_WORDS } from '../calendar.ts';

const world = smallWorld({ customers: 800, churn: { replicates: 1 } });
const renderers = createRenderers(world.seed);
const start = world.startAt.getTime();
const rendered = world.steps.map((timed) => ({
  timed,
  events: renderers[timed.payment.provider].render(timed, new Date(start + timed.at)),
}));

test('no webhook payload carries a truth field or value', () => {
  assert.ok(rendered.length > 5000);
  for (const { events } of rendered) {
    for (const event of events) {
      const text = event.payload.toLowerCase();
      for (const word of TRUTH_WORDS) assert.ok(!text.includes(word), `${event.name} mentions ${word}`);
    }
  }
});

/** The set of key paths (JSON) or element paths (XML) of a payload, values dropped. */
function shape(payload: string): string {
  if (payload.startsWith('<')) return [...payload.matchAll(/<([a-z-]+)[\s>]/g)].map((m) => m[1]).join(',');
  const paths: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value))
        walk(inner, Array.isArray(value) ? `${path}[]` : `${path}.${key}`);
    } else paths.push(path);
  };
  walk(JSON.parse(payload), '');
  return [...new Set(paths)].sort().join(',');
}

test("a fraudster's payments look like a customer's: the same payload shapes, event by event", () => {
  const actor = new Map(world.truth.fraud.map((r) => [r.payment_ref, r.actor]));
  const key = (timed: TimedStep, event: RenderedEvent) => `${timed.payment.provider} ${event.name}`;
  const fraudShapes = new Map<string, Set<string>>();
  for (const { timed, events } of rendered) {
    if (actor.get(timed.payment.ref) !== 'fraudster') continue;
    for (const event of events)
      fraudShapes.set(key(timed, event), (fraudShapes.get(key(timed, event)) ?? new Set()).add(shape(event.payload)));
  }
  const genuineShapes = new Map<string, Set<string>>();
  const seen = new Map<string, number>();
  for (const { timed, events } of rendered) {
    if (actor.get(timed.payment.ref) === 'fraudster') continue;
    for (const event of events) {
      // A few hundred genuine webhooks of each kind show every shape the renderers give it.
      const count = seen.get(key(timed, event)) ?? 0;
      if (!fraudShapes.has(key(timed, event)) || count >= 300) continue;
      seen.set(key(timed, event), count + 1);
      genuineShapes.set(
        key(timed, event),
        (genuineShapes.get(key(timed, event)) ?? new Set()).add(shape(event.payload)),
      );
    }
  }
  let compared = 0;
  for (const [name, shapes] of fraudShapes) {
    const genuine = genuineShapes.get(name);
    // A rare event (a dispute a fraudster's victim lost) may have no genuine twin in a sample this size.
    if (genuine === undefined) continue;
    for (const one of shapes) assert.ok(genuine.has(one), `${name}: a shape only fraud has`);
    compared += 1;
  }
  assert.ok(compared >= 8, `${compared} kinds of webhook compared`);
});
