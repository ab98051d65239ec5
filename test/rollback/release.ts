/**
 * A release against the sandbox for the rollback tests: the default world plus a release commit
 * `v1.2.0` (on its own pull request, tagged), the stable history v1.0.0 → v1.1.0, a run context
 * as a workflow job would have it, and the earlier phases' results written into the record the
 * way those phases write them. (A local helper; the shared test/harness/release.ts folds it in.)
 */
import { type Config, ConfigSchema, type ConfigInput } from '../../src/config/schema.ts';
import type { RunContext } from '../../src/engine/context.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { itemResult, type PhaseResult, runPhase } from '../../src/engine/phase-runner.ts';
import { openRelease, type Release } from '../../src/engine/release.ts';
import {
  type ItemState,
  recordEvent,
  setIds,
  updateItem,
  updatePhase,
} from '../../src/engine/release-state.ts';
import { runChecks } from '../../src/checks/runner.ts';
import { createDeployment, setDeploymentStatus } from '../../src/github/deployments.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { RefDocuments } from '../../src/github/ref-document.ts';
import { StableMarker } from '../../src/github/stable-marker.ts';
import { tagTarget } from '../../src/github/tags.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { DEMO_APP_CTL } from '../harness/demo-app.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import type { Role, TestSandbox } from '../harness/sandbox.ts';

export const OWNER = 'acme';
export const REPO = 'webshop';
export const FULL = `${OWNER}/${REPO}`;

export interface World {
  /** Commits of the versions, by version. */
  sha: Record<'v1.0.0' | 'v1.1.0' | 'v1.2.0', string>;
  /** The pull request that the release commit v1.2.0 belongs to. */
  pullRequest: number;
}

