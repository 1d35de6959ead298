/** A configuration with a known secret for every provider, for tests that run the real stages. */
import { type Config, loadConfig } from '../../src/config/config.ts';

export const TEST_SECRETS = {
  PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_test_paypipe_secret',
  PAYPIPE_SQUARE_SIGNATURE_KEYS: 'Ibxx_5AKakO-3qeNVR61Dw',
  PAYPIPE_SQUARE_NOTIFICATION_URL: 'https://hooks.example.com/webhooks/square',
  PAYPIPE_ADYEN_HMAC_KEYS: '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056',
  PAYPIPE_ADYEN_BASIC_AUTH: 'adyen-hooks:adyen-password',
  PAYPIPE_BRAINTREE_KEYS: 'test_public_key:test_private_key',
  PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: '*=USD',
} as const;

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_SECRETS, ...env });
}
