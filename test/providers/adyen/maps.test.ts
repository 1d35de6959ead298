import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import { ADYEN_EXPONENTS, EVENT_RULES, ruleFor } from '../../../src/providers/adyen/maps.ts';

test("Adyen's exponent table departs from ISO 4217 exactly where Adyen's currency page says", () => {
  assert.deepEqual(
    ['CLP', 'CVE', 'IDR', 'ISK', 'JPY', 'KWD', 'EUR'].map((code) => ADYEN_EXPONENTS.get(code)),
    [2, 0, 0, 2, 0, 3, 2],
  );
  assert.equal(ADYEN_EXPONENTS.get('XAU'), undefined);
});

test('unknown event codes, prototype keys included, are unsupported', () => {
  for (const code of ['SOMETHING_NEW', 'toString', '__proto__', 'constructor', 'authorisation']) {
    assert.deepEqual(ruleFor(code), { kind: 'unsupported' }, code);
  }
  assert.equal(ruleFor('AUTHORISATION'), EVENT_RULES.AUTHORISATION);
});

test('every event code paypipe records has a fixture, for each distinct outcome', () => {
  const covered = new Set(
    adyenFixtures
      .filter((fixture) => fixture.expect !== 'unsupported')
      .map((fixture) => {
        const item = JSON.parse(fixture.payload).notificationItems[0].NotificationRequestItem;
        return `${item.eventCode}:${item.success}`;
      }),
  );
  for (const [code, rule] of Object.entries(EVENT_RULES)) {
    if (rule.kind === 'unsupported') continue;
    // Codes Adyen only sends with success "true" map both values alike; their "false" needs no fixture.
    const outcomes =
      rule.kind === 'fixed'
        ? [rule.success && 'true', rule.failure !== rule.success && rule.failure && 'false']
        : ['true'];
    for (const success of outcomes.filter(Boolean)) assert.ok(covered.has(`${code}:${success}`), `${code} ${success}`);
  }
});
