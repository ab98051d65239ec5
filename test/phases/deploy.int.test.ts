import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import { readState, STATE } from '../../src/actions/outputs.ts';
import { type Clock, systemClock } from '../../src/engine/clock.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { deployPost } from '../../src/engine/phases/deploy-post.ts';
import { createDeployPhase } from '../../src/engine/phases/deploy.ts';
import { EnvironmentLocks, type LockHolder } from '../../src/github/environment-lock.ts';
import { RefDocuments } from '../../src/github/ref-document.ts';
import { StableMarker } from '../../src/github/stable-marker.ts';
import { DEMO_APP_CTL, startDemoAppInProcess } from '../harness/demo-app.ts';
import { itemOf, mainTip, OWNER, openTestRelease, REPO } from '../harness/release.ts';
import { type TestSandbox, useSandbox } from '../harness/sandbox.ts';

const sandbox = useSandbox();
let app: RunningDemoApp;

beforeAll(async () => {
  app = await startDemoAppInProcess({ version: '1.0.0' });
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.clearFaults();
  app.deploy('1.0.0');
});

/** A deploy against the demo app: maintenance as a flag file, a migration, the ctl deploy, health. */
function config(environment: string, overrides: { steps?: string; health?: string; lock?: string } = {}) {
  return `version: 1
release: { name: demo }
environments:
  ${environment}: { url: '${app.url}' }
deploy:
  lock: { staleAfter: ${overrides.lock ?? '1h'} }
  maintenance:
    enable: { id: maintenance-on, run: 'echo on > maintenance.flag' }
    disable: { id: maintenance-off, run: 'rm -f maintenance.flag' }
  migrations:
    - { id: migrate, run: 'echo migrated >> order.log' }
  steps:
${
  overrides.steps ??
  `    - id: deploy-app
      run: ['${process.execPath}', '${DEMO_APP_CTL}', deploy, --url, '{url}', --version, '{version}']
      timeout: 30s`
}
  health: ${overrides.health ?? "{ url: '{url}/health', timeout: 10s, interval: 200ms }"}
`;
}

/** Records what the phase saves for its post step, as the runner would hand it back. */
function stateRecorder() {
  const saves: [string, string][] = [];
  return {
    saves,
    save: (name: string, value: string) => saves.push([name, value]),
    /** STATE_* variables as the post step sees them (the last value of each name wins). */
    env: () => Object.fromEntries(saves.map(([name, value]) => [`STATE_${name}`, value])),
  };
}

async function lockOf(sb: TestSandbox, environment: string): Promise<LockHolder | undefined> {
  const documents = new RefDocuments({
    octokit: sb.octokit('admin'),
    owner: OWNER,
    repo: REPO,
    baseCommit: await mainTip(sb),
  });
  return (await documents.read<LockHolder>(EnvironmentLocks.refName(environment)))?.data;
}

/** Another run takes the environment's lock, `ageMs` ago. */
async function lockedByAnother(sb: TestSandbox, environment: string, ageMs: number) {
  const past: Clock = { now: () => new Date(Date.now() - ageMs), sleep: systemClock.sleep };
  const documents = new RefDocuments({
    octokit: sb.octokit('admin'),
    owner: OWNER,
    repo: REPO,
    baseCommit: await mainTip(sb),
  });
  const claim = await new EnvironmentLocks(documents, past, 3_600_000).claim({
    environment,
    purpose: 'deploy',
    actor: 'ada',
    runId: '4242',
    runUrl: 'https://github.com/acme/webshop/actions/runs/4242',
    version: '1.5.0',
  });
  if (!claim.held) throw new Error('the environment was already locked');
  return claim.lock;
}

async function deploymentStatuses(sb: TestSandbox, id: number) {
  const { data } = await sb
    .octokit('admin')
    .rest.repos.listDeploymentStatuses({ owner: OWNER, repo: REPO, deployment_id: id });
  return data.reverse();
}

