/**
 * The payloads GitHub delivers to workflows (`GITHUB_EVENT_PATH`) and webhooks for the changes the
 * sandbox makes. Shapes follow @octokit/webhooks-schemas; the tests validate them with ajv.
 */
import type { Actor } from './access.ts';
import {
  commentJson,
  deploymentJson,
  deploymentStatusJson,
  issueJson,
  orgJson,
  repoJson,
  type Urls,
  userJson,
} from './representations.ts';
import type {
  CommentRecord,
  CommitRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  IssueRecord,
  RepoRecord,
  World,
} from './world.ts';

type Json = Record<string, unknown>;

export function webhookRepository(world: World, repo: RepoRecord, urls: Urls): Json {
  const json = repoJson(world, repo, urls);
  delete json.organization;
  delete json.network_count;
  delete json.subscribers_count;
  json.custom_properties = {};
  return json;
}

/** Webhook issues carry no `closed_by` (the REST representation does). */
function webhookIssue(world: World, repo: RepoRecord, issue: IssueRecord, urls: Urls): Json {
  const json = issueJson(world, repo, issue, urls);
  delete json.closed_by;
  return json;
}

function common(world: World, repo: RepoRecord, actor: string, urls: Urls): Json {
  const json: Json = {
    repository: webhookRepository(world, repo, urls),
    sender: userJson(world, actor, urls),
  };
  if (world.orgs[repo.owner]) json.organization = orgJson(world, repo.owner, urls);
  return json;
}

export interface Changes {
  title?: { from: string };
  body?: { from: string };
}

export function issuesPayload(
  world: World,
  repo: RepoRecord,
  issue: IssueRecord,
  action: string,
  actor: Actor,
  urls: Urls,
  extra: Json = {},
): Json {
  return {
    action,
    issue: webhookIssue(world, repo, issue, urls),
    ...extra,
    ...common(world, repo, actor.login, urls),
  };
}

export function issueCommentPayload(
  world: World,
  repo: RepoRecord,
  issue: IssueRecord,
  comment: CommentRecord,
  action: 'created' | 'edited' | 'deleted',
  actor: Actor,
  urls: Urls,
  changes?: Changes,
): Json {
  const json: Json = {
    action,
    issue: webhookIssue(world, repo, issue, urls),
    comment: commentJson(world, repo, comment, urls),
  };
  if (changes) json.changes = changes;
  return { ...json, ...common(world, repo, actor.login, urls) };
}

export interface RefChange {
  ref: string;
  before: string;
  after: string;
  forced: boolean;
  commits: CommitRecord[];
}

const ZERO_SHA = '0000000000000000000000000000000000000000';

export function pushPayload(
  world: World,
  repo: RepoRecord,
  change: RefChange,
  actor: Actor,
  urls: Urls,
): Json {
  const created = change.before === ZERO_SHA;
  const deleted = change.after === ZERO_SHA;
  const html = `${urls.html}/${repo.owner}/${repo.name}`;
  const commitJson = (c: CommitRecord) => ({
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: `${html}/commit/${c.sha}`,
    author: {
      name: c.author.name,
      email: c.author.email,
      ...(c.authorLogin ? { username: c.authorLogin } : {}),
    },
    committer: { name: c.committer.name, email: c.committer.email },
    added: [],
    removed: [],
    modified: [],
  });
  const head = deleted ? undefined : repo.commits[change.after];
  const user = world.users[actor.login];
  return {
    ref: change.ref,
    before: change.before,
    after: change.after,
    created,
    deleted,
    forced: change.forced,
    base_ref: null,
    compare:
      created || deleted
        ? html
        : `${html}/compare/${change.before.slice(0, 12)}...${change.after.slice(0, 12)}`,
    commits: change.commits.map(commitJson),
    head_commit: head ? commitJson(head) : null,
    pusher: { name: actor.login, email: user?.email ?? `${actor.login}@users.noreply.sandbox.test` },
    ...common(world, repo, actor.login, urls),
  };
}

export { ZERO_SHA };

export function createOrDeletePayload(
  world: World,
  repo: RepoRecord,
  ref: string,
  kind: 'create' | 'delete',
  actor: Actor,
  urls: Urls,
): Json {
  const short = ref.replace(/^refs\/(heads|tags)\//, '');
  const refType = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  const json: Json = { ref: short, ref_type: refType, pusher_type: 'user' };
  if (kind === 'create') {
    json.master_branch = repo.defaultBranch;
    json.description = repo.description;
  }
  return { ...json, ...common(world, repo, actor.login, urls) };
}

export function deploymentPayload(
  world: World,
  repo: RepoRecord,
  d: DeploymentRecord,
  actor: Actor,
  urls: Urls,
): Json {
  return {
    action: 'created',
    deployment: deploymentJson(world, repo, d, urls),
    workflow: null,
    workflow_run: null,
    ...common(world, repo, actor.login, urls),
  };
}

export function deploymentStatusPayload(
  world: World,
  repo: RepoRecord,
  d: DeploymentRecord,
  s: DeploymentStatusRecord,
  actor: Actor,
  urls: Urls,
): Json {
  return {
    action: 'created',
    deployment_status: deploymentStatusJson(world, repo, d, s, urls),
    deployment: deploymentJson(world, repo, d, urls),
    ...common(world, repo, actor.login, urls),
  };
}

export function workflowDispatchPayload(
  world: World,
  repo: RepoRecord,
  ref: string,
  inputs: Record<string, unknown> | null,
  workflowPath: string,
  actor: Actor,
  urls: Urls,
): Json {
  return {
    inputs,
    ref: ref.startsWith('refs/') ? ref : `refs/heads/${ref}`,
    workflow: workflowPath,
    ...common(world, repo, actor.login, urls),
  };
}
