/**
 * Configuration, parsed once at start from the environment into a frozen, typed object. An invalid or
 * unknown `PAYPIPE_*` setting fails fast with a message naming the variable. Every variable is listed in
 * `.env.example`. Secrets live only in this object; `describeConfig` is the form that may be printed.
 */
import { PaypipeError } from '../contracts/errors.ts';
import { ISO_4217 } from '../providers/currency.ts';

export interface StripeConfig {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
}

export interface SquareConfig {
  readonly signatureKeys: readonly string[];
  /** The notification URL exactly as registered on the subscription; null when not configured. */
  readonly notificationUrl: string | null;
}

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface AdyenConfig {
  /** Hex HMAC keys, newest first; older ones stay while a rotation completes. */
  readonly hmacKeys: readonly string[];
  readonly basicAuth: BasicAuth | null;
}

export interface BraintreeKeyPair {
  readonly publicKey: string;
  readonly privateKey: string;
}

export interface BraintreeConfig {
  readonly keys: readonly BraintreeKeyPair[];
  /** Currency of each merchant account id, and the fallback (`*`) for the others. */
  readonly merchantCurrencies: { readonly byMerchant: Readonly<Record<string, string>>; readonly fallback: string };
}

export interface ProvidersConfig {
  readonly stripe: StripeConfig;
  readonly square: SquareConfig;
  readonly adyen: AdyenConfig;
  readonly braintree: BraintreeConfig;
}

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Larger bodies are answered 413. */
  readonly bodyLimitBytes: number;
  /**
   * Dead letters per second and provider for requests that fail verification, each counted once per started
   * 4 KiB of its body (forged floods cannot fill a disk).
   */
  readonly deadLetterRatePerSecond: number;
  /** A connection idle this long (e.g. a body sent halfway, then nothing) is closed. */
  readonly idleTimeoutMs: number;
  /** A request not received whole within this long (a body trickled, never idle) is answered 408 and closed. */
  readonly requestTimeoutMs: number;
}

export interface InferenceConfig {
  /** Port of the inference service (`paypipe inference`), on the gateway's HOST. */
  readonly port: number;
  /** The inference service the workflows call (`INFERENCE_URL`); null scores in-process. */
  readonly url: string | null;
}

