/** The Stripe provider's conformance kit: two endpoint secrets for rotation, a body tamper, a known answer. */
import { stripeFixtures } from '../../../src/providers/stripe/fixtures.ts';
import { createStripeProvider } from '../../../src/providers/stripe/index.ts';
import type { ConformanceKit } from '../kit.ts';

export const OLD_SECRET = 'whsec_8Hq2mXv7LpT4nZr1Kw9bYc3DfG6jS0aE';
export const NEW_SECRET = 'whsec_Rt5uWx8zB2cE4gH7kM9pQ1sV3yA6dF0j';

// Known answer computed independently with `openssl dgst -sha256 -hmac whsec_test_secret` over
// `1614556800.{"id":"evt_test_webhook","object":"event"}` (PROVIDERS.md gives no Stripe vector).
export const KAT = {
  secret: 'whsec_test_secret',
  timestamp: 1_614_556_800,
  body: '{"id":"evt_test_webhook","object":"event"}',
  v1: '96943a0ceebda8d3913e8b90697d39bbe16342f950890d77a41a248e4fb22794',
};

const TOLERANCE_SECONDS = 300;

export const stripeKit: ConformanceKit<string> = {
  secrets: [OLD_SECRET, NEW_SECRET],
  create: (secrets) => createStripeProvider({ secrets, toleranceSeconds: TOLERANCE_SECONDS }),
  fixtures: stripeFixtures,
  // One changed digit of the amount: still valid JSON, different signed bytes.
  tamper: (request) => ({
    ...request,
    body: request.body.replace(/"amount": (\d)/, (_, digit) => `"amount": ${(Number(digit) + 1) % 10}`),
  }),
  toleranceSeconds: TOLERANCE_SECONDS,
  knownAnswer: {
    source: 'openssl',
    provider: createStripeProvider({ secrets: [KAT.secret], toleranceSeconds: TOLERANCE_SECONDS }),
    payload: KAT.body,
    signedAt: new Date(KAT.timestamp * 1000),
    request: { headers: { 'stripe-signature': `t=${KAT.timestamp},v1=${KAT.v1}` }, body: KAT.body },
  },
};
