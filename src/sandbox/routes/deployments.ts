import { ApiError, notFound, validationFailed } from '../api-error.ts';
import { isAncestor, makeCommit, resolveCommitish } from '../git-objects.ts';
import {
  checkRunJson,
  combinedState,
  commitStatusJson,
  deploymentJson,
  deploymentStatusJson,
  environmentJson,
  latestStatuses,
  repoJson,
} from '../representations.ts';
import { defineRoutes, type RouteContext, requiredString, stringArray, stringField } from '../route.ts';
import { deploymentPayload, deploymentStatusPayload } from '../webhook-payloads.ts';
import {
  type CheckRunRecord,
  type CommitStatusRecord,
  type DeploymentRecord,
  type DeploymentState,
  type DeploymentStatusRecord,
  type EnvironmentRecord,
  nextId,
  type RepoRecord,
} from '../world.ts';
import { moveRef } from './git.ts';

const DEPLOYMENT_STATES: DeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

function findDeployment(repo: RepoRecord, id: string | undefined): DeploymentRecord {
  const d = repo.deployments.find((x) => String(x.id) === id);
  if (!d) throw notFound();
  return d;
}

function ensureEnvironment(ctx: RouteContext, repo: RepoRecord, name: string): EnvironmentRecord {
  let env = repo.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!env) {
    const now = ctx.now();
    env = { id: nextId(ctx.world), name, createdAt: now, updatedAt: now, reviewers: [], waitTimer: 0 };
    repo.environments.push(env);
  }
  return env;
}

function latestState(d: DeploymentRecord): DeploymentState | undefined {
  return d.statuses.at(-1)?.state;
}

