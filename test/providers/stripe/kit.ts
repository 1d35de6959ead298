/** The Stripe provider's conformance kit: two endpoint secrets for rotation, and a body tamper. */
import { stripeFixtures } from '../../../src/providers/stripe/fixtures.ts';
import { createStripeProvider } from '../../../src/providers/stripe/index.ts';
import type { ConformanceKit } from '../kit.ts';

export const OLD_SECRET = 'whsec_8Hq2mXv7LpT4nZr1Kw9bYc3DfG6jS0aE';
export const NEW_SECRET = 'whsec_Rt5uWx8zB2cE4gH7kM9pQ1sV3yA6dF0j';

export const stripeKit: ConformanceKit<string> = {
  secrets: [OLD_SECRET, NEW_SECRET],
  create: (secrets) => createStripeProvider({ secrets, toleranceSeconds: 300 }),
  fixtures: stripeFixtures,
  // One changed digit of the amount: still valid JSON, different signed bytes.
  tamper: (request) => ({
    ...request,
    body: request.body.replace(/"amount": (\d)/, (_, digit) => `"amount": ${(Number(digit) + 1) % 10}`),
  }),
};
