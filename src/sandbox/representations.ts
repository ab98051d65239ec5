/**
 * The JSON GitHub answers with, built from the sandbox's records. Shapes follow GitHub's OpenAPI
 * description (the tests validate every response against it); URLs point back at the sandbox.
 */
import { commitsBetween, objectSha, objectType, peel } from './git-objects.ts';
import type {
  CheckRunRecord,
  CommentRecord,
  CommitRecord,
  CommitStatusRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  IssueRecord,
  LabelRecord,
  RepoRecord,
  TagObjectRecord,
  World,
} from './world.ts';

/** Where the sandbox is reached: `api` for REST URLs (with the GHES prefix when used), `html` for web URLs. */
export interface Urls {
  api: string;
  html: string;
}

type Json = Record<string, unknown>;

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

export function userJson(world: World, login: string, urls: Urls): Json {
  const user = world.users[login];
  const id = user?.id ?? 0;
  const api = `${urls.api}/users/${encodeURIComponent(login)}`;
  const json: Json = {
    login,
    id,
    node_id: nodeId(user?.type ?? 'User', id),
    avatar_url: `${urls.html}/avatars/${encodeURIComponent(login)}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.html}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user?.type ?? 'User',
    site_admin: false,
  };
  return json;
}

export function orgJson(world: World, org: string, urls: Urls): Json {
  const record = world.orgs[org];
  const api = `${urls.api}/orgs/${org}`;
  return {
    login: org,
    id: record?.id ?? 0,
    node_id: nodeId('Organization', record?.id ?? 0),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.html}/avatars/${org}`,
    description: record?.description ?? null,
  };
}

/** The repository, in the "full-repository" shape (a superset of "repository" and "minimal-repository"). */
export function repoJson(world: World, repo: RepoRecord, urls: Urls, permissions?: Json): Json {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  const host = new URL(urls.html).host;
  const openIssues = repo.issues.filter((i) => i.state === 'open').length;
  const json: Json = {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: full,
    owner: userJson(world, repo.owner, urls),
    private: repo.private,
    html_url: `${urls.html}/${full}`,
    description: repo.description,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${full}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${urls.html}/${full}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${urls.html}/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: Object.keys(repo.commits).length,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    network_count: 0,
    subscribers_count: 0,
  };
  if (permissions) json.permissions = permissions;
  if (world.orgs[repo.owner]) json.organization = userJson(world, repo.owner, urls);
  return json;
}

export function labelJson(repo: RepoRecord, label: LabelRecord, urls: Urls): Json {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

export function issueJson(world: World, repo: RepoRecord, issue: IssueRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/issues/${issue.number}`;
  const htmlKind = issue.pull ? 'pull' : 'issues';
  const labels = issue.labels
    .map((name) => repo.labels.find((l) => l.name === name))
    .filter((l): l is LabelRecord => l !== undefined)
    .map((l) => labelJson(repo, l, urls));
  const assignees = issue.assignees.map((login) => userJson(world, login, urls));
  const json: Json = {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PullRequest' : 'Issue', issue.id),
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${htmlKind}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(world, issue.user, urls),
    labels,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: issue.comments,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: issue.closedBy ? userJson(world, issue.closedBy, urls) : null,
    author_association: association(world, repo, issue.user),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    reactions: reactions(`${api}/reactions`),
  };
  if (issue.pull) {
    json.pull_request = {
      url: `${repoApi}/pulls/${issue.number}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}`,
      diff_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}.diff`,
      patch_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}.patch`,
      merged_at: issue.pull.mergedAt,
    };
    json.draft = issue.pull.draft;
  }
  return json;
}

function reactions(url: string): Json {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    confused: 0,
    heart: 0,
    hooray: 0,
    eyes: 0,
    rocket: 0,
  };
}

export function association(world: World, repo: RepoRecord, login: string): string {
  if (repo.owner === login) return 'OWNER';
  if (world.orgs[repo.owner]?.members[login]) return 'MEMBER';
  if (repo.collaborators[login]) return 'COLLABORATOR';
  return 'NONE';
}

export function commentJson(world: World, repo: RepoRecord, comment: CommentRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const issue = repo.issues.find((i) => i.number === comment.issueNumber);
  const htmlKind = issue?.pull ? 'pull' : 'issues';
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${repoApi}/issues/comments/${comment.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${htmlKind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(world, comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi}/issues/${comment.issueNumber}`,
    author_association: association(world, repo, comment.user),
    performed_via_github_app: null,
    reactions: reactions(`${repoApi}/issues/comments/${comment.id}/reactions`),
  };
}

