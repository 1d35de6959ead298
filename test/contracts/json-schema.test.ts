import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { contractJsonSchemas } from '../../src/contracts/json-schema.ts';

const dir = new URL('../../docs/schema/', import.meta.url);

test('the committed JSON Schemas under docs/schema/ match the code (run `make schema` after a change)', () => {
  const schemas = contractJsonSchemas();
  const committed = readdirSync(dir).filter((file) => file.endsWith('.json'));
  assert.deepEqual(
    committed.sort(),
    Object.keys(schemas)
      .map((name) => `${name}.json`)
      .sort(),
  );
  for (const [name, schema] of Object.entries(schemas)) {
    const onDisk = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'));
    assert.deepEqual(onDisk, schema, `docs/schema/${name}.json drifted from src/contracts`);
  }
});

test('the unified event schema closes its vocabularies and requires the design fields', () => {
  const schema = contractJsonSchemas()['unified-payment-event'] as {
    required: string[];
    properties: Record<string, { enum?: string[] }>;
    additionalProperties: boolean;
  };
  for (const field of ['event_id', 'provider', 'event_type', 'amount_cents', 'currency', 'status', 'timestamp']) {
    assert.ok(schema.required.includes(field), `${field} is required`);
  }
  assert.equal(schema.additionalProperties, false);
  assert.ok(schema.properties.event_type?.enum?.includes('dispute.lost'));
  assert.ok(!schema.properties.status?.enum?.includes('unknown'));
});

test('a dead letter never has the reason of a request the gateway could not read: it keeps none of those', () => {
  const schema = contractJsonSchemas()['dead-letter'] as { properties: { reason: { enum: string[] } } };
  const reasons = schema.properties.reason.enum;
  assert.ok(reasons.includes('no_matching_signature') && reasons.includes('invalid_payload'));
  for (const refusal of ['body_too_large', 'malformed_request', 'unknown_provider']) {
    assert.ok(!reasons.includes(refusal), `${refusal} is no dead-letter reason`);
  }
});
