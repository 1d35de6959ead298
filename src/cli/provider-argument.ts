import { loadConfig } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';
import type { Provider } from '../providers/provider.ts';
import { createProviderRegistry, providerNamed } from '../providers/registry.ts';

/** The provider named by the only positional argument, configured from the environment. */
export function providerFromArguments(positionals: readonly string[], usage: string): Provider {
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', usage);
  return providerNamed(createProviderRegistry(loadConfig().providers), name);
}
