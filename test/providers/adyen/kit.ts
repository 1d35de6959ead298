/**
 * Adyen's conformance kit. A secret set is one hex HMAC key: Adyen rotates HMAC keys, while the Basic auth
 * credentials are one setting of the webhook, so both sets share them.
 */
import { PaypipeError } from '../../../src/contracts/errors.ts';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import { createAdyenProvider } from '../../../src/providers/adyen/index.ts';
import type { ConformanceKit } from '../kit.ts';

export const ADYEN_TEST_BASIC_AUTH = { username: 'adyen-hooks', password: 'adyen-password' } as const;

/** PROVIDERS.md's known-answer key, and a second key for rotation. */
export const ADYEN_TEST_KEYS = [
  '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056',
  'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00',
] as const;

/** PROVIDERS.md's known-answer item: signed with ADYEN_TEST_KEYS[0], its HMAC is coqCmt/…. */
const KAT_ITEM =
  '"pspReference":"7914073381342284","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true"';
const KAT_SIGNATURE = 'coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=';

export const adyenKit: ConformanceKit<string> = {
  secrets: ADYEN_TEST_KEYS,
  create: (keys) => createAdyenProvider({ hmacKeys: [...keys], basicAuth: ADYEN_TEST_BASIC_AUTH }),
  fixtures: adyenFixtures,
  tamper(request) {
    // Raise the first item's amount: a signed field, and the kind of change an attacker would want.
    const body = JSON.parse(request.body);
    const item = body?.notificationItems?.[0]?.NotificationRequestItem;
    if (typeof item?.amount?.value !== 'number') throw new PaypipeError('PAYPIPE_ERR_USAGE', 'no amount to tamper');
    item.amount.value += 1;
    return { headers: request.headers, body: JSON.stringify(body) };
  },
  toleranceSeconds: null,
  knownAnswer: {
    source: 'PROVIDERS.md',
    provider: createAdyenProvider({ hmacKeys: [ADYEN_TEST_KEYS[0]], basicAuth: ADYEN_TEST_BASIC_AUTH }),
    payload: `{"live":"false","notificationItems":[{"NotificationRequestItem":{${KAT_ITEM}}}]}`,
    signedAt: new Date('2014-08-06T11:39:03.000Z'),
    request: {
      // printf adyen-hooks:adyen-password | base64
      headers: { authorization: 'Basic YWR5ZW4taG9va3M6YWR5ZW4tcGFzc3dvcmQ=' },
      body: `{"live":"false","notificationItems":[{"NotificationRequestItem":{${KAT_ITEM},"additionalData":{"hmacSignature":"${KAT_SIGNATURE}"}}}]}`,
    },
  },
};
