import { ConfigSchema, type ConfigInput } from '../../src/config/schema.ts';
import { type Clock, systemClock } from '../../src/engine/clock.ts';
import type { RunContext } from '../../src/engine/context.ts';
import { openRelease, type Release } from '../../src/engine/release.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import type { TestSandbox } from '../harness/sandbox.ts';

/**
 * A release against the sandbox for the smoke and monitor phase tests: the config parsed by the
 * real schema (defaults filled), a run context with a recording logger, the version given as an
 * input. (To be folded into test/harness/release.ts.)
 */

export interface TestRelease {
  release: Release;
  logger: RecordingLogger;
}

let runs = 0;

export async function openTestRelease(
  sandbox: TestSandbox,
  config: ConfigInput,
  options: {
    version: string;
    environment?: string;
    region?: string;
    clock?: Clock;
    env?: Record<string, string>;
  },
): Promise<TestRelease> {
  const octokit = sandbox.octokit('admin');
  const { data: head } = await octokit.rest.git.getRef({ owner: 'acme', repo: 'webshop', ref: 'heads/main' });
  const parsed = ConfigSchema.parse(config);
  const env = { PATH: process.env.PATH ?? '', ...options.env };
  const logger = new RecordingLogger();
  runs += 1;
  const ctx: RunContext = {
    owner: 'acme',
    repo: 'webshop',
    sha: head.object.sha,
    environment: options.environment ?? 'staging',
    actor: 'ada',
    runId: String(1000 + runs),
    runAttempt: 1,
    serverUrl: sandbox.url,
    event: {},
    version: options.version,
    workspace: process.cwd(),
    env,
    clock: options.clock ?? systemClock,
    logger,
    octokit,
    scrubber: SecretScrubber.fromEnv(parsed.secrets, env),
    ...(options.region ? { region: options.region } : {}),
  };
  return { release: await openRelease(ctx, parsed), logger };
}

/** The smallest valid config around the parts a test cares about. */
export function baseConfig(parts: Partial<ConfigInput>): ConfigInput {
  return {
    version: 1,
    release: { name: 'webshop', version: { from: 'input' } },
    environments: { staging: {}, production: { production: true } },
    deploy: { steps: [{ id: 'deploy-app', run: 'true' }] },
    ...parts,
  };
}

/** The tracking issue's body as people see it. */
export async function issueBody(sandbox: TestSandbox, release: Release): Promise<string> {
  const number = release.record.state.ids.issue;
  if (!number) throw new Error('the release has no tracking issue yet');
  const { data } = await sandbox
    .octokit('admin')
    .rest.issues.get({ owner: 'acme', repo: 'webshop', issue_number: number });
  return data.body ?? '';
}
