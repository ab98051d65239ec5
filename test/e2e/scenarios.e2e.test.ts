import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemoApp, startDemoApp } from '../../examples/demo-app/app.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { createDeployment, setDeploymentStatus } from '../../src/github/deployments.ts';
import { RefDocuments } from '../../src/github/ref-document.ts';
import { StableMarker } from '../../src/github/stable-marker.ts';
import { tagTarget } from '../../src/github/tags.ts';
import { DEMO_APP_CTL } from '../harness/demo-app.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';
import {
  createWorkspace,
  describeRun,
  issueBody,
  OWNER,
  pushEvent,
  releaseCommit,
  REPO,
  type RunFacts,
  step,
  type Workspace,
} from './workflow.ts';

/**
 * Scenarios 8, 9, 12 and 14 (SCENARIOS.md), each a small story told through the bundled actions
 * as the runner runs them. Each test starts from the sandbox's default world.
 */

let sandbox: TestSandbox;
let production: RunningDemoApp;
let staging: RunningDemoApp;
let workspace: Workspace | undefined;
let runs = 9000;

beforeAll(async () => {
  [sandbox, production, staging] = await Promise.all([
    startTestSandbox(),
    startDemoApp({ version: 'v1.1.0' }),
    startDemoApp({ version: 'v1.1.0' }),
  ]);
});
afterEach(async () => {
  await workspace?.dispose();
  workspace = undefined;
});
afterAll(async () => {
  await Promise.all([production?.close(), staging?.close()]);
  await sandbox?.stop();
});

const node = process.execPath;

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    release: { name: 'webshop' },
    environments: {
      production: { url: production.url, production: true },
      staging: { url: staging.url },
    },
    deploy: {
      steps: [
        { id: 'deploy-app', run: [node, DEMO_APP_CTL, 'deploy', '--url', '{url}', '--version', '{version}'] },
      ],
    },
    smoke: {
      checks: [
        {
          id: 'smoke-health',
          kind: 'http',
          url: '{url}/health',
          expect: { status: 200, json: [{ path: '$.version', equals: '{version}' }] },
        },
      ],
    },
    rollback: {
      strategy: 'app',
      steps: [
        {
          id: 'rollback-app',
          run: [node, DEMO_APP_CTL, 'rollback', '--url', '{url}', '--version', '{previousVersion}'],
        },
      ],
      authorize: { P0: { minRole: 'maintain' }, P1: { minRole: 'maintain' } },
      tag: { pattern: 'rollback-{environment}-{date}-{time}' },
    },
    ...extra,
  };
}

async function fresh(value: Record<string, unknown>): Promise<Workspace> {
  await sandbox.control.reset();
  workspace = await createWorkspace(value);
  return workspace;
}

function admin() {
  return sandbox.octokit('admin');
}

