/**
 * Start a GitHub sandbox from a test in one call, with GitHub's OpenAPI contract switched on:
 *
 *   const sandbox = await startTestSandbox();
 *   const github = sandbox.octokit('admin');
 *   ...
 *   await sandbox.stop();   // also fails if any exchange broke GitHub's OpenAPI description
 */
import { createOctokit, type GitHub, type OctokitOptions } from '../../src/github/octokit.ts';
import { DEFAULT_WORLD, type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.ts';
import { ContractChecker } from './openapi-contract.ts';

export type Role = keyof typeof DEFAULT_WORLD.tokens;

export interface TestSandbox extends Sandbox {
  contract: ContractChecker;
  /** An Octokit from the one factory, pointed at the sandbox, with test timing (no waits worth noticing). */
  octokit(who: Role | { token: string }, options?: OctokitOptions): GitHub;
}

/** Test timing: retries and rate-limit waits scaled from seconds to milliseconds, no write spacing. */
export const FAST_TIMING = { retryBaseMs: 5, retryAfterUnitMs: 10, writeSpacingMs: 0 } as const;

export async function startTestSandbox(
  options: SandboxOptions & { validate?: boolean } = {},
): Promise<TestSandbox> {
  const contract = new ContractChecker();
  const { validate = true, ...rest } = options;
  const sandbox = await startSandbox({
    ...rest,
    ...(validate ? { onExchange: (exchange) => contract.record(exchange) } : {}),
  });
  return {
    ...sandbox,
    contract,
    octokit(who, extra = {}) {
      const token = typeof who === 'string' ? DEFAULT_WORLD.tokens[who] : who.token;
      return createOctokit({
        baseUrl: sandbox.apiUrl,
        auth: token,
        timing: FAST_TIMING,
        fetch: sandbox.fetch,
        ...extra,
      });
    },
    async stop() {
      await sandbox.stop();
      await contract.assertClean();
    },
  };
}
