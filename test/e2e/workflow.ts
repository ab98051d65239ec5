/**
 * Replaying the example workflows (workflows-examples/*.yml) job by job against the sandbox, the
 * way the runner would: each step is the bundled action run by `runAction` with the `with:` inputs
 * the workflow passes, and a job's outputs feed the next job as the workflow's `needs.*` do.
 * Only what the workflows say is here; the tests decide what to assert.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { itemMarker, withBox } from '../../src/report/ticks.ts';
import { DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import { type ActionRun, runAction } from '../harness/runner.ts';
import type { Role, TestSandbox } from '../harness/sandbox.ts';

export const OWNER = DEFAULT_WORLD.owner;
export const REPO = DEFAULT_WORLD.name;
export const REPOSITORY = DEFAULT_WORLD.repo;

/** A checkout: a temp dir holding `.github/shipgate.yml` (written from an object as YAML, or as text). */
export interface Workspace {
  dir: string;
  writeConfig(config: Record<string, unknown> | string): Promise<void>;
  dispose(): Promise<void>;
}

export async function createWorkspace(config?: Record<string, unknown> | string): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-e2e-'));
  await mkdir(join(dir, '.github'), { recursive: true });
  const workspace: Workspace = {
    dir,
    async writeConfig(value) {
      await writeFile(
        join(dir, '.github/shipgate.yml'),
        typeof value === 'string' ? value : stringify(value, { lineWidth: 0 }),
      );
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
  if (config !== undefined) await workspace.writeConfig(config);
  return workspace;
}

/** What every step of one workflow run shares: the runner's facts for that run. */
export interface RunFacts {
  sandbox: TestSandbox;
  workspace: Workspace;
  sha: string;
  event: { name: string; payload: unknown };
  actor?: string;
  runId: number;
  runAttempt?: number;
  /** Secrets and other `env:` of the steps. */
  env?: Record<string, string>;
  /** Whose token is `github-token` (the GITHUB_TOKEN by default). */
  token?: Role;
}

/** One `uses: .../actions/<entry>@v1` step with its `with:` inputs (empty values left out, as the runner sets them empty). */
export function step(
  facts: RunFacts,
  entry: string,
  inputs: Record<string, string | number | boolean | undefined>,
  extra: { state?: Record<string, string>; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const given = Object.fromEntries(
    Object.entries(inputs).filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
    ),
  );
  return runAction({
    entry,
    inputs: { 'github-token': DEFAULT_WORLD.tokens[facts.token ?? 'actions'], ...given },
    apiUrl: facts.sandbox.apiUrl,
    repository: REPOSITORY,
    sha: facts.sha,
    workspace: facts.workspace.dir,
    event: facts.event,
    actor: facts.actor ?? 'ada',
    runId: facts.runId,
    runAttempt: facts.runAttempt ?? 1,
    ...(extra.state ? { state: extra.state } : {}),
    env: { ...facts.env, ...extra.env },
    ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
  });
}

/** A step's result as the runner's `steps.<id>.outcome` says it. */
export function outcomeOf(run: ActionRun): 'success' | 'failure' {
  return run.code === 0 ? 'success' : 'failure';
}

export interface PreflightJob {
  run: ActionRun;
  outputs: { issue?: string; version?: string; outcome?: string };
}

/** release.yml, job `preflight`. */
export async function preflightJob(facts: RunFacts, inputs: { issue?: string } = {}): Promise<PreflightJob> {
  const run = await step(facts, 'preflight', { environment: 'production', issue: inputs.issue });
  return {
    run,
    outputs: {
      ...(run.outputs.issue ? { issue: run.outputs.issue } : {}),
      ...(run.outputs.version ? { version: run.outputs.version } : {}),
      ...(run.outputs.outcome ? { outcome: run.outputs.outcome } : {}),
    },
  };
}

export interface ReleaseJob {
  steps: {
    backup: ActionRun;
    deploy?: ActionRun;
    deployPost?: ActionRun;
    smoke?: ActionRun;
    monitor?: ActionRun;
  };
  result: 'success' | 'failure';
  outputs: {
    'deploy-started': string;
    version: string;
    'previous-version': string;
    'rollback-required': string;
  };
}

/**
 * release.yml, job `release` (run only when preflight's outcome is `passed`): backup, deploy,
 * smoke, monitor with `slice: 20m`; a step runs only while every step before it succeeded (the
 * runner's default `if: success()`), and the deploy's post step runs at the end whatever happened.
 */
export async function releaseJob(facts: RunFacts, needs: PreflightJob['outputs']): Promise<ReleaseJob> {
  const common = { environment: 'production', issue: needs.issue, version: needs.version };
  const backup = await step(facts, 'backup', common);
  const steps: ReleaseJob['steps'] = { backup };
  let ok = backup.code === 0;
  if (ok) {
    steps.deploy = await step(facts, 'deploy', common);
    ok = steps.deploy.code === 0;
  }
  if (ok) {
    steps.smoke = await step(facts, 'smoke', common);
    ok = steps.smoke.code === 0;
  }
  if (ok) {
    steps.monitor = await step(facts, 'monitor', { ...common, slice: '20m' });
    ok = steps.monitor.code === 0;
  }
  // Post steps run in reverse order of their main steps, after the last one.
  if (steps.deploy)
    steps.deployPost = await step(facts, 'deploy-post', common, { state: steps.deploy.state });
  const deployOutcome = steps.deploy ? outcomeOf(steps.deploy) : 'skipped';
  const required = [steps.deploy, steps.smoke, steps.monitor].some(
    (run) => run?.outputs['rollback-required'] === 'true',
  );
  return {
    steps,
    result: ok ? 'success' : 'failure',
    outputs: {
      'deploy-started': String(deployOutcome === 'success' || deployOutcome === 'failure'),
      version: steps.deploy?.outputs.version ?? '',
      'previous-version': steps.deploy?.outputs['previous-version'] ?? '',
      'rollback-required': String(required),
    },
  };
}

/** release.yml, the `if:` of job `rollback`. */
export function rollbackJobRuns(release: ReleaseJob): boolean {
  return (
    release.outputs['deploy-started'] === 'true' &&
    (release.result === 'failure' || release.outputs['rollback-required'] === 'true')
  );
}

/** release.yml, job `rollback`: the rollback action with what the failed release job left. */
export async function rollbackJob(
  facts: RunFacts,
  preflight: PreflightJob['outputs'],
  release: ReleaseJob,
): Promise<{ rollback: ActionRun; post: ActionRun }> {
  const inputs = {
    environment: 'production',
    issue: preflight.issue,
    version: preflight.version,
    'target-version': release.outputs['previous-version'] || undefined,
    severity: 'P1',
    reason: `automatic rollback, the release job ended ${release.result}`,
  };
  const rollback = await step(facts, 'rollback', inputs);
  const post = await step(facts, 'rollback-post', inputs, { state: rollback.state });
  return { rollback, post };
}

/**
 * gates.yml for the latest `issues.edited` or `issue_comment.created` event: the preflight action
 * with the issue from the event and `next-workflow: release.yml`.
 */
export async function gatesJob(
  facts: Omit<RunFacts, 'event'>,
  trigger: { name: 'issues' | 'issue_comment'; action: string },
): Promise<ActionRun> {
  const { event } = await facts.sandbox.eventFile(trigger);
  const payload = event.payload as { issue: { number: number } };
  return step({ ...facts, event: { name: trigger.name, payload } }, 'preflight', {
    environment: 'production',
    issue: payload.issue.number,
    'next-workflow': 'release.yml',
  });
}

/** A person ticks one item's box on the tracking issue, as a browser does (GET, then PATCH one line). */
export async function tickBox(sandbox: TestSandbox, who: Role, issue: number, id: string): Promise<void> {
  const octokit = sandbox.octokit(who);
  const { data } = await octokit.rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issue });
  const lines = (data.body ?? '').split('\n');
  const at = lines.findIndex((line) => line.includes(itemMarker(id)));
  if (at < 0) throw new Error(`no line for ${id} on issue #${issue}:\n${data.body ?? ''}`);
  lines[at] = withBox(lines[at]!, true);
  await octokit.rest.issues.update({ owner: OWNER, repo: REPO, issue_number: issue, body: lines.join('\n') });
}

