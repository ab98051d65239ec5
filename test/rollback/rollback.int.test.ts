import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningDemoApp, startDemoApp } from '../../examples/demo-app/app.ts';
import type { SavedState } from '../../src/actions/outputs.ts';
import type { Config } from '../../src/config/schema.ts';
import { createRollbackPhase, runRollback } from '../../src/engine/phases/rollback.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { rollbackPost } from '../../src/engine/phases/rollback-post.ts';
import { updateRollback } from '../../src/engine/release-state.ts';
import { prepareRollback, type RollbackRequest, RollbackRefused } from '../../src/engine/rollback-plan.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { EnvironmentLocks } from '../../src/github/environment-lock.ts';
import { STATE_REF_PREFIX } from '../../src/github/release-record.ts';
import { type StableEntry, StableMarker } from '../../src/github/stable-marker.ts';
import { useSandbox } from '../harness/sandbox.ts';
import {
  type ContextOptions,
  deployAndSmoke,
  demoConfig,
  documents,
  FULL,
  OWNER,
  recordMonitorBreach,
  REPO,
  runContext,
  seedWorld,
  type World,
} from './release.ts';

// Most tests talk to a sandbox without the OpenAPI check (it costs ~7x on a loaded machine); the
// two that make every kind of write this phase makes run against one that checks each exchange.
const plain = useSandbox({ validate: false });
let sandbox = plain;
let world: World;
let app: RunningDemoApp;
const started: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  world = await seedWorld(sandbox());
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function demoApp(options: Parameters<typeof startDemoApp>[0] = {}): Promise<RunningDemoApp> {
  const running = await startDemoApp({ version: 'v1.1.0', ...options });
  started.push(running);
  return running;
}

/** A rollback job: prepare (reads only), then the phase through the phase runner. */
async function rollbackJob(config: Config, request: RollbackRequest, options: ContextOptions = {}) {
  const ctx = runContext(sandbox(), world, { runId: '500', ...options });
  const saved: Partial<SavedState>[] = [];
  const job = await runRollback(ctx, config, request, { saveState: (s) => saved.push(s) });
  return { ctx, ...job, saved };
}

async function issue(number: number) {
  return (
    await sandbox().octokit('admin').rest.issues.get({ owner: OWNER, repo: REPO, issue_number: number })
  ).data;
}

async function allIssues() {
  return (
    await sandbox()
      .octokit('admin')
      .rest.issues.listForRepo({ owner: OWNER, repo: REPO, state: 'all', per_page: 100 })
  ).data;
}

async function deploymentStates(id: number): Promise<string[]> {
  const { data } = await sandbox()
    .octokit('admin')
    .rest.repos.listDeploymentStatuses({ owner: OWNER, repo: REPO, deployment_id: id, per_page: 100 });
  return data.map((s) => s.state).reverse();
}

async function refs(prefix: string): Promise<Record<string, string>> {
  const state = await sandbox().control.state();
  return Object.fromEntries(
    Object.entries(state.repos[FULL]!.refs).filter(([name]) => name.startsWith(prefix)),
  );
}

async function stable(environment: string): Promise<StableEntry | undefined> {
  return new StableMarker(documents(sandbox().octokit('admin'), world.sha['v1.1.0']), systemClock).current(
    environment,
  );
}

async function writes(): Promise<string[]> {
  return (await sandbox().control.requests())
    .filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
    .map((r) => `${r.method} ${r.operationId}`);
}

async function prComment(): Promise<string> {
  const { data } = await sandbox()
    .octokit('admin')
    .rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: world.pullRequest });
  expect(data).toHaveLength(1);
  return data[0]!.body ?? '';
}