/** The default world plus release v1.2.0 and the stable history v1.0.0 → v1.1.0. */
export async function seedWorld(sandbox: TestSandbox): Promise<World> {
  await sandbox.control.reset();
  const admin = sandbox.octokit('admin');
  const main = (await admin.rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' })).data.object.sha;
  const commit = await sandbox.control.addCommit(FULL, {
    message: 'Release 1.2.0',
    branch: 'release/1.2.0',
    parents: [main],
  });
  const pull = await sandbox.control.addPullRequest(FULL, { head: 'release/1.2.0', title: 'Release 1.2.0' });
  await admin.rest.git.createRef({ owner: OWNER, repo: REPO, ref: 'refs/tags/v1.2.0', sha: commit.sha });
  const sha = {
    'v1.0.0': (await tagTarget(admin, OWNER, REPO, 'v1.0.0'))!,
    'v1.1.0': (await tagTarget(admin, OWNER, REPO, 'v1.1.0'))!,
    'v1.2.0': commit.sha,
  };
  const marker = new StableMarker(documents(admin, main), systemClock);
  for (const version of ['v1.0.0', 'v1.1.0'] as const) {
    await marker.mark({
      environment: 'production',
      version,
      sha: sha[version],
      releaseKey: `production/${version}`,
    });
    await marker.mark({
      environment: 'staging',
      version,
      sha: sha[version],
      releaseKey: `staging/${version}`,
    });
  }
  await sandbox.control.clearRequests();
  return { sha, pullRequest: pull.number };
}

export function documents(octokit: GitHub, baseCommit: string): RefDocuments {
  return new RefDocuments({ octokit, owner: OWNER, repo: REPO, baseCommit });
}

/** The demo app's config with its URLs, parsed by the real schema. */
export function demoConfig(
  urls: { production: string; staging?: string },
  overrides: Partial<ConfigInput> = {},
): Config {
  const node = process.execPath;
  const { rollback, ...rest } = overrides;
  return ConfigSchema.parse({
    version: 1,
    release: { name: 'webshop', version: { from: 'input' } },
    environments: {
      production: { url: urls.production, production: true },
      staging: { url: urls.staging ?? urls.production },
    },
    deploy: {
      steps: [
        { id: 'deploy-app', run: [node, DEMO_APP_CTL, 'deploy', '--url', '{url}', '--version', '{version}'] },
      ],
      health: { url: '{url}/health', timeout: '2s', interval: '100ms' },
    },
    smoke: {
      checks: [
        {
          id: 'smoke-health',
          kind: 'http',
          name: 'Health answers 200 with the version',
          url: '{url}/health',
          expect: { status: 200, json: [{ path: '$.version', equals: '{version}' }] },
        },
        { id: 'smoke-items', kind: 'http', url: '{url}/api/items?limit=5', expect: { status: 200 } },
      ],
    },
    rollback: {
      strategy: 'app',
      steps: [
        {
          id: 'rollback-app',
          name: 'Switch the demo app back',
          run: [node, DEMO_APP_CTL, 'rollback', '--url', '{url}', '--version', '{previousVersion}'],
        },
      ],
      authorize: { P1: { minRole: 'maintain' }, P0: { teams: ['acme/sre'] } },
      manual: [{ id: 'tell-support', text: 'Tell support what customers saw' }],
      tag: { pattern: 'rollback-{environment}-{date}-{time}' },
      ...rollback,
    },
    ...rest,
  });
}

export interface ContextOptions {
  environment?: string;
  version?: string;
  issue?: number;
  /** Whose token the job runs with (the GITHUB_TOKEN by default) and who started it. */
  token?: Role;
  actor?: string;
  runId?: string;
  runAttempt?: number;
  eventName?: string;
  env?: Record<string, string | undefined>;
  /** Names of env variables that are secrets (the config's `secrets:`). */
  secrets?: string[];
}

export function runContext(
  sandbox: TestSandbox,
  world: World,
  options: ContextOptions = {},
): RunContext & {
  logger: RecordingLogger;
} {
  const runId = options.runId ?? '500';
  return {
    owner: OWNER,
    repo: REPO,
    sha: world.sha['v1.2.0'],
    environment: options.environment ?? 'production',
    actor: options.actor ?? 'wes',
    runId,
    runAttempt: options.runAttempt ?? 1,
    runUrl: `https://github.com/${FULL}/actions/runs/${runId}`,
    serverUrl: 'https://github.com',
    ...(options.eventName ? { eventName: options.eventName } : {}),
    event: {},
    ...(options.version ? { version: options.version } : {}),
    ...(options.issue ? { issue: options.issue } : {}),
    workspace: process.cwd(),
    env: { PATH: process.env.PATH, ...options.env },
    scrubber: SecretScrubber.fromEnv(options.secrets ?? [], options.env ?? {}),
    clock: systemClock,
    logger: new RecordingLogger(),
    octokit: sandbox.octokit(options.token ?? 'actions'),
  };
}

/**
 * The release job up to the failure: v1.2.0 deployed (a GitHub deployment, the demo app
 * switched), then the real smoke checks run against it and recorded as the smoke phase records
 * them. Returns the release as that job left it.
 */
export async function deployAndSmoke(
  ctx: RunContext,
  config: Config,
  deploy: (version: string) => Promise<void> | void,
): Promise<{ release: Release; smoke: PhaseResult; deployment: number }> {
  const release = await openRelease(ctx, config);
  const version = release.record.state.release.version;
  const deployment = await createDeployment(ctx.octokit, {
    owner: OWNER,
    repo: REPO,
    sha: ctx.sha,
    environment: ctx.environment,
    version,
    key: release.record.key,
    production: release.config.environment.production,
  });
  await deploy(version);
  await setDeploymentStatus(ctx.octokit, {
    owner: OWNER,
    repo: REPO,
    deploymentId: deployment,
    state: 'success',
  });
  const at = ctx.clock.now().toISOString();
  await release.report(
    setIds({ deployment }),
    updatePhase('deploy', { status: 'passed', startedAt: at, finishedAt: at }),
    updateItem('deploy-app', { status: 'passed', summary: 'done' }),
  );
  const smoke = await runPhase(
    {
      name: 'smoke',
      async run(r) {
        const results = await runChecks(r.config.smoke!.checks, {
          clock: ctx.clock,
          logger: ctx.logger,
          env: ctx.env,
          cwd: ctx.workspace,
          scrubber: ctx.scrubber,
          template: r.template,
        });
        await r.report(
          ...results.map((result) =>
            itemResult(
              result.id,
              {
                status: result.status,
                summary: result.summary,
                durationMs: result.durationMs,
                evidence: Object.fromEntries(
                  Object.entries(result.evidence).filter(
                    (entry): entry is [string, string | number | boolean] =>
                      ['string', 'number', 'boolean'].includes(typeof entry[1]),
                  ),
                ),
              },
              ctx.clock.now(),
            ),
          ),
        );
        const failing = results.filter((result) => result.outcome === 'blocking');
        return failing.length > 0
          ? {
              outcome: 'failed',
              summary: `${failing.length} smoke checks failed`,
              rollbackRequired: true,
            }
          : { outcome: 'passed', summary: 'all smoke checks passed' };
      },
    },
    release,
  );
  return { release, smoke, deployment };
}

/**
 * What the monitor writes when a rule fires: the rule's item failed with its measured values,
 * and a "rollback required" event with the decision. (The real monitor is another phase's.)
 */
export async function recordMonitorBreach(release: Release, rule: ItemState, at: Date): Promise<void> {
  await release.report(
    updatePhase('monitor', {
      status: 'failed',
      startedAt: new Date(at.getTime() - 240_000).toISOString(),
      finishedAt: at.toISOString(),
    }),
    recordEvent({
      id: 'monitor-breach-start',
      at: new Date(at.getTime() - 120_000).toISOString(),
      type: 'breach started',
      message: 'probe.error_rate 8.0% > 5% (critical)',
    }),
    recordEvent({
      id: 'monitor-rollback-required',
      at: at.toISOString(),
      type: 'rollback required',
      message: 'error-rate: probe.error_rate above 5% for 2m (8.0%)',
    }),
  );
  await release.report((state) => ({
    ...state,
    items: state.items.some((item) => item.id === rule.id) ? state.items : [...state.items, rule],
  }));
}