export function pullJson(
  world: World,
  repo: RepoRecord,
  issue: IssueRecord,
  urls: Urls,
  full: boolean,
): Json {
  const pull = issue.pull!;
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}`;
  const api = `${repoApi}/pulls/${issue.number}`;
  const issueJsonValue = issueJson(world, repo, issue, urls);
  const repoValue = repoJson(world, repo, urls);
  const branch = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: userJson(world, repo.owner, urls),
    repo: repoValue,
  });
  const json: Json = {
    url: api,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi}/issues/${issue.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${issue.number}/comments`,
    statuses_url: `${repoApi}/statuses/${pull.head.sha}`,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: issueJsonValue.user,
    body: issue.body,
    labels: issueJsonValue.labels,
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: issueJsonValue.assignee,
    assignees: issueJsonValue.assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: branch(pull.head.ref, pull.head.sha),
    base: branch(pull.base.ref, pull.base.sha),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: `${repoApi}/issues/${issue.number}` },
      comments: { href: `${repoApi}/issues/${issue.number}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi}/statuses/${pull.head.sha}` },
    },
    author_association: issueJsonValue.author_association,
    auto_merge: null,
    draft: pull.draft,
  };
  if (full) {
    Object.assign(json, {
      merged: pull.merged,
      mergeable: pull.merged ? null : true,
      rebaseable: pull.merged ? null : true,
      mergeable_state: pull.merged ? 'unknown' : 'clean',
      merged_by: pull.mergedBy ? userJson(world, pull.mergedBy, urls) : null,
      comments: issue.comments,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: commitsBetween(repo, pull.base.sha, pull.head.sha).length,
      additions: 0,
      deletions: 0,
      changed_files: 0,
    });
  }
  return json;
}

function personJson(p: { name: string; email: string; date: string }): Json {
  return { name: p.name, email: p.email, date: p.date };
}

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

/** `GET /repos/{o}/{r}/commits/{ref}`: the "commit" shape. */
export function commitJson(world: World, repo: RepoRecord, commit: CommitRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/commit/${commit.sha}`;
  const login = commit.authorLogin;
  return {
    url: `${repoApi}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    html_url: html,
    comments_url: `${repoApi}/commits/${commit.sha}/comments`,
    commit: {
      url: `${repoApi}/git/commits/${commit.sha}`,
      author: personJson(commit.author),
      committer: personJson(commit.committer),
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${repoApi}/git/trees/${commit.tree}` },
      verification: UNSIGNED,
    },
    author: login && world.users[login] ? userJson(world, login, urls) : null,
    committer: login && world.users[login] ? userJson(world, login, urls) : null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi}/commits/${sha}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
    stats: { total: 0, additions: 0, deletions: 0 },
    files: (commit.files ?? []).map((file) => diffEntryJson(repo, commit.sha, file, urls)),
  };
}

/** One changed file (`diff-entry`); the sandbox knows paths, not contents, so every file is `modified`. */
export function diffEntryJson(repo: RepoRecord, sha: string, file: string, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}`;
  const path = file.split('/').map(encodeURIComponent).join('/');
  return {
    sha: objectSha('tree', `${sha}:${file}`),
    filename: file,
    status: 'modified',
    additions: 0,
    deletions: 0,
    changes: 0,
    blob_url: `${html}/blob/${sha}/${path}`,
    raw_url: `${html}/raw/${sha}/${path}`,
    contents_url: `${repoApi}/contents/${path}?ref=${sha}`,
  };
}

/** `git/commits/{sha}`: the "git-commit" shape. */
export function gitCommitJson(repo: RepoRecord, commit: CommitRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    url: `${repoApi}/git/commits/${commit.sha}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    author: personJson(commit.author),
    committer: personJson(commit.committer),
    tree: { sha: commit.tree, url: `${repoApi}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi}/git/commits/${sha}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
    verification: UNSIGNED,
  };
}