/** A release commit on its own pull request, tagged with its version, as a merge would leave it. */
export async function releaseCommit(
  sandbox: TestSandbox,
  version: string,
): Promise<{ sha: string; before: string; pull: number }> {
  const admin = sandbox.octokit('admin');
  const before = (await admin.rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' })).data.object
    .sha;
  const commit = await sandbox.control.addCommit(REPOSITORY, {
    message: `Release ${version}`,
    branch: `release/${version}`,
    parents: [before],
  });
  const pull = await sandbox.control.addPullRequest(REPOSITORY, {
    head: `release/${version}`,
    title: `Release ${version}`,
  });
  await admin.rest.git.createRef({ owner: OWNER, repo: REPO, ref: `refs/tags/${version}`, sha: commit.sha });
  return { sha: commit.sha, before, pull: pull.number };
}

/** A push of `sha` to main, as the runner writes it to GITHUB_EVENT_PATH. */
export function pushEvent(sha: string, before: string): { name: string; payload: unknown } {
  return {
    name: 'push',
    payload: {
      ref: 'refs/heads/main',
      before,
      after: sha,
      repository: { full_name: REPOSITORY, name: REPO, owner: { login: OWNER } },
      pusher: { name: 'ada' },
      sender: { login: 'ada' },
    },
  };
}

/** Issue and comment bodies as an admin reads them. */
export async function issueBody(sandbox: TestSandbox, issue: number): Promise<string> {
  const { data } = await sandbox
    .octokit('admin')
    .rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issue });
  return data.body ?? '';
}

export async function commentBody(sandbox: TestSandbox, id: number): Promise<string> {
  const { data } = await sandbox
    .octokit('admin')
    .rest.issues.getComment({ owner: OWNER, repo: REPO, comment_id: id });
  return data.body ?? '';
}

/** Shows a run's output when an expectation about it fails. */
export function describeRun(run: ActionRun | undefined): string {
  if (!run) return '(step did not run)';
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
