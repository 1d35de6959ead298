/** The configuration every benchmark target runs with: throwaway secrets (never real ones), quiet logs. */
import { type Config, loadConfig } from '../../src/config/config.ts';

export const BENCH_SECRETS = {
  PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_bench_paypipe_secret',
  PAYPIPE_SQUARE_SIGNATURE_KEYS: 'bench-square-signature-key',
  PAYPIPE_SQUARE_NOTIFICATION_URL: 'https://hooks.example.com/webhooks/square',
  PAYPIPE_ADYEN_HMAC_KEYS: '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056',
  PAYPIPE_ADYEN_BASIC_AUTH: 'adyen-hooks:adyen-password',
  PAYPIPE_BRAINTREE_KEYS: 'bench_public_key:bench_private_key',
  PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: '*=USD',
} as const;

/**
 * The benchmark configuration: every file under `dataDir`, warnings only, the gateway on a free port; the
 * store there too unless `databaseUrl` names another (a PostgreSQL database).
 */
export function benchConfig(dataDir: string, databaseUrl?: string): Config {
  const store = databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl };
  return loadConfig({ ...BENCH_SECRETS, ...store, PAYPIPE_DATA_DIR: dataDir, PAYPIPE_LOG_LEVEL: 'warn', PORT: '0' });
}
