/**
 * The Braintree provider: form-encoded, HMAC-SHA1-signed XML notifications (PROVIDERS.md, README.md here).
 */
import type { BraintreeConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import type { Provider } from '../provider.ts';
import { readNotification } from './envelope.ts';
import { BRAINTREE_EXPONENTS } from './maps.ts';
import { normalizeRecord } from './normalize.ts';
import { challengeAnswer, encodePayload, signaturePair, verifySignature } from './signature.ts';
import { partitionKey } from './subjects.ts';

const TOPIC = 'webhooks.braintree.notification';

export function createBraintreeProvider(config: BraintreeConfig): Provider {
  const options = { currencies: config.merchantCurrencies, exponents: BRAINTREE_EXPONENTS };
  return {
    name: 'braintree',
    // The signature is inside the body; the content type is what says the body is a form.
    signatureHeaders: ['content-type'],
    missingSettings: () => (config.keys.length === 0 ? ['PAYPIPE_BRAINTREE_KEYS'] : []),
    verify: (request) => verifySignature(config.keys, request),
    sign(payload) {
      const key = config.keys[0];
      if (key === undefined) {
        throw new PaypipeError('PAYPIPE_ERR_SIGNING', 'no Braintree key pair is configured (PAYPIPE_BRAINTREE_KEYS)');
      }
      const btPayload = encodePayload(payload);
      const body = new URLSearchParams({ bt_signature: signaturePair(key, btPayload), bt_payload: btPayload });
      return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
    },
    route(body) {
      const decoded = readNotification(body);
      if (!decoded.ok) return { ok: false, message: decoded.issue.message };
      const reference = partitionKey(decoded.notification);
      return reference.ok ? { ok: true, topic: TOPIC, partitionKey: reference.key } : reference;
    },
    normalize: (record) => normalizeRecord(record, options),
    answerChallenge: (challenge) => challengeAnswer(config.keys[0], challenge),
  };
}