describe("automatic rollback, every exchange held to GitHub's OpenAPI description", () => {
  const validating = useSandbox();
  beforeAll(() => {
    sandbox = validating;
  });
  afterAll(() => {
    sandbox = plain;
  });

  it('after a failing smoke check: the previous version is back and verified, and GitHub shows it', async () => {
    app = await demoApp({ faults: [{ version: 'v1.2.0', routes: ['/health'], errorRate: 1 }] });
    const config = demoConfig({ production: app.url });
    const job = runContext(sandbox(), world, { version: 'v1.2.0' });
    const {
      release: failed,
      smoke,
      deployment,
    } = await deployAndSmoke(job, config, (v) => void app.deploy(v));
    expect(smoke.outcome).toBe('failed');
    expect(app.version()).toBe('v1.2.0');
    const tracking = failed.record.state.ids.issue!;
    await sandbox().control.clearRequests();

    const { plan, release, result, saved } = await rollbackJob(
      config,
      { trigger: 'automatic' },
      { version: 'v1.2.0', issue: tracking },
    );
    expect(plan.target).toEqual({ version: 'v1.1.0', sha: world.sha['v1.1.0'], source: 'the stable marker' });
    expect(result.outcome, result.summary).toBe('passed');
    expect(result.summary).toMatch(/^rolled back from v1\.2\.0 to v1\.1\.0 and verified in /);
    const counts = await sandbox().control.counts();

    // The previous version runs and answers.
    expect(app.version()).toBe('v1.1.0');
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);

    // Deployments: the bad one failure then inactive; one new deployment of the target, success.
    expect(await deploymentStates(deployment)).toEqual(['success', 'failure', 'inactive']);
    const { data: deployments } = await sandbox()
      .octokit('admin')
      .rest.repos.listDeployments({ owner: OWNER, repo: REPO, environment: 'production' });
    const target = deployments.find((d) => d.id === release.record.state.rollback!.deployment)!;
    expect(target.sha).toBe(world.sha['v1.1.0']);
    expect(await deploymentStates(target.id)).toEqual(['success']);
    expect(result.outputs).toMatchObject({
      version: 'v1.1.0',
      previousVersion: 'v1.2.0',
      deploymentId: target.id,
    });

    // The rollback tag: annotated, at the target's commit, named by the pattern.
    const state = release.record.state;
    const tag = state.rollback!.tag!;
    expect(tag).toMatch(/^rollback-production-\d{8}-\d{4}$/);
    expect(result.outputs?.rollbackTag).toBe(tag);
    const admin = sandbox().octokit('admin');
    const ref = (await admin.rest.git.getRef({ owner: OWNER, repo: REPO, ref: `tags/${tag}` })).data;
    expect(ref.object.type).toBe('tag');
    const tagObject = (await admin.rest.git.getTag({ owner: OWNER, repo: REPO, tag_sha: ref.object.sha }))
      .data;
    expect(tagObject.object.sha).toBe(world.sha['v1.1.0']);
    expect(tagObject.message).toContain('Rollback of v1.2.0 to v1.1.0 in production');
    expect(tagObject.message).toContain('smoke: Health answers 200 with the version');

    // The incident issue: the failing check with its status code and body excerpt, the timeline.
    const incident = await issue(state.rollback!.issue!);
    expect(result.outputs?.rollbackIssue).toBe(incident.number);
    expect(incident.title).toBe('Rollback of v1.2.0 in production');
    expect(incident.labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual([
      'incident',
      'rollback',
    ]);
    const body = incident.body ?? '';
    expect(body).toContain('`v1.2.0` → `v1.1.0` in **production**');
    expect(body).toContain('| Result | ✅ verified |');
    expect(body).toContain(`| Rollback tag | \`${tag}\` |`);
    expect(body).toMatch(/\*\*Health answers 200 with the version\*\* \(smoke\): failed: .*500/);
    expect(body).toMatch(/\| status \| 500 \|/);
    expect(body).toMatch(/\| excerpt \| .*unhealthy/);
    for (const event of ['smoke failed', 'rollback decided', 'rolled back'])
      expect(body).toMatch(new RegExp(`\\| \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC \\| ${event} \\|`));
    expect(body).toContain('- [ ] Tell support what customers saw');
    expect(body).toContain(
      `| Release | #${tracking} · [run](https://github.com/acme/webshop/actions/runs/500) |`,
    );
    const redeploy = await issue(state.rollback!.redeployIssue!);
    expect(redeploy.title).toBe('Re-deploy v1.2.0 after the fix');
    expect(body).toContain(`| Re-deploy | #${redeploy.number} |`);
    expect(redeploy.body).toContain(`- Incident: #${incident.number}`);

    // The record, the tracking issue and the PR comment say it was rolled back, with the duration.
    expect(state.outcome).toBe('rolled-back');
    expect(state.phases.rollback?.status).toBe('passed');
    expect(state.rollback).toMatchObject({ trigger: 'automatic', verified: true, attempts: 1 });
    expect(state.rollback!.durationMs).toBeGreaterThan(0);
    expect(state.items.find((i) => i.id === 'rollback:verify-smoke')).toMatchObject({ status: 'passed' });
    expect(state.items.find((i) => i.id === 'rollback:verify-health')).toMatchObject({ status: 'passed' });
    expect(state.items.find((i) => i.id === 'rollback-app')).toMatchObject({ status: 'passed' });
    expect((await issue(tracking)).body).toContain('↩️ Release `v1.2.0`');
    expect(await prComment()).toContain('↩️ rolled back');

    // The stable marker returned to the target and remembers what was rolled back from.
    expect(await stable('production')).toMatchObject({ version: 'v1.1.0', rolledBackFrom: ['v1.2.0'] });

    // The lock was taken (and saved for the post step) and released.
    expect(saved[0]).toEqual({
      lockRef: 'refs/shipgate/locks/production',
      lockOwner: '500',
      issue: tracking,
    });
    expect(await refs('refs/shipgate/locks/')).toEqual({});
    expect(counts['repos/create-deployment']).toBe(1);
    expect(counts['git/create-tag']).toBe(1);
    expect(counts['issues/create']).toBe(2);
    // The API budget of the rollback job (DESIGN 4): 91 calls when this was written, 11 record writes.
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(100);
    expect(counts['git/update-ref']).toBeLessThanOrEqual(12);
  });

  it('a rollback that fails verification is escalated once (P0 issue, webhook), never looped', async () => {
    // Every version answers /health with 500: the target is broken too.
    app = await demoApp({ faults: [{ routes: ['/health'], errorRate: 1 }] });
    const hook = await webhookServer();
    const config = demoConfig(
      { production: app.url },
      { reporting: { notify: { webhookUrlEnv: 'TEAM_WEBHOOK', on: ['failure', 'rollback'] } } },
    );
    const env = { TEAM_WEBHOOK: hook.url };
    const { deployment } = await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0', env }),
      config,
      (v) => void app.deploy(v),
    );
    await sandbox().control.clearRequests();

    const { release, result } = await rollbackJob(
      config,
      { trigger: 'automatic' },
      { version: 'v1.2.0', env },
    );
    expect(result.outcome).toBe('failed');
    expect(result.rollbackRequired).toBe(false);
    expect(result.summary).toMatch(
      /^rollback to v1\.1\.0 failed verification: health: .*not healthy within .*; escalated in #\d+ \(not retried\)$/,
    );

    // Exactly one rollback ran: one switch back in the app, one decision in the record.
    expect(app.state().deploys.map((d) => d.version)).toEqual(['v1.2.0', 'v1.1.0']);
    const state = release.record.state;
    expect(state.events.filter((e) => e.type === 'rollback decided')).toHaveLength(1);
    expect(state.outcome).toBe('failure');
    expect(state.rollback).toMatchObject({ verified: false });

    const escalation = await issue(state.rollback!.escalationIssue!);
    expect(escalation.title).toBe('P0: rollback of v1.2.0 in production failed verification');
    expect(escalation.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('P0');
    expect(escalation.body).toContain(`- Rollback issue: #${state.rollback!.issue}`);
    const incident = (await issue(state.rollback!.issue!)).body ?? '';
    expect(incident).toContain('| Result | ❌ verification failed |');
    expect(incident).toContain(`escalated in #${escalation.number}`);

    expect(hook.received).toHaveLength(1);
    const message = hook.received[0] as { text: string; shipgate: Record<string, unknown> };
    expect(message.text).toMatch(
      /^webshop in production: 🚨 P0: the rollback of v1\.2\.0 to v1\.1\.0 did not verify/,
    );
    expect(message.shipgate).toMatchObject({ event: 'failure', fromVersion: 'v1.2.0', toVersion: 'v1.1.0' });

    // Nothing claims the target is good: no tag, no new deployment, the marker did not move.
    expect(await refs('refs/tags/rollback-')).toEqual({});
    const counts = await sandbox().control.counts();
    expect(counts['repos/create-deployment']).toBeUndefined();
    expect(await deploymentStates(deployment)).toEqual(['success', 'failure']);
    expect(await stable('production')).toMatchObject({ version: 'v1.1.0', rolledBackFrom: [] });
    expect(await refs('refs/shipgate/locks/')).toEqual({});
  });
});

