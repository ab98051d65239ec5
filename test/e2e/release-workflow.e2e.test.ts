import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemoApp, startDemoApp } from '../../examples/demo-app/app.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { RefDocuments } from '../../src/github/ref-document.ts';
import { ReleaseRecord } from '../../src/github/release-record.ts';
import { StableMarker } from '../../src/github/stable-marker.ts';
import { tagTarget } from '../../src/github/tags.ts';
import { readItemLines } from '../../src/report/ticks.ts';
import { DEMO_APP_CTL, startTraffic } from '../harness/demo-app.ts';
import { type PostgresServer, startPostgres } from '../harness/postgres.ts';
import { type RunningPrometheus, startPrometheus } from '../harness/prometheus.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';
import {
  commentBody,
  createWorkspace,
  describeRun,
  gatesJob,
  issueBody,
  OWNER,
  preflightJob,
  pushEvent,
  releaseCommit,
  releaseJob,
  REPO,
  rollbackJob,
  rollbackJobRuns,
  type RunFacts,
  tickBox,
  type Workspace,
} from './workflow.ts';

/**
 * Scenarios 1 and 2: workflows-examples/release.yml replayed job by job (and gates.yml when the
 * preflight waits for a person), every step the bundled action as the runner runs it, against
 * the sandbox, the demo app, a real PostgreSQL (pg_dump with a test restore) and a real
 * Prometheus scraping the demo app (the monitor's source). The bad release follows the good
 * one: the version it rolls back to is the one the good release marked stable.
 */

let sandbox: TestSandbox;
let pg: PostgresServer;
let app: RunningDemoApp;
let prometheus: RunningPrometheus;
let traffic: ReturnType<typeof startTraffic>;
let workspace: Workspace;
let backups: string;
let runs = 7000;

const BAD = 'v1.3.0';

beforeAll(async () => {
  [sandbox, pg, app] = await Promise.all([
    startTestSandbox(),
    startPostgres(),
    // v1.3.0 is the bad release: while it runs, /health answers 500.
    startDemoApp({
      version: 'v1.1.0',
      faults: [{ version: BAD, errorRate: 1, status: 500, routes: ['/health'] }],
    }),
  ]);
  await pg.sql('CREATE DATABASE shop');
  await pg.sql(
    `CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
     INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 200) g;`,
    'shop',
  );
  traffic = startTraffic(app.url, 20);
  prometheus = await startPrometheus({ targets: [new URL(app.url).host] });
  backups = await mkdtemp(join(tmpdir(), 'shipgate-e2e-backups-'));
  workspace = await createWorkspace(releaseConfig());
  // Until Prometheus has a [5s] rate to answer the monitor's query with.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${prometheus.url}/api/v1/query`, {
      method: 'POST',
      body: new URLSearchParams({ query: ERROR_RATE }),
    });
    const json = (await response.json()) as { data?: { result?: unknown[] } };
    if ((json.data?.result?.length ?? 0) > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  await traffic?.stop();
  await prometheus?.stop();
  await app?.close();
  await pg?.stop();
  await workspace?.dispose();
  if (backups) await rm(backups, { recursive: true, force: true });
  await sandbox?.stop();
});

const ERROR_RATE =
  '(sum(rate(http_requests_total{code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total[5s]))';

function releaseConfig(): Record<string, unknown> {
  const node = process.execPath;
  return {
    version: 1,
    release: { name: 'webshop' },
    environments: { production: { url: app.url, production: true } },
    secrets: ['DATABASE_URL'],
    preflight: {
      checks: [{ id: 'app-reachable', kind: 'http', url: '{url}/health', expect: { status: 200 } }],
      manual: [{ id: 'announce', text: 'Announce the release in #releases' }],
    },
    backup: {
      driver: 'pg_dump',
      directory: backups,
      verify: { tables: ['customers'], testRestore: true },
    },
    deploy: {
      steps: [
        {
          id: 'deploy-app',
          name: 'Switch the demo app to the new version',
          run: [node, DEMO_APP_CTL, 'deploy', '--url', '{url}', '--version', '{version}'],
        },
      ],
    },
    smoke: {
      checks: [
        {
          id: 'smoke-health',
          kind: 'http',
          name: 'Health answers 200 with the new version',
          url: '{url}/health',
          expect: { status: 200, json: [{ path: '$.version', equals: '{version}' }] },
        },
        { id: 'smoke-items', kind: 'http', url: '{url}/api/items?limit=5', expect: { status: 200 } },
      ],
    },
    monitor: {
      duration: '5s',
      interval: '1s',
      sources: {
        prom: { kind: 'prometheus', url: prometheus.url, timeout: '1s', queries: { error_rate: ERROR_RATE } },
      },
      rules: [{ id: 'error-rate', metric: 'prom.error_rate', critical: '> 5%', for: '2s' }],
      analysis: { minSamples: 1 },
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
      authorize: { P1: { minRole: 'maintain' } },
      tag: { pattern: 'rollback-{environment}-{date}-{time}' },
    },
  };
}

