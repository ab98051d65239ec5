import { ConfigSchema, type ConfigInput } from '../../src/config/schema.ts';
import type { Clock } from '../../src/engine/clock.ts';
import { openRelease, type Release } from '../../src/engine/release.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import { testRunContext } from '../harness/release.ts';
import type { TestSandbox } from '../harness/sandbox.ts';

/**
 * A release against the sandbox for the smoke and monitor phase tests: the config parsed by the
 * real schema (defaults filled), a run context with a recording logger, the version given as an
 * input, on the shared harness's run context.
 */

export interface TestRelease {
  release: Release;
  logger: RecordingLogger;
}

/** A release for these phases: the shared harness's run context as ada with an admin token. */
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
  const parsed = ConfigSchema.parse(config);
  const logger = new RecordingLogger();
  const ctx = await testRunContext({
    sandbox,
    environment: options.environment ?? 'staging',
    version: options.version,
    token: 'admin',
    actor: 'ada',
    workspace: process.cwd(),
    logger,
    ...(options.region ? { region: options.region } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  ctx.scrubber = SecretScrubber.fromEnv(parsed.secrets, ctx.env);
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