export function refJson(repo: RepoRecord, ref: string, sha: string, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const type = objectType(repo, sha);
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${repoApi}/git/${ref}`,
    object: { type, sha, url: `${repoApi}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` },
  };
}

export function tagObjectJson(repo: RepoRecord, tag: TagObjectRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    node_id: nodeId('Tag', tag.sha),
    tag: tag.tag,
    sha: tag.sha,
    url: `${repoApi}/git/tags/${tag.sha}`,
    message: tag.message,
    tagger: personJson(tag.tagger),
    object: {
      type: tag.object.type,
      sha: tag.object.sha,
      url: `${repoApi}/git/${tag.object.type === 'tag' ? 'tags' : 'commits'}/${tag.object.sha}`,
    },
    verification: UNSIGNED,
  };
}

export function deploymentJson(world: World, repo: RepoRecord, d: DeploymentRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${repoApi}/deployments/${d.id}`,
    id: d.id,
    node_id: nodeId('Deployment', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: userJson(world, d.creator, urls),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${repoApi}/deployments/${d.id}/statuses`,
    repository_url: repoApi,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function deploymentStatusJson(
  world: World,
  repo: RepoRecord,
  d: DeploymentRecord,
  s: DeploymentStatusRecord,
  urls: Urls,
): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${repoApi}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DeploymentStatus', s.id),
    state: s.state,
    creator: userJson(world, s.creator, urls),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    deployment_url: `${repoApi}/deployments/${d.id}`,
    repository_url: repoApi,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}

export function environmentJson(world: World, repo: RepoRecord, env: EnvironmentRecord, urls: Urls): Json {
  const protectionRules: Json[] = [];
  if (env.reviewers.length > 0) {
    protectionRules.push({
      id: env.id * 10 + 1,
      node_id: nodeId('ProtectionRule', env.id * 10 + 1),
      prevent_self_review: false,
      type: 'required_reviewers',
      reviewers: env.reviewers.map((r) => ({
        type: r.type,
        reviewer:
          r.type === 'User' ? userJson(world, r.name, urls) : teamJson(world, repo.owner, r.name, urls),
      })),
    });
  }
  if (env.waitTimer > 0) {
    protectionRules.push({
      id: env.id * 10 + 2,
      node_id: nodeId('ProtectionRule', env.id * 10 + 2),
      type: 'wait_timer',
      wait_timer: env.waitTimer,
    });
  }
  return {
    id: env.id,
    node_id: nodeId('Environment', env.id),
    name: env.name,
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
    protection_rules: protectionRules,
    deployment_branch_policy: null,
  };
}

export function teamJson(world: World, org: string, slug: string, urls: Urls): Json {
  const team = world.teams[`${org}/${slug}`];
  const id = team?.id ?? 0;
  const api = `${urls.api}/orgs/${org}/teams/${slug}`;
  return {
    id,
    node_id: nodeId('Team', id),
    url: api,
    html_url: `${urls.html}/orgs/${org}/teams/${slug}`,
    name: team?.name ?? slug,
    slug,
    description: team?.description ?? null,
    privacy: team?.privacy ?? 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    type: 'organization',
    organization_id: world.orgs[org]?.id ?? 0,
    parent: null,
  };
}

export function checkRunJson(repo: RepoRecord, run: CheckRunRecord, urls: Urls): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: '',
    url: `${repoApi}/check-runs/${run.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.title,
      summary: run.summary,
      text: null,
      annotations_count: 0,
      annotations_url: `${repoApi}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 1 },
    app: null,
    pull_requests: [],
  };
}

export function commitStatusJson(world: World, repo: RepoRecord, s: CommitStatusRecord, urls: Urls): Json {
  return {
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/statuses/${s.sha}`,
    avatar_url: `${urls.html}/avatars/${encodeURIComponent(s.creator)}`,
    id: s.id,
    node_id: nodeId('StatusContext', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: userJson(world, s.creator, urls),
  };
}

/** The latest status per context for a commit, newest first, as GitHub combines them. */
export function latestStatuses(repo: RepoRecord, sha: string): CommitStatusRecord[] {
  const latest = new Map<string, CommitStatusRecord>();
  for (const s of repo.statuses) {
    if (s.sha !== sha) continue;
    const current = latest.get(s.context);
    if (!current || current.id < s.id) latest.set(s.context, s);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

export function combinedState(statuses: CommitStatusRecord[]): 'failure' | 'pending' | 'success' {
  if (statuses.some((s) => s.state === 'failure' || s.state === 'error')) return 'failure';
  if (statuses.length === 0 || statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export { peel };