describe('automatic rollback', () => {
  it('in the same run as the failed smoke check (phase: all): the phase decides for the open release', async () => {
    app = await demoApp({ faults: [{ version: 'v1.2.0', routes: ['/health'], errorRate: 1 }] });
    const config = demoConfig({ production: app.url });
    const job = runContext(sandbox(), world, { version: 'v1.2.0' });
    const { release, smoke } = await deployAndSmoke(job, config, (v) => void app.deploy(v));
    const phase = createRollbackPhase(
      { trigger: 'automatic', reason: `smoke: ${smoke.summary}` },
      { saveState: () => undefined },
    );
    const result = await runPhase(phase, release);
    expect(result.outcome, result.summary).toBe('passed');
    expect(app.version()).toBe('v1.1.0');
    expect(release.record.state.rollback).toMatchObject({
      reason: 'smoke: 1 smoke checks failed',
      toVersion: 'v1.1.0',
      verified: true,
    });
    expect(release.record.state.outcome).toBe('rolled-back');
  });

  it('after a monitor breach: the timeline shows the breach, the decision and the rollback', async () => {
    app = await demoApp();
    const hook = await webhookServer();
    const config = demoConfig(
      { production: app.url },
      { reporting: { notify: { webhookUrlEnv: 'TEAM_WEBHOOK', on: ['rollback'] } } },
    );
    const env = { TEAM_WEBHOOK: hook.url };
    const job = runContext(sandbox(), world, { version: 'v1.2.0', env });
    const { release: watched, smoke } = await deployAndSmoke(job, config, (v) => void app.deploy(v));
    expect(smoke.outcome).toBe('passed');
    await recordMonitorBreach(
      watched,
      {
        id: 'error-rate',
        phase: 'monitor',
        kind: 'check',
        text: '`probe.error_rate` within limits',
        required: true,
        status: 'failed',
        summary: 'critical: 8.0% > 5% for 2m',
        evidence: { value: '8.0%', threshold: '> 5%', for: '2m', samples: 240 },
      },
      new Date(),
    );

    const { release, result } = await rollbackJob(
      config,
      { trigger: 'automatic' },
      { version: 'v1.2.0', env },
    );
    expect(result.outcome, result.summary).toBe('passed');
    expect(app.version()).toBe('v1.1.0');
    const state = release.record.state;
    expect(hook.received).toEqual([
      {
        text: expect.stringMatching(
          /^webshop in production: rolled back from v1\.2\.0 to v1\.1\.0, verified, in /,
        ) as unknown,
        shipgate: expect.objectContaining({ event: 'rollback', issue: state.rollback!.issue }) as unknown,
      },
    ]);
    expect(state.rollback!.reason).toContain('error-rate: probe.error_rate above 5% for 2m (8.0%)');
    const body = (await issue(state.rollback!.issue!)).body ?? '';
    expect(body).toContain(
      '**`probe.error_rate` within limits** (monitor): failed: critical: 8.0% > 5% for 2m',
    );
    expect(body).toMatch(/\| value \| 8\.0% \|/);
    const timeline = body.slice(body.indexOf('### Timeline'));
    const order = ['breach started', 'rollback required', 'rollback decided', 'rolled back'].map((event) =>
      timeline.indexOf(`| ${event} |`),
    );
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('is refused when the record shows no failure (an empty dispatch is not a way around authorisation)', async () => {
    app = await demoApp();
    const config = demoConfig({ production: app.url });
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0' }),
      config,
      (v) => void app.deploy(v),
    );
    await sandbox().control.clearRequests();
    const ctx = runContext(sandbox(), world, { version: 'v1.2.0', actor: 'tia' });
    await expect(prepareRollback(ctx, config, { trigger: 'automatic' })).rejects.toThrow(
      /nothing in the release record of v1\.2\.0 in production asks for a rollback/,
    );
    expect(await writes()).toEqual([]);
    expect(app.version()).toBe('v1.2.0');
  });

  it('GitHub has a bad minute: the rollback completes, and a re-run only catches up the report', async () => {
    app = await demoApp({ faults: [{ version: 'v1.2.0', routes: ['/health'], errorRate: 1 }] });
    const config = demoConfig({ production: app.url });
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0' }),
      config,
      (v) => void app.deploy(v),
    );
    const issuesBefore = (await allIssues()).length;
    await sandbox().control.fault({ operationId: 'issues/create', kind: 'status', status: 502, count: 50 });
    await sandbox().control.fault({ operationId: 'git/create-tag', kind: 'status', status: 502, count: 50 });
    await sandbox().control.fault({
      operationId: 'repos/create-deployment-status',
      kind: 'secondary-rate-limit',
      retryAfter: 1,
      count: 1,
    });

    const first = await rollbackJob(config, { trigger: 'automatic' }, { version: 'v1.2.0' });
    expect(first.result.outcome, first.result.summary).toBe('passed');
    expect(app.version()).toBe('v1.1.0');
    expect(first.result.summary).toMatch(/not yet on GitHub: .*tag rollback-production-/);
    const tag = first.release.record.state.rollback!.tag!;
    expect(first.release.record.state.rollback!.unreported).toEqual(
      expect.arrayContaining([`tag ${tag}`, 'rollback issue', 're-deploy issue']),
    );
    expect(await refs('refs/tags/rollback-')).toEqual({});
    expect(await stable('production')).toMatchObject({ version: 'v1.1.0', rolledBackFrom: ['v1.2.0'] });

    // GitHub answers again; the job is re-run. Nothing is rolled back twice, nothing duplicated.
    await sandbox().control.clearFaults();
    await sandbox().control.clearRequests();
    const again = await rollbackJob(config, { trigger: 'automatic' }, { version: 'v1.2.0', runAttempt: 2 });
    expect(again.result.outcome, again.result.summary).toBe('passed');
    expect(again.result.summary).toMatch(/^already rolled back to v1\.1\.0; caught up on GitHub: /);
    expect(app.state().deploys.map((d) => d.version)).toEqual(['v1.2.0', 'v1.1.0']);
    const state = again.release.record.state;
    expect(state.rollback!.unreported).toEqual([]);
    expect(Object.keys(await refs('refs/tags/rollback-'))).toEqual([`refs/tags/${tag}`]);
    expect((await allIssues()).length).toBe(issuesBefore + 2);
    expect((await issue(state.rollback!.issue!)).body).toContain(`| Rollback tag | \`${tag}\` |`);
    const counts = await sandbox().control.counts();
    expect(counts['repos/create-deployment']).toBeUndefined();
    expect(counts['issues/create']).toBe(2);
    expect(await stable('production')).toMatchObject({ version: 'v1.1.0', rolledBackFrom: ['v1.2.0'] });
  });

  it('a rollback tag name already taken at another commit is an error naming both; the tag is never moved', async () => {
    app = await demoApp({ faults: [{ version: 'v1.2.0', routes: ['/health'], errorRate: 1 }] });
    const config = demoConfig(
      { production: app.url },
      { rollback: { tag: { pattern: 'rollback-{environment}-{version}' } } },
    );
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0' }),
      config,
      (v) => void app.deploy(v),
    );
    const admin = sandbox().octokit('admin');
    await admin.rest.git.createRef({
      owner: OWNER,
      repo: REPO,
      ref: 'refs/tags/rollback-production-v1.2.0',
      sha: world.sha['v1.0.0'],
    });
    const { release, result } = await rollbackJob(config, { trigger: 'automatic' }, { version: 'v1.2.0' });
    expect(result.outcome, result.summary).toBe('passed');
    expect(app.version()).toBe('v1.1.0');
    expect(result.summary).toContain('not yet on GitHub: tag rollback-production-v1.2.0');
    expect(release.record.state.items.find((i) => i.id === 'rollback:tag')).toMatchObject({
      status: 'failed',
      summary: `tag rollback-production-v1.2.0 already exists at commit ${world.sha['v1.0.0'].slice(0, 12)}, not at ${world.sha['v1.1.0'].slice(0, 12)}; a rollback tag is never moved. Change rollback.tag.pattern or delete the tag if it is wrong.`,
    });
    expect(await refs('refs/tags/rollback-')).toEqual({
      'refs/tags/rollback-production-v1.2.0': world.sha['v1.0.0'],
    });
  });

  it('a re-run of the rollback job creates no second tag, issue or deployment', async () => {
    app = await demoApp({ faults: [{ version: 'v1.2.0', routes: ['/health'], errorRate: 1 }] });
    const config = demoConfig({ production: app.url });
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0' }),
      config,
      (v) => void app.deploy(v),
    );
    const first = await rollbackJob(config, { trigger: 'automatic' }, { version: 'v1.2.0' });
    expect(first.result.outcome).toBe('passed');
    const tag = first.release.record.state.rollback!.tag!;
    const tagsBefore = await refs('refs/tags/');
    const issuesBefore = (await allIssues()).length;

    // A re-run of a finished rollback does nothing and says so.
    await sandbox().control.clearRequests();
    const again = await rollbackJob(config, { trigger: 'automatic' }, { version: 'v1.2.0', runAttempt: 2 });
    expect(again.result.outcome).toBe('passed');
    expect(again.result.summary).toMatch(/^already rolled back to v1\.1\.0 /);
    expect(again.result.outputs).toMatchObject({ rollbackTag: tag, version: 'v1.1.0' });

    // The first attempt died after tagging, before it finished: the re-run, minutes later, redoes
    // the work and reuses the tag name, the issues and the deployment it recorded.
    await first.release.report(updateRollback({ finishedAt: undefined, verified: undefined }));
    app.deploy('v1.2.0');
    await sandbox().control.clearRequests();
    const rerun = await rollbackJob(config, { trigger: 'automatic' }, { version: 'v1.2.0', runAttempt: 3 });
    expect(rerun.result.outcome, rerun.result.summary).toBe('passed');
    expect(app.version()).toBe('v1.1.0');
    expect(rerun.release.record.state.rollback).toMatchObject({ tag, attempts: 2, verified: true });
    const counts = await sandbox().control.counts();
    expect(counts['git/create-tag']).toBeUndefined();
    expect(counts['issues/create']).toBeUndefined();
    expect(counts['repos/create-deployment']).toBeUndefined();
    expect(await refs('refs/tags/')).toEqual(tagsBefore);
    expect((await allIssues()).length).toBe(issuesBefore);
    expect(rerun.release.record.state.items.find((i) => i.id === 'rollback:tag')?.summary).toContain(
      '(already there)',
    );
  });
});

