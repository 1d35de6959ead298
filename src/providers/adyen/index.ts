/**
 * The Adyen provider: standard webhooks, verified by Basic auth on the request and an HMAC on every item
 * (PROVIDERS.md, Adyen). See README.md in this folder for the mapping decisions.
 */
import type { AdyenConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import type { Provider, SignedRequest, VerifyResult } from '../provider.ts';
import { basicAuthHeader, checkBasicAuth, storedAuthorization } from './basic-auth.ts';
import { normalizeNotification } from './normalize.ts';
import { routeNotification } from './route.ts';
import { signNotification, verifyItems } from './signature.ts';

function missingSettings(config: AdyenConfig): string[] {
  return [
    ...(config.hmacKeys.length === 0 ? ['PAYPIPE_ADYEN_HMAC_KEYS'] : []),
    ...(config.basicAuth === null ? ['PAYPIPE_ADYEN_BASIC_AUTH'] : []),
  ];
}

function notConfigured(config: AdyenConfig): VerifyResult {
  const missing = missingSettings(config);
  return {
    ok: false,
    reason: 'no_secret_configured',
    message: `Adyen webhooks need both an HMAC key and Basic auth; ${missing.join(' and ')} not set`,
    hint: `set ${missing.join(' and ')} from the webhook's settings in the Adyen Customer Area`,
  };
}

export function createAdyenProvider(config: AdyenConfig): Provider {
  return {
    name: 'adyen',
    // Kept so the record can be verified again, as a keyed digest (storedHeaders): never the credentials.
    signatureHeaders: ['authorization'],
    missingSettings: () => missingSettings(config),
    storedHeaders(headers) {
      const { authorization, ...rest } = headers;
      return authorization === undefined
        ? rest
        : { ...rest, authorization: storedAuthorization(authorization, config.hmacKeys) };
    },
    verify(request) {
      const { basicAuth, hmacKeys } = config;
      if (basicAuth === null || hmacKeys.length === 0) return notConfigured(config);
      const auth = checkBasicAuth(request.headers.authorization, basicAuth, hmacKeys, request.stored === true);
      return auth.ok ? verifyItems(request.body, hmacKeys, request.explain !== false) : auth;
    },
    sign(payload): SignedRequest {
      const [key] = config.hmacKeys;
      if (key === undefined || config.basicAuth === null) {
        const missing = missingSettings(config).join(' and ');
        throw new PaypipeError(
          'PAYPIPE_ERR_SIGNING',
          `signing Adyen webhooks needs an HMAC key and Basic auth (${missing})`,
        );
      }
      return {
        headers: { authorization: basicAuthHeader(config.basicAuth), 'content-type': 'application/json' },
        body: signNotification(payload, key),
      };
    },
    route: routeNotification,
    normalize: normalizeNotification,
  };
}
