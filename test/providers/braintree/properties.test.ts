import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { BRAINTREE_EXPONENTS } from '../../../src/providers/braintree/maps.ts';
import { escapeXml, notificationXml, transactionXml } from '../../../src/providers/braintree/sample-xml.ts';
import { encodePayload } from '../../../src/providers/braintree/signature.ts';
import { BRAINTREE_KINDS } from '../../../src/providers/braintree/types.ts';
import { minorToDecimal } from '../../../src/providers/currency.ts';
import { createProvider, formBody, NEW_KEYS, recordOf, requestOf } from './kit.ts';

const provider = createProvider([NEW_KEYS]);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const TAGS = [
  'transaction',
  'transactions',
  'subscription',
  'dispute',
  'id',
  'amount',
  'amount-disputed',
  'currency-iso-code',
  'merchant-account-id',
  'customer',
  'custom-fields',
  'refunded-transaction-fk',
  'processor-response-code',
  'constructor',
  '__proto__',
] as const;

/** Random XML subjects built from the element names the normalizer looks for, nested and repeated. */
const { element } = fc.letrec<{ element: string }>((tie) => ({
  element: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fc.constantFrom(...TAGS), fc.string({ maxLength: 12 }))
      .map(([tag, value]) => `<${tag}>${escapeXml(value)}</${tag}>`),
    fc
      .tuple(fc.constantFrom(...TAGS), fc.array(tie('element'), { maxLength: 4 }))
      .map(([tag, children]) => `<${tag}>${children.join('')}</${tag}>`),
  ),
}));

/** Real fixtures with one leaf element's text replaced by arbitrary text, or the element dropped. */
const mutatedFixtures = fc
  .tuple(fc.constantFrom(...braintreeFixtures), fc.nat(), fc.option(fc.string({ maxLength: 16 })))
  .map(([fixture, pick, replacement]) => {
    const leaves = [...fixture.payload.matchAll(/<([a-z-]+)>[^<]*<\/\1>/g)];
    const leaf = leaves[pick % leaves.length];
    if (leaf === undefined) return fixture.payload;
    const [whole, tag] = leaf;
    const next = replacement === null ? '' : `<${tag}>${escapeXml(replacement)}</${tag}>`;
    return `${fixture.payload.slice(0, leaf.index)}${next}${fixture.payload.slice(leaf.index + whole.length)}`;
  });

const generated = fc
  .tuple(
    fc.oneof(fc.constantFrom(...BRAINTREE_KINDS), fc.string({ maxLength: 20 })),
    fc.oneof(fc.constant('2026-03-01T09:00:00Z'), fc.string({ maxLength: 25 })),
    fc.array(element, { maxLength: 3 }),
  )
  .map(([kind, timestamp, subject]) => notificationXml(kind, escapeXml(timestamp), subject.join('')));

const notifications = fc.oneof(generated, mutatedFixtures);

test('any signed notification verifies, never throws, and routes by the payment_id it normalizes to', () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(notifications, (xml) => {
      const signed = provider.sign(xml);
      assert.deepEqual(provider.verify(requestOf(signed)), { ok: true });
      const normalized = provider.normalize(recordOf(signed.body));
      seen.add(normalized.kind);
      const route = provider.route(Buffer.from(signed.body));
      if (normalized.kind !== 'events') return;
      for (const event of normalized.events) assert.deepEqual(UnifiedPaymentEvent.parse(event), event);
      assert.ok(route.ok && route.partitionKey === normalized.events[0]?.payment_id);
    }),
    { numRuns: 500 },
  );
  assert.deepEqual([...seen].sort(), ['events', 'invalid', 'unsupported'], 'the generators reach every outcome');
});

test('arbitrary form fields and bytes never throw out of verify, route or normalize', () => {
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
    fc
      .record({ bt_signature: fc.string(), bt_payload: fc.oneof(fc.string(), fc.string().map(encodePayload)) })
      .map((fields) => Buffer.from(formBody(fields))),
    fc.string().map((text) => Buffer.from(`bt_signature=${NEW_KEYS.publicKey}%7Cabc&bt_payload=${text}`)),
  );
  fc.assert(
    fc.property(bodies, (body) => {
      assert.equal(provider.verify({ body, headers: FORM, receivedAt: new Date() }).ok, false);
      provider.route(body);
      assert.ok(['events', 'unsupported', 'invalid'].includes(provider.normalize(recordOf(body)).kind));
    }),
    { numRuns: 500 },
  );
});

const currencies = fc.constantFrom(...BRAINTREE_EXPONENTS.entries());

function settled(amount: string, currency: string): string {
  const tx = transactionXml({ id: 'tx1', status: 'settled', amount, currency, merchantAccountId: 'm' });
  return notificationXml('transaction_settled', '2026-03-01T09:00:00Z', tx);
}

test('amounts round-trip exactly for every currency exponent, with or without trailing zeros', () => {
  fc.assert(
    fc.property(currencies, fc.maxSafeNat(), fc.nat({ max: 3 }), ([currency, exponent], minor, zeros) => {
      const decimal = minorToDecimal(minor, exponent);
      const padded = zeros === 0 ? decimal : `${decimal}${exponent === 0 ? '.' : ''}${'0'.repeat(zeros)}`;
      const signed = provider.sign(settled(padded, currency.toLowerCase()));
      assert.deepEqual(provider.verify(requestOf(signed)), { ok: true });
      const normalized = provider.normalize(recordOf(signed.body));
      assert.ok(normalized.kind === 'events', JSON.stringify(normalized));
      assert.equal(normalized.events[0]?.amount_cents, minor);
      assert.equal(normalized.events[0]?.currency, currency);
    }),
    { numRuns: 400 },
  );
});

test('one digit more than the currency allows is amount_precision, for every exponent', () => {
  fc.assert(
    fc.property(
      currencies,
      fc.nat({ max: 1_000_000 }),
      fc.integer({ min: 1, max: 9 }),
      ([currency, exponent], whole, digit) => {
        const amount = `${whole}.${'0'.repeat(exponent)}${digit}`;
        const normalized = provider.normalize(recordOf(provider.sign(settled(amount, currency)).body));
        assert.ok(normalized.kind === 'invalid');
        assert.deepEqual(
          normalized.errors.map((issue) => issue.code),
          ['amount_precision'],
        );
      },
    ),
    { numRuns: 200 },
  );
});