describe('manual rollback', () => {
  async function deployedRelease(config: Config) {
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0' }),
      config,
      (v) => void app.deploy(v),
    );
    await sandbox().control.clearRequests();
  }

  it('a triage user is refused by name, and nothing changes', async () => {
    app = await demoApp();
    const config = demoConfig({ production: app.url });
    await deployedRelease(config);
    const issuesBefore = await allIssues();
    const refsBefore = await refs('refs/');
    const ctx = runContext(sandbox(), world, { actor: 'tia', eventName: 'workflow_dispatch' });
    const refusal = prepareRollback(ctx, config, {
      trigger: 'manual',
      severity: 'P1',
      reason: 'checkout is broken',
    });
    await expect(refusal).rejects.toThrow(RollbackRefused);
    await expect(refusal).rejects.toThrow(
      '@tia may not roll back production at severity P1. Who may: anyone with the maintain role or higher. Nothing was changed.',
    );
    expect(await writes()).toEqual([]);
    expect(await refs('refs/')).toEqual(refsBefore);
    expect(await allIssues()).toEqual(issuesBefore);
    expect(app.version()).toBe('v1.2.0');
  });

  it('a maintainer rolls back to the last stable version; a team member may at P0', async () => {
    app = await demoApp();
    const config = demoConfig({ production: app.url });
    await deployedRelease(config);
    const { plan, release, result } = await rollbackJob(
      config,
      { trigger: 'manual', severity: 'P1', reason: 'checkout is broken' },
      { actor: 'max', eventName: 'workflow_dispatch' },
    );
    expect(plan).toMatchObject({
      kind: 'manual',
      fromVersion: 'v1.2.0',
      authorisedVia: 'repository role maintain',
    });
    expect(result.outcome, result.summary).toBe('passed');
    expect(app.version()).toBe('v1.1.0');
    const body = (await issue(release.record.state.rollback!.issue!)).body ?? '';
    expect(body).toContain('| Severity | P1 |');
    expect(body).toContain('| Trigger | manual |');
    expect(body).toContain('| Triggered by | @max |');
    expect(body).toContain('| Reason | checkout is broken |');

    // P0 names the sre team: wes (write) is in it. Now v1.1.0 runs; it goes back to v1.0.0.
    const p0 = await rollbackJob(
      config,
      { trigger: 'manual', severity: 'P0', reason: 'still broken' },
      { actor: 'wes', eventName: 'workflow_dispatch', runId: '501' },
    );
    expect(p0.plan).toMatchObject({ fromVersion: 'v1.1.0', authorisedVia: 'member of acme/sre' });
    expect(p0.plan.target.version).toBe('v1.0.0');
    expect(p0.result.outcome, p0.result.summary).toBe('passed');
    expect(app.version()).toBe('v1.0.0');
  });

  it('strategy flag: only the flag step runs, with dispatch values as environment variables, never as code', async () => {
    app = await demoApp();
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-flag-'));
    started.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const config = demoConfig(
      { production: app.url },
      {
        rollback: {
          flag: {
            id: 'checkout-flag-off',
            name: 'Turn the new checkout off',
            run: 'printf "%s|%s|%s|%s" "$SHIPGATE_TARGET_VERSION" "$SHIPGATE_REASON" "$SHIPGATE_SEVERITY" "$SHIPGATE_VERSION" > "$FLAG_FILE"',
            env: { FLAG_FILE: join(dir, 'flag') },
          },
        },
      },
    );
    await deployedRelease(config);
    const owned = join(dir, 'owned');
    const reason = `checkout $(touch ${owned}) \`touch ${owned}\` ::warning::x`;
    const { release, result } = await rollbackJob(
      config,
      { trigger: 'manual', severity: 'P1', reason, strategy: 'flag' },
      { actor: 'max', eventName: 'workflow_dispatch' },
    );
    expect(result.outcome, result.summary).toBe('passed');
    expect(result.summary).toMatch(
      /^turned the feature flag of v1\.2\.0 off \(it still runs\) and verified in /,
    );
    expect(readFileSync(join(dir, 'flag'), 'utf8')).toBe(`v1.1.0|${reason}|P1|v1.2.0`);
    expect(existsSync(owned)).toBe(false);
    expect(app.version()).toBe('v1.2.0');
    const state = release.record.state;
    expect(state.items.find((i) => i.id === 'checkout-flag-off')?.status).toBe('passed');
    expect(state.items.find((i) => i.id === 'rollback-app')?.status).toBe('pending');
    expect(result.outputs).toMatchObject({ version: 'v1.2.0', previousVersion: 'v1.2.0' });
    const tag = state.rollback!.tag!;
    expect(await refs(`refs/tags/${tag}`)).not.toEqual({});
    const counts = await sandbox().control.counts();
    expect(counts['repos/create-deployment']).toBeUndefined();
    expect(await stable('production')).toMatchObject({ version: 'v1.1.0', rolledBackFrom: [] });
  });

  it('returns to the last stable version, not one that was itself rolled back (scenario 9)', async () => {
    app = await demoApp();
    const config = demoConfig({ production: app.url });
    // History: v1.1.0 was stable, then rolled back from (to v1.0.0); then v1.2.0 became stable.
    const marker = new StableMarker(documents(sandbox().octokit('admin'), world.sha['v1.1.0']), systemClock);
    await marker.mark(
      {
        environment: 'production',
        version: 'v1.0.0',
        sha: world.sha['v1.0.0'],
        releaseKey: 'production/v1.0.0',
      },
      'v1.1.0',
    );
    await marker.mark({
      environment: 'production',
      version: 'v1.2.0',
      sha: world.sha['v1.2.0'],
      releaseKey: 'production/v1.2.0',
    });
    await deployedRelease(config);

    const dispatch = { actor: 'max', eventName: 'workflow_dispatch' };
    const named = prepareRollback(runContext(sandbox(), world, dispatch), config, {
      trigger: 'manual',
      severity: 'P1',
      reason: 'bad',
      targetVersion: 'v1.1.0',
    });
    await expect(named).rejects.toThrow('cannot roll back to v1.1.0: v1.1.0 was itself rolled back from');
    expect(await writes()).toEqual([]);

    const { plan, result } = await rollbackJob(
      config,
      { trigger: 'manual', severity: 'P1', reason: 'bad' },
      dispatch,
    );
    expect(plan.target).toEqual({ version: 'v1.0.0', sha: world.sha['v1.0.0'], source: 'the stable marker' });
    expect(result.outcome, result.summary).toBe('passed');
    expect(app.version()).toBe('v1.0.0');
    expect(await stable('production')).toMatchObject({
      version: 'v1.0.0',
      rolledBackFrom: ['v1.1.0', 'v1.2.0'],
    });
  });
});