/** Check runs for a commit, the latest per name as GitHub reports them with `filter=latest`. */
function latestCheckRuns(repo: RepoRecord, sha: string): CheckRunRecord[] {
  const latest = new Map<string, CheckRunRecord>();
  for (const run of repo.checkRuns) {
    if (run.headSha !== sha) continue;
    const current = latest.get(run.name);
    if (!current || current.id < run.id) latest.set(run.name, run);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

function resolveOr422(repo: RepoRecord, ref: string): string {
  const sha = resolveCommitish(repo, ref);
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

export const deploymentRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments',
    operationId: 'repos/list-deployments',
    scope: 'deployments',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const q = ctx.query;
      const items = repo.deployments
        .filter((d) => !q.get('sha') || d.sha === q.get('sha'))
        .filter((d) => !q.get('ref') || d.ref === q.get('ref'))
        .filter((d) => !q.get('task') || d.task === q.get('task'))
        .filter((d) => !q.get('environment') || d.environment === q.get('environment'))
        .sort((a, b) => b.id - a.id);
      return {
        status: 200,
        page: { items, render: (d: DeploymentRecord) => deploymentJson(ctx.world, repo, d, ctx.urls) },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/deployments',
    operationId: 'repos/create-deployment',
    scope: 'deployments',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const ref = requiredString(ctx.body, 'ref', 'Deployment');
      const sha = resolveCommitish(repo, ref);
      if (!sha) throw new ApiError(422, `No ref found for: ${ref}`);
      const environment = stringField(ctx.body, 'environment', 'Deployment') ?? 'production';
      const branchRef = `refs/heads/${ref}`;
      const autoMerge = ctx.body.auto_merge !== false;
      const defaultTip = repo.refs[`refs/heads/${repo.defaultBranch}`];
      if (autoMerge && repo.refs[branchRef] && ref !== repo.defaultBranch && defaultTip) {
        if (!isAncestor(repo, defaultTip, sha)) {
          // GitHub merges the default branch into the topic branch and asks the caller to try again.
          const merge = makeCommit({
            message: `Merge branch '${repo.defaultBranch}' into ${ref}`,
            parents: [sha, defaultTip],
            author: { name: 'GitHub', email: 'noreply@github.com', date: ctx.now() },
          });
          repo.commits[merge.sha] = merge;
          moveRef(ctx, repo, branchRef, merge.sha, false);
          return {
            status: 202,
            body: { message: `Auto-merged ${repo.defaultBranch} into ${ref} on deployment.` },
          };
        }
      }
      const required = stringArray(ctx.body, 'required_contexts', 'Deployment');
      const statuses = latestStatuses(repo, sha);
      const runs = latestCheckRuns(repo, sha);
      const contexts = new Map<string, boolean>();
      for (const s of statuses) contexts.set(s.context, s.state === 'success');
      for (const r of runs)
        contexts.set(
          r.name,
          r.status === 'completed' && ['success', 'neutral', 'skipped'].includes(r.conclusion ?? ''),
        );
      const wanted = required ?? [...contexts.keys()];
      const failing = wanted.filter((c) => contexts.get(c) !== true);
      if (failing.length > 0) {
        throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, [
          { resource: 'Deployment', code: 'invalid', field: 'required_contexts', value: failing },
        ]);
      }
      let payload: unknown = ctx.body.payload ?? {};
      if (typeof payload === 'string') {
        try {
          payload = JSON.parse(payload);
        } catch {
          throw validationFailed([{ resource: 'Deployment', code: 'invalid', field: 'payload' }]);
        }
      }
      ensureEnvironment(ctx, repo, environment);
      const now = ctx.now();
      const deployment: DeploymentRecord = {
        id: nextId(ctx.world),
        sha,
        ref,
        task: stringField(ctx.body, 'task', 'Deployment') ?? 'deploy',
        environment,
        originalEnvironment: environment,
        description: stringField(ctx.body, 'description', 'Deployment') ?? '',
        payload,
        creator: ctx.actor.login,
        transientEnvironment: ctx.body.transient_environment === true,
        productionEnvironment:
          typeof ctx.body.production_environment === 'boolean'
            ? ctx.body.production_environment
            : environment === 'production',
        createdAt: now,
        updatedAt: now,
        statuses: [],
      };
      repo.deployments.push(deployment);
      ctx.emit('deployment', deploymentPayload(ctx.world, repo, deployment, ctx.actor, ctx.urls));
      return {
        status: 201,
        body: deploymentJson(ctx.world, repo, deployment, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/deployments/${deployment.id}`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}',
    operationId: 'repos/get-deployment',
    scope: 'deployments',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      return {
        status: 200,
        body: deploymentJson(ctx.world, repo, findDeployment(repo, ctx.params.deployment_id), ctx.urls),
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    operationId: 'repos/list-deployment-statuses',
    scope: 'deployments',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const d = findDeployment(repo, ctx.params.deployment_id);
      const items = [...d.statuses].reverse();
      return {
        status: 200,
        page: {
          items,
          render: (s: DeploymentStatusRecord) => deploymentStatusJson(ctx.world, repo, d, s, ctx.urls),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}',
    operationId: 'repos/get-deployment-status',
    scope: 'deployments',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const d = findDeployment(repo, ctx.params.deployment_id);
      const s = d.statuses.find((x) => String(x.id) === ctx.params.status_id);
      if (!s) throw notFound();
      return { status: 200, body: deploymentStatusJson(ctx.world, repo, d, s, ctx.urls) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    operationId: 'repos/create-deployment-status',
    scope: 'deployments',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const d = findDeployment(repo, ctx.params.deployment_id);
      const state = requiredString(ctx.body, 'state', 'DeploymentStatus') as DeploymentState;
      if (!DEPLOYMENT_STATES.includes(state)) {
        throw validationFailed([
          { resource: 'DeploymentStatus', code: 'invalid', field: 'state', value: state },
        ]);
      }
      const environment = stringField(ctx.body, 'environment', 'DeploymentStatus');
      if (environment) {
        d.environment = environment;
        ensureEnvironment(ctx, repo, environment);
      }
      const now = ctx.now();
      const status: DeploymentStatusRecord = {
        id: nextId(ctx.world),
        state,
        creator: ctx.actor.login,
        description: (stringField(ctx.body, 'description', 'DeploymentStatus') ?? '').slice(0, 140),
        environment: d.environment,
        targetUrl: stringField(ctx.body, 'target_url', 'DeploymentStatus') ?? '',
        logUrl:
          stringField(ctx.body, 'log_url', 'DeploymentStatus') ??
          stringField(ctx.body, 'target_url', 'DeploymentStatus') ??
          '',
        environmentUrl: stringField(ctx.body, 'environment_url', 'DeploymentStatus') ?? '',
        createdAt: now,
        updatedAt: now,
      };
      d.statuses.push(status);
      d.updatedAt = now;
      ctx.emit('deployment_status', deploymentStatusPayload(ctx.world, repo, d, status, ctx.actor, ctx.urls));
      // auto_inactive (default true): earlier successful, non-transient, non-production deployments
      // to the same environment get an `inactive` status, as GitHub documents.
      if (state === 'success' && ctx.body.auto_inactive !== false) {
        for (const other of repo.deployments) {
          if (other === d || other.environment !== d.environment) continue;
          if (other.transientEnvironment || other.productionEnvironment || latestState(other) !== 'success')
            continue;
          const inactive: DeploymentStatusRecord = {
            ...status,
            id: nextId(ctx.world),
            state: 'inactive',
            description: '',
          };
          other.statuses.push(inactive);
          other.updatedAt = now;
        }
      }
      return {
        status: 201,
        body: deploymentStatusJson(ctx.world, repo, d, status, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/deployments/${d.id}/statuses/${status.id}`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    operationId: 'repos/get-all-environments',
    scope: 'metadata',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      return {
        status: 200,
        page: {
          items: repo.environments,
          render: (e: EnvironmentRecord) => environmentJson(ctx.world, repo, e, ctx.urls),
          wrap: (environments, total) => ({ total_count: total, environments }),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    operationId: 'repos/get-environment',
    scope: 'metadata',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const name = (ctx.params.environment_name ?? '').toLowerCase();
      const env = repo.environments.find((e) => e.name.toLowerCase() === name);
      if (!env) throw notFound();
      return { status: 200, body: environmentJson(ctx.world, repo, env, ctx.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
    operationId: 'checks/list-for-ref',
    scope: 'checks',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const sha = resolveOr422(repo, ctx.params.ref ?? '');
      const name = ctx.query.get('check_name');
      const status = ctx.query.get('status');
      const all = ctx.query.get('filter') === 'all';
      const runs = all
        ? repo.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id)
        : latestCheckRuns(repo, sha);
      const items = runs.filter((r) => (!name || r.name === name) && (!status || r.status === status));
      return {
        status: 200,
        page: {
          items,
          render: (r: CheckRunRecord) => checkRunJson(repo, r, ctx.urls),
          wrap: (checkRuns, total) => ({ total_count: total, check_runs: checkRuns }),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/status',
    operationId: 'repos/get-combined-status-for-ref',
    scope: 'statuses',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const sha = resolveOr422(repo, ctx.params.ref ?? '');
      const statuses = latestStatuses(repo, sha);
      const repoApi = `${ctx.urls.api}/repos/${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: {
          state: combinedState(statuses),
          statuses: statuses.map((s) => {
            const { creator: _creator, ...rest } = commitStatusJson(ctx.world, repo, s, ctx.urls);
            return rest;
          }),
          sha,
          total_count: statuses.length,
          repository: repoJson(ctx.world, repo, ctx.urls),
          commit_url: `${repoApi}/commits/${sha}`,
          url: `${repoApi}/commits/${sha}/status`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/statuses',
    operationId: 'repos/list-commit-statuses-for-ref',
    scope: 'statuses',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const sha = resolveOr422(repo, ctx.params.ref ?? '');
      const items = repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
      return {
        status: 200,
        page: { items, render: (s: CommitStatusRecord) => commitStatusJson(ctx.world, repo, s, ctx.urls) },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/statuses/{sha}',
    operationId: 'repos/create-commit-status',
    scope: 'statuses',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const sha = ctx.params.sha ?? '';
      if (!repo.commits[sha]) throw new ApiError(422, `No commit found for SHA: ${sha}`);
      const state = requiredString(ctx.body, 'state', 'Status') as CommitStatusRecord['state'];
      if (!['error', 'failure', 'pending', 'success'].includes(state)) {
        throw validationFailed([{ resource: 'Status', code: 'invalid', field: 'state', value: state }]);
      }
      const now = ctx.now();
      const status: CommitStatusRecord = {
        id: nextId(ctx.world),
        sha,
        state,
        context: stringField(ctx.body, 'context', 'Status') ?? 'default',
        description: stringField(ctx.body, 'description', 'Status') ?? null,
        targetUrl: stringField(ctx.body, 'target_url', 'Status') ?? null,
        creator: ctx.actor.login,
        createdAt: now,
        updatedAt: now,
      };
      repo.statuses.push(status);
      return { status: 201, body: commitStatusJson(ctx.world, repo, status, ctx.urls) };
    },
  },
]);