/**
 * One release through the workflows: release.yml on the push (its preflight waits for the manual
 * item), max ticks the item, gates.yml dispatches release.yml again with the issue, and that run
 * goes through preflight, the release job and (when it failed) the rollback job.
 */
async function shipThroughGate(version: string) {
  const commit = await releaseCommit(sandbox, version);
  const base = {
    sandbox,
    workspace,
    sha: commit.sha,
    actor: 'ada',
    env: { DATABASE_URL: pg.url('shop') },
  };
  const onPush: RunFacts = { ...base, event: pushEvent(commit.sha, commit.before), runId: runs++ };
  const waiting = await preflightJob(onPush);
  expect(waiting.run.code, describeRun(waiting.run)).toBe(0);
  expect(waiting.outputs).toMatchObject({ outcome: 'waiting', version });
  const issue = Number(waiting.outputs.issue);
  expect(issue).toBeGreaterThan(0);
  // release: `if: needs.preflight.outputs.outcome == 'passed'`: skipped.

  await tickBox(sandbox, 'maintain', issue, 'announce');
  const gates = await gatesJob({ ...base, runId: runs++ }, { name: 'issues', action: 'edited' });
  expect(gates.code, describeRun(gates)).toBe(0);
  expect(gates.outputs.outcome).toBe('passed');
  const dispatch = (await sandbox.control.events({ name: 'workflow_dispatch' })).at(-1);
  expect(dispatch?.payload).toMatchObject({
    workflow: '.github/workflows/release.yml',
    inputs: { issue: String(issue) },
  });

  const dispatched: RunFacts = {
    ...base,
    event: { name: 'workflow_dispatch', payload: dispatch!.payload },
    runId: runs++,
  };
  const preflight = await preflightJob(dispatched, { issue: String(issue) });
  expect(preflight.run.code, describeRun(preflight.run)).toBe(0);
  expect(preflight.outputs).toMatchObject({ outcome: 'passed', issue: String(issue), version });
  const release = await releaseJob(dispatched, preflight.outputs);
  const rollback = rollbackJobRuns(release)
    ? await rollbackJob(dispatched, preflight.outputs, release)
    : undefined;
  return { commit, issue, preflight, release, rollback, runId: dispatched.runId };
}

async function record(issue: number) {
  return ReleaseRecord.fromIssue(
    {
      octokit: sandbox.octokit('admin'),
      owner: OWNER,
      repo: REPO,
      logger: new RecordingLogger(),
      clock: () => new Date(),
    },
    issue,
  );
}

async function deploymentsOf(sha: string) {
  const admin = sandbox.octokit('admin');
  const { data } = await admin.rest.repos.listDeployments({
    owner: OWNER,
    repo: REPO,
    sha,
    environment: 'production',
  });
  return Promise.all(
    data.map(async (deployment) => ({
      id: deployment.id,
      states: (
        await admin.rest.repos.listDeploymentStatuses({
          owner: OWNER,
          repo: REPO,
          deployment_id: deployment.id,
        })
      ).data.map((status) => status.state),
    })),
  );
}

async function stable() {
  const documents = new RefDocuments({
    octokit: sandbox.octokit('admin'),
    owner: OWNER,
    repo: REPO,
    baseCommit: '',
  });
  return new StableMarker(documents, systemClock).current('production');
}