describe('drill', () => {
  it('on staging: runs the whole procedure, records its duration, touches nothing in production', async () => {
    const production = await demoApp({ version: 'v1.1.0' });
    app = await demoApp({ version: 'v1.1.0' });
    const config = demoConfig({ production: production.url, staging: app.url });
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0', environment: 'staging' }),
      config,
      (v) => void app.deploy(v),
    );
    const refsBefore = await refs('refs/');
    const stagingStable = await stable('staging');
    await sandbox().control.clearRequests();

    const { release, result } = await rollbackJob(
      config,
      { trigger: 'manual', drill: true, reason: 'quarterly drill' },
      { actor: 'max', environment: 'staging', eventName: 'workflow_dispatch' },
    );
    expect(result.outcome, result.summary).toBe('passed');
    expect(result.summary).toMatch(/^drill: rolled back from v1\.2\.0 to v1\.1\.0 and verified in /);
    expect(app.version()).toBe('v1.1.0');
    const state = release.record.state;
    expect(state.rollback).toMatchObject({ trigger: 'drill', verified: true });
    expect(state.rollback!.durationMs).toBeGreaterThan(0);
    expect(state.events.map((e) => e.type)).toContain('drill finished');
    expect(state.outcome).not.toBe('rolled-back');
    const drillIssue = await issue(state.rollback!.issue!);
    expect(drillIssue.title).toBe('Drill: Rollback of v1.2.0 in staging');
    expect(drillIssue.body).toContain('🧪 Rollback drill');
    expect(drillIssue.body).toMatch(/\| Duration \| \d/);

    // Nothing else moved: no tag, no deployment status, no marker; production untouched.
    const refsAfter = await refs('refs/');
    const changed = Object.entries(refsAfter).filter(([name, sha]) => refsBefore[name] !== sha);
    expect(changed.map(([name]) => name)).toEqual([`refs/${STATE_REF_PREFIX}staging/v1.2.0`]);
    expect(Object.keys(refsBefore).filter((name) => !(name in refsAfter))).toEqual([]);
    const counts = await sandbox().control.counts();
    expect(counts['repos/create-deployment-status']).toBeUndefined();
    expect(counts['repos/create-deployment']).toBeUndefined();
    expect(counts['git/create-tag']).toBeUndefined();
    expect(await stable('staging')).toEqual(stagingStable);
    expect(production.state().deploys).toEqual([]);
  });

  it('is refused on an environment marked production, before anything changes', async () => {
    app = await demoApp();
    const config = demoConfig({ production: app.url });
    await deployAndSmoke(
      runContext(sandbox(), world, { version: 'v1.2.0' }),
      config,
      (v) => void app.deploy(v),
    );
    await sandbox().control.clearRequests();
    const ctx = runContext(sandbox(), world, { actor: 'ada', eventName: 'workflow_dispatch' });
    await expect(prepareRollback(ctx, config, { trigger: 'manual', drill: true })).rejects.toThrow(
      'a drill never touches a production environment, and production is marked production: true',
    );
    expect(await sandbox().control.requests()).toEqual([]);
  });
});

