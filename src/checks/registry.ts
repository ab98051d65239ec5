import type { Check, CheckKind } from '../config/schema.ts';
import { ConfigurationError } from '../errors.ts';
import { ciStatusCheck } from './ci-status.ts';
import { commandCheck } from './command.ts';
import type { CheckContext, CheckStatus, CheckVerdict } from './context.ts';
import { coverageCheck } from './coverage.ts';
import { diskFreeCheck } from './disk-free.ts';
import { dnsCheck } from './dns.ts';
import { envCheck } from './env.ts';
import { gitCleanCheck } from './git-clean.ts';
import { httpCheck } from './http.ts';
import { tlsCheck } from './tls.ts';
import { windowCheck } from './window.ts';

export interface CheckKindImplementation<C extends Check = Check> {
  run(check: C, ctx: CheckContext): Promise<CheckVerdict>;
  /**
   * What a check that hit its timeout means. A network check that got no answer could not tell
   * (inconclusive); a command we ran that hung has answered (failed).
   */
  onTimeout: Exclude<CheckStatus, 'passed'>;
}

type Registry = { readonly [K in CheckKind]: CheckKindImplementation<Extract<Check, { kind: K }>> };

/** Every check kind and its implementation (STYLE 12: a table, not a switch). */
export const CHECK_IMPLEMENTATIONS: Registry = {
  command: { run: commandCheck, onTimeout: 'failed' },
  http: { run: httpCheck, onTimeout: 'inconclusive' },
  tls: { run: tlsCheck, onTimeout: 'inconclusive' },
  dns: { run: dnsCheck, onTimeout: 'inconclusive' },
  env: { run: envCheck, onTimeout: 'failed' },
  'git-clean': { run: gitCleanCheck, onTimeout: 'failed' },
  'ci-status': { run: ciStatusCheck, onTimeout: 'inconclusive' },
  coverage: { run: coverageCheck, onTimeout: 'failed' },
  window: { run: windowCheck, onTimeout: 'failed' },
  'disk-free': { run: diskFreeCheck, onTimeout: 'inconclusive' },
};

/** The implementation for a kind; an unknown kind is a ConfigurationError listing the known ones. */
export function checkImplementation(kind: string): CheckKindImplementation {
  if (!Object.hasOwn(CHECK_IMPLEMENTATIONS, kind)) {
    const known = Object.keys(CHECK_IMPLEMENTATIONS).join(', ');
    throw new ConfigurationError(`unknown check kind '${kind}'; known kinds: ${known}`, [
      { path: 'kind', message: `unknown check kind '${kind}'; known kinds: ${known}` },
    ]);
  }
  return CHECK_IMPLEMENTATIONS[kind as CheckKind];
}
