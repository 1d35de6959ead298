/** The Square provider's part of the shared conformance suite: a secret set is one signature key. */

import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { createSquareProvider } from '../../../src/providers/square/index.ts';
import type { ConformanceKit } from '../kit.ts';

export const SQUARE_TEST_URL = 'https://paypipe.example.com/webhooks/square';

/** PROVIDERS.md's known-answer vector: a real test notification Square signed. */
export const KAT = {
  key: 'Ibxx_5AKakO-3qeNVR61Dw',
  url: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
  body: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
  signature: 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
};

export const squareKit: ConformanceKit<string> = {
  secrets: ['Ibxx_5AKakO-3qeNVR61Dw', 'qfjakbt2uWB8DKAMECF-EA'],
  create: (keys) => createSquareProvider({ signatureKeys: keys, notificationUrl: SQUARE_TEST_URL }),
  fixtures: squareFixtures,
  // The last byte of the body is covered by the signature; changing `}` to ` ` keeps the length.
  tamper: (request) => ({ ...request, body: `${request.body.slice(0, -1)} ` }),
  toleranceSeconds: null,
  knownAnswer: {
    source: 'PROVIDERS.md, signed by Square',
    provider: createSquareProvider({ signatureKeys: [KAT.key], notificationUrl: KAT.url }),
    payload: KAT.body,
    signedAt: new Date('2022-07-13T20:30:59.037Z'),
    request: { headers: { 'x-square-hmacsha256-signature': KAT.signature }, body: KAT.body },
  },
};
