/**
 * The normalizer stage on an in-memory log: raw records in, unified events or dead letters out, every raw
 * record's offsets committed only once its outputs are durable, a payment's events in log order even with
 * batches in flight.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { DeadLetter } from '../../src/contracts/dead-letter.ts';
import { PaypipeError } from '../../src/contracts/errors.ts';
import { rawRecordBytes } from '../../src/contracts/raw-record.ts';
import { PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ } from '../../src/contracts/topics.ts';
import type { EventLog, LogRecord } from '../../src/log/port.ts';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';
import { createNormalizer, NORMALIZER_GROUP } from '../../src/normalizer/normalizer.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { testConfig } from '../helpers/test-config.ts';

const RAW = 'webhooks.stripe.payment_intent';

function started(
  t: { after(fn: () => Promise<void>): void },
  wrap: (log: EventLog) => EventLog = (log) => log,
  providers = createProviderRegistry(testConfig().providers),
) {
  const log = createSqliteEventLog(':memory:', { partitions: 2 });
  const normalizer = createNormalizer({
    log: wrap(log),
    providers,
    serve: ['stripe'],
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  }).start();
  t.after(async () => {
    await normalizer.stop();
    await log.close();
  });
  return Object.assign(log, { normalizer });
}

const raw = (id: string, body: Buffer) =>
  rawRecordBytes({ id, provider: 'stripe', received_at: '2026-01-02T03:04:05.000Z', headers: {}, body });

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function read(log: EventLog, topic: string, count: number): Promise<LogRecord[]> {
  let records: LogRecord[] = [];
  await until(async () => {
    records = [];
    for await (const record of log.scan(topic)) records.push(record);
    return records.length >= count;
  }, `${topic}: ${count} records`);
  return records;
}

async function lag(log: EventLog): Promise<number> {
  const groups = (await log.stats()).groups.filter((group) => group.group === NORMALIZER_GROUP);
  return groups.reduce((sum, group) => sum + group.lag, 0);
}

test('raw records become their unified events, keyed by payment, in log order, and are then committed', async (t) => {
  const log = started(t);
  const fixtures = stripeFixtures.filter(
    (fixture) => fixture.expect !== 'unsupported' && fixture.name.startsWith('payment_intent'),
  );
  assert.ok(fixtures.length >= 2);
  // One append per record, on one key: batches of one or a few, several in flight at once.
  for (const [i, fixture] of fixtures.entries()) {
    await log.append(RAW, [{ key: 'pi_same', value: raw(`rec_${i}`, Buffer.from(fixture.payload)) }]);
  }
  const expected = fixtures.flatMap((fixture) => fixture.expect as readonly string[]);
  const records = await read(log, PAYMENTS_NORMALIZED, expected.length);
  const fixtureOf = new Map(fixtures.map((fixture, i) => [`stripe:${JSON.parse(fixture.payload).id}`, i]));
  const byPayment = new Map<string, { offset: bigint; fixture: number }[]>();
  for (const record of records) {
    const event = JSON.parse(record.value.toString()) as { payment_id: string; event_id: string };
    assert.equal(record.key, event.payment_id);
    assert.equal(record.headers.event_id, event.event_id);
    const fixture = [...fixtureOf].find(([id]) => event.event_id.startsWith(id))?.[1];
    assert.ok(fixture !== undefined, event.event_id);
    byPayment.set(record.key, [...(byPayment.get(record.key) ?? []), { offset: record.offset, fixture }]);
  }
  // A payment's events are on one partition, in the order of the raw records they came from.
  for (const list of byPayment.values()) {
    const inLog = [...list].sort((a, b) => Number(a.offset - b.offset)).map((item) => item.fixture);
    assert.deepEqual(
      inLog,
      [...inLog].sort((a, b) => a - b),
    );
  }
  await until(async () => (await lag(log)) === 0, 'raw records committed');
});

test('a log record that is no raw record, and a payload that cannot be normalized, become dead letters', async (t) => {
  const log = started(t);
  const garbage = Buffer.from([0x7b, 0xff, 0x00, 0x0a, 0x80]);
  await log.append(RAW, [
    { key: 'k', value: garbage },
    { key: 'k', value: raw('rec_bad', Buffer.from('{"object":"event","type":"payment_intent.succeeded"}')) },
  ]);
  const letters = (await read(log, PAYMENTS_VALIDATION_DLQ, 2)).map((record) =>
    DeadLetter.parse(JSON.parse(record.value.toString())),
  );
  const stand = letters.find((letter) => letter.message === 'the log record is not a raw record');
  assert.equal(stand?.record.body_base64, garbage.toString('base64'), 'the exact bytes are kept');
  assert.equal(stand?.record.provider, 'stripe');
  const invalid = letters.find((letter) => letter.record.id === 'rec_bad');
  assert.equal(invalid?.reason, 'invalid_payload');
  assert.ok((invalid?.errors.length ?? 0) > 0);
  await until(async () => (await lag(log)) === 0, 'both committed');
});

test('an append refused while the log is unavailable (a full disk) is tried again, and only what failed', async (t) => {
  let refusals = 2;
  const log = started(t, (log) => ({
    ...log,
    consumer: log.consumer.bind(log),
    async append(topic, records) {
      if (topic === PAYMENTS_NORMALIZED && refusals-- > 0) {
        throw new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the SQLite log could not write');
      }
      return log.append(topic, records);
    },
  }));
  const fixture = stripeFixtures.find((fixture) => fixture.name === 'payment_intent.succeeded');
  assert.ok(fixture);
  // One batch with an event to append to each topic: only the normalized one is refused.
  await log.append(RAW, [
    { key: 'k', value: raw('rec_ok', Buffer.from(fixture.payload)) },
    { key: 'k', value: raw('rec_bad', Buffer.from('{"object":"event","type":"payment_intent.succeeded"}')) },
  ]);
  await until(async () => (await lag(log)) === 0, 'committed once the log took the events');
  assert.equal((await read(log, PAYMENTS_NORMALIZED, 1)).length, (fixture.expect as readonly string[]).length);
  assert.equal((await read(log, PAYMENTS_VALIDATION_DLQ, 1)).length, 1, 'the dead letter appended once');
  assert.equal(refusals, -1, 'both refusals were met');
  let settled = false;
  log.normalizer.done.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'the normalizer still runs');
});

test('a normalizer that throws on a payload (a bug) dead-letters that record and goes on', async (t) => {
  const providers = createProviderRegistry(testConfig().providers);
  const normalize = providers.stripe.normalize;
  const log = started(t, undefined, {
    ...providers,
    stripe: {
      ...providers.stripe,
      normalize: (raw) => {
        if (raw.id === 'rec_bug') throw new TypeError("Cannot read properties of undefined (reading 'amount')");
        return normalize(raw);
      },
    },
  });
  const fixture = stripeFixtures.find((fixture) => fixture.name === 'payment_intent.succeeded');
  assert.ok(fixture);
  await log.append(RAW, [
    { key: 'k', value: raw('rec_bug', Buffer.from(fixture.payload)) },
    { key: 'k', value: raw('rec_ok', Buffer.from(fixture.payload)) },
  ]);
  const [letter] = (await read(log, PAYMENTS_VALIDATION_DLQ, 1)).map((record) =>
    DeadLetter.parse(JSON.parse(record.value.toString())),
  );
  assert.equal(letter?.record.id, 'rec_bug');
  assert.equal(letter?.reason, 'invalid_payload');
  assert.match(letter?.message ?? '', /normalizer failed.*reading 'amount'/);
  assert.equal((await read(log, PAYMENTS_NORMALIZED, 1)).length, (fixture.expect as readonly string[]).length);
  await until(async () => (await lag(log)) === 0, 'both committed');
});