async function deploymentsOf(sb: TestSandbox, environment: string) {
  const { data } = await sb
    .octokit('admin')
    .rest.repos.listDeployments({ owner: OWNER, repo: REPO, environment });
  return data;
}

describe('deploy phase', () => {
  it('deploys under the lock inside a GitHub deployment, with maintenance around it, and waits for health', async () => {
    const sb = sandbox();
    const sha = await mainTip(sb);
    const documents = new RefDocuments({
      octokit: sb.octokit('admin'),
      owner: OWNER,
      repo: REPO,
      baseCommit: sha,
    });
    await new StableMarker(documents, systemClock).mark({
      environment: 'happy',
      version: '1.0.0',
      sha,
      releaseKey: 'happy/1.0.0',
    });
    const state = stateRecorder();
    const { release, ctx, issueBody } = await openTestRelease({
      sandbox: sb,
      environment: 'happy',
      configText: config('happy'),
    });
    const version = release.record.state.release.version;

    await sb.control.clearRequests();
    const result = await runPhase(createDeployPhase({ save: state.save }), release);
    // The API budget of one deploy (DESIGN 4): measured 52 calls, 9 record writes, for this config.
    const calls = await sb.control.counts();
    expect(Object.values(calls).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(60);
    expect(calls['git/update-ref']).toBeLessThanOrEqual(10);

    expect(result).toMatchObject({
      outcome: 'passed',
      outputs: { version, previousVersion: '1.0.0', rollbackRequired: false },
    });
    expect(app.version()).toBe(version);
    // The order of the runbook: maintenance on, migrate, deploy, health, maintenance off.
    expect(await readFile(join(ctx.workspace, 'order.log'), 'utf8')).toBe('migrated\n');
    expect(existsSync(join(ctx.workspace, 'maintenance.flag'))).toBe(false);
    for (const id of [
      'deploy:lock',
      'maintenance-on',
      'migrate',
      'deploy-app',
      'deploy:health',
      'maintenance-off',
    ])
      expect(itemOf(release, id).status, id).toBe('passed');
    expect(itemOf(release, 'deploy:health').summary).toContain(`${app.url}/health answered 200`);

    const deploymentId = release.record.state.ids.deployment!;
    expect(result.outputs?.deploymentId).toBe(deploymentId);
    const statuses = await deploymentStatuses(sb, deploymentId);
    expect(statuses.map((status) => status.state)).toEqual(['in_progress', 'success']);
    expect(statuses[1]).toMatchObject({ environment_url: app.url, log_url: ctx.runUrl });
    const [deployment] = await deploymentsOf(sb, 'happy');
    expect(deployment).toMatchObject({ id: deploymentId, sha, environment: 'happy' });

    // The lock was taken and given back; the post step was told what to clean up, then that it was done.
    expect(await lockOf(sb, 'happy')).toBeUndefined();
    expect(readState(state.env())).toEqual({
      lockRef: 'refs/shipgate/locks/happy',
      lockOwner: `${ctx.runId}/1`,
      maintenanceEnabled: false,
    });
    expect(state.saves).toContainEqual([STATE.maintenanceEnabled, 'true']);

    const deployed = release.record.state.events.find((event) => event.type === 'deployed');
    expect(deployed?.data).toEqual({ version, previousVersion: '1.0.0' });
    expect(await issueBody()).toContain(`${version} deployed to happy (previous: 1.0.0)`);
  });

  it("records who approved the run's environment gate, with their comment", async () => {
    const sb = sandbox();
    // Workflow run 100 of the default world was approved by ada for production.
    const { release } = await openTestRelease({
      sandbox: sb,
      environment: 'production',
      runId: '100',
      configText: config('production'),
    });

    const result = await runPhase(createDeployPhase({ save: () => {} }), release);

    expect(result.outcome).toBe('passed');
    expect(itemOf(release, 'deploy:approval')).toMatchObject({ status: 'passed' });
    expect(itemOf(release, 'deploy:approval').summary).toMatch(/^approved by @ada/);
    expect(release.record.state.approvals).toEqual([
      expect.objectContaining({ user: 'ada', state: 'approved', environments: ['production'] }),
    ]);
  });

  it('ends failed, naming who holds the lock and since when, and touches nothing', async () => {
    const sb = sandbox();
    const theirs = await lockedByAnother(sb, 'held', 5 * 60_000);
    const { release, ctx, issueBody } = await openTestRelease({
      sandbox: sb,
      environment: 'held',
      configText: config('held'),
    });

    const result = await runPhase(createDeployPhase({ save: () => {} }), release);

    expect(result.outcome).toBe('failed');
    expect(result.summary).toContain('held is locked by run 4242');
    expect(result.summary).toContain('@ada');
    expect(result.summary).toContain(`since ${theirs.data.at}`);
    expect(itemOf(release, 'deploy:lock')).toMatchObject({ status: 'failed' });
    expect(itemOf(release, 'deploy-app')).toMatchObject({ status: 'skipped' });
    expect(app.version()).toBe('1.0.0');
    expect(existsSync(join(ctx.workspace, 'order.log'))).toBe(false);
    expect(await deploymentsOf(sb, 'held')).toEqual([]);
    expect(await lockOf(sb, 'held')).toMatchObject({ runId: '4242' });
    expect(await issueBody()).toContain('held is locked by run 4242');
  });

  it('lets only someone with the maintain role break a stale lock', async () => {
    const sb = sandbox();
    await lockedByAnother(sb, 'stale', 3 * 3_600_000);

    const writer = await openTestRelease({
      sandbox: sb,
      environment: 'stale',
      actor: 'wes',
      configText: config('stale'),
    });
    const refused = await runPhase(createDeployPhase({ save: () => {} }), writer.release);
    expect(refused.outcome).toBe('failed');
    expect(refused.summary).toContain('stale');
    expect(refused.summary).toContain('only someone with the maintain role or higher may break it');
    expect(await lockOf(sb, 'stale')).toMatchObject({ runId: '4242' });

    const maintainer = await openTestRelease({
      sandbox: sb,
      environment: 'stale',
      actor: 'max',
      configText: config('stale'),
    });
    const broke = await runPhase(createDeployPhase({ save: () => {} }), maintainer.release);
    expect(broke.outcome).toBe('passed');
    expect(app.version()).toBe(maintainer.release.record.state.release.version);
    const event = maintainer.release.record.state.events.find((entry) => entry.type === 'lock broken');
    expect(event?.message).toContain('@max (repository role maintain) broke the stale lock of run 4242');
  });

  it('a re-run of the same run holds its own lock again and reuses its deployment', async () => {
    const sb = sandbox();
    const options = { sandbox: sb, environment: 'rerun', runId: '777', configText: config('rerun') };
    const first = await openTestRelease({ ...options, version: '3.0.0' });
    // The first attempt died after taking the lock and creating the deployment.
    const failing = await runPhase(
      createDeployPhase({ save: () => {} }),
      (
        await openTestRelease({
          ...options,
          version: '3.0.0',
          configText: config('rerun', { steps: "    - { id: deploy-app, run: 'exit 1' }" }),
        })
      ).release,
    );
    expect(failing).toMatchObject({ outcome: 'failed', rollbackRequired: true });
    await lockedByRun(sb, 'rerun', '777');

    const second = await openTestRelease({ ...options, version: '3.0.0', runAttempt: 2 });
    const result = await runPhase(createDeployPhase({ save: () => {} }), second.release);

    expect(result.outcome).toBe('passed');
    expect(itemOf(second.release, 'deploy:lock').summary).toContain('re-run attempt 2 keeps it');
    const deployments = await deploymentsOf(sb, 'rerun');
    expect(deployments).toHaveLength(1);
    expect(second.release.record.state.ids.deployment).toBe(deployments[0]!.id);
    expect(first.release.record.key).toBe(second.release.record.key);
    const states = (await deploymentStatuses(sb, deployments[0]!.id)).map((status) => status.state);
    expect(states).toEqual(['in_progress', 'failure', 'in_progress', 'success']);
  });

  it('when a step fails after the deploy started: maintenance off, deployment failure, lock released, rollback required', async () => {
    const sb = sandbox();
    const state = stateRecorder();
    const { release, ctx } = await openTestRelease({
      sandbox: sb,
      environment: 'broken',
      configText: config('broken', {
        steps: `    - { id: deploy-app, run: 'echo "cannot reach the host" >&2; exit 4' }
    - { id: restart, run: 'touch restarted' }`,
      }),
    });

    const result = await runPhase(createDeployPhase({ save: state.save }), release);

    expect(result).toMatchObject({ outcome: 'failed', rollbackRequired: true });
    expect(result.summary).toContain('deploy-app failed: exited with 4: cannot reach the host');
    expect(itemOf(release, 'migrate').status).toBe('passed');
    expect(itemOf(release, 'restart')).toMatchObject({
      status: 'skipped',
      summary: 'not run: deploy-app failed',
    });
    expect(itemOf(release, 'deploy:health').status).toBe('skipped');
    expect(itemOf(release, 'maintenance-off').status).toBe('passed');
    expect(existsSync(join(ctx.workspace, 'maintenance.flag'))).toBe(false);
    expect(existsSync(join(ctx.workspace, 'restarted'))).toBe(false);
    const statuses = await deploymentStatuses(sb, release.record.state.ids.deployment!);
    expect(statuses.map((status) => status.state)).toEqual(['in_progress', 'failure']);
    expect(await lockOf(sb, 'broken')).toBeUndefined();
    expect(readState(state.env()).maintenanceEnabled).toBe(false);
  });

  it('fails when the new version never becomes healthy within the health timeout', async () => {
    const sb = sandbox();
    const { release } = await openTestRelease({
      sandbox: sb,
      environment: 'unhealthy',
      version: '6.6.6',
      configText: config('unhealthy', {
        health: "{ url: '{url}/health', timeout: 1500ms, interval: 250ms }",
      }),
    });
    app.addFault({ version: '6.6.6', routes: ['/health'], errorRate: 1 });

    const result = await runPhase(createDeployPhase({ save: () => {} }), release);

    expect(result).toMatchObject({ outcome: 'failed', rollbackRequired: true });
    expect(itemOf(release, 'deploy:health').status).toBe('failed');
    expect(itemOf(release, 'deploy:health').summary).toMatch(
      /not healthy within 1s500ms \(\d+ attempts, expected 200, last: answered 500\)/,
    );
    expect(itemOf(release, 'maintenance-off').status).toBe('passed');
  });

  it('regions of one matrix run deploy at the same time, each under its own lock', async () => {
    const sb = sandbox();
    const run = async (region: string) => {
      const state = stateRecorder();
      const { release } = await openTestRelease({
        sandbox: sb,
        environment: 'regional',
        region,
        runId: '555',
        version: '4.0.0',
        configText: config('regional'),
      });
      const result = await runPhase(createDeployPhase({ save: state.save }), release);
      return { result, saved: readState(state.env()) };
    };

    const [eu, us] = await Promise.all([run('eu'), run('us')]);

    expect(eu.result.outcome, eu.result.summary).toBe('passed');
    expect(us.result.outcome, us.result.summary).toBe('passed');
    expect(eu.saved.lockRef).toBe('refs/shipgate/locks/regional.eu');
    expect(us.saved.lockRef).toBe('refs/shipgate/locks/regional.us');
    expect(await lockOf(sb, 'regional.eu')).toBeUndefined();
    expect(await lockOf(sb, 'regional.us')).toBeUndefined();
  });

  it('stops before touching anything when GitHub answers 202 to the deployment, with advice', async () => {
    const sb = sandbox();
    await sb.control.fault({
      operationId: 'repos/create-deployment',
      kind: 'status',
      status: 202,
      message: 'Auto-merged main into topic on deployment.',
    });
    const { release, ctx } = await openTestRelease({
      sandbox: sb,
      environment: 'merging',
      configText: config('merging'),
    });

    const result = await runPhase(createDeployPhase({ save: () => {} }), release);

    expect(result.outcome).toBe('failed');
    expect(result.rollbackRequired).toBeUndefined();
    expect(result.summary).toContain('GitHub did not create a deployment');
    expect(result.summary).toContain('Deploy a commit that is already on the target branch');
    expect(existsSync(join(ctx.workspace, 'maintenance.flag'))).toBe(false);
    expect(existsSync(join(ctx.workspace, 'order.log'))).toBe(false);
    expect(app.version()).toBe('1.0.0');
    expect(await lockOf(sb, 'merging')).toBeUndefined();
  });
});

async function lockedByRun(sb: TestSandbox, environment: string, runId: string) {
  // What a cancelled attempt leaves: its lock still in place.
  const documents = new RefDocuments({
    octokit: sb.octokit('admin'),
    owner: OWNER,
    repo: REPO,
    baseCommit: await mainTip(sb),
  });
  const claim = await new EnvironmentLocks(documents, systemClock, 3_600_000).claim({
    environment,
    purpose: 'deploy',
    actor: 'wes',
    runId,
    version: '3.0.0',
  });
  expect(claim.held).toBe(true);
}

describe('deploy post step', () => {
  it('turns maintenance off and releases the lock a cancelled main step left behind', async () => {
    const sb = sandbox();
    const state = stateRecorder();
    const { release, ctx } = await openTestRelease({
      sandbox: sb,
      environment: 'cancelled',
      runId: '9001',
      configText: config('cancelled'),
    });
    // What the main step had done when the job was cancelled: lock taken, maintenance on, state saved.
    await lockedByRun(sb, 'cancelled', '9001');
    await writeFile(join(ctx.workspace, 'maintenance.flag'), 'on\n');
    state.save(STATE.lockRef, 'refs/shipgate/locks/cancelled');
    state.save(STATE.lockOwner, '9001/1');
    state.save(STATE.maintenanceEnabled, 'true');

    const post = await deployPost({
      ctx,
      config: release.config,
      saved: readState(state.env()),
      template: release.template,
      save: state.save,
      report: release.report,
    });

    expect(post).toMatchObject({ maintenance: 'disabled', lock: 'released' });
    expect(existsSync(join(ctx.workspace, 'maintenance.flag'))).toBe(false);
    expect(await lockOf(sb, 'cancelled')).toBeUndefined();
    expect(readState(state.env()).maintenanceEnabled).toBe(false);
    expect(release.record.state.events.some((event) => event.type === 'deploy cleaned up')).toBe(true);
  });

  it("leaves another run's lock and a site it did not put in maintenance alone", async () => {
    const sb = sandbox();
    await lockedByAnother(sb, 'others', 60_000);
    const { release, ctx } = await openTestRelease({
      sandbox: sb,
      environment: 'others',
      configText: config('others'),
    });
    await writeFile(join(ctx.workspace, 'maintenance.flag'), 'someone else\n');

    const post = await deployPost({
      ctx,
      config: release.config,
      saved: {
        lockRef: 'refs/shipgate/locks/others',
        lockOwner: `${ctx.runId}/1`,
        maintenanceEnabled: false,
      },
      save: () => {},
    });

    expect(post).toMatchObject({ maintenance: 'not enabled', lock: 'held by another run' });
    expect(await lockOf(sb, 'others')).toMatchObject({ runId: '4242' });
    expect(existsSync(join(ctx.workspace, 'maintenance.flag'))).toBe(true);
  });
});