export interface Config {
  /** Where the embedded default keeps its files (log.db, paypipe.db, iceberg/, warehouse.duckdb). */
  readonly dataDir: string;
  /** The event log: `sqlite:PATH` (embedded) or `kafka://host:port,…`. */
  readonly logUrl: string;
  /** Retention of the event log, in hours. */
  readonly logRetentionHours: number;
  /** The store: `sqlite:PATH` (embedded) or `postgres://…`. */
  readonly databaseUrl: string;
  /** pino level. */
  readonly logLevel: string;
  readonly gateway: GatewayConfig;
  readonly inference: InferenceConfig;
  readonly providers: ProvidersConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

const KNOWN = new Set([
  'PAYPIPE_DATA_DIR',
  'PAYPIPE_LOG_URL',
  'PAYPIPE_LOG_RETENTION_HOURS',
  'PAYPIPE_LOG_LEVEL',
  'PAYPIPE_BODY_LIMIT_BYTES',
  'PAYPIPE_DLQ_RATE_PER_SECOND',
  'PAYPIPE_REQUEST_IDLE_TIMEOUT_MS',
  'PAYPIPE_REQUEST_TIMEOUT_MS',
  'PAYPIPE_INFERENCE_PORT',
  'PAYPIPE_STRIPE_WEBHOOK_SECRETS',
  'PAYPIPE_STRIPE_TOLERANCE_SECONDS',
  'PAYPIPE_SQUARE_SIGNATURE_KEYS',
  'PAYPIPE_SQUARE_NOTIFICATION_URL',
  'PAYPIPE_ADYEN_HMAC_KEYS',
  'PAYPIPE_ADYEN_BASIC_AUTH',
  'PAYPIPE_BRAINTREE_KEYS',
  'PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES',
]);

function invalid(name: string, why: string): never {
  throw new PaypipeError('PAYPIPE_ERR_CONFIG', `${name}: ${why}`);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    invalid(name, `expected a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

function splitPair(name: string, item: string, separator: string, what: string): [string, string] {
  const at = item.indexOf(separator);
  if (at <= 0 || at === item.length - 1) invalid(name, `expected ${what}`);
  return [item.slice(0, at), item.slice(at + 1)];
}

function parseStripe(env: Env): StripeConfig {
  const secrets = list(env, 'PAYPIPE_STRIPE_WEBHOOK_SECRETS');
  if (secrets.some((secret) => !secret.startsWith('whsec_'))) {
    invalid('PAYPIPE_STRIPE_WEBHOOK_SECRETS', 'every Stripe endpoint secret starts with whsec_');
  }
  return { secrets, toleranceSeconds: integer(env, 'PAYPIPE_STRIPE_TOLERANCE_SECONDS', 300, 0, 86_400) };
}

function parseSquare(env: Env): SquareConfig {
  const url = env.PAYPIPE_SQUARE_NOTIFICATION_URL?.trim() || null;
  // Square posts only to http(s) URLs and signs the one it posts to: "localhost:8000/…" parses as a URL of
  // scheme "localhost", and would leave every Square webhook failing verification.
  if (url !== null && (!/^https?:\/\//.test(url) || !URL.canParse(url))) {
    invalid('PAYPIPE_SQUARE_NOTIFICATION_URL', 'expected the http:// or https:// URL registered with Square');
  }
  return { signatureKeys: list(env, 'PAYPIPE_SQUARE_SIGNATURE_KEYS'), notificationUrl: url };
}

function parseAdyen(env: Env): AdyenConfig {
  const hmacKeys = list(env, 'PAYPIPE_ADYEN_HMAC_KEYS');
  if (hmacKeys.some((key) => !/^(?:[0-9a-fA-F]{2})+$/.test(key))) {
    invalid('PAYPIPE_ADYEN_HMAC_KEYS', 'each key must be the hex string shown in the Adyen Customer Area');
  }
  const auth = env.PAYPIPE_ADYEN_BASIC_AUTH?.trim();
  const basicAuth = auth
    ? (([username, password]) => ({ username, password }))(
        splitPair('PAYPIPE_ADYEN_BASIC_AUTH', auth, ':', 'user:password'),
      )
    : null;
  return { hmacKeys, basicAuth };
}

function parseBraintree(env: Env): BraintreeConfig {
  const keys = list(env, 'PAYPIPE_BRAINTREE_KEYS').map((item) => {
    const [publicKey, privateKey] = splitPair('PAYPIPE_BRAINTREE_KEYS', item, ':', 'public:private pairs');
    return { publicKey, privateKey };
  });
  const byMerchant: Record<string, string> = {};
  let fallback = 'USD';
  for (const item of list(env, 'PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES')) {
    const [merchant, currency] = splitPair(
      'PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES',
      item,
      '=',
      'merchant_account_id=CUR pairs, with *=CUR as the default',
    );
    const code = currency.toUpperCase();
    if (!ISO_4217.has(code)) invalid('PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES', `${currency} is not an ISO 4217 code`);
    if (merchant === '*') fallback = code;
    else byMerchant[merchant] = code;
  }
  return { keys, merchantCurrencies: { byMerchant, fallback } };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseUrl(env: Env, name: string, fallback: string, schemes: readonly string[]): string {
  const url = env[name]?.trim() || fallback;
  if (!schemes.some((scheme) => url.startsWith(scheme)))
    invalid(name, `expected a URL starting with ${schemes.join(' or ')}`);
  // Never echoed: it may hold a password. (A kafka:// broker list is not one URL.)
  if (url.startsWith('postgres') && !URL.canParse(url)) {
    invalid(name, 'not a valid URL (a port from 1 to 65535; special characters in the password percent-encoded)');
  }
  return url;
}

function parseGateway(env: Env): GatewayConfig {
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 8000, 0, 65_535),
    bodyLimitBytes: integer(env, 'PAYPIPE_BODY_LIMIT_BYTES', 1_048_576, 1_024, 64 * 1_048_576),
    deadLetterRatePerSecond: integer(env, 'PAYPIPE_DLQ_RATE_PER_SECOND', 10, 0, 100_000),
    idleTimeoutMs: integer(env, 'PAYPIPE_REQUEST_IDLE_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: integer(env, 'PAYPIPE_REQUEST_TIMEOUT_MS', 60_000, 100, 600_000),
  };
}

function parseInference(env: Env): InferenceConfig {
  const url = env.INFERENCE_URL?.trim() || null;
  if (url !== null && !/^https?:\/\//.test(url)) invalid('INFERENCE_URL', 'expected an http:// or https:// URL');
  if (url !== null && !URL.canParse(url)) invalid('INFERENCE_URL', 'not an absolute URL');
  return { port: integer(env, 'PAYPIPE_INFERENCE_PORT', 8002, 0, 65_535), url };
}

/** Reads the configuration from an environment (the process's by default). Throws PAYPIPE_ERR_CONFIG. */
export function loadConfig(env: Env = process.env): Config {
  for (const name of Object.keys(env)) {
    if (name.startsWith('PAYPIPE_') && !KNOWN.has(name)) invalid(name, 'unknown setting (see .env.example)');
  }
  const dataDir = env.PAYPIPE_DATA_DIR?.trim() || '.paypipe';
  const logLevel = env.PAYPIPE_LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) invalid('PAYPIPE_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  return deepFreeze({
    dataDir,
    logUrl: parseUrl(env, 'PAYPIPE_LOG_URL', `sqlite:${dataDir}/log.db`, ['sqlite:', 'kafka://']),
    logRetentionHours: integer(env, 'PAYPIPE_LOG_RETENTION_HOURS', 168, 1, 24 * 365),
    databaseUrl: parseUrl(env, 'DATABASE_URL', `sqlite:${dataDir}/paypipe.db`, [
      'sqlite:',
      'postgres://',
      'postgresql://',
    ]),
    logLevel,
    gateway: parseGateway(env),
    inference: parseInference(env),
    providers: {
      stripe: parseStripe(env),
      square: parseSquare(env),
      adyen: parseAdyen(env),
      braintree: parseBraintree(env),
    },
  });
}

/** The configuration with every secret replaced by a count, safe to print or log. */
export function describeConfig(config: Config): object {
  const { stripe, square, adyen, braintree } = config.providers;
  return {
    dataDir: config.dataDir,
    logUrl: redactUrl(config.logUrl),
    databaseUrl: redactUrl(config.databaseUrl),
    gateway: config.gateway,
    inference: {
      port: config.inference.port,
      url: config.inference.url === null ? null : redactUrl(config.inference.url),
    },
    providers: {
      stripe: { secrets: `${stripe.secrets.length} configured`, toleranceSeconds: stripe.toleranceSeconds },
      square: { signatureKeys: `${square.signatureKeys.length} configured`, notificationUrl: square.notificationUrl },
      adyen: {
        hmacKeys: `${adyen.hmacKeys.length} configured`,
        basicAuth: adyen.basicAuth ? `user ${adyen.basicAuth.username}` : 'not configured',
      },
      braintree: {
        publicKeys: braintree.keys.map((pair) => pair.publicKey),
        merchantCurrencies: braintree.merchantCurrencies,
      },
    },
  };
}

/**
 * A URL with any password replaced, e.g. postgres://user:***@host/db. The userinfo is read as URL parsers
 * read it, up to the authority's last @ (a password may hold an unencoded @), and the user may be empty.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^/?#]*@/, '$1:***@');
}
