import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);

// src/sandbox/api-error.ts
var DOCUMENTATION_URL = "https://docs.github.com/rest";
var ApiError = class extends Error {
  status;
  errors;
  headers;
  constructor(status, message, errors, headers = {}) {
    super(message);
    this.status = status;
    this.errors = errors;
    this.headers = headers;
  }
  body() {
    const body = { message: this.message, documentation_url: DOCUMENTATION_URL };
    if (this.errors) body.errors = this.errors;
    body.status = String(this.status);
    return body;
  }
};
var notFound = () => new ApiError(404, "Not Found");
var forbiddenIntegration = () => new ApiError(403, "Resource not accessible by integration");
function validationFailed(errors) {
  return new ApiError(422, "Validation Failed", errors);
}
function missingField(resource, field) {
  return validationFailed([{ resource, code: "missing_field", field }]);
}
var MAX_BODY_LENGTH = 65536;
function checkBodyLength(resource, body) {
  if (typeof body === "string" && body.length > MAX_BODY_LENGTH) {
    throw validationFailed([
      {
        resource,
        code: "custom",
        field: "body",
        message: `body is too long (maximum is ${MAX_BODY_LENGTH} characters)`
      }
    ]);
  }
}

// src/sandbox/access.ts
var RANK = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
function roleAtLeast(role, minimum) {
  return role !== void 0 && RANK[role] >= RANK[minimum];
}
function repoRole(world, repo, login) {
  let best = repo.collaborators[login];
  for (const [slug, role] of Object.entries(repo.teams)) {
    const member = world.teams[`${repo.owner}/${slug}`]?.members[login];
    if (member?.state === "active" && !roleAtLeast(best, role)) best = role;
  }
  if (world.orgs[repo.owner]?.members[login] === "admin") best = "admin";
  if (repo.owner === login) best = "admin";
  return best;
}
function defaultMinimumRole(scope, access) {
  if (access === "read") return "read";
  if (scope === "issues" || scope === "pull_requests") return "triage";
  if (scope === "environments" || scope === "members") return "admin";
  return "write";
}
function authorize(world, repo, actor, scope, access, minimumRole) {
  if (actor.record.kind === "installation") {
    const granted = scope === "metadata" ? "read" : actor.record.permissions?.[scope];
    if (!granted) throw forbiddenIntegration();
    if (access === "write" && (granted !== "write" || actor.record.readOnly)) throw forbiddenIntegration();
    return;
  }
  const role = repoRole(world, repo, actor.login);
  if (!role && repo.private) throw notFound();
  const effective = role ?? "read";
  if (!roleAtLeast(effective, minimumRole ?? defaultMinimumRole(scope, access))) throw forbiddenIntegration();
  if (actor.record.readOnly && access === "write") throw forbiddenIntegration();
}
function hasRole(world, repo, actor, minimum) {
  if (actor.record.kind === "installation") return !actor.record.readOnly;
  return roleAtLeast(repoRole(world, repo, actor.login), minimum);
}
function requireOwnOrRole(world, repo, actor, author, minimum) {
  if (actor.record.readOnly) throw forbiddenIntegration();
  if (actor.login === author || hasRole(world, repo, actor, minimum)) return;
  throw new ApiError(403, "Resource not accessible by integration");
}

