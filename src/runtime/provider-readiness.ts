/**
 * What `paypipe up` says at start about the providers: one warning per provider that cannot verify anything
 * (it answers every webhook 401 no_secret_configured), naming the variables to set, and which are ready.
 * Not an error: a team may run only some providers.
 */
import type { Logger } from 'pino';
import { PROVIDERS } from '../contracts/vocabulary.ts';
import type { ProviderRegistry } from '../providers/registry.ts';

export function reportProviderReadiness(providers: ProviderRegistry, logger: Logger): void {
  const ready: string[] = [];
  for (const provider of PROVIDERS) {
    const missing = providers[provider].missingSettings();
    if (missing.length === 0) {
      ready.push(provider);
      continue;
    }
    logger.warn(
      { provider, missing },
      `${provider} webhooks cannot be verified and are answered 401 no_secret_configured: set ${missing.join(', ')}`,
    );
  }
  logger.info({ providers: ready }, `providers ready to verify webhooks: ${ready.join(', ') || 'none'}`);
}
