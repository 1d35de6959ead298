/** The Square provider: signature, routing and normalization of Square's v2 webhooks (PROVIDERS.md). */
import type { SquareConfig } from '../../config/config.ts';
import { PaypipeError } from '../../contracts/errors.ts';
import type { Provider, SignedRequest } from '../provider.ts';
import { normalizeSquare } from './normalize.ts';
import { routeSquare } from './route.ts';
import { missingSettings, SIGNATURE_HEADER, squareSignature, verifySquareSignature } from './signature.ts';

/**
 * A Square provider for one webhook subscription: its notification URL and signature keys. Every key is
 * accepted (Square has no rotation of its own: keep the old key configured while switching); `sign` uses
 * the first.
 */
export function createSquareProvider(config: SquareConfig): Provider {
  return {
    name: 'square',
    signatureHeaders: [SIGNATURE_HEADER],
    missingSettings: () => missingSettings(config),
    verify: (request) => verifySquareSignature(config, request),
    sign(payload): SignedRequest {
      const [key] = config.signatureKeys;
      const missing = missingSettings(config);
      if (key === undefined || config.notificationUrl === null) {
        throw new PaypipeError('PAYPIPE_ERR_SIGNING', `signing a Square webhook needs ${missing.join(' and ')}`);
      }
      return {
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: squareSignature(key, config.notificationUrl, payload),
        },
        body: payload,
      };
    },
    route: routeSquare,
    normalize: normalizeSquare,
  };
}