// src/sandbox/git-objects.ts
import { createHash } from "node:crypto";
function objectSha(kind, content) {
  const body = Buffer.from(content, "utf8");
  return createHash("sha1").update(`${kind} ${body.length}\0`).update(body).digest("hex");
}
function makeCommit(input) {
  const committer = input.committer ?? input.author;
  const tree = input.tree ?? objectSha("tree", `${input.message}
${input.parents.join(",")}`);
  const content = [
    `tree ${tree}`,
    ...input.parents.map((p) => `parent ${p}`),
    `author ${input.author.name} <${input.author.email}> ${input.author.date}`,
    `committer ${committer.name} <${committer.email}> ${committer.date}`,
    "",
    input.message
  ].join("\n");
  const commit = {
    sha: objectSha("commit", content),
    tree,
    message: input.message,
    parents: [...input.parents],
    author: input.author,
    committer
  };
  if (input.authorLogin) commit.authorLogin = input.authorLogin;
  return commit;
}
function isAncestor(repo, ancestor, descendant) {
  const seen = /* @__PURE__ */ new Set();
  const queue = [descendant];
  while (queue.length > 0) {
    const sha = queue.pop();
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    const commit = repo.commits[sha];
    if (commit) queue.push(...commit.parents);
  }
  return false;
}
function commitsBetween(repo, base, head) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  const queue = [head];
  while (queue.length > 0) {
    const sha = queue.shift();
    if (seen.has(sha) || isAncestor(repo, sha, base)) continue;
    seen.add(sha);
    const commit = repo.commits[sha];
    if (!commit) continue;
    out.push(commit);
    queue.push(...commit.parents);
  }
  return out;
}
function resolveCommitish(repo, ref) {
  const candidates = ref.startsWith("refs/") ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`];
  for (const name of candidates) {
    const sha = repo.refs[name];
    if (sha) return peel(repo, sha);
  }
  if (/^[0-9a-f]{4,40}$/.test(ref)) {
    if (repo.commits[ref]) return ref;
    const matches = Object.keys(repo.commits).filter((sha) => sha.startsWith(ref));
    if (matches.length === 1) return matches[0];
  }
  return void 0;
}
function peel(repo, sha) {
  let current = sha;
  for (let depth = 0; depth < 10; depth += 1) {
    const tag = repo.tagObjects[current];
    if (!tag) return current;
    current = tag.object.sha;
  }
  return current;
}
function objectType(repo, sha) {
  return repo.tagObjects[sha] ? "tag" : "commit";
}

// src/sandbox/representations.ts
function nodeId(kind, id) {
  return Buffer.from(`${kind}:${id}`).toString("base64url");
}
function userJson(world, login, urls) {
  const user = world.users[login];
  const id = user?.id ?? 0;
  const api = `${urls.api}/users/${encodeURIComponent(login)}`;
  const json = {
    login,
    id,
    node_id: nodeId(user?.type ?? "User", id),
    avatar_url: `${urls.html}/avatars/${encodeURIComponent(login)}`,
    gravatar_id: "",
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
    type: user?.type ?? "User",
    site_admin: false
  };
  return json;
}
function orgJson(world, org, urls) {
  const record = world.orgs[org];
  const api = `${urls.api}/orgs/${org}`;
  return {
    login: org,
    id: record?.id ?? 0,
    node_id: nodeId("Organization", record?.id ?? 0),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.html}/avatars/${org}`,
    description: record?.description ?? null
  };
}
function repoJson(world, repo, urls, permissions) {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  const host = new URL(urls.html).host;
  const openIssues = repo.issues.filter((i) => i.state === "open").length;
  const json = {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
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
    language: "TypeScript",
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
    visibility: repo.private ? "private" : "public",
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
    subscribers_count: 0
  };
  if (permissions) json.permissions = permissions;
  if (world.orgs[repo.owner]) json.organization = userJson(world, repo.owner, urls);
  return json;
}
function labelJson(repo, label, urls) {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description
  };
}
function issueJson(world, repo, issue, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/issues/${issue.number}`;
  const htmlKind = issue.pull ? "pull" : "issues";
  const labels = issue.labels.map((name) => repo.labels.find((l) => l.name === name)).filter((l) => l !== void 0).map((l) => labelJson(repo, l, urls));
  const assignees = issue.assignees.map((login) => userJson(world, login, urls));
  const json = {
    id: issue.id,
    node_id: nodeId(issue.pull ? "PullRequest" : "Issue", issue.id),
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
    reactions: reactions(`${api}/reactions`)
  };
  if (issue.pull) {
    json.pull_request = {
      url: `${repoApi}/pulls/${issue.number}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}`,
      diff_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}.diff`,
      patch_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}.patch`,
      merged_at: issue.pull.mergedAt
    };
    json.draft = issue.pull.draft;
  }
  return json;
}
function reactions(url) {
  return {
    url,
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    confused: 0,
    heart: 0,
    hooray: 0,
    eyes: 0,
    rocket: 0
  };
}
function association(world, repo, login) {
  if (repo.owner === login) return "OWNER";
  if (world.orgs[repo.owner]?.members[login]) return "MEMBER";
  if (repo.collaborators[login]) return "COLLABORATOR";
  return "NONE";
}
function commentJson(world, repo, comment, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const issue = repo.issues.find((i) => i.number === comment.issueNumber);
  const htmlKind = issue?.pull ? "pull" : "issues";
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${repoApi}/issues/comments/${comment.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${htmlKind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(world, comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi}/issues/${comment.issueNumber}`,
    author_association: association(world, repo, comment.user),
    performed_via_github_app: null,
    reactions: reactions(`${repoApi}/issues/comments/${comment.id}/reactions`)
  };
}
function pullJson(world, repo, issue, urls, full) {
  const pull = issue.pull;
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}`;
  const api = `${repoApi}/pulls/${issue.number}`;
  const issueJsonValue = issueJson(world, repo, issue, urls);
  const repoValue = repoJson(world, repo, urls);
  const branch = (ref, sha) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: userJson(world, repo.owner, urls),
    repo: repoValue
  });
  const json = {
    url: api,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
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
      statuses: { href: `${repoApi}/statuses/${pull.head.sha}` }
    },
    author_association: issueJsonValue.author_association,
    auto_merge: null,
    draft: pull.draft
  };
  if (full) {
    Object.assign(json, {
      merged: pull.merged,
      mergeable: pull.merged ? null : true,
      rebaseable: pull.merged ? null : true,
      mergeable_state: pull.merged ? "unknown" : "clean",
      merged_by: pull.mergedBy ? userJson(world, pull.mergedBy, urls) : null,
      comments: issue.comments,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: commitsBetween(repo, pull.base.sha, pull.head.sha).length,
      additions: 0,
      deletions: 0,
      changed_files: 0
    });
  }
  return json;
}
function personJson(p) {
  return { name: p.name, email: p.email, date: p.date };
}
var UNSIGNED = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
function commitJson(world, repo, commit, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/commit/${commit.sha}`;
  const login = commit.authorLogin;
  return {
    url: `${repoApi}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    html_url: html,
    comments_url: `${repoApi}/commits/${commit.sha}/comments`,
    commit: {
      url: `${repoApi}/git/commits/${commit.sha}`,
      author: personJson(commit.author),
      committer: personJson(commit.committer),
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${repoApi}/git/trees/${commit.tree}` },
      verification: UNSIGNED
    },
    author: login && world.users[login] ? userJson(world, login, urls) : null,
    committer: login && world.users[login] ? userJson(world, login, urls) : null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi}/commits/${sha}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${sha}`
    })),
    stats: { total: 0, additions: 0, deletions: 0 },
    files: (commit.files ?? []).map((file) => diffEntryJson(repo, commit.sha, file, urls))
  };
}
function diffEntryJson(repo, sha, file, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}`;
  const path = file.split("/").map(encodeURIComponent).join("/");
  return {
    sha: objectSha("tree", `${sha}:${file}`),
    filename: file,
    status: "modified",
    additions: 0,
    deletions: 0,
    changes: 0,
    blob_url: `${html}/blob/${sha}/${path}`,
    raw_url: `${html}/raw/${sha}/${path}`,
    contents_url: `${repoApi}/contents/${path}?ref=${sha}`
  };
}
function gitCommitJson(repo, commit, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${repoApi}/git/commits/${commit.sha}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    author: personJson(commit.author),
    committer: personJson(commit.committer),
    tree: { sha: commit.tree, url: `${repoApi}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi}/git/commits/${sha}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${sha}`
    })),
    verification: UNSIGNED
  };
}
function refJson(repo, ref, sha, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const type = objectType(repo, sha);
  return {
    ref,
    node_id: nodeId("Ref", `${repo.id}:${ref}`),
    url: `${repoApi}/git/${ref}`,
    object: { type, sha, url: `${repoApi}/git/${type === "tag" ? "tags" : "commits"}/${sha}` }
  };
}
function tagObjectJson(repo, tag, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    node_id: nodeId("Tag", tag.sha),
    tag: tag.tag,
    sha: tag.sha,
    url: `${repoApi}/git/tags/${tag.sha}`,
    message: tag.message,
    tagger: personJson(tag.tagger),
    object: {
      type: tag.object.type,
      sha: tag.object.sha,
      url: `${repoApi}/git/${tag.object.type === "tag" ? "tags" : "commits"}/${tag.object.sha}`
    },
    verification: UNSIGNED
  };
}
function deploymentJson(world, repo, d, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${repoApi}/deployments/${d.id}`,
    id: d.id,
    node_id: nodeId("Deployment", d.id),
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
    performed_via_github_app: null
  };
}
function deploymentStatusJson(world, repo, d, s, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${repoApi}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId("DeploymentStatus", s.id),
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
    performed_via_github_app: null
  };
}
function environmentJson(world, repo, env, urls) {
  const protectionRules = [];
  if (env.reviewers.length > 0) {
    protectionRules.push({
      id: env.id * 10 + 1,
      node_id: nodeId("ProtectionRule", env.id * 10 + 1),
      prevent_self_review: false,
      type: "required_reviewers",
      reviewers: env.reviewers.map((r) => ({
        type: r.type,
        reviewer: r.type === "User" ? userJson(world, r.name, urls) : teamJson(world, repo.owner, r.name, urls)
      }))
    });
  }
  if (env.waitTimer > 0) {
    protectionRules.push({
      id: env.id * 10 + 2,
      node_id: nodeId("ProtectionRule", env.id * 10 + 2),
      type: "wait_timer",
      wait_timer: env.waitTimer
    });
  }
  return {
    id: env.id,
    node_id: nodeId("Environment", env.id),
    name: env.name,
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
    protection_rules: protectionRules,
    deployment_branch_policy: null
  };
}
function teamJson(world, org, slug, urls) {
  const team = world.teams[`${org}/${slug}`];
  const id = team?.id ?? 0;
  const api = `${urls.api}/orgs/${org}/teams/${slug}`;
  return {
    id,
    node_id: nodeId("Team", id),
    url: api,
    html_url: `${urls.html}/orgs/${org}/teams/${slug}`,
    name: team?.name ?? slug,
    slug,
    description: team?.description ?? null,
    privacy: team?.privacy ?? "closed",
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    type: "organization",
    organization_id: world.orgs[org]?.id ?? 0,
    parent: null
  };
}
function checkRunJson(repo, run, urls) {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: "",
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
      annotations_url: `${repoApi}/check-runs/${run.id}/annotations`
    },
    name: run.name,
    check_suite: { id: run.id + 1 },
    app: null,
    pull_requests: []
  };
}
function commitStatusJson(world, repo, s, urls) {
  return {
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/statuses/${s.sha}`,
    avatar_url: `${urls.html}/avatars/${encodeURIComponent(s.creator)}`,
    id: s.id,
    node_id: nodeId("StatusContext", s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: userJson(world, s.creator, urls)
  };
}
function latestStatuses(repo, sha) {
  const latest = /* @__PURE__ */ new Map();
  for (const s of repo.statuses) {
    if (s.sha !== sha) continue;
    const current = latest.get(s.context);
    if (!current || current.id < s.id) latest.set(s.context, s);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}
function combinedState(statuses) {
  if (statuses.some((s) => s.state === "failure" || s.state === "error")) return "failure";
  if (statuses.length === 0 || statuses.some((s) => s.state === "pending")) return "pending";
  return "success";
}

export {
  ApiError,
  notFound,
  validationFailed,
  missingField,
  checkBodyLength,
  repoRole,
  authorize,
  hasRole,
  requireOwnOrRole,
  objectSha,
  makeCommit,
  isAncestor,
  commitsBetween,
  resolveCommitish,
  peel,
  nodeId,
  userJson,
  orgJson,
  repoJson,
  labelJson,
  issueJson,
  association,
  commentJson,
  pullJson,
  commitJson,
  diffEntryJson,
  gitCommitJson,
  refJson,
  tagObjectJson,
  deploymentJson,
  deploymentStatusJson,
  environmentJson,
  teamJson,
  checkRunJson,
  commitStatusJson,
  latestStatuses,
  combinedState
};
