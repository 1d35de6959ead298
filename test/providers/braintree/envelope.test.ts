import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePayload, readForm, readNotification } from '../../../src/providers/braintree/envelope.ts';
import { encodePayload } from '../../../src/providers/braintree/signature.ts';

test('the form decodes as body parsers do: + is a space, %2B a plus, %0A a newline', () => {
  const form = readForm(Buffer.from('bt_signature=a%7Cb&bt_payload=ab+cd%2Bef%0A'));
  assert.deepEqual(form, { signature: 'a|b', payload: 'ab cd+ef\n', duplicated: false });
  assert.equal(readForm(Buffer.from('bt_payload=a&bt_payload=b')).duplicated, true);
});

test('the payload decodes to the <notification> element with every leaf kept as text', () => {
  const result = decodePayload(
    encodePayload('<notification><kind>check</kind><subject><amount>250.0</amount></subject></notification>'),
  );
  assert.ok(result.ok);
  assert.deepEqual(result.notification, { kind: 'check', subject: { amount: '250.0' } });
});

test('what is not a notification becomes an issue with its path', () => {
  const issue = (body: string) => {
    const result = readNotification(Buffer.from(body));
    return result.ok ? 'ok' : `${result.issue.code} ${result.issue.path}`;
  };
  assert.equal(issue('bt_signature=x'), 'missing_field bt_payload');
  assert.equal(issue('bt_payload=a&bt_payload=b'), 'invalid_value bt_payload');
  assert.equal(issue('bt_payload=ab+cd'), 'invalid_value bt_payload');
  assert.equal(issue(`bt_payload=${encodeURIComponent(encodePayload('<a><b></a>'))}`), 'invalid_value bt_payload');
  assert.equal(issue(`bt_payload=${encodeURIComponent(encodePayload('<other/>'))}`), 'missing_field notification');
  const dtd = encodePayload('<!DOCTYPE x [<!ENTITY e "e">]><notification><kind>&e;</kind></notification>');
  assert.equal(issue(`bt_payload=${encodeURIComponent(dtd)}`), 'invalid_value bt_payload');
});
