/**
 * Start a GitHub sandbox from a test in one call, with GitHub's OpenAPI contract switched on:
 *
 *   const sandbox = await startTestSandbox();
 *   const github = sandbox.octokit('admin');
 *   ...
 *   await sandbox.stop();   // also fails if any exchange broke GitHub's OpenAPI description
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createOctokit, type GitHub, type OctokitOptions, SANDBOX_TIMING } from '../../src/github/octokit.ts';
import type { EventFilter } from '../../src/sandbox/control-client.ts';
import {
  DEFAULT_WORLD,
  type Sandbox,
  type SandboxEvent,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { ContractChecker } from './openapi-contract.ts';

export type Role = keyof typeof DEFAULT_WORLD.tokens;

export interface TestSandbox extends Sandbox {
  contract: ContractChecker;
  /** An Octokit from the one factory, pointed at the sandbox, with test timing (no waits worth noticing). */
  octokit(who: Role | { token: string }, options?: OctokitOptions): GitHub;
  /**
   * Writes the latest event matching the filter to a JSON file, for GITHUB_EVENT_PATH (and
   * GITHUB_EVENT_NAME = `event.name`), as the runner does for a workflow the event triggered.
   */
  eventFile(filter: EventFilter): Promise<{ path: string; event: SandboxEvent }>;
}

/** Test timing: retries and rate-limit waits scaled from seconds to milliseconds, no write spacing. */
export const FAST_TIMING = SANDBOX_TIMING;

export async function startTestSandbox(
  options: SandboxOptions & { validate?: boolean } = {},
): Promise<TestSandbox> {
  const contract = new ContractChecker();
  const { validate = true, ...rest } = options;
  const sandbox = await startSandbox({
    ...rest,
    ...(validate ? { onExchange: (exchange) => contract.record(exchange) } : {}),
  });
  let eventDir: string | undefined;
  return {
    ...sandbox,
    contract,
    async eventFile(filter) {
      const event = (await sandbox.control.events(filter)).at(-1);
      if (!event) throw new Error(`no sandbox event matches ${JSON.stringify(filter)}`);
      eventDir ??= mkdtempSync(join(tmpdir(), 'shipgate-event-'));
      const path = join(eventDir, `event-${event.id}.json`);
      writeFileSync(path, JSON.stringify(event.payload, null, 2));
      return { path, event };
    },
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
      if (eventDir) rmSync(eventDir, { recursive: true, force: true });
      await sandbox.stop();
      await contract.assertClean();
    },
  };
}

/**
 * The one-call form for a describe block: starts a sandbox before its tests and stops it (with the
 * contract check) after them. `const sandbox = useSandbox(); ... sandbox().octokit('admin')`.
 */
export function useSandbox(options: SandboxOptions & { validate?: boolean } = {}): () => TestSandbox {
  let sandbox: TestSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox(options);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  return () => {
    if (!sandbox) throw new Error('useSandbox(): the sandbox starts in beforeAll; use it inside a test');
    return sandbox;
  };
}
