/** The Square provider's part of the shared conformance suite: a secret set is one signature key. */

import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { createSquareProvider } from '../../../src/providers/square/index.ts';
import type { ConformanceKit } from '../kit.ts';

export const SQUARE_TEST_URL = 'https://paypipe.example.com/webhooks/square';

export const squareKit: ConformanceKit<string> = {
  secrets: ['Ibxx_5AKakO-3qeNVR61Dw', 'qfjakbt2uWB8DKAMECF-EA'],
  create: (keys) => createSquareProvider({ signatureKeys: keys, notificationUrl: SQUARE_TEST_URL }),
  fixtures: squareFixtures,
  // The last byte of the body is covered by the signature; changing `}` to ` ` keeps the length.
  tamper: (request) => ({ ...request, body: `${request.body.slice(0, -1)} ` }),
};