describe('post step', () => {
  it('releases the lock this run holds, and only that one', async () => {
    const admin = sandbox().octokit('admin');
    const locks = new EnvironmentLocks(documents(admin, world.sha['v1.2.0']), systemClock, 7_200_000);
    const post = {
      octokit: admin,
      owner: OWNER,
      repo: REPO,
      sha: world.sha['v1.2.0'],
      logger: runContext(sandbox(), world).logger,
    };
    const holder = {
      environment: 'production',
      purpose: 'rollback' as const,
      actor: 'max',
      version: 'v1.1.0',
    };
    const saved = { lockRef: 'refs/shipgate/locks/production', lockOwner: '500' };

    expect((await locks.claim({ ...holder, runId: '500' })).held).toBe(true);
    expect(await rollbackPost(post, saved)).toBe(true);
    expect(await refs('refs/shipgate/locks/')).toEqual({});

    expect((await locks.claim({ ...holder, runId: '600' })).held).toBe(true);
    expect(await rollbackPost(post, saved)).toBe(false);
    expect(Object.keys(await refs('refs/shipgate/locks/'))).toEqual(['refs/shipgate/locks/production']);
    expect(await rollbackPost(post, {})).toBe(false);
  });
});

interface Webhook {
  url: string;
  received: unknown[];
}

async function webhookServer(): Promise<Webhook> {
  const received: unknown[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      received.push(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  started.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${port}/hooks/team`, received };
}