describe('release.yml, replayed job by job', () => {
  it(
    'a good release: one PR comment ending green, every box ticked, one deployment success, marked stable (scenario 1)',
    { timeout: 400_000 },
    async () => {
      const good = await shipThroughGate('v1.2.0');
      const { backup, deploy, smoke, monitor, deployPost } = good.release.steps;
      for (const run of [backup, deploy, smoke, monitor, deployPost])
        expect(run?.code, describeRun(run)).toBe(0);
      expect(good.release.result).toBe('success');
      expect(good.rollback).toBeUndefined();
      expect(app.version()).toBe('v1.2.0');
      expect(monitor!.outputs).toMatchObject({ outcome: 'passed', 'rollback-required': 'false' });
      // The backup is a real pg_dump on disk (restored into a scratch database: backup:test-restore below).
      expect(readdirSync(backups).length).toBeGreaterThan(0);

      // The tracking issue: every automated box ticked, the manual one by max, the log filled in.
      const state = (await record(good.issue)).state;
      const body = await issueBody(sandbox, good.issue);
      const lines = readItemLines(body);
      const shipped = state.items.filter((item) => item.phase !== 'rollback');
      expect(shipped.map((item) => [item.id, item.status])).toEqual(
        shipped.map((item) => [item.id, 'passed']),
      );
      for (const item of shipped) expect(lines.get(item.id)?.ticked, `${item.id} ticked`).toBe(true);
      for (const id of ['backup:dump', 'backup:test-restore', 'deploy-app', 'smoke-health', 'error-rate'])
        expect(lines.has(id), id).toBe(true);
      expect(lines.get('announce')?.line).toContain('@max');
      expect(body).toContain('### Deployment log');
      expect(body).toContain('| Version | `v1.2.0` |');
      expect(body).toMatch(/\| Deploy finished \| \d{4}-\d\d-\d\d \d\d:\d\d/);
      expect(body).toMatch(/\| Outcome \| .*success \(stable\)/);
      expect(body).not.toContain(pg.password);

      // One sticky comment on the PR, all green, with timings.
      const comments = await sandbox
        .octokit('admin')
        .rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: good.commit.pull });
      expect(comments.data).toHaveLength(1);
      const comment = comments.data[0]!.body ?? '';
      expect(comment).toContain('✅ released and stable');
      for (const phase of ['preflight', 'backup', 'deploy', 'smoke', 'monitor'])
        expect(comment).toMatch(new RegExp(`\\| ${phase} \\| ✅ passed \\| \\d+/\\d+ \\| [\\d.]+ ?m?s`));

      // One GitHub deployment, ending success; the release is the environment's stable one.
      const deployments = await deploymentsOf(good.commit.sha);
      expect(deployments).toHaveLength(1);
      expect(deployments[0]!.states[0]).toBe('success');
      expect(await stable()).toMatchObject({ version: 'v1.2.0', sha: good.commit.sha });
      const { data: ref } = await sandbox
        .octokit('admin')
        .rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'shipgate/stable/production' });
      expect(ref.ref).toBe('refs/shipgate/stable/production');
      // The lock was given back.
      await expect(
        sandbox
          .octokit('admin')
          .rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'shipgate/locks/production' }),
      ).rejects.toMatchObject({ status: 404 });
    },
  );

  it(
    'a bad release: smoke fails, the rollback job brings the stable version back and says so (scenario 2)',
    { timeout: 400_000 },
    async () => {
      const bad = await shipThroughGate(BAD);
      const { deploy, smoke, monitor } = bad.release.steps;
      expect(deploy?.code, describeRun(deploy)).toBe(0);
      expect(deploy?.outputs['previous-version']).toBe('v1.2.0');
      expect(smoke?.code, describeRun(smoke)).toBe(1);
      expect(smoke?.stdout).toMatch(/::error::.*smoke-health/);
      expect(smoke?.outputs['rollback-required']).toBe('true');
      expect(monitor).toBeUndefined();
      expect(bad.release.result).toBe('failure');

      // release.yml's rollback job runs (`if: failure()` once the deploy started).
      expect(bad.rollback, 'the rollback job runs').toBeDefined();
      const { rollback } = bad.rollback!;
      expect(rollback.code, describeRun(rollback)).toBe(0);
      expect(rollback.outputs).toMatchObject({ outcome: 'passed', version: BAD });
      expect(app.version()).toBe('v1.2.0');
      expect((await fetch(`${app.url}/health`)).status).toBe(200);

      // The bad version's deployment failed and is no longer active.
      const deployments = await deploymentsOf(bad.commit.sha);
      expect(deployments).toHaveLength(1);
      expect(deployments[0]!.states).toContain('failure');
      expect(['failure', 'inactive']).toContain(deployments[0]!.states[0]);

      // A rollback tag at the commit of the version rolled back to.
      const tag = rollback.outputs['rollback-tag']!;
      expect(tag).toMatch(/^rollback-production-/);
      const good = await tagTarget(sandbox.octokit('admin'), OWNER, REPO, 'v1.2.0');
      expect(await tagTarget(sandbox.octokit('admin'), OWNER, REPO, tag)).toBe(good);

      // The rollback issue names the failing check with its status code and body excerpt.
      const incident = await issueBody(sandbox, Number(rollback.outputs['rollback-issue']));
      expect(incident).toContain('smoke-health');
      expect(incident).toMatch(/\b500\b/);
      expect(incident).toContain('unhealthy');

      // The PR comment says so; the stable version is still the good one.
      const comment = await commentBody(sandbox, Number(deploy!.outputs['comment-id']));
      expect(comment).toContain('rolled back');
      expect(await stable()).toMatchObject({ version: 'v1.2.0' });
      const comments = await sandbox
        .octokit('admin')
        .rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: bad.commit.pull });
      expect(comments.data).toHaveLength(1);
    },
  );
});