async function mainSha(): Promise<string> {
  return (await admin().rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' })).data.object.sha;
}

async function tagNames(): Promise<string[]> {
  const { data } = await admin().rest.git.listMatchingRefs({ owner: OWNER, repo: REPO, ref: 'tags/' });
  return data.map((ref) => ref.ref);
}

async function releaseIssues(): Promise<number[]> {
  const { data } = await admin().rest.issues.listForRepo({
    owner: OWNER,
    repo: REPO,
    state: 'all',
    per_page: 100,
  });
  return data
    .filter((issue) => !issue.pull_request && /Release|release/.test(issue.title))
    .map((i) => i.number);
}

/** The environment's stable history as a release workflow would have left it: v1.0.0, then v1.1.0. */
async function stableHistory(environment: string): Promise<void> {
  const documents = new RefDocuments({
    octokit: admin(),
    owner: OWNER,
    repo: REPO,
    baseCommit: await mainSha(),
  });
  const marker = new StableMarker(documents, systemClock);
  for (const version of ['v1.0.0', 'v1.1.0']) {
    const sha = (await tagTarget(admin(), OWNER, REPO, version))!;
    await marker.mark({ environment, version, sha, releaseKey: `${environment}/${version}` });
  }
}

describe('scenarios', () => {
  it(
    '8: a deploy re-run (same run, attempt 2) creates no second comment, issue, deployment, lock or tag',
    { timeout: 300_000 },
    async () => {
      const ws = await fresh(
        config({
          deploy: {
            steps: [
              // The network is flaky the first time: the step fails once, then deploys.
              {
                id: 'deploy-app',
                run: [
                  'sh',
                  '-c',
                  'if [ -e flaky-once ]; then exec "$0" "$@"; else touch flaky-once; echo "connection reset" >&2; exit 1; fi',
                  node,
                  DEMO_APP_CTL,
                  'deploy',
                  '--url',
                  '{url}',
                  '--version',
                  '{version}',
                ],
              },
            ],
          },
        }),
      );
      const commit = await releaseCommit(sandbox, 'v1.2.0');
      const tagsBefore = await tagNames();
      const job: RunFacts = {
        sandbox,
        workspace: ws,
        sha: commit.sha,
        event: pushEvent(commit.sha, commit.before),
        runId: runs++,
      };
      const inputs = { environment: 'staging', version: 'v1.2.0' };

      const first = await step(job, 'deploy', inputs);
      expect(first.code, describeRun(first)).toBe(1);
      await step(job, 'deploy-post', inputs, { state: first.state });
      const issue = first.outputs.issue;
      const comment = first.outputs['comment-id'];
      const deployment = first.outputs['deployment-id'];
      expect([issue, comment, deployment].every(Boolean), JSON.stringify(first.outputs)).toBe(true);

      const again = await step({ ...job, runAttempt: 2 }, 'deploy', inputs);
      expect(again.code, describeRun(again)).toBe(0);
      await step({ ...job, runAttempt: 2 }, 'deploy-post', inputs, { state: again.state });
      expect(again.outputs).toMatchObject({ issue, 'comment-id': comment, 'deployment-id': deployment });
      expect(staging.version()).toBe('v1.2.0');

      expect(await releaseIssues()).toEqual([Number(issue)]);
      const comments = await admin().rest.issues.listComments({
        owner: OWNER,
        repo: REPO,
        issue_number: commit.pull,
      });
      expect(comments.data.map((c) => c.id)).toEqual([Number(comment)]);
      const deployments = await admin().rest.repos.listDeployments({
        owner: OWNER,
        repo: REPO,
        sha: commit.sha,
      });
      expect(deployments.data.map((d) => d.id)).toEqual([Number(deployment)]);
      await expect(
        admin().rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'shipgate/locks/staging' }),
      ).rejects.toMatchObject({ status: 404 });
      expect(await tagNames()).toEqual(tagsBefore);
      expect(await sandbox.control.requests({ operationId: 'issues/create' })).toHaveLength(1);
      expect(await sandbox.control.requests({ operationId: 'repos/create-deployment' })).toHaveLength(1);
    },
  );

  it(
    "2, pushed by someone with write access: release.yml's rollback job is automatic, not a person's rollback",
    { timeout: 300_000 },
    async () => {
      const ws = await fresh(
        config({
          deploy: {
            steps: [
              {
                id: 'deploy-app',
                run: [node, DEMO_APP_CTL, 'deploy', '--url', '{url}', '--version', '{version}'],
              },
              { id: 'warm-caches', run: ['sh', '-c', 'echo "cache warm-up failed" >&2; exit 3'] },
            ],
          },
        }),
      );
      await stableHistory('production');
      const commit = await releaseCommit(sandbox, 'v1.2.0');
      // wes (write) merged and pushed; the GITHUB_TOKEN does the work, GITHUB_ACTOR is wes.
      const job: RunFacts = {
        sandbox,
        workspace: ws,
        sha: commit.sha,
        event: pushEvent(commit.sha, commit.before),
        actor: 'wes',
        runId: runs++,
      };
      const deploy = await step(job, 'deploy', { environment: 'production', version: 'v1.2.0' });
      expect(deploy.code, describeRun(deploy)).toBe(1);
      expect(deploy.outputs).toMatchObject({ 'rollback-required': 'true', 'previous-version': 'v1.1.0' });
      expect(production.version()).toBe('v1.2.0');

      // release.yml, job rollback, with the inputs it passes.
      const rollback = await step(job, 'rollback', {
        environment: 'production',
        issue: deploy.outputs.issue,
        version: 'v1.2.0',
        'target-version': deploy.outputs['previous-version'],
        severity: 'P1',
        reason: 'automatic rollback, the release job ended failure',
      });
      expect(rollback.code, describeRun(rollback)).toBe(0);
      expect(production.version()).toBe('v1.1.0');
    },
  );

  it(
    '9: max rolls production back at 3 a.m. to the last stable version; tia is refused by name and nothing changes',
    { timeout: 300_000 },
    async () => {
      const ws = await fresh(config());
      await stableHistory('production');
      // v1.2.0 runs in production (deployed, never marked stable) and is bad.
      const commit = await releaseCommit(sandbox, 'v1.2.0');
      const deploymentId = await createDeployment(admin(), {
        owner: OWNER,
        repo: REPO,
        sha: commit.sha,
        environment: 'production',
        version: 'v1.2.0',
        key: 'production/v1.2.0',
        production: true,
      });
      await setDeploymentStatus(admin(), {
        owner: OWNER,
        repo: REPO,
        deploymentId,
        state: 'success',
        description: 'v1.2.0',
      });
      production.deploy('v1.2.0');
      const main = await mainSha();
      // rollback.yml's inputs, as the dispatch form sends them.
      const dispatch = (actor: string) => ({
        name: 'workflow_dispatch',
        payload: {
          inputs: {
            environment: 'production',
            'target-version': '',
            severity: 'P0',
            reason: 'checkout answers 500',
            drill: false,
          },
          sender: { login: actor },
        },
      });
      const inputs = {
        environment: 'production',
        'target-version': '',
        severity: 'P0',
        reason: 'checkout answers 500',
        drill: false,
      };

      await sandbox.control.clearRequests();
      const tia: RunFacts = {
        sandbox,
        workspace: ws,
        sha: main,
        event: dispatch('tia'),
        actor: 'tia',
        runId: runs++,
      };
      const refused = await step(tia, 'rollback', inputs);
      expect(refused.code, describeRun(refused)).toBe(1);
      expect(refused.stdout).toMatch(/^::error::.*@tia may not roll back production at severity P0/m);
      expect(refused.stdout).toContain('Nothing was changed');
      const writes = (await sandbox.control.requests()).filter((request) => request.method !== 'GET');
      expect(writes).toEqual([]);
      expect(production.version()).toBe('v1.2.0');

      const max: RunFacts = {
        sandbox,
        workspace: ws,
        sha: main,
        event: dispatch('max'),
        actor: 'max',
        runId: runs++,
      };
      const rollback = await step(max, 'rollback', inputs);
      await step(max, 'rollback-post', inputs, { state: rollback.state });
      expect(rollback.code, describeRun(rollback)).toBe(0);
      expect(rollback.outputs).toMatchObject({ outcome: 'passed', version: 'v1.2.0' });
      expect(production.version()).toBe('v1.1.0');
      const tag = rollback.outputs['rollback-tag']!;
      expect(await tagTarget(admin(), OWNER, REPO, tag)).toBe(
        await tagTarget(admin(), OWNER, REPO, 'v1.1.0'),
      );
      const incident = await issueBody(sandbox, Number(rollback.outputs['rollback-issue']));
      expect(incident).toContain('checkout answers 500');
      expect(incident).toContain('P0');
      expect(incident).toContain('@max');
    },
  );

  it(
    '12: a hostile PR title and branch are shown as text, never run, never act as workflow commands',
    { timeout: 300_000 },
    async () => {
      const owned = `/tmp/owned-${process.pid}-${Date.now()}`;
      await rm(owned, { force: true });
      const title = `::warning::fix: $(touch ${owned})`;
      const branch = `feature/\`touch ${owned}\``;
      const echo = (id: string) => ({
        id,
        run: ['sh', '-c', 'echo "$SHIPGATE_PR_TITLE"; echo "$SHIPGATE_BRANCH"'],
      });
      const base = config();
      const ws = await fresh({
        ...base,
        preflight: {
          checks: [{ id: 'app-reachable', kind: 'http', url: '{url}/health' }],
          steps: [echo('echo-preflight')],
        },
        deploy: { steps: [...(base.deploy as { steps: unknown[] }).steps, echo('echo-deploy')] },
        monitor: {
          duration: '4s',
          interval: '500ms',
          sources: { probe: { kind: 'http-probe', url: '{url}/health', rate: '4/s', timeout: '1s' } },
          rules: [{ id: 'error-rate', metric: 'probe.error_rate', critical: '> 5%', for: '1s' }],
          analysis: { minSamples: 1 },
        },
      });
      const sha = await mainSha();
      const event = {
        name: 'pull_request',
        payload: {
          action: 'closed',
          number: 2,
          pull_request: { number: 2, title, merged: true, head: { ref: branch, sha }, base: { ref: 'main' } },
        },
      };
      const job: RunFacts = { sandbox, workspace: ws, sha, event, runId: runs++ };
      const run = await step(job, 'shipgate', { phase: 'all', environment: 'staging', version: 'v1.2.0' });
      expect(run.code, describeRun(run)).toBe(0);
      expect(
        run.outputs.outcome,
        run.stdout
          .split('\n')
          .filter((l) => /monitor|inconclusive|error-rate/.test(l))
          .join('\n'),
      ).toBe('passed');
      expect(existsSync(owned)).toBe(false);

      // A line carrying the hostile text either sits between ::stop-commands::TOKEN and ::TOKEN::
      // (where the runner reads no command), or cannot be read as a command at all.
      let stopped: string | undefined;
      const quoted: string[] = [];
      const plain: string[] = [];
      for (const line of run.stdout.split('\n')) {
        const start = /^::stop-commands::(.+)$/.exec(line);
        if (!stopped && start) stopped = start[1];
        else if (stopped && line === `::${stopped}::`) stopped = undefined;
        else if (line.includes(owned)) (stopped ? quoted : plain).push(line);
      }
      for (const line of plain) expect(line, 'a command outside stop-commands').not.toMatch(/^\s*::/);
      // shipgate shows the title and the branch, as text, in every phase's log.
      expect(quoted).toContain(`pull request title: ${title}`);
      expect(quoted).toContain(`branch: ${branch}`);
      // The steps' own output (the title they echoed, starting with ::warning::) is quoted too.
      expect(quoted).toContain(`echo-deploy: ${title}`);
      expect(plain).toContain(`[echo-deploy] ${branch}`);
      expect(run.stdout).not.toMatch(/^::(warning|add-mask)::fix/m);
    },
  );

  it(
    '14: a rollback drill on staging runs the whole procedure, records its duration, and touches nothing in production',
    { timeout: 300_000 },
    async () => {
      const ws = await fresh(config());
      await stableHistory('staging');
      const productionDeploys = production.version();
      const main = await mainSha();
      await sandbox.control.clearRequests();
      const inputs = {
        environment: 'staging',
        'target-version': '',
        severity: 'P1',
        reason: 'quarterly drill',
        drill: true,
      };
      const max: RunFacts = {
        sandbox,
        workspace: ws,
        sha: main,
        event: { name: 'workflow_dispatch', payload: { inputs } },
        actor: 'max',
        runId: runs++,
      };
      const drill = await step(max, 'rollback', inputs);
      await step(max, 'rollback-post', inputs, { state: drill.state });
      expect(drill.code, describeRun(drill)).toBe(0);
      expect(drill.outputs.outcome).toBe('passed');
      expect(staging.version()).toBe('v1.0.0');
      expect(drill.stdout).toMatch(/drill: .* verified in [\d.]+ ?m?s/);
      const issue = Number(drill.outputs['rollback-issue']);
      const { data } = await admin().rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issue });
      expect(data.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('drill');
      expect(data.body).toMatch(/\d+(\.\d+)? ?m?s/);

      // Production: the app, its deployments, its stable marker and its lock are as they were.
      expect(production.version()).toBe(productionDeploys);
      const touched = (await sandbox.control.requests()).filter(
        (request) => request.method !== 'GET' && JSON.stringify(request).includes('production'),
      );
      expect(touched).toEqual([]);
      expect(drill.outputs['rollback-tag']).toBeUndefined();
    },
  );
});
