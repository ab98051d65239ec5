#!/usr/bin/env node
import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  ApiError,
  authorize,
  checkBodyLength,
  checkRunJson,
  combinedState,
  commentJson,
  commitJson,
  commitStatusJson,
  commitsBetween,
  deploymentJson,
  deploymentStatusJson,
  diffEntryJson,
  environmentJson,
  gitCommitJson,
  hasRole,
  isAncestor,
  issueJson,
  labelJson,
  latestStatuses,
  makeCommit,
  missingField,
  notFound,
  objectSha,
  orgJson,
  peel,
  pullJson,
  refJson,
  repoJson,
  repoRole,
  requireOwnOrRole,
  resolveCommitish,
  tagObjectJson,
  teamJson,
  userJson,
  validationFailed
} from "./shared/chunk-ISAXMVKB.js";
import {
  ActionsLogger,
  ConfigSchema,
  ConfigurationError,
  ConsoleLogger,
  DEFAULT_CONFIG_PATH,
  PHASES,
  SANDBOX_TIMING,
  SecretScrubber,
  annotateProblems,
  buildChecklist,
  createOctokit,
  errorMessage,
  external_exports,
  formatProblem,
  identifiedItems,
  loadConfig,
  openRelease,
  runPhases,
  systemClock
} from "./shared/chunk-GK5CPNCB.js";
import "./shared/chunk-7Y44UYOT.js";

// src/cli/commands/plan.ts
import { parseArgs } from "node:util";

// src/report/plan.ts
function renderPlan(checklist) {
  const lines = [];
  lines.push(`# Release plan: ${escapeMarkdown(checklist.release)} \u2192 ${checklist.environment}`, "");
  const where = checklist.url ? ` at ${checklist.url}` : "";
  const production = checklist.production ? ", a production environment," : "";
  const count = (contingent) => checklist.phases.filter((phase) => phase.contingent === contingent).flatMap((phase) => phase.sections.flatMap((section) => section.items));
  const release = count(false);
  const required = release.filter((item) => item.required).length;
  const rollback = count(true).length;
  lines.push(
    `Environment **${checklist.environment}**${production}${where}: ${release.length} items, ${required} of them required before the release is done${rollback > 0 ? `; ${rollback} more if a rollback is triggered` : ""}.`,
    ""
  );
  checklist.phases.forEach((phase, index) => {
    lines.push(`## ${index + 1}. ${phase.title}`, "");
    if (phase.summary) lines.push(`_${escapeMarkdown(phase.summary)}_`, "");
    for (const note of phase.notes) lines.push(`- ${escapeMarkdown(note)}`);
    if (phase.notes.length > 0) lines.push("");
    for (const section of phase.sections) {
      lines.push(`### ${escapeMarkdown(section.title)}`, "");
      for (const item of section.items) lines.push(renderItem(checklist, item));
      lines.push("");
    }
  });
  return `${lines.join("\n").trimEnd()}
`;
}
function renderItem(checklist, item) {
  const parts = [];
  parts.push(`- [ ] ${escapeMarkdown(item.text)}`);
  const facts = [`\`${item.id}\``];
  if (item.kind === "manual") facts.push("manual");
  if (item.kind === "gate") facts.push("waits for approval");
  if (!item.required) facts.push("optional");
  if (item.owner) facts.push(owner(checklist, item.owner, item.kind === "signoff"));
  if (item.condition) facts.push(escapeMarkdown(item.condition));
  if (item.detail) facts.push(escapeMarkdown(item.detail));
  return `${parts.join("")} \u2014 ${facts.join(" \xB7 ")}`;
}
function owner(checklist, id, signoff) {
  if (id.startsWith("@")) return `owner ${id}`;
  const role = checklist.roles[id];
  if (!role) return `owner ${id}`;
  const who = role.mentions.length > 0 ? ` (${role.mentions.join(", ")})` : "";
  return signoff ? `by ${role.mentions.join(", ") || role.title}` : `owner ${role.title}${who}`;
}
function escapeMarkdown(text) {
  return text.replace(/<(?=[A-Za-z/!])/g, "&lt;");
}

// src/cli/commands/plan.ts
var usage = "shipgate plan [--config PATH] [--environment NAME] [--version X] [--changed PATH]...";
var planCommand = {
  summary: "Print the checklist a release to an environment would follow, as Markdown",
  usage,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          config: { type: "string", short: "c" },
          environment: { type: "string", short: "e" },
          version: { type: "string" },
          changed: { type: "string", multiple: true }
        },
        strict: true
      }));
    } catch (error) {
      io.stderr.write(`shipgate plan: ${errorMessage(error)}
usage: ${usage}
`);
      return 2;
    }
    const file = values.config ?? DEFAULT_CONFIG_PATH;
    const { config } = await loadConfig(file, io.cwd ? { cwd: io.cwd } : {});
    const environments = Object.keys(config.environments);
    const environment = values.environment ?? (environments.length === 1 ? environments[0] : void 0);
    if (environment === void 0) {
      io.stderr.write(
        `shipgate plan: ${file} has several environments (${environments.join(", ")}); choose one with --environment NAME
`
      );
      return 2;
    }
    const checklist = buildChecklist(config, environment, {
      ...values.changed && { changedPaths: values.changed },
      ...values.version !== void 0 && { version: values.version }
    });
    io.stdout.write(renderPlan(checklist));
    return 0;
  }
};

// src/cli/commands/rehearse.ts
import { resolve } from "node:path";
import { parseArgs as parseArgs2 } from "node:util";

// src/sandbox/control-client.ts
var SandboxControl = class {
  base;
  fetcher;
  /** `url` is the sandbox's origin (`http://127.0.0.1:PORT`). */
  constructor(url, fetcher = fetch) {
    this.base = `${url.replace(/\/$/, "")}/_sandbox`;
    this.fetcher = fetcher;
  }
  async call(method, path, body) {
    const init = { method };
    if (body !== void 0) {
      init.body = JSON.stringify(body);
      init.headers = { "content-type": "application/json" };
    }
    const res = await this.fetcher(`${this.base}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : void 0;
  }
  info() {
    return this.call("GET", "/");
  }
  state() {
    return this.call("GET", "/state");
  }
  /** Replaces the whole state; also clears the request log and faults. */
  async seed(world) {
    await this.call("PUT", "/state", world);
  }
  /** Back to the documented default world. */
  async reset() {
    await this.call("POST", "/reset");
  }
  requests(filter = {}) {
    return this.call("GET", `/requests${query(filter)}`);
  }
  /** Calls per operationId since the log was last cleared. */
  counts() {
    return this.call("GET", "/requests/counts");
  }
  async clearRequests() {
    await this.call("DELETE", "/requests");
  }
  events(filter = {}) {
    return this.call("GET", `/events${query(filter)}`);
  }
  async clearEvents() {
    await this.call("DELETE", "/events");
  }
  fault(spec) {
    return this.call("POST", "/faults", spec);
  }
  faults() {
    return this.call("GET", "/faults");
  }
  async clearFaults() {
    await this.call("DELETE", "/faults");
  }
  setToken(token, record) {
    return this.call("PUT", `/tokens/${encodeURIComponent(token)}`, record);
  }
  setRateLimit(token, change) {
    return this.call("PUT", `/rate-limits/${encodeURIComponent(token)}`, change);
  }
  /** Adds a commit; with `branch` the branch moves to it (a push). Parents default to the branch tip. */
  addCommit(repo, commit) {
    return this.call("POST", `/repos/${repo}/commits`, commit);
  }
  addCheckRun(repo, run) {
    return this.call("POST", `/repos/${repo}/check-runs`, run);
  }
  addStatus(repo, status2) {
    return this.call("POST", `/repos/${repo}/statuses`, status2);
  }
  addPullRequest(repo, pull) {
    return this.call("POST", `/repos/${repo}/pulls`, pull);
  }
  addWorkflowRun(repo, run) {
    return this.call("POST", `/repos/${repo}/actions/runs`, run);
  }
};
function query(filter) {
  const entries = Object.entries(filter).filter(([, v]) => v !== void 0 && v !== "");
  if (entries.length === 0) return "";
  return `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

// src/sandbox/server.ts
import { createHash, randomUUID } from "node:crypto";
import {
  createServer as createHttpServer
} from "node:http";

// src/sandbox/default-world.ts
var DEFAULT_WORLD = {
  org: "acme",
  repo: "acme/webshop",
  owner: "acme",
  name: "webshop",
  defaultBranch: "main",
  users: {
    admin: "ada",
    maintain: "max",
    write: "wes",
    triage: "tia",
    read: "rae",
    outsider: "oscar",
    actions: "github-actions[bot]"
  },
  tokens: {
    admin: "ghp_sandbox_ada_admin",
    maintain: "ghp_sandbox_max_maintain",
    write: "ghp_sandbox_wes_write",
    triage: "ghp_sandbox_tia_triage",
    read: "ghp_sandbox_rae_read",
    outsider: "ghp_sandbox_oscar_none",
    actions: "ghs_sandbox_actions",
    forkPr: "ghs_sandbox_fork_pr"
  },
  teams: { qa: "qa", sre: "sre" },
  tags: ["v1.0.0", "v1.1.0"],
  featureBranch: "feature/faster-checkout",
  pulls: { merged: 1, open: 2 },
  issues: { bug: 3 },
  workflows: { release: "release.yml", rollback: "rollback.yml" },
  workflowRunAwaitingApproval: 100,
  environments: ["staging", "production"]
};
var GITHUB_TOKEN_PERMISSIONS = {
  actions: "write",
  checks: "write",
  contents: "write",
  deployments: "write",
  environments: "read",
  issues: "write",
  members: "read",
  metadata: "read",
  pull_requests: "write",
  statuses: "write"
};
function person(login, date) {
  return { name: login === "ada" ? "Ada Admin" : login, email: `${login}@acme.test`, date };
}
function createDefaultWorld() {
  const world = {
    version: 1,
    nextId: 1e3,
    users: {},
    tokens: {},
    orgs: {},
    teams: {},
    repos: {},
    events: []
  };
  const id = () => world.nextId++;
  const addUser = (login, type = "User", name) => {
    const user = { id: id(), login, type };
    if (name) user.name = name;
    world.users[login] = user;
  };
  addUser("acme", "Organization", "Acme Inc.");
  addUser("ada", "User", "Ada Admin");
  addUser("max", "User", "Max Maintainer");
  addUser("wes", "User", "Wes Writer");
  addUser("tia", "User", "Tia Triager");
  addUser("rae", "User", "Rae Reader");
  addUser("oscar", "User", "Oscar Outsider");
  addUser("github-actions[bot]", "Bot");
  const t = DEFAULT_WORLD.tokens;
  world.tokens[t.admin] = { login: "ada", kind: "user" };
  world.tokens[t.maintain] = { login: "max", kind: "user" };
  world.tokens[t.write] = { login: "wes", kind: "user" };
  world.tokens[t.triage] = { login: "tia", kind: "user" };
  world.tokens[t.read] = { login: "rae", kind: "user" };
  world.tokens[t.outsider] = { login: "oscar", kind: "user" };
  world.tokens[t.actions] = {
    login: "github-actions[bot]",
    kind: "installation",
    permissions: GITHUB_TOKEN_PERMISSIONS
  };
  world.tokens[t.forkPr] = {
    login: "github-actions[bot]",
    kind: "installation",
    permissions: GITHUB_TOKEN_PERMISSIONS,
    readOnly: true
  };
  world.orgs.acme = {
    id: world.users.acme.id,
    login: "acme",
    description: "The sandbox organisation",
    members: { ada: "admin", max: "member", wes: "member", tia: "member", rae: "member" }
  };
  world.teams["acme/qa"] = {
    id: id(),
    org: "acme",
    slug: "qa",
    name: "QA",
    description: "Quality assurance; signs off releases",
    privacy: "closed",
    members: {
      tia: { role: "maintainer", state: "active" },
      rae: { role: "member", state: "active" },
      oscar: { role: "member", state: "pending" }
    }
  };
  world.teams["acme/sre"] = {
    id: id(),
    org: "acme",
    slug: "sre",
    name: "SRE",
    description: "Site reliability; approves production deployments",
    privacy: "closed",
    members: {
      ada: { role: "maintainer", state: "active" },
      max: { role: "member", state: "active" },
      wes: { role: "member", state: "active" }
    }
  };
  const created = "2026-01-05T09:00:00Z";
  const commits = [];
  const commit = (message, parents, login, date) => {
    const c = makeCommit({ message, parents, author: person(login, date), authorLogin: login });
    commits.push(c);
    return c;
  };
  const c1 = commit("Initial commit", [], "ada", "2026-01-05T09:00:00Z");
  const c2 = commit("Add product catalogue", [c1.sha], "wes", "2026-01-12T10:00:00Z");
  const c3 = commit("Release 1.0.0", [c2.sha], "max", "2026-01-19T11:00:00Z");
  const c4 = commit("Add payments (#1)", [c3.sha], "wes", "2026-02-02T12:00:00Z");
  const c5 = commit("Release 1.1.0", [c4.sha], "max", "2026-02-09T13:00:00Z");
  const c6 = commit("Make checkout faster", [c5.sha], "wes", "2026-02-16T14:00:00Z");
  const paymentsHead = commit("Accept card payments", [c3.sha], "wes", "2026-01-26T12:00:00Z");
  const tagDate = "2026-02-09T13:05:00Z";
  const tagContent = `object ${c5.sha}
type commit
tag v1.1.0
tagger Max <max@acme.test> ${tagDate}

Release 1.1.0`;
  const tagSha = objectSha("tag", tagContent);
  const collaborators = {
    ada: "admin",
    max: "maintain",
    wes: "write",
    tia: "triage",
    rae: "read"
  };
  const labelId = () => id();
  const repoId = id();
  const prMergedId = id();
  const prOpenId = id();
  world.repos["acme/webshop"] = {
    id: repoId,
    owner: "acme",
    name: "webshop",
    private: true,
    description: "The shop the sandbox deploys",
    defaultBranch: "main",
    createdAt: created,
    updatedAt: "2026-02-16T14:00:00Z",
    pushedAt: "2026-02-16T14:00:00Z",
    collaborators,
    teams: {},
    labels: [
      { id: labelId(), name: "bug", color: "d73a4a", description: "Something isn't working", default: true },
      {
        id: labelId(),
        name: "documentation",
        color: "0075ca",
        description: "Improvements to docs",
        default: true
      },
      {
        id: labelId(),
        name: "enhancement",
        color: "a2eeef",
        description: "New feature or request",
        default: true
      }
    ],
    issues: [
      {
        id: id(),
        number: 1,
        title: "Add payments",
        body: "Card payments through the payment provider.",
        user: "wes",
        state: "closed",
        stateReason: null,
        labels: ["enhancement"],
        assignees: [],
        locked: false,
        comments: 0,
        createdAt: "2026-01-26T12:00:00Z",
        updatedAt: "2026-02-02T12:00:00Z",
        closedAt: "2026-02-02T12:00:00Z",
        closedBy: "max",
        pull: {
          id: prMergedId,
          head: { ref: "feature/payments", sha: paymentsHead.sha },
          base: { ref: "main", sha: c3.sha },
          draft: false,
          merged: true,
          mergedAt: "2026-02-02T12:00:00Z",
          mergedBy: "max",
          mergeCommitSha: c4.sha
        }
      },
      {
        id: id(),
        number: 2,
        title: "Make checkout faster",
        body: "Caches the basket between steps.",
        user: "wes",
        state: "open",
        stateReason: null,
        labels: [],
        assignees: [],
        locked: false,
        comments: 0,
        createdAt: "2026-02-16T14:00:00Z",
        updatedAt: "2026-02-16T14:00:00Z",
        closedAt: null,
        closedBy: null,
        pull: {
          id: prOpenId,
          head: { ref: "feature/faster-checkout", sha: c6.sha },
          base: { ref: "main", sha: c5.sha },
          draft: false,
          merged: false,
          mergedAt: null,
          mergedBy: null,
          mergeCommitSha: null
        }
      },
      {
        id: id(),
        number: 3,
        title: "Checkout is slow on mobile",
        body: "Takes 4 seconds on a phone.",
        user: "rae",
        state: "open",
        stateReason: null,
        labels: ["bug"],
        assignees: [],
        locked: false,
        comments: 0,
        createdAt: "2026-02-10T08:00:00Z",
        updatedAt: "2026-02-10T08:00:00Z",
        closedAt: null,
        closedBy: null
      }
    ],
    comments: [],
    commits: Object.fromEntries(commits.map((c) => [c.sha, c])),
    tagObjects: {
      [tagSha]: {
        sha: tagSha,
        tag: "v1.1.0",
        message: "Release 1.1.0",
        tagger: { name: "Max", email: "max@acme.test", date: tagDate },
        object: { sha: c5.sha, type: "commit" }
      }
    },
    refs: {
      "refs/heads/main": c5.sha,
      "refs/heads/feature/faster-checkout": c6.sha,
      "refs/tags/v1.0.0": c3.sha,
      "refs/tags/v1.1.0": tagSha
    },
    deployments: [],
    environments: [
      { id: id(), name: "staging", createdAt: created, updatedAt: created, reviewers: [], waitTimer: 0 },
      {
        id: id(),
        name: "production",
        createdAt: created,
        updatedAt: created,
        reviewers: [{ type: "Team", name: "sre" }],
        waitTimer: 0
      }
    ],
    checkRuns: [],
    statuses: [],
    workflows: [
      { id: id(), name: "Release", path: ".github/workflows/release.yml" },
      { id: id(), name: "Rollback", path: ".github/workflows/rollback.yml" }
    ],
    workflowRuns: []
  };
  const repo = world.repos["acme/webshop"];
  const firstDeploy = id();
  const secondDeploy = id();
  repo.deployments.push(
    {
      id: firstDeploy,
      sha: c3.sha,
      ref: "v1.0.0",
      task: "deploy",
      environment: "production",
      originalEnvironment: "production",
      description: "Release 1.0.0",
      payload: {},
      creator: "github-actions[bot]",
      transientEnvironment: false,
      productionEnvironment: true,
      createdAt: "2026-01-19T12:00:00Z",
      updatedAt: "2026-02-09T14:00:00Z",
      statuses: [
        status(id(), "success", "2026-01-19T12:10:00Z"),
        status(id(), "inactive", "2026-02-09T14:10:00Z")
      ]
    },
    {
      id: secondDeploy,
      sha: c5.sha,
      ref: "v1.1.0",
      task: "deploy",
      environment: "production",
      originalEnvironment: "production",
      description: "Release 1.1.0",
      payload: {},
      creator: "github-actions[bot]",
      transientEnvironment: false,
      productionEnvironment: true,
      createdAt: "2026-02-09T14:00:00Z",
      updatedAt: "2026-02-09T14:10:00Z",
      statuses: [status(id(), "success", "2026-02-09T14:10:00Z")]
    }
  );
  for (const name of ["build", "test"]) {
    repo.checkRuns.push({
      id: id(),
      headSha: c5.sha,
      name,
      status: "completed",
      conclusion: "success",
      startedAt: "2026-02-09T13:01:00Z",
      completedAt: "2026-02-09T13:04:00Z",
      detailsUrl: null,
      title: null,
      summary: null
    });
  }
  repo.statuses.push({
    id: id(),
    sha: c5.sha,
    state: "success",
    context: "ci/lint",
    description: "Lint passed",
    targetUrl: null,
    creator: "github-actions[bot]",
    createdAt: "2026-02-09T13:02:00Z",
    updatedAt: "2026-02-09T13:02:00Z"
  });
  repo.workflowRuns.push({
    id: DEFAULT_WORLD.workflowRunAwaitingApproval,
    workflowId: repo.workflows[0].id,
    headSha: c5.sha,
    approvals: [{ environments: ["production"], state: "approved", user: "ada", comment: "Ship it" }]
  });
  return world;
}
function status(id, state, at) {
  return {
    id,
    state,
    creator: "github-actions[bot]",
    description: "",
    environment: "production",
    targetUrl: "",
    logUrl: "",
    environmentUrl: "https://shop.acme.test",
    createdAt: at,
    updatedAt: at
  };
}

// src/sandbox/webhook-payloads.ts
function webhookRepository(world, repo, urls) {
  const json = repoJson(world, repo, urls);
  delete json.organization;
  delete json.network_count;
  delete json.subscribers_count;
  json.custom_properties = {};
  return json;
}
function webhookIssue(world, repo, issue, urls) {
  const json = issueJson(world, repo, issue, urls);
  delete json.closed_by;
  return json;
}
function common(world, repo, actor, urls) {
  const json = {
    repository: webhookRepository(world, repo, urls),
    sender: userJson(world, actor, urls)
  };
  if (world.orgs[repo.owner]) json.organization = orgJson(world, repo.owner, urls);
  return json;
}
function issuesPayload(world, repo, issue, action, actor, urls, extra = {}) {
  return {
    action,
    issue: webhookIssue(world, repo, issue, urls),
    ...extra,
    ...common(world, repo, actor.login, urls)
  };
}
function issueCommentPayload(world, repo, issue, comment, action, actor, urls, changes) {
  const json = {
    action,
    issue: webhookIssue(world, repo, issue, urls),
    comment: commentJson(world, repo, comment, urls)
  };
  if (changes) json.changes = changes;
  return { ...json, ...common(world, repo, actor.login, urls) };
}
var ZERO_SHA = "0000000000000000000000000000000000000000";
function pushPayload(world, repo, change, actor, urls) {
  const created = change.before === ZERO_SHA;
  const deleted = change.after === ZERO_SHA;
  const html = `${urls.html}/${repo.owner}/${repo.name}`;
  const commitJson2 = (c) => ({
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: `${html}/commit/${c.sha}`,
    author: {
      name: c.author.name,
      email: c.author.email,
      ...c.authorLogin ? { username: c.authorLogin } : {}
    },
    committer: { name: c.committer.name, email: c.committer.email },
    added: [],
    removed: [],
    modified: []
  });
  const head = deleted ? void 0 : repo.commits[change.after];
  const user = world.users[actor.login];
  return {
    ref: change.ref,
    before: change.before,
    after: change.after,
    created,
    deleted,
    forced: change.forced,
    base_ref: null,
    compare: created || deleted ? html : `${html}/compare/${change.before.slice(0, 12)}...${change.after.slice(0, 12)}`,
    commits: change.commits.map(commitJson2),
    head_commit: head ? commitJson2(head) : null,
    pusher: { name: actor.login, email: user?.email ?? `${actor.login}@users.noreply.sandbox.test` },
    ...common(world, repo, actor.login, urls)
  };
}
function createOrDeletePayload(world, repo, ref, kind, actor, urls) {
  const short = ref.replace(/^refs\/(heads|tags)\//, "");
  const refType = ref.startsWith("refs/tags/") ? "tag" : "branch";
  const json = { ref: short, ref_type: refType, pusher_type: "user" };
  if (kind === "create") {
    json.master_branch = repo.defaultBranch;
    json.description = repo.description;
  }
  return { ...json, ...common(world, repo, actor.login, urls) };
}
function deploymentPayload(world, repo, d, actor, urls) {
  return {
    action: "created",
    deployment: deploymentJson(world, repo, d, urls),
    workflow: null,
    workflow_run: null,
    ...common(world, repo, actor.login, urls)
  };
}
function deploymentStatusPayload(world, repo, d, s, actor, urls) {
  return {
    action: "created",
    deployment_status: deploymentStatusJson(world, repo, d, s, urls),
    deployment: deploymentJson(world, repo, d, urls),
    ...common(world, repo, actor.login, urls)
  };
}
function workflowDispatchPayload(world, repo, ref, inputs, workflowPath, actor, urls) {
  return {
    inputs,
    ref: ref.startsWith("refs/") ? ref : `refs/heads/${ref}`,
    workflow: workflowPath,
    ...common(world, repo, actor.login, urls)
  };
}

// src/sandbox/control-api.ts
var ControlError = class extends Error {
  status;
  constructor(status2, message) {
    super(message);
    this.status = status2;
  }
};
var ControlApi = class {
  sandbox;
  table;
  constructor(sandbox) {
    this.sandbox = sandbox;
    const repoPath = "/_sandbox/repos/([^/]+)/([^/]+)";
    this.table = [
      ["GET", /^\/_sandbox\/?$/, () => ({ body: this.info() })],
      ["GET", /^\/_sandbox\/state$/, () => ({ body: this.sandbox.world })],
      ["PUT", /^\/_sandbox\/state$/, ({ body }) => this.seed(body)],
      ["POST", /^\/_sandbox\/reset$/, () => this.seed(createDefaultWorld())],
      ["GET", /^\/_sandbox\/requests$/, ({ query: query2 }) => ({ body: this.requests(query2) })],
      ["GET", /^\/_sandbox\/requests\/counts$/, () => ({ body: this.sandbox.log.counts() })],
      [
        "DELETE",
        /^\/_sandbox\/requests$/,
        () => {
          this.sandbox.log.clear();
          return { status: 204 };
        }
      ],
      ["GET", /^\/_sandbox\/events$/, ({ query: query2 }) => ({ body: this.events(query2) })],
      ["DELETE", /^\/_sandbox\/events$/, () => this.clearEvents()],
      ["GET", /^\/_sandbox\/faults$/, () => ({ body: this.sandbox.faults.list() })],
      ["POST", /^\/_sandbox\/faults$/, ({ body }) => this.addFault(body)],
      [
        "DELETE",
        /^\/_sandbox\/faults$/,
        () => {
          this.sandbox.faults.clear();
          return { status: 204 };
        }
      ],
      ["PUT", /^\/_sandbox\/tokens\/([^/]+)$/, ({ params, body }) => this.putToken(params[0], body)],
      ["PUT", /^\/_sandbox\/rate-limits\/([^/]+)$/, ({ params, body }) => this.setRate(params[0], body)],
      ["POST", new RegExp(`^${repoPath}/commits$`), ({ params, body }) => this.addCommit(params, body)],
      ["POST", new RegExp(`^${repoPath}/check-runs$`), ({ params, body }) => this.addCheckRun(params, body)],
      ["POST", new RegExp(`^${repoPath}/statuses$`), ({ params, body }) => this.addStatus(params, body)],
      ["POST", new RegExp(`^${repoPath}/pulls$`), ({ params, body }) => this.addPull(params, body)],
      ["POST", new RegExp(`^${repoPath}/actions/runs$`), ({ params, body }) => this.addRun(params, body)]
    ];
  }
  async handle(req, res, path, url, raw) {
    const method = (req.method ?? "GET").toUpperCase();
    let status2;
    let body;
    try {
      const entry = this.table.find(([m, re]) => m === method && re.test(path));
      if (!entry) throw new ControlError(404, `no control operation ${method} ${path}`);
      const params = (entry[1].exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      let parsed = {};
      if (raw.trim() !== "") {
        try {
          parsed = JSON.parse(raw);
        } catch {
          throw new ControlError(400, "body is not JSON");
        }
      }
      const reply = entry[2]({ params, query: url.searchParams, body: parsed });
      status2 = reply.status ?? 200;
      body = reply.body;
      if (method !== "GET") this.sandbox.persist();
    } catch (error) {
      status2 = error instanceof ControlError ? error.status : 400;
      body = { message: error instanceof Error ? error.message : String(error) };
    }
    const text = body === void 0 ? "" : JSON.stringify(body);
    res.writeHead(status2, text ? { "content-type": "application/json; charset=utf-8" } : {});
    res.end(text || void 0);
  }
  info() {
    return {
      url: this.sandbox.url,
      apiUrl: this.sandbox.url,
      ghesApiUrl: `${this.sandbox.url}/api/v3`,
      tokens: this.sandbox.tokens(),
      operations: this.sandbox.routes.map((r) => ({
        method: r.method,
        path: r.path,
        operationId: r.operationId
      }))
    };
  }
  seed(body) {
    const world = body;
    if (world.version !== 1 || typeof world.repos !== "object" || typeof world.tokens !== "object") {
      throw new ControlError(422, "state must be a sandbox world (version 1)");
    }
    this.sandbox.replaceWorld(structuredClone(world));
    this.sandbox.log.clear();
    this.sandbox.faults.clear();
    return { status: 200, body: { ok: true } };
  }
  requests(query2) {
    const filter = {};
    const op = query2.get("operationId") ?? query2.get("operation");
    if (op) filter.operationId = op;
    const method = query2.get("method");
    if (method) filter.method = method;
    const user = query2.get("user");
    if (user) filter.user = user;
    return this.sandbox.log.list(filter);
  }
  events(query2) {
    const name = query2.get("name");
    const action = query2.get("action");
    const after = Number(query2.get("after") ?? 0);
    return this.sandbox.world.events.filter(
      (e) => (!name || e.name === name) && (!action || e.action === action) && e.id > after
    );
  }
  clearEvents() {
    this.sandbox.world.events = [];
    return { status: 204 };
  }
  addFault(body) {
    return { status: 201, body: this.sandbox.faults.add(body) };
  }
  putToken(token, body) {
    const record = body;
    if (typeof record.login !== "string" || !this.sandbox.world.users[record.login]) {
      throw new ControlError(422, "token needs the login of a known user");
    }
    this.sandbox.world.tokens[token] = { ...record, kind: record.kind ?? "user" };
    return { status: 200, body: this.sandbox.world.tokens[token] };
  }
  setRate(token, body) {
    const record = this.sandbox.world.tokens[token];
    if (!record) throw new ControlError(404, "unknown token");
    const change = {};
    if (typeof body.limit === "number") change.limit = body.limit;
    if (typeof body.remaining === "number") change.remaining = body.remaining;
    if (typeof body.resetInSeconds === "number") change.resetInSeconds = body.resetInSeconds;
    return { body: this.sandbox.limiter.set(token, this.sandbox.rateLimitFor(record), change) };
  }
  repo(params) {
    const repo = this.sandbox.world.repos[`${params[0]}/${params[1]}`];
    if (!repo) throw new ControlError(404, `no repository ${params[0]}/${params[1]}`);
    return repo;
  }
  /** Adds a commit (parents default to the branch tip) and, with `branch`, moves the branch and records the push. */
  addCommit(params, body) {
    const repo = this.repo(params);
    const branch = typeof body.branch === "string" ? body.branch : void 0;
    const branchRef = branch ? `refs/heads/${branch}` : void 0;
    let parents = Array.isArray(body.parents) ? body.parents : void 0;
    if (!parents) {
      const tip = branchRef ? repo.refs[branchRef] : repo.refs[`refs/heads/${repo.defaultBranch}`];
      parents = tip ? [tip] : [];
    }
    for (const p of parents) if (!repo.commits[p]) throw new ControlError(422, `unknown parent ${p}`);
    const login = typeof body.author === "string" ? body.author : "ada";
    const person2 = {
      name: this.sandbox.world.users[login]?.name ?? login,
      email: `${login}@acme.test`,
      date: typeof body.date === "string" ? body.date : this.sandbox.now()
    };
    const commit = makeCommit({
      message: typeof body.message === "string" ? body.message : "Sandbox commit",
      parents,
      author: person2,
      authorLogin: login
    });
    if (Array.isArray(body.files)) commit.files = body.files.map(String);
    repo.commits[commit.sha] = commit;
    if (branchRef) {
      const before = repo.refs[branchRef] ?? "0000000000000000000000000000000000000000";
      repo.refs[branchRef] = commit.sha;
      repo.pushedAt = this.sandbox.now();
      const urls = { api: this.sandbox.url, html: this.sandbox.url };
      const token = Object.entries(this.sandbox.world.tokens).find(([, t]) => t.login === login)?.[0] ?? "";
      const actor = { login, token, record: { login, kind: "user" } };
      const event = {
        id: this.sandbox.world.nextId++,
        name: "push",
        repo: `${repo.owner}/${repo.name}`,
        deliveredAt: this.sandbox.now(),
        payload: pushPayload(
          this.sandbox.world,
          repo,
          { ref: branchRef, before, after: commit.sha, forced: false, commits: [commit] },
          actor,
          urls
        )
      };
      this.sandbox.world.events.push(event);
    }
    return { status: 201, body: commit };
  }
  sha(repo, body) {
    const ref = typeof body.head_sha === "string" ? body.head_sha : typeof body.ref === "string" ? body.ref : repo.defaultBranch;
    const sha = resolveCommitish(repo, ref);
    if (!sha) throw new ControlError(422, `unknown ref ${ref}`);
    return sha;
  }
  addCheckRun(params, body) {
    const repo = this.repo(params);
    const now = this.sandbox.now();
    const status2 = body.status ?? "completed";
    const run = {
      id: this.sandbox.world.nextId++,
      headSha: this.sha(repo, body),
      name: typeof body.name === "string" ? body.name : "check",
      status: status2,
      conclusion: status2 === "completed" ? body.conclusion ?? "success" : null,
      startedAt: now,
      completedAt: status2 === "completed" ? now : null,
      detailsUrl: typeof body.details_url === "string" ? body.details_url : null,
      title: typeof body.title === "string" ? body.title : null,
      summary: typeof body.summary === "string" ? body.summary : null
    };
    repo.checkRuns.push(run);
    return { status: 201, body: run };
  }
  addStatus(params, body) {
    const repo = this.repo(params);
    const now = this.sandbox.now();
    const status2 = {
      id: this.sandbox.world.nextId++,
      sha: this.sha(repo, body),
      state: body.state ?? "success",
      context: typeof body.context === "string" ? body.context : "default",
      description: typeof body.description === "string" ? body.description : null,
      targetUrl: null,
      creator: "github-actions[bot]",
      createdAt: now,
      updatedAt: now
    };
    repo.statuses.push(status2);
    return { status: 201, body: status2 };
  }
  addPull(params, body) {
    const repo = this.repo(params);
    const head = typeof body.head === "string" ? body.head : "";
    const base = typeof body.base === "string" ? body.base : repo.defaultBranch;
    const headSha = repo.refs[`refs/heads/${head}`];
    const baseSha = repo.refs[`refs/heads/${base}`];
    if (!headSha || !baseSha) throw new ControlError(422, "head and base must be existing branches");
    const now = this.sandbox.now();
    const issue = {
      id: this.sandbox.world.nextId++,
      number: repo.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
      title: typeof body.title === "string" ? body.title : head,
      body: typeof body.body === "string" ? body.body : null,
      user: typeof body.user === "string" ? body.user : "wes",
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      locked: false,
      comments: 0,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      pull: {
        id: this.sandbox.world.nextId++,
        head: { ref: head, sha: headSha },
        base: { ref: base, sha: baseSha },
        draft: body.draft === true,
        merged: false,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null
      }
    };
    repo.issues.push(issue);
    return { status: 201, body: issue };
  }
  addRun(params, body) {
    const repo = this.repo(params);
    const id = typeof body.id === "number" ? body.id : this.sandbox.world.nextId++;
    const workflow = repo.workflows.find(
      (w) => w.path.endsWith(`/${typeof body.workflow === "string" ? body.workflow : "release.yml"}`)
    ) ?? repo.workflows[0];
    const run = {
      id,
      workflowId: workflow?.id ?? 0,
      headSha: this.sha(repo, body),
      approvals: Array.isArray(body.approvals) ? body.approvals : []
    };
    repo.workflowRuns = repo.workflowRuns.filter((r) => r.id !== id);
    repo.workflowRuns.push(run);
    return { status: 201, body: run };
  }
};

// src/sandbox/faults.ts
var FAULT_KINDS = [
  "status",
  "delay",
  "drop",
  "drop-after-write",
  "secondary-rate-limit"
];
var FaultPlan = class {
  faults = [];
  nextId = 1;
  add(spec) {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new Error(`unknown fault kind '${String(spec.kind)}'; known kinds: ${FAULT_KINDS.join(", ")}`);
    }
    if (!spec.operationId && !spec.route) throw new Error("a fault needs an operationId or a route");
    const fault = { ...spec, id: this.nextId++, remaining: spec.count ?? 1, triggered: 0 };
    this.faults.push(fault);
    return fault;
  }
  /** Takes the first fault matching this request, counting it down. */
  take(method, operationId, route) {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (!f.method || f.method.toUpperCase() === method) && (!f.operationId || f.operationId === operationId) && (!f.route || f.route === route)
    );
    if (!fault) return void 0;
    fault.remaining -= 1;
    fault.triggered += 1;
    return fault;
  }
  list() {
    return this.faults.map((f) => ({ ...f }));
  }
  clear() {
    this.faults = [];
  }
};

// src/sandbox/pagination.ts
function paginate(all, requestUrl) {
  const perPageRaw = Number.parseInt(requestUrl.searchParams.get("per_page") ?? "", 10);
  const perPage = Number.isFinite(perPageRaw) && perPageRaw > 0 ? Math.min(perPageRaw, 100) : 30;
  const pageRaw = Number.parseInt(requestUrl.searchParams.get("page") ?? "", 10);
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  if (last === 1 && page === 1) return { items };
  const at = (n) => {
    const url = new URL(requestUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return url.toString();
  };
  const rels = [];
  if (page > 1) rels.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) rels.push(`<${at(page + 1)}>; rel="next"`);
  if (page < last) rels.push(`<${at(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${at(1)}>; rel="first"`);
  return rels.length > 0 ? { items, link: rels.join(", ") } : { items };
}

// src/sandbox/persistence.ts
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
function loadWorld(path) {
  if (!existsSync(path)) return void 0;
  const parsed = JSON.parse(readFileSync(path, "utf8"));
  if (parsed.version !== 1 || typeof parsed.repos !== "object") {
    throw new Error(`${path}: not a sandbox state file (expected version 1)`);
  }
  return parsed;
}
function saveWorld(path, world) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(world)}
`);
  renameSync(temp, path);
}

// src/sandbox/rate-limit.ts
var WINDOW_SECONDS = 3600;
var RateLimiter = class {
  budgets = /* @__PURE__ */ new Map();
  clock;
  constructor(clock) {
    this.clock = clock;
  }
  budget(token, limit) {
    const nowSeconds = Math.floor(this.clock() / 1e3);
    let budget = this.budgets.get(token);
    if (!budget || budget.reset <= nowSeconds) {
      budget = { limit: budget?.limit ?? limit, used: 0, reset: nowSeconds + WINDOW_SECONDS };
      this.budgets.set(token, budget);
    }
    return budget;
  }
  snapshot(token, limit) {
    const b = this.budget(token, limit);
    return { ...b, remaining: Math.max(0, b.limit - b.used), resource: "core" };
  }
  charge(token, limit) {
    this.budget(token, limit).used += 1;
    return this.snapshot(token, limit);
  }
  /** Control API: set a token's limit and/or what is left of it (to test exhaustion quickly). */
  set(token, limit, change) {
    const b = this.budget(token, change.limit ?? limit);
    if (change.limit !== void 0) b.limit = change.limit;
    if (change.remaining !== void 0) b.used = Math.max(0, b.limit - change.remaining);
    if (change.resetInSeconds !== void 0)
      b.reset = Math.floor(this.clock() / 1e3) + change.resetInSeconds;
    return this.snapshot(token, limit);
  }
  clear() {
    this.budgets.clear();
  }
};
function rateLimitHeaders(s) {
  return {
    "x-ratelimit-limit": String(s.limit),
    "x-ratelimit-remaining": String(s.remaining),
    "x-ratelimit-used": String(s.used),
    "x-ratelimit-reset": String(s.reset),
    "x-ratelimit-resource": s.resource
  };
}

// src/sandbox/request-log.ts
var MAX_ENTRIES = 2e4;
var RequestLog = class {
  entries = [];
  seq = 0;
  record(entry) {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }
  list(filter = {}) {
    return this.entries.filter(
      (e) => (!filter.operationId || e.operationId === filter.operationId) && (!filter.method || e.method === filter.method.toUpperCase()) && (!filter.user || e.user === filter.user)
    );
  }
  /** Calls per operationId. */
  counts() {
    const counts = {};
    for (const e of this.entries) counts[e.operationId] = (counts[e.operationId] ?? 0) + 1;
    return counts;
  }
  clear() {
    this.entries = [];
  }
};

// src/sandbox/router.ts
var Router = class {
  compiled;
  constructor(routes) {
    const ordered = [...routes].sort((a, b) => Number(a.greedy ?? false) - Number(b.greedy ?? false));
    this.compiled = ordered.map((route) => {
      const names = [];
      const parts = route.path.split(/(\{[^}]+\})/).filter(Boolean);
      const source = parts.map((part, index) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        names.push(name);
        return route.greedy && index === parts.length - 1 ? "(.+)" : "([^/]+)";
      }).join("");
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
  }
  match(method, path) {
    for (const { route, regex, names } of this.compiled) {
      if (route.method !== method) continue;
      const m = regex.exec(path);
      if (!m) continue;
      const params = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route, params };
    }
    return void 0;
  }
};

// src/sandbox/route.ts
function defineRoutes(routes) {
  return routes;
}
function stringField(body, field, resource) {
  const value = body[field];
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "string") {
    throw invalidField(resource, field, value);
  }
  return value;
}
function requiredString(body, field, resource) {
  const value = stringField(body, field, resource);
  if (value === void 0 || value === "") {
    throw missing(resource, field);
  }
  return value;
}
function stringArray(body, field, resource) {
  const value = body[field];
  if (value === void 0 || value === null) return void 0;
  if (!Array.isArray(value)) throw invalidField(resource, field, value);
  return value.map(
    (item) => typeof item === "string" ? item : String(item.name ?? item)
  );
}
function invalidField(resource, field, value) {
  return validationFailed([{ resource, code: "invalid", field, value }]);
}
function missing(resource, field) {
  return missingField(resource, field);
}

// src/sandbox/routes/actions.ts
var actionsRoutes = defineRoutes([
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/actions/runs/{run_id}/approvals",
    operationId: "actions/get-reviews-for-run",
    scope: "actions",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const run = repo.workflowRuns.find((r) => String(r.id) === ctx.params.run_id);
      if (!run) throw notFound();
      const envFor = (name) => repo.environments.find((e) => e.name === name) ?? {
        id: 0,
        name,
        createdAt: repo.createdAt,
        updatedAt: repo.createdAt,
        reviewers: [],
        waitTimer: 0
      };
      const body = run.approvals.map((a) => {
        const environments = a.environments.map((name) => {
          const env = environmentJson(ctx.world, repo, envFor(name), ctx.urls);
          delete env.protection_rules;
          delete env.deployment_branch_policy;
          return env;
        });
        return {
          environments,
          state: a.state,
          user: userJson(ctx.world, a.user, ctx.urls),
          comment: a.comment
        };
      });
      return { status: 200, body };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    operationId: "actions/create-workflow-dispatch",
    scope: "actions",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const id = ctx.params.workflow_id ?? "";
      const workflow = repo.workflows.find((w) => String(w.id) === id || w.path.endsWith(`/${id}`));
      if (!workflow) throw notFound();
      const ref = requiredString(ctx.body, "ref", "Workflow");
      if (!resolveCommitish(repo, ref)) throw new ApiError(422, `No ref found for: ${ref}`);
      const inputs = ctx.body.inputs;
      if (inputs !== void 0 && (typeof inputs !== "object" || inputs === null || Array.isArray(inputs))) {
        throw new ApiError(422, "Invalid request.\n\nFor 'properties/inputs', is not an object.");
      }
      ctx.emit(
        "workflow_dispatch",
        workflowDispatchPayload(
          ctx.world,
          repo,
          ref,
          inputs ?? null,
          workflow.path,
          ctx.actor,
          ctx.urls
        )
      );
      return { status: 204 };
    }
  }
]);

// src/sandbox/world.ts
function nextId(world) {
  const id = world.nextId;
  world.nextId += 1;
  return id;
}

// src/sandbox/routes/git.ts
var unprocessable = (message) => new ApiError(422, message);
function objectExists(repo, sha) {
  return repo.commits[sha] !== void 0 || repo.tagObjects[sha] !== void 0;
}
function moveRef(ctx, repo, ref, after, forced) {
  const before = repo.refs[ref] ?? ZERO_SHA;
  if (after === ZERO_SHA) delete repo.refs[ref];
  else repo.refs[ref] = after;
  repo.pushedAt = ctx.now();
  const commits = after === ZERO_SHA || ref.startsWith("refs/tags/") ? [] : commitsBetween(
    repo,
    before === ZERO_SHA ? ZERO_SHA : peel(repo, before),
    peel(repo, after)
  ).reverse();
  ctx.emit(
    "push",
    pushPayload(ctx.world, repo, { ref, before, after, forced, commits }, ctx.actor, ctx.urls)
  );
  if (before === ZERO_SHA)
    ctx.emit("create", createOrDeletePayload(ctx.world, repo, ref, "create", ctx.actor, ctx.urls));
  if (after === ZERO_SHA)
    ctx.emit("delete", createOrDeletePayload(ctx.world, repo, ref, "delete", ctx.actor, ctx.urls));
}
function gitPerson(value, fallback) {
  if (!value || typeof value !== "object") return fallback;
  const v = value;
  return {
    name: typeof v.name === "string" ? v.name : fallback.name,
    email: typeof v.email === "string" ? v.email : fallback.email,
    date: typeof v.date === "string" ? v.date : fallback.date
  };
}
function actorPerson(ctx) {
  const user = ctx.world.users[ctx.actor.login];
  return {
    name: user?.name ?? ctx.actor.login,
    email: user?.email ?? `${ctx.actor.login}@users.noreply.sandbox.test`,
    date: ctx.now()
  };
}
var gitRoutes = defineRoutes([
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/compare/{base}...{head}",
    operationId: "repos/compare-commits",
    scope: "contents",
    access: "read",
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo;
      const baseRef = ctx.params.base ?? "";
      const headRef = ctx.params.head ?? "";
      const basehead = `${baseRef}...${headRef}`;
      const base = resolveCommitish(repo, baseRef);
      const head = resolveCommitish(repo, headRef);
      if (!base || !head) throw notFound();
      const ahead = commitsBetween(repo, base, head).reverse();
      const behind = commitsBetween(repo, head, base);
      const mergeBase = ahead.length === 0 ? head : [...ahead[0].parents].find((p) => isAncestor(repo, p, base)) ?? base;
      const files = [...new Set(ahead.flatMap((commit) => commit.files ?? []))].sort();
      const status2 = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
      const html = `${ctx.urls.html}/${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: {
          url: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/compare/${basehead}`,
          html_url: `${html}/compare/${basehead}`,
          permalink_url: `${html}/compare/${base}...${head}`,
          diff_url: `${html}/compare/${basehead}.diff`,
          patch_url: `${html}/compare/${basehead}.patch`,
          base_commit: commitJson(ctx.world, repo, repo.commits[base], ctx.urls),
          merge_base_commit: commitJson(ctx.world, repo, repo.commits[mergeBase], ctx.urls),
          status: status2,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: ahead.map((commit) => commitJson(ctx.world, repo, commit, ctx.urls)),
          files: files.map((file) => diffEntryJson(repo, head, file, ctx.urls))
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits",
    operationId: "repos/list-commits",
    scope: "contents",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const start = resolveCommitish(repo, ctx.query.get("sha") ?? repo.defaultBranch);
      if (!start) throw notFound();
      const items = commitsBetween(repo, ZERO_SHA, start).sort(
        (a, b) => b.committer.date.localeCompare(a.committer.date)
      );
      return {
        status: 200,
        page: { items, render: (c) => commitJson(ctx.world, repo, c, ctx.urls) }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}",
    operationId: "repos/get-commit",
    scope: "contents",
    access: "read",
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo;
      const ref = ctx.params.ref ?? "";
      const sha = resolveCommitish(repo, ref);
      if (!sha || !repo.commits[sha]) throw unprocessable(`No commit found for SHA: ${ref}`);
      return { status: 200, body: commitJson(ctx.world, repo, repo.commits[sha], ctx.urls) };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/git/commits",
    operationId: "git/create-commit",
    scope: "contents",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const message = requiredString(ctx.body, "message", "Commit");
      const tree = requiredString(ctx.body, "tree", "Commit");
      if (!/^[0-9a-f]{40}$/.test(tree)) throw unprocessable("Tree SHA does not exist");
      const parents = stringArray(ctx.body, "parents", "Commit") ?? [];
      for (const parent of parents) {
        if (!repo.commits[parent]) throw unprocessable("Parent SHA does not exist or is not a commit object");
      }
      const author = gitPerson(ctx.body.author, actorPerson(ctx));
      const commit = makeCommit({
        message,
        tree,
        parents,
        author,
        committer: gitPerson(ctx.body.committer, author),
        authorLogin: ctx.actor.login
      });
      repo.commits[commit.sha] = commit;
      return {
        status: 201,
        body: gitCommitJson(repo, commit, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/commits/${commit.sha}` }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
    operationId: "git/get-commit",
    scope: "contents",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const commit = repo.commits[ctx.params.commit_sha ?? ""];
      if (!commit) throw notFound();
      return { status: 200, body: gitCommitJson(repo, commit, ctx.urls) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/git/matching-refs/{ref}",
    operationId: "git/list-matching-refs",
    scope: "contents",
    access: "read",
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo;
      const prefix = `refs/${ctx.params.ref ?? ""}`;
      const refs = Object.keys(repo.refs).filter((r) => r.startsWith(prefix)).sort().map((r) => refJson(repo, r, repo.refs[r], ctx.urls));
      return { status: 200, body: refs };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/git/ref/{ref}",
    operationId: "git/get-ref",
    scope: "contents",
    access: "read",
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo;
      const ref = `refs/${ctx.params.ref ?? ""}`;
      const sha = repo.refs[ref];
      if (!sha) throw notFound();
      return { status: 200, body: refJson(repo, ref, sha, ctx.urls) };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/git/refs",
    operationId: "git/create-ref",
    scope: "contents",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const ref = requiredString(ctx.body, "ref", "Reference");
      const sha = requiredString(ctx.body, "sha", "Reference");
      if (!/^refs\/[^/]+\/.+/.test(ref) || ref.endsWith("/") || ref.includes("..")) {
        throw unprocessable(`Reference name is invalid: ${ref}`);
      }
      if (!objectExists(repo, sha)) throw unprocessable("Object does not exist");
      if (repo.refs[ref]) throw unprocessable("Reference already exists");
      moveRef(ctx, repo, ref, sha, false);
      return {
        status: 201,
        body: refJson(repo, ref, sha, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/${ref}` }
      };
    }
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/git/refs/{ref}",
    operationId: "git/update-ref",
    scope: "contents",
    access: "write",
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo;
      const ref = `refs/${ctx.params.ref ?? ""}`;
      const sha = requiredString(ctx.body, "sha", "Reference");
      const force = ctx.body.force === true;
      const current = repo.refs[ref];
      if (!current) throw unprocessable("Reference does not exist");
      if (!objectExists(repo, sha)) throw unprocessable("Object does not exist");
      if (!force && !isAncestor(repo, peel(repo, current), peel(repo, sha))) {
        throw unprocessable("Update is not a fast forward");
      }
      if (current !== sha) moveRef(ctx, repo, ref, sha, force);
      return { status: 200, body: refJson(repo, ref, sha, ctx.urls) };
    }
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/git/refs/{ref}",
    operationId: "git/delete-ref",
    scope: "contents",
    access: "write",
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo;
      const ref = `refs/${ctx.params.ref ?? ""}`;
      if (!repo.refs[ref]) throw unprocessable("Reference does not exist");
      moveRef(ctx, repo, ref, ZERO_SHA, false);
      return { status: 204 };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/git/tags",
    operationId: "git/create-tag",
    scope: "contents",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const tag = requiredString(ctx.body, "tag", "Tag");
      const message = stringField(ctx.body, "message", "Tag") ?? "";
      const object = requiredString(ctx.body, "object", "Tag");
      const type = stringField(ctx.body, "type", "Tag") ?? "commit";
      if (!objectExists(repo, object)) throw unprocessable("Object does not exist");
      const tagger = gitPerson(ctx.body.tagger, actorPerson(ctx));
      const content = `object ${object}
type ${type}
tag ${tag}
tagger ${tagger.name} <${tagger.email}> ${tagger.date}

${message}`;
      const record = {
        sha: objectSha("tag", content),
        tag,
        message,
        tagger,
        object: { sha: object, type }
      };
      repo.tagObjects[record.sha] = record;
      return {
        status: 201,
        body: tagObjectJson(repo, record, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/tags/${record.sha}` }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/git/tags/{tag_sha}",
    operationId: "git/get-tag",
    scope: "contents",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const tag = repo.tagObjects[ctx.params.tag_sha ?? ""];
      if (!tag) throw notFound();
      return { status: 200, body: tagObjectJson(repo, tag, ctx.urls) };
    }
  }
]);

// src/sandbox/routes/deployments.ts
var DEPLOYMENT_STATES = [
  "error",
  "failure",
  "inactive",
  "in_progress",
  "queued",
  "pending",
  "success"
];
function findDeployment(repo, id) {
  const d = repo.deployments.find((x) => String(x.id) === id);
  if (!d) throw notFound();
  return d;
}
function ensureEnvironment(ctx, repo, name) {
  let env = repo.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!env) {
    const now = ctx.now();
    env = { id: nextId(ctx.world), name, createdAt: now, updatedAt: now, reviewers: [], waitTimer: 0 };
    repo.environments.push(env);
  }
  return env;
}
function latestState(d) {
  return d.statuses.at(-1)?.state;
}
function latestCheckRuns(repo, sha) {
  const latest = /* @__PURE__ */ new Map();
  for (const run of repo.checkRuns) {
    if (run.headSha !== sha) continue;
    const current = latest.get(run.name);
    if (!current || current.id < run.id) latest.set(run.name, run);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}
function resolveOr422(repo, ref) {
  const sha = resolveCommitish(repo, ref);
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`);
  return sha;
}
var deploymentRoutes = defineRoutes([
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments",
    operationId: "repos/list-deployments",
    scope: "deployments",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const q = ctx.query;
      const items = repo.deployments.filter((d) => !q.get("sha") || d.sha === q.get("sha")).filter((d) => !q.get("ref") || d.ref === q.get("ref")).filter((d) => !q.get("task") || d.task === q.get("task")).filter((d) => !q.get("environment") || d.environment === q.get("environment")).sort((a, b) => b.id - a.id);
      return {
        status: 200,
        page: { items, render: (d) => deploymentJson(ctx.world, repo, d, ctx.urls) }
      };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/deployments",
    operationId: "repos/create-deployment",
    scope: "deployments",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const ref = requiredString(ctx.body, "ref", "Deployment");
      const sha = resolveCommitish(repo, ref);
      if (!sha) throw new ApiError(422, `No ref found for: ${ref}`);
      const environment = stringField(ctx.body, "environment", "Deployment") ?? "production";
      const branchRef = `refs/heads/${ref}`;
      const autoMerge = ctx.body.auto_merge !== false;
      const defaultTip = repo.refs[`refs/heads/${repo.defaultBranch}`];
      if (autoMerge && repo.refs[branchRef] && ref !== repo.defaultBranch && defaultTip) {
        if (!isAncestor(repo, defaultTip, sha)) {
          const merge = makeCommit({
            message: `Merge branch '${repo.defaultBranch}' into ${ref}`,
            parents: [sha, defaultTip],
            author: { name: "GitHub", email: "noreply@github.com", date: ctx.now() }
          });
          repo.commits[merge.sha] = merge;
          moveRef(ctx, repo, branchRef, merge.sha, false);
          return {
            status: 202,
            body: { message: `Auto-merged ${repo.defaultBranch} into ${ref} on deployment.` }
          };
        }
      }
      const required = stringArray(ctx.body, "required_contexts", "Deployment");
      const statuses = latestStatuses(repo, sha);
      const runs = latestCheckRuns(repo, sha);
      const contexts = /* @__PURE__ */ new Map();
      for (const s of statuses) contexts.set(s.context, s.state === "success");
      for (const r of runs)
        contexts.set(
          r.name,
          r.status === "completed" && ["success", "neutral", "skipped"].includes(r.conclusion ?? "")
        );
      const wanted = required ?? [...contexts.keys()];
      const failing = wanted.filter((c) => contexts.get(c) !== true);
      if (failing.length > 0) {
        throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, [
          { resource: "Deployment", code: "invalid", field: "required_contexts", value: failing }
        ]);
      }
      let payload = ctx.body.payload ?? {};
      if (typeof payload === "string") {
        try {
          payload = JSON.parse(payload);
        } catch {
          throw validationFailed([{ resource: "Deployment", code: "invalid", field: "payload" }]);
        }
      }
      ensureEnvironment(ctx, repo, environment);
      const now = ctx.now();
      const deployment = {
        id: nextId(ctx.world),
        sha,
        ref,
        task: stringField(ctx.body, "task", "Deployment") ?? "deploy",
        environment,
        originalEnvironment: environment,
        description: stringField(ctx.body, "description", "Deployment") ?? "",
        payload,
        creator: ctx.actor.login,
        transientEnvironment: ctx.body.transient_environment === true,
        productionEnvironment: typeof ctx.body.production_environment === "boolean" ? ctx.body.production_environment : environment === "production",
        createdAt: now,
        updatedAt: now,
        statuses: []
      };
      repo.deployments.push(deployment);
      ctx.emit("deployment", deploymentPayload(ctx.world, repo, deployment, ctx.actor, ctx.urls));
      return {
        status: 201,
        body: deploymentJson(ctx.world, repo, deployment, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/deployments/${deployment.id}`
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}",
    operationId: "repos/get-deployment",
    scope: "deployments",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      return {
        status: 200,
        body: deploymentJson(ctx.world, repo, findDeployment(repo, ctx.params.deployment_id), ctx.urls)
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    operationId: "repos/list-deployment-statuses",
    scope: "deployments",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const d = findDeployment(repo, ctx.params.deployment_id);
      const items = [...d.statuses].reverse();
      return {
        status: 200,
        page: {
          items,
          render: (s) => deploymentStatusJson(ctx.world, repo, d, s, ctx.urls)
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}",
    operationId: "repos/get-deployment-status",
    scope: "deployments",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const d = findDeployment(repo, ctx.params.deployment_id);
      const s = d.statuses.find((x) => String(x.id) === ctx.params.status_id);
      if (!s) throw notFound();
      return { status: 200, body: deploymentStatusJson(ctx.world, repo, d, s, ctx.urls) };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    operationId: "repos/create-deployment-status",
    scope: "deployments",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const d = findDeployment(repo, ctx.params.deployment_id);
      const state = requiredString(ctx.body, "state", "DeploymentStatus");
      if (!DEPLOYMENT_STATES.includes(state)) {
        throw validationFailed([
          { resource: "DeploymentStatus", code: "invalid", field: "state", value: state }
        ]);
      }
      const environment = stringField(ctx.body, "environment", "DeploymentStatus");
      if (environment) {
        d.environment = environment;
        ensureEnvironment(ctx, repo, environment);
      }
      const now = ctx.now();
      const status2 = {
        id: nextId(ctx.world),
        state,
        creator: ctx.actor.login,
        description: (stringField(ctx.body, "description", "DeploymentStatus") ?? "").slice(0, 140),
        environment: d.environment,
        targetUrl: stringField(ctx.body, "target_url", "DeploymentStatus") ?? "",
        logUrl: stringField(ctx.body, "log_url", "DeploymentStatus") ?? stringField(ctx.body, "target_url", "DeploymentStatus") ?? "",
        environmentUrl: stringField(ctx.body, "environment_url", "DeploymentStatus") ?? "",
        createdAt: now,
        updatedAt: now
      };
      d.statuses.push(status2);
      d.updatedAt = now;
      ctx.emit("deployment_status", deploymentStatusPayload(ctx.world, repo, d, status2, ctx.actor, ctx.urls));
      if (state === "success" && ctx.body.auto_inactive !== false) {
        for (const other of repo.deployments) {
          if (other === d || other.environment !== d.environment) continue;
          if (other.transientEnvironment || other.productionEnvironment || latestState(other) !== "success")
            continue;
          const inactive = {
            ...status2,
            id: nextId(ctx.world),
            state: "inactive",
            description: ""
          };
          other.statuses.push(inactive);
          other.updatedAt = now;
        }
      }
      return {
        status: 201,
        body: deploymentStatusJson(ctx.world, repo, d, status2, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/deployments/${d.id}/statuses/${status2.id}`
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/environments",
    operationId: "repos/get-all-environments",
    scope: "metadata",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      return {
        status: 200,
        page: {
          items: repo.environments,
          render: (e) => environmentJson(ctx.world, repo, e, ctx.urls),
          wrap: (environments, total) => ({ total_count: total, environments })
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/environments/{environment_name}",
    operationId: "repos/get-environment",
    scope: "metadata",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const name = (ctx.params.environment_name ?? "").toLowerCase();
      const env = repo.environments.find((e) => e.name.toLowerCase() === name);
      if (!env) throw notFound();
      return { status: 200, body: environmentJson(ctx.world, repo, env, ctx.urls) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    operationId: "checks/list-for-ref",
    scope: "checks",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const sha = resolveOr422(repo, ctx.params.ref ?? "");
      const name = ctx.query.get("check_name");
      const status2 = ctx.query.get("status");
      const all = ctx.query.get("filter") === "all";
      const runs = all ? repo.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id) : latestCheckRuns(repo, sha);
      const items = runs.filter((r) => (!name || r.name === name) && (!status2 || r.status === status2));
      return {
        status: 200,
        page: {
          items,
          render: (r) => checkRunJson(repo, r, ctx.urls),
          wrap: (checkRuns, total) => ({ total_count: total, check_runs: checkRuns })
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/status",
    operationId: "repos/get-combined-status-for-ref",
    scope: "statuses",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const sha = resolveOr422(repo, ctx.params.ref ?? "");
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
          url: `${repoApi}/commits/${sha}/status`
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/statuses",
    operationId: "repos/list-commit-statuses-for-ref",
    scope: "statuses",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const sha = resolveOr422(repo, ctx.params.ref ?? "");
      const items = repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
      return {
        status: 200,
        page: { items, render: (s) => commitStatusJson(ctx.world, repo, s, ctx.urls) }
      };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/statuses/{sha}",
    operationId: "repos/create-commit-status",
    scope: "statuses",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const sha = ctx.params.sha ?? "";
      if (!repo.commits[sha]) throw new ApiError(422, `No commit found for SHA: ${sha}`);
      const state = requiredString(ctx.body, "state", "Status");
      if (!["error", "failure", "pending", "success"].includes(state)) {
        throw validationFailed([{ resource: "Status", code: "invalid", field: "state", value: state }]);
      }
      const now = ctx.now();
      const status2 = {
        id: nextId(ctx.world),
        sha,
        state,
        context: stringField(ctx.body, "context", "Status") ?? "default",
        description: stringField(ctx.body, "description", "Status") ?? null,
        targetUrl: stringField(ctx.body, "target_url", "Status") ?? null,
        creator: ctx.actor.login,
        createdAt: now,
        updatedAt: now
      };
      repo.statuses.push(status2);
      return { status: 201, body: commitStatusJson(ctx.world, repo, status2, ctx.urls) };
    }
  }
]);

// src/sandbox/routes/issues.ts
function findIssue(repo, value) {
  const issue = repo.issues.find((i) => String(i.number) === value);
  if (!issue) throw notFound();
  return issue;
}
function findComment(repo, value) {
  const comment = repo.comments.find((c) => String(c.id) === value);
  if (!comment) throw notFound();
  return comment;
}
function ensureLabels(ctx, repo, names) {
  for (const name of names) {
    if (!repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      repo.labels.push({ id: nextId(ctx.world), name, color: "ededed", description: null, default: false });
    }
  }
  return names.map((name) => repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase()).name);
}
function known(ctx, logins) {
  for (const login of logins) {
    if (!ctx.world.users[login]) {
      throw validationFailed([{ resource: "Issue", code: "invalid", field: "assignees", value: login }]);
    }
  }
  return logins;
}
var SORTS = {
  created: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number,
  updated: (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number,
  comments: (a, b) => a.comments - b.comments || a.number - b.number
};
var issueRoutes = defineRoutes([
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues",
    operationId: "issues/list-for-repo",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const q = ctx.query;
      const state = q.get("state") ?? "open";
      const labels = (q.get("labels") ?? "").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean);
      const creator = q.get("creator");
      const since = q.get("since");
      const sort = SORTS[q.get("sort") ?? "created"] ?? SORTS.created;
      const direction = q.get("direction") ?? "desc";
      const items = repo.issues.filter((i) => state === "all" || i.state === state).filter((i) => labels.every((l) => i.labels.some((name) => name.toLowerCase() === l))).filter((i) => !creator || i.user === creator).filter((i) => !since || i.updatedAt >= since).sort((a, b) => direction === "asc" ? sort(a, b) : sort(b, a));
      return {
        status: 200,
        page: { items, render: (i) => issueJson(ctx.world, repo, i, ctx.urls) }
      };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues",
    operationId: "issues/create",
    scope: "issues",
    access: "write",
    minimumRole: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const title = requiredString(ctx.body, "title", "Issue");
      const body = stringField(ctx.body, "body", "Issue") ?? null;
      checkBodyLength("Issue", body);
      const canTriage = hasRole(ctx.world, repo, ctx.actor, "triage");
      const labels = canTriage ? ensureLabels(ctx, repo, stringArray(ctx.body, "labels", "Issue") ?? []) : [];
      const assignees = canTriage ? known(ctx, stringArray(ctx.body, "assignees", "Issue") ?? []) : [];
      const now = ctx.now();
      const issue = {
        id: nextId(ctx.world),
        number: repo.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
        title,
        body,
        user: ctx.actor.login,
        state: "open",
        stateReason: null,
        labels,
        assignees,
        locked: false,
        comments: 0,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        closedBy: null
      };
      repo.issues.push(issue);
      ctx.emit("issues", issuesPayload(ctx.world, repo, issue, "opened", ctx.actor, ctx.urls));
      return {
        status: 201,
        body: issueJson(ctx.world, repo, issue, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/comments",
    operationId: "issues/list-comments-for-repo",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const since = ctx.query.get("since");
      const key = ctx.query.get("sort") === "updated" ? "updatedAt" : "createdAt";
      const direction = ctx.query.get("direction") ?? "asc";
      const items = repo.comments.filter((c) => !since || c.updatedAt >= since).sort((a, b) => (direction === "desc" ? -1 : 1) * (a[key].localeCompare(b[key]) || a.id - b.id));
      return {
        status: 200,
        page: { items, render: (c) => commentJson(ctx.world, repo, c, ctx.urls) }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    operationId: "issues/get-comment",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      return {
        status: 200,
        body: commentJson(ctx.world, repo, findComment(repo, ctx.params.comment_id), ctx.urls)
      };
    }
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    operationId: "issues/update-comment",
    scope: "issues",
    access: "write",
    minimumRole: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const comment = findComment(repo, ctx.params.comment_id);
      requireOwnOrRole(ctx.world, repo, ctx.actor, comment.user, "write");
      const body = requiredString(ctx.body, "body", "IssueComment");
      checkBodyLength("IssueComment", body);
      const from = comment.body;
      comment.body = body;
      comment.updatedAt = ctx.now();
      const issue = findIssue(repo, String(comment.issueNumber));
      ctx.emit(
        "issue_comment",
        issueCommentPayload(ctx.world, repo, issue, comment, "edited", ctx.actor, ctx.urls, {
          body: { from }
        })
      );
      return { status: 200, body: commentJson(ctx.world, repo, comment, ctx.urls) };
    }
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    operationId: "issues/delete-comment",
    scope: "issues",
    access: "write",
    minimumRole: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const comment = findComment(repo, ctx.params.comment_id);
      requireOwnOrRole(ctx.world, repo, ctx.actor, comment.user, "write");
      repo.comments = repo.comments.filter((c) => c !== comment);
      const issue = findIssue(repo, String(comment.issueNumber));
      issue.comments = Math.max(0, issue.comments - 1);
      ctx.emit(
        "issue_comment",
        issueCommentPayload(ctx.world, repo, issue, comment, "deleted", ctx.actor, ctx.urls)
      );
      return { status: 204 };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}",
    operationId: "issues/get",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      return {
        status: 200,
        body: issueJson(ctx.world, repo, findIssue(repo, ctx.params.issue_number), ctx.urls)
      };
    }
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/issues/{issue_number}",
    operationId: "issues/update",
    scope: "issues",
    access: "write",
    minimumRole: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = findIssue(repo, ctx.params.issue_number);
      requireOwnOrRole(ctx.world, repo, ctx.actor, issue.user, "triage");
      const title = stringField(ctx.body, "title", "Issue");
      const body = ctx.body.body === null ? null : stringField(ctx.body, "body", "Issue");
      const state = stringField(ctx.body, "state", "Issue");
      const stateReason = stringField(ctx.body, "state_reason", "Issue");
      if (state !== void 0 && state !== "open" && state !== "closed") {
        throw validationFailed([{ resource: "Issue", code: "invalid", field: "state", value: state }]);
      }
      if (title === "")
        throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }]);
      checkBodyLength("Issue", body);
      const canTriage = hasRole(ctx.world, repo, ctx.actor, "triage");
      const labels = stringArray(ctx.body, "labels", "Issue");
      const assignees = stringArray(ctx.body, "assignees", "Issue");
      const changes = {};
      if (title !== void 0 && title !== issue.title) {
        changes.title = { from: issue.title };
        issue.title = title;
      }
      if (body !== void 0 && body !== issue.body) {
        changes.body = { from: issue.body ?? "" };
        issue.body = body;
      }
      if (labels !== void 0 && canTriage) issue.labels = ensureLabels(ctx, repo, labels);
      if (assignees !== void 0 && canTriage) issue.assignees = known(ctx, assignees);
      const now = ctx.now();
      issue.updatedAt = now;
      let transition;
      if (state !== void 0 && state !== issue.state) {
        issue.state = state;
        transition = state === "closed" ? "closed" : "reopened";
        issue.closedAt = state === "closed" ? now : null;
        issue.closedBy = state === "closed" ? ctx.actor.login : null;
        issue.stateReason = state === "closed" ? stateReason ?? "completed" : "reopened";
      }
      if (changes.title || changes.body) {
        ctx.emit("issues", issuesPayload(ctx.world, repo, issue, "edited", ctx.actor, ctx.urls, { changes }));
      }
      if (transition)
        ctx.emit("issues", issuesPayload(ctx.world, repo, issue, transition, ctx.actor, ctx.urls));
      return { status: 200, body: issueJson(ctx.world, repo, issue, ctx.urls) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    operationId: "issues/list-comments",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = findIssue(repo, ctx.params.issue_number);
      const since = ctx.query.get("since");
      const items = repo.comments.filter((c) => c.issueNumber === issue.number).filter((c) => !since || c.updatedAt >= since);
      return {
        status: 200,
        page: { items, render: (c) => commentJson(ctx.world, repo, c, ctx.urls) }
      };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    operationId: "issues/create-comment",
    scope: "issues",
    access: "write",
    minimumRole: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = findIssue(repo, ctx.params.issue_number);
      const body = requiredString(ctx.body, "body", "IssueComment");
      checkBodyLength("IssueComment", body);
      if (issue.locked && !hasRole(ctx.world, repo, ctx.actor, "write")) {
        throw new ApiError(403, "Unable to create comment because issue is locked.");
      }
      const now = ctx.now();
      const comment = {
        id: nextId(ctx.world),
        issueNumber: issue.number,
        body,
        user: ctx.actor.login,
        createdAt: now,
        updatedAt: now
      };
      repo.comments.push(comment);
      issue.comments += 1;
      issue.updatedAt = now;
      ctx.emit(
        "issue_comment",
        issueCommentPayload(ctx.world, repo, issue, comment, "created", ctx.actor, ctx.urls)
      );
      return {
        status: 201,
        body: commentJson(ctx.world, repo, comment, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`
        }
      };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    operationId: "issues/add-labels",
    scope: "issues",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = findIssue(repo, ctx.params.issue_number);
      const names = stringArray(ctx.body, "labels", "Label") ?? [];
      const added = ensureLabels(ctx, repo, names).filter((n) => !issue.labels.includes(n));
      issue.labels.push(...added);
      issue.updatedAt = ctx.now();
      for (const name of added) {
        const label = repo.labels.find((l) => l.name === name);
        ctx.emit(
          "issues",
          issuesPayload(ctx.world, repo, issue, "labeled", ctx.actor, ctx.urls, {
            label: labelJson(repo, label, ctx.urls)
          })
        );
      }
      const labels = issue.labels.map((n) => repo.labels.find((l) => l.name === n));
      return { status: 200, body: labels.map((l) => labelJson(repo, l, ctx.urls)) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    operationId: "issues/list-labels-on-issue",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = findIssue(repo, ctx.params.issue_number);
      const items = issue.labels.map((n) => repo.labels.find((l) => l.name === n)).filter((l) => l !== void 0);
      return { status: 200, page: { items, render: (l) => labelJson(repo, l, ctx.urls) } };
    }
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
    operationId: "issues/remove-label",
    scope: "issues",
    access: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = findIssue(repo, ctx.params.issue_number);
      const wanted = (ctx.params.name ?? "").toLowerCase();
      const name = issue.labels.find((n) => n.toLowerCase() === wanted);
      if (!name) throw new ApiError(404, "Label does not exist");
      issue.labels = issue.labels.filter((n) => n !== name);
      issue.updatedAt = ctx.now();
      const label = repo.labels.find((l) => l.name === name);
      if (label) {
        ctx.emit(
          "issues",
          issuesPayload(ctx.world, repo, issue, "unlabeled", ctx.actor, ctx.urls, {
            label: labelJson(repo, label, ctx.urls)
          })
        );
      }
      const remaining = issue.labels.map((n) => repo.labels.find((l) => l.name === n)).filter((l) => l !== void 0);
      return { status: 200, body: remaining.map((l) => labelJson(repo, l, ctx.urls)) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/labels",
    operationId: "issues/list-labels-for-repo",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      return {
        status: 200,
        page: { items: repo.labels, render: (l) => labelJson(repo, l, ctx.urls) }
      };
    }
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/labels",
    operationId: "issues/create-label",
    scope: "issues",
    access: "write",
    minimumRole: "write",
    handle(ctx) {
      const repo = ctx.repo;
      const name = requiredString(ctx.body, "name", "Label");
      const color = (stringField(ctx.body, "color", "Label") ?? "ededed").replace(/^#/, "");
      if (!/^[0-9a-fA-F]{6}$/.test(color)) {
        throw validationFailed([{ resource: "Label", code: "invalid", field: "color", value: color }]);
      }
      if (repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
        throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
      }
      const label = {
        id: nextId(ctx.world),
        name,
        color: color.toLowerCase(),
        description: stringField(ctx.body, "description", "Label") ?? null,
        default: false
      };
      repo.labels.push(label);
      return {
        status: 201,
        body: labelJson(repo, label, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`
        }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/labels/{name}",
    operationId: "issues/get-label",
    scope: "issues",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const wanted = (ctx.params.name ?? "").toLowerCase();
      const label = repo.labels.find((l) => l.name.toLowerCase() === wanted);
      if (!label) throw notFound();
      return { status: 200, body: labelJson(repo, label, ctx.urls) };
    }
  }
]);

// src/sandbox/routes/meta.ts
var metaRoutes = defineRoutes([
  {
    method: "GET",
    path: "/rate_limit",
    operationId: "rate-limit/get",
    free: true,
    handle(ctx) {
      const core = {
        limit: ctx.rate.limit,
        used: ctx.rate.used,
        remaining: ctx.rate.remaining,
        reset: ctx.rate.reset
      };
      const other = (limit) => ({ limit, used: 0, remaining: limit, reset: ctx.rate.reset });
      return {
        status: 200,
        body: {
          resources: {
            core,
            search: other(30),
            graphql: other(5e3),
            integration_manifest: other(5e3),
            code_search: other(10)
          },
          rate: core
        }
      };
    }
  }
]);

// src/sandbox/routes/pulls.ts
function pulls(repo) {
  return repo.issues.filter((i) => i.pull !== void 0);
}
var pullRoutes = defineRoutes([
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls",
    operationId: "pulls/list",
    scope: "pull_requests",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const state = ctx.query.get("state") ?? "open";
      const head = ctx.query.get("head");
      const base = ctx.query.get("base");
      const sort = ctx.query.get("sort") ?? "created";
      const direction = ctx.query.get("direction") ?? (sort === "created" ? "desc" : "desc");
      const key = (i) => sort === "updated" ? i.updatedAt : i.createdAt;
      const items = pulls(repo).filter((i) => state === "all" || i.state === state).filter((i) => !head || `${repo.owner}:${i.pull.head.ref}` === head || i.pull.head.ref === head).filter((i) => !base || i.pull.base.ref === base).sort(
        (a, b) => (direction === "asc" ? 1 : -1) * (key(a).localeCompare(key(b)) || a.number - b.number)
      );
      return {
        status: 200,
        page: { items, render: (i) => pullJson(ctx.world, repo, i, ctx.urls, false) }
      };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}",
    operationId: "pulls/get",
    scope: "pull_requests",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const issue = pulls(repo).find((i) => String(i.number) === ctx.params.pull_number);
      if (!issue) throw notFound();
      return { status: 200, body: pullJson(ctx.world, repo, issue, ctx.urls, true) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    operationId: "repos/list-pull-requests-associated-with-commit",
    scope: "pull_requests",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const sha = resolveCommitish(repo, ctx.params.commit_sha ?? "");
      if (!sha) {
        throw notFound();
      }
      const items = pulls(repo).filter((i) => {
        const pull = i.pull;
        if (pull.mergeCommitSha === sha || pull.head.sha === sha) return true;
        return commitsBetween(repo, pull.base.sha, pull.head.sha).some((c) => c.sha === sha);
      });
      return {
        status: 200,
        page: { items, render: (i) => pullJson(ctx.world, repo, i, ctx.urls, false) }
      };
    }
  }
]);

// src/sandbox/routes/repos.ts
var PERMISSION = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read"
};
function permissionsOf(role) {
  const rank = role ? ["read", "triage", "write", "maintain", "admin"].indexOf(role) : -1;
  return { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: rank >= 0 };
}
var repoRoutes = defineRoutes([
  {
    method: "GET",
    path: "/repos/{owner}/{repo}",
    operationId: "repos/get",
    scope: "metadata",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const role = ctx.actor.record.kind === "installation" ? hasRole(ctx.world, repo, ctx.actor, "write") ? "write" : "read" : repoRole(ctx.world, repo, ctx.actor.login);
      return { status: 200, body: repoJson(ctx.world, repo, ctx.urls, permissionsOf(role)) };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/collaborators/{username}",
    operationId: "repos/check-collaborator",
    scope: "metadata",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const login = ctx.params.username ?? "";
      if (!ctx.world.users[login] || !repoRole(ctx.world, repo, login)) throw notFound();
      return { status: 204 };
    }
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    operationId: "repos/get-collaborator-permission-level",
    scope: "metadata",
    access: "read",
    handle(ctx) {
      const repo = ctx.repo;
      const login = ctx.params.username ?? "";
      if (!ctx.world.users[login]) throw notFound();
      const role = repoRole(ctx.world, repo, login);
      const permission = role ? PERMISSION[role] : repo.private ? "none" : "read";
      const user = {
        ...userJson(ctx.world, login, ctx.urls),
        permissions: permissionsOf(role),
        role_name: role ?? permission
      };
      return { status: 200, body: { permission, role_name: role ?? permission, user } };
    }
  },
  {
    method: "GET",
    path: "/orgs/{org}/teams/{team_slug}",
    operationId: "teams/get-by-name",
    handle(ctx) {
      const team = ctx.world.teams[`${ctx.params.org}/${ctx.params.team_slug}`];
      if (!team || !seesTeams(ctx.world, ctx.params.org ?? "", ctx.actor)) throw notFound();
      const org = ctx.params.org ?? "";
      return {
        status: 200,
        body: {
          ...teamJson(ctx.world, org, team.slug, ctx.urls),
          members_count: Object.values(team.members).filter((m) => m.state === "active").length,
          repos_count: 0,
          created_at: "2026-01-05T09:00:00Z",
          updated_at: "2026-01-05T09:00:00Z",
          organization: {
            ...orgSummary(ctx.world, org, ctx.urls)
          }
        }
      };
    }
  },
  {
    method: "GET",
    path: "/orgs/{org}/teams/{team_slug}/members",
    operationId: "teams/list-members-in-org",
    handle(ctx) {
      const team = ctx.world.teams[`${ctx.params.org}/${ctx.params.team_slug}`];
      if (!team || !seesTeams(ctx.world, ctx.params.org ?? "", ctx.actor)) throw notFound();
      const role = ctx.query.get("role") ?? "all";
      const items = Object.entries(team.members).filter(([, m]) => m.state === "active" && (role === "all" || m.role === role)).map(([login]) => login);
      return {
        status: 200,
        page: { items, render: (login) => userJson(ctx.world, login, ctx.urls) }
      };
    }
  },
  {
    method: "GET",
    path: "/orgs/{org}/teams/{team_slug}/memberships/{username}",
    operationId: "teams/get-membership-for-user-in-org",
    handle(ctx) {
      const org = ctx.params.org ?? "";
      const team = ctx.world.teams[`${org}/${ctx.params.team_slug}`];
      if (!team || !seesTeams(ctx.world, org, ctx.actor)) throw notFound();
      const login = ctx.params.username ?? "";
      const member = team.members[login];
      if (!member) throw notFound();
      return {
        status: 200,
        body: {
          url: `${ctx.urls.api}/organizations/${ctx.world.orgs[org]?.id ?? 0}/team/${team.id}/memberships/${login}`,
          role: member.role,
          state: member.state
        }
      };
    }
  },
  {
    method: "GET",
    path: "/user",
    operationId: "users/get-authenticated",
    handle(ctx) {
      return { status: 200, body: fullUser(ctx.world, ctx.actor.login, ctx.urls) };
    }
  },
  {
    method: "GET",
    path: "/users/{username}",
    operationId: "users/get-by-username",
    handle(ctx) {
      const login = ctx.params.username ?? "";
      if (!ctx.world.users[login]) throw notFound();
      return { status: 200, body: fullUser(ctx.world, login, ctx.urls) };
    }
  }
]);
function seesTeams(world, org, actor) {
  if (actor.record.kind === "installation") return actor.record.permissions?.members !== void 0;
  return world.orgs[org]?.members[actor.login] !== void 0;
}
function orgSummary(world, org, urls) {
  const record = world.orgs[org];
  const api = `${urls.api}/orgs/${org}`;
  return {
    login: org,
    id: record?.id ?? 0,
    node_id: Buffer.from(`Organization:${record?.id ?? 0}`).toString("base64url"),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.html}/avatars/${org}`,
    description: record?.description ?? null,
    has_organization_projects: false,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${urls.html}/${org}`,
    created_at: "2026-01-05T09:00:00Z",
    updated_at: "2026-01-05T09:00:00Z",
    type: "Organization",
    archived_at: null
  };
}
function fullUser(world, login, urls) {
  const user = world.users[login];
  return {
    ...userJson(world, login, urls),
    name: user?.name ?? null,
    company: null,
    blog: null,
    location: null,
    email: user?.email ?? null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z"
  };
}

// src/sandbox/routes/index.ts
var ROUTES = [
  ...repoRoutes,
  ...issueRoutes,
  ...pullRoutes,
  ...gitRoutes,
  ...deploymentRoutes,
  ...actionsRoutes,
  ...metaRoutes
];

// src/sandbox/server.ts
var GHES_PREFIX = "/api/v3";
var MAX_BODY_BYTES = 25 * 1024 * 1024;
var SandboxServer = class {
  world;
  faults = new FaultPlan();
  log = new RequestLog();
  limiter;
  router = new Router(ROUTES);
  routes = ROUTES;
  options;
  control;
  clock;
  recentWrites = /* @__PURE__ */ new Map();
  server;
  origin = "";
  constructor(options = {}) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    this.limiter = new RateLimiter(this.clock);
    this.world = options.statePath && loadWorld(options.statePath) || (options.world ? structuredClone(options.world) : createDefaultWorld());
    this.control = new ControlApi(this);
  }
  get url() {
    return this.origin;
  }
  async listen() {
    const handler = (req, res) => {
      this.handle(req, res).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `Sandbox error: ${String(error)}` }));
      });
    };
    const server = this.options.tls ? (await import("node:https")).createServer(this.options.tls, handler) : createHttpServer(handler);
    server.keepAliveTimeout = 1e3;
    this.server = server;
    await new Promise((resolve2, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve2());
    });
    const address = server.address();
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.origin = `${this.options.tls ? "https" : "http"}://${host}:${address.port}`;
    this.persist();
  }
  async close() {
    const server = this.server;
    if (!server) return;
    this.server = void 0;
    await new Promise((resolve2) => {
      server.close(() => resolve2());
      server.closeAllConnections();
    });
  }
  now() {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  /** Replaces the whole state (control API: seed or reset). */
  replaceWorld(world) {
    this.world = world;
    this.limiter.clear();
    this.persist();
  }
  persist() {
    if (this.options.statePath) saveWorld(this.options.statePath, this.world);
  }
  rateLimitFor(record) {
    if (record.rateLimit) return record.rateLimit;
    return record.kind === "installation" ? this.options.rateLimits?.installation ?? 1e3 : this.options.rateLimits?.user ?? 5e3;
  }
  /** Tokens by name: the default world's roles (`admin`, `read`, `actions` ...) and every login. */
  tokens() {
    const out = {};
    for (const [name, token] of Object.entries(DEFAULT_WORLD.tokens))
      if (this.world.tokens[token]) out[name] = token;
    for (const [token, record] of Object.entries(this.world.tokens)) out[record.login] ??= token;
    return out;
  }
  async handle(req, res) {
    const started = performance.now();
    const scheme = this.options.tls ? "https" : "http";
    const origin = `${scheme}://${req.headers.host ?? new URL(this.origin).host}`;
    const url = new URL(req.url ?? "/", origin);
    let path = url.pathname;
    let prefix = "";
    if (path === GHES_PREFIX || path.startsWith(`${GHES_PREFIX}/`)) {
      prefix = GHES_PREFIX;
      path = path.slice(GHES_PREFIX.length) || "/";
    }
    const raw = await readBody(req);
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      await this.control.handle(req, res, path, url, raw);
      return;
    }
    const urls = { api: `${origin}${prefix}`, html: origin };
    const method = (req.method ?? "GET").toUpperCase();
    if (path === "/graphql" || path === "/api/graphql") {
      await this.answerGraphql(req, res, method, path, started, raw, urls);
      return;
    }
    const match = this.router.match(method === "HEAD" ? "GET" : method, path);
    const route = match?.route;
    const operationId = route?.operationId ?? (path.endsWith("/graphql") ? "graphql" : "unknown");
    let status2;
    let headers = {};
    let body;
    let actor;
    let limit = 0;
    let charge = false;
    let fault;
    let requestBody;
    let dropAfterWrite = false;
    try {
      actor = this.authenticate(req);
      limit = this.rateLimitFor(actor.record);
      const rate = this.limiter.snapshot(actor.token, limit);
      if (!route || !match) throw notFound();
      charge = !route.free;
      if (charge && rate.remaining === 0) {
        charge = false;
        throw new ApiError(
          403,
          `API rate limit exceeded for user ID ${this.world.users[actor.login]?.id ?? 0}. If you reach out to GitHub Support for help, please include the request ID.`
        );
      }
      if (method !== "GET") this.checkWriteRate(actor.token);
      fault = this.faults.take(method, operationId, route.path);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault) this.applyFault(fault);
      if (fault?.kind === "drop") {
        this.record(req, method, path, route, 0, started, actor, fault);
        req.socket.destroy();
        return;
      }
      dropAfterWrite = fault?.kind === "drop-after-write";
      requestBody = parseJson(raw);
      const reply = this.run(route, match.params, url, requestBody, actor, urls, rate);
      status2 = reply.status;
      headers = { ...reply.headers };
      if (reply.page) {
        const slice = paginate(reply.page.items, url);
        const render = reply.page.render ?? ((x) => x);
        const rendered = slice.items.map(render);
        body = reply.page.wrap ? reply.page.wrap(rendered, reply.page.items.length) : rendered;
        if (slice.link) headers.link = slice.link;
      } else {
        body = reply.body;
      }
    } catch (error) {
      if (error instanceof ApiError) {
        status2 = error.status;
        body = error.body();
        headers = { ...error.headers };
      } else {
        status2 = 500;
        body = { message: "Server Error", documentation_url: "https://docs.github.com/rest" };
        process.stderr.write(
          `sandbox: ${method} ${path}: ${error instanceof Error ? error.stack : String(error)}
`
        );
      }
      if (status2 === 401) charge = false;
    }
    if (dropAfterWrite) {
      if (actor && charge) this.limiter.charge(actor.token, limit);
      this.record(req, method, path, route, 0, started, actor, fault);
      req.socket.destroy();
      return;
    }
    const text = body === void 0 ? "" : JSON.stringify(body);
    let notModified = false;
    if (method === "GET" && status2 === 200) {
      const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 40)}"`;
      headers.etag = etag;
      if (matchesEtag(req.headers["if-none-match"], etag)) {
        notModified = true;
        status2 = 304;
        charge = false;
      }
    }
    let snapshot;
    if (actor)
      snapshot = charge ? this.limiter.charge(actor.token, limit) : this.limiter.snapshot(actor.token, limit);
    const responseHeaders = {
      ...snapshot ? rateLimitHeaders(snapshot) : {},
      "x-github-request-id": randomUUID().toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      ...actor?.record.kind === "user" ? { "x-oauth-scopes": "repo, read:org, workflow", "x-accepted-oauth-scopes": "" } : {},
      ...headers
    };
    const hasBody = !notModified && status2 !== 204 && text !== "";
    if (hasBody) responseHeaders["content-type"] = "application/json; charset=utf-8";
    res.writeHead(status2, responseHeaders);
    res.end(hasBody && method !== "HEAD" ? text : void 0);
    this.record(req, method, path, route, status2, started, actor, fault, notModified);
    if (this.options.onExchange && route) {
      const exchange = {
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        route: route.path,
        operationId,
        requestHeaders: flattenHeaders(req.headers),
        requestBody,
        status: status2,
        responseHeaders,
        responseBody: hasBody ? JSON.parse(text) : void 0
      };
      this.options.onExchange(exchange);
    }
  }
  /**
   * The minimal GraphQL the gh CLI's issue commands need (see graphql.ts), loaded on the first
   * GraphQL request so the REST-only common case never loads graphql-js.
   */
  async answerGraphql(req, res, method, path, started, raw, urls) {
    let actor;
    let status2 = 200;
    let body;
    let operation = "graphql";
    try {
      actor = this.authenticate(req);
      if (method !== "POST") throw notFound();
      const request = parseJson(raw) ?? {};
      const { executeGraphql } = await import("./shared/graphql-MXWT2TPH.js");
      const result = await executeGraphql(this, actor, request, urls);
      body = result.body;
      operation = result.operationName ? `graphql ${result.operationName}` : "graphql";
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, String(error));
      status2 = apiError.status;
      body = { message: apiError.message, documentation_url: "https://docs.github.com/graphql" };
    }
    res.writeHead(status2, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
    this.log.record({
      method,
      path,
      route: operation,
      operationId: "graphql",
      status: status2,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...actor ? { user: actor.login } : {},
      ...req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {},
      at: this.now()
    });
  }
  /**
   * Runs a REST operation on behalf of another front end (GraphQL mutations), with the same
   * authorisation, validation, events and persistence as over HTTP. Throws ApiError.
   */
  invoke(operationId, params, body, actor, urls) {
    const route = this.routes.find((r) => r.operationId === operationId);
    if (!route) throw new Error(`no route for ${operationId}`);
    const rate = this.limiter.snapshot(actor.token, this.rateLimitFor(actor.record));
    return this.run(route, params, new URL("http://sandbox.invalid/"), body, actor, urls, rate);
  }
  /** The opt-in content-creation secondary limit: a sliding minute of writes per token. */
  checkWriteRate(token) {
    const limit = this.options.writesPerMinute;
    if (!limit) return;
    const now = this.clock();
    const recent = (this.recentWrites.get(token) ?? []).filter((at) => at > now - 6e4);
    if (recent.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil((recent[0] + 6e4 - now) / 1e3));
      this.recentWrites.set(token, recent);
      throw new ApiError(
        403,
        "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.",
        void 0,
        { "retry-after": String(retryAfter) }
      );
    }
    recent.push(now);
    this.recentWrites.set(token, recent);
  }
  applyFault(fault) {
    if (fault.kind === "status") {
      const status2 = fault.status ?? 502;
      throw new ApiError(status2, fault.message ?? (status2 >= 500 ? "Server Error" : "Injected fault"));
    }
    if (fault.kind === "secondary-rate-limit") {
      throw new ApiError(
        fault.status ?? 403,
        fault.message ?? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        void 0,
        { "retry-after": String(fault.retryAfter ?? 1) }
      );
    }
  }
  run(route, params, url, body, actor, urls, rate) {
    const world = this.world;
    const pending = [];
    const ctx = {
      world,
      params,
      query: url.searchParams,
      body: Array.isArray(body) ? { labels: body } : body ?? {},
      actor,
      urls,
      rate,
      now: () => this.now(),
      emit: (name, payload) => {
        const event = {
          id: 0,
          name,
          repo: ctx.repo ? `${ctx.repo.owner}/${ctx.repo.name}` : "",
          deliveredAt: this.now(),
          payload
        };
        if (typeof payload.action === "string") event.action = payload.action;
        pending.push(event);
      }
    };
    if (params.owner !== void 0 && params.repo !== void 0) {
      const key = `${params.owner}/${params.repo}`.toLowerCase();
      const repo = Object.entries(world.repos).find(([k]) => k.toLowerCase() === key)?.[1];
      if (!repo) throw notFound();
      authorize(world, repo, actor, route.scope ?? "metadata", route.access ?? "read", route.minimumRole);
      ctx.repo = repo;
    }
    const reply = route.handle(ctx);
    for (const event of pending) {
      event.id = world.nextId++;
      world.events.push(event);
    }
    if (route.method !== "GET") {
      if (ctx.repo && pending.length > 0) ctx.repo.updatedAt = this.now();
      this.persist();
    }
    return reply;
  }
  authenticate(req) {
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, "Requires authentication");
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
    const basic = /^basic\s+(\S+)$/i.exec(header);
    let token = m?.[1];
    if (!token && basic?.[1]) token = Buffer.from(basic[1], "base64").toString("utf8").split(":")[1];
    const record = token ? this.world.tokens[token] : void 0;
    if (!token || !record) throw new ApiError(401, "Bad credentials");
    return { login: record.login, token, record };
  }
  record(req, method, path, route, status2, started, actor, fault, notModified = false) {
    this.log.record({
      method,
      path,
      route: route?.path ?? "unknown",
      operationId: route?.operationId ?? (path.endsWith("/graphql") ? "graphql" : "unknown"),
      status: status2,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...actor ? { user: actor.login } : {},
      ...req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {},
      at: this.now(),
      ...fault ? { fault: fault.kind } : {},
      ...notModified ? { notModified } : {}
    });
  }
};
function sleep(ms) {
  return new Promise((resolve2) => setTimeout(resolve2, ms));
}
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function parseJson(raw) {
  if (raw.trim() === "") return void 0;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "Problems parsing JSON");
  }
}
function matchesEtag(header, etag) {
  if (!header) return false;
  const strip = (t) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
}
function flattenHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== void 0) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

// src/sandbox/index.ts
async function startSandbox(options = {}) {
  const server = new SandboxServer(options);
  await server.listen();
  const fetcher = options.tls ? trustingFetch(options.tls.cert) : fetch;
  return {
    url: server.url,
    apiUrl: server.url,
    ghesApiUrl: `${server.url}/api/v3`,
    tokens: server.tokens(),
    control: new SandboxControl(server.url, fetcher),
    fetch: fetcher,
    world: () => server.world,
    stop: () => server.close()
  };
}
function trustingFetch(cert) {
  let client;
  return async (input, init) => {
    client ??= import("./shared/undici-CRMTTFON.js").then((undici) => ({
      fetch: undici.fetch,
      dispatcher: new undici.Agent({ connect: { ca: cert } })
    }));
    const { fetch: undiciFetch, dispatcher } = await client;
    return undiciFetch(input, { ...init, dispatcher });
  };
}

// src/cli/rehearsal.ts
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
async function rehearse(options) {
  const { sandbox, logger } = options;
  const repo = DEFAULT_WORLD.repo;
  const [owner2, name] = repo.split("/");
  const octokit = createOctokit({
    baseUrl: sandbox.apiUrl,
    auth: sandbox.tokens.actions,
    timing: SANDBOX_TIMING,
    fetch: sandbox.fetch
  });
  const { data: main2 } = await octokit.rest.git.getRef({
    owner: owner2,
    repo: name,
    ref: `heads/${DEFAULT_WORLD.defaultBranch}`
  });
  const branch = `release/${options.version}`;
  const commit = await sandbox.control.addCommit(repo, {
    message: `Release ${options.version}`,
    branch,
    parents: [main2.object.sha],
    author: DEFAULT_WORLD.users.admin
  });
  const pull = await sandbox.control.addPullRequest(repo, {
    title: options.title ?? `Release ${options.version}`,
    head: branch,
    user: DEFAULT_WORLD.users.admin
  });
  logger.info(
    `rehearsal: ${options.version} to ${options.environment}, commit ${commit.sha.slice(0, 7)} in pull request #${pull.number}`
  );
  await options.prepare?.(pull.number);
  const env = options.env ?? process.env;
  const ctx = {
    owner: owner2,
    repo: name,
    sha: commit.sha,
    environment: options.environment,
    actor: DEFAULT_WORLD.users.admin,
    runId: String(Date.now()),
    runAttempt: 1,
    serverUrl: sandbox.url,
    runUrl: `${sandbox.url}/${repo}/actions/runs/rehearsal`,
    event: {},
    version: options.version,
    workspace: options.cwd,
    env,
    clock: options.clock ?? systemClock,
    logger,
    octokit,
    scrubber: SecretScrubber.fromEnv(options.config.secrets, env)
  };
  const release = await openRelease(ctx, options.config);
  const outcome = await runPhases(release, PHASES, { save: () => void 0 });
  await options.finished?.();
  const files = await writeViews(options, release.record.state.ids.issue, octokit, owner2, name);
  return {
    outcome,
    files,
    ...release.record.state.ids.issue ? { issue: release.record.state.ids.issue } : {}
  };
}
async function writeViews(options, issue, octokit, owner2, repo) {
  const dir = join(options.out, `${options.environment}-${options.version}`);
  await mkdir(dir, { recursive: true });
  const files = [];
  const write = async (file, text) => {
    const path = join(dir, file);
    await writeFile(path, text);
    files.push(path);
  };
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: owner2,
    repo,
    state: "all",
    per_page: 100
  });
  for (const found of issues) {
    if (found.pull_request || !found.body?.includes("<!-- shipgate:")) continue;
    const kind = found.body.includes("shipgate:rollback-issue") ? "rollback-issue" : found.number === issue ? "tracking-issue" : "issue";
    if (kind === "tracking-issue" || found.body.includes(options.version)) {
      await write(`${kind}-${found.number}.md`, `# #${found.number} ${found.title}

${found.body}`);
    }
  }
  const pulls2 = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner: owner2,
    repo,
    commit_sha: (await octokit.rest.git.getRef({ owner: owner2, repo, ref: `heads/release/${options.version}` })).data.object.sha
  });
  for (const pull of pulls2.data) {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: owner2,
      repo,
      issue_number: pull.number,
      per_page: 100
    });
    const sticky = comments.find((comment) => comment.body?.includes("<!-- shipgate:pr-comment"));
    if (sticky?.body) await write(`pr-comment-${pull.number}.md`, sticky.body);
  }
  const tags = await octokit.paginate(octokit.rest.git.listMatchingRefs, {
    owner: owner2,
    repo,
    ref: "tags/",
    per_page: 100
  });
  await write(
    "tags.txt",
    `${tags.map((tag) => `${tag.ref.replace("refs/tags/", "")} ${tag.object.sha}`).join("\n")}
`
  );
  return files;
}

// src/cli/commands/rehearse.ts
var usage2 = "shipgate rehearse [--config PATH] [--environment NAME] [--version V] [--url URL] [--out DIR] [--keep]";
var rehearseCommand = {
  summary: "Run a release against the embedded GitHub sandbox and show the issue, comment and tags it makes",
  usage: usage2,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs2({
        args,
        options: {
          config: { type: "string", short: "c" },
          environment: { type: "string", short: "e" },
          version: { type: "string" },
          url: { type: "string" },
          out: { type: "string" },
          keep: { type: "boolean" }
        },
        strict: true
      }));
    } catch (error) {
      io.stderr.write(`shipgate rehearse: ${errorMessage(error)}
usage: ${usage2}
`);
      return 2;
    }
    const cwd = io.cwd ?? process.cwd();
    const { config } = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH, { cwd });
    const environments = Object.keys(config.environments);
    const environment = values.environment ?? (environments.length === 1 ? environments[0] : void 0);
    if (!environment) {
      throw new ConfigurationError(`--environment: the config has ${environments.join(", ")}; name one`);
    }
    if (values.url) {
      const known2 = config.environments[environment];
      if (known2) known2.url = values.url;
    }
    const sandbox = await startSandbox();
    const logger = new ConsoleLogger(io.stdout, io.stderr);
    try {
      const result = await rehearse({
        config,
        environment,
        version: values.version ?? `v0.0.0-rehearsal.${Date.now()}`,
        sandbox,
        out: resolve(cwd, values.out ?? ".rehearsal"),
        logger,
        cwd
      });
      io.stdout.write(
        `
rehearsal ${result.outcome.outcome}${result.outcome.rolledBack ? " (rolled back)" : ""}
`
      );
      for (const file of result.files) io.stdout.write(`  ${file}
`);
      io.stdout.write(
        `sandbox: ${sandbox.url} (tracking issue: ${sandbox.apiUrl}/repos/acme/webshop/issues/${result.issue ?? "?"})
`
      );
      if (values.keep) {
        io.stdout.write("the sandbox keeps running; press Ctrl-C to stop\n");
        await new Promise((done) => process.once("SIGINT", () => done()));
      }
      return result.outcome.outcome === "failed" && !result.outcome.rolledBack ? 1 : 0;
    } finally {
      await sandbox.stop();
    }
  }
};

// src/cli/commands/sandbox.ts
import { parseArgs as parseArgs3 } from "node:util";
var usage3 = "shipgate sandbox [--port N] [--host ADDRESS] [--state FILE]";
var sandboxCommand = {
  summary: "Run the GitHub sandbox (a stateful GitHub REST server for tests and rehearsals) on loopback",
  usage: usage3,
  async run(args, io, signal) {
    let values;
    try {
      ({ values } = parseArgs3({
        args,
        options: { port: { type: "string" }, host: { type: "string" }, state: { type: "string" } },
        strict: true,
        allowPositionals: false
      }));
    } catch (error) {
      throw new ConfigurationError(`${error.message}
usage: ${usage3}`);
    }
    const port = values.port === void 0 ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigurationError(`--port: expected a port number from 0 to 65535, got '${values.port}'`);
    }
    const sandbox = await startSandbox({
      port,
      host: values.host ?? "127.0.0.1",
      ...values.state ? { statePath: values.state } : {}
    });
    const out = io.stdout;
    out.write(`GitHub sandbox listening on ${sandbox.url}
`);
    out.write(`  REST API     ${sandbox.apiUrl}   (GitHub Enterprise prefix: ${sandbox.ghesApiUrl})
`);
    out.write(`  control API  ${sandbox.url}/_sandbox/
`);
    if (values.state) out.write(`  state file   ${values.state}
`);
    out.write("  tokens\n");
    const world = sandbox.world();
    for (const [name, token] of Object.entries(sandbox.tokens)) {
      const login = world.tokens[token]?.login ?? "";
      if (name !== login) out.write(`    ${name.padEnd(9)} ${login.padEnd(20)} ${token}
`);
    }
    out.write(`export GITHUB_API_URL=${sandbox.apiUrl}
`);
    await new Promise((resolve2) => {
      const stop = () => resolve2();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      signal?.addEventListener("abort", stop, { once: true });
    });
    await sandbox.stop();
    out.write("GitHub sandbox stopped\n");
    return 0;
  }
};

// src/config/json-schema.ts
var SCHEMA_ID = "https://raw.githubusercontent.com/shipgate/shipgate/main/schema/shipgate.schema.json";
function configJsonSchema() {
  const generated = external_exports.toJSONSchema(ConfigSchema, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any"
  });
  const { $schema, title: _title, description: _description, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: "shipgate release config",
    description: "The release config in .github/shipgate.yml: one file that expresses a deployment runbook (preflight, backup, deploy, smoke, monitor, rollback).",
    ...rest
  };
}
function configJsonSchemaText() {
  return `${JSON.stringify(configJsonSchema(), null, 2)}
`;
}

// src/cli/commands/schema.ts
var schemaCommand = {
  summary: "Print the JSON Schema of the release config",
  usage: "shipgate schema",
  async run(args, io) {
    if (args.length > 0) {
      io.stderr.write(`shipgate schema: unexpected argument '${args[0]}'
usage: shipgate schema
`);
      return 2;
    }
    io.stdout.write(configJsonSchemaText());
    return 0;
  }
};

// src/cli/commands/validate.ts
import { parseArgs as parseArgs4 } from "node:util";
var usage4 = "shipgate validate [--config PATH]";
var validateCommand = {
  summary: `Check a release config (default ${DEFAULT_CONFIG_PATH}) and list every problem at its line`,
  usage: usage4,
  async run(args, io) {
    let config;
    try {
      ({
        values: { config }
      } = parseArgs4({ args, options: { config: { type: "string", short: "c" } }, strict: true }));
    } catch (error) {
      io.stderr.write(`shipgate validate: ${errorMessage(error)}
usage: ${usage4}
`);
      return 2;
    }
    const file = config ?? DEFAULT_CONFIG_PATH;
    let loaded;
    try {
      ({ config: loaded } = await loadConfig(file, io.cwd ? { cwd: io.cwd } : {}));
    } catch (error) {
      if (error instanceof ConfigurationError && process.env.GITHUB_ACTIONS === "true") {
        annotateProblems(new ActionsLogger(), error.problems);
      }
      throw error;
    }
    const counts = /* @__PURE__ */ new Map();
    for (const item of identifiedItems(loaded)) counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
    const environments = Object.keys(loaded.environments);
    const parts = [
      `${environments.length} environment${environments.length === 1 ? "" : "s"} (${environments.join(", ")})`,
      ...["check", "step", "manual item", "rule"].map((kind) => {
        const count = counts.get(kind) ?? 0;
        return `${count} ${kind}${count === 1 ? "" : "s"}`;
      })
    ];
    io.stdout.write(`${file}: valid release config for ${loaded.release.name}: ${parts.join(", ")}
`);
    return 0;
  }
};

// src/cli/commands/index.ts
var commands = {
  validate: validateCommand,
  schema: schemaCommand,
  plan: planCommand,
  rehearse: rehearseCommand,
  sandbox: sandboxCommand
};

// src/cli/main.ts
async function main(argv, io) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(helpText());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(
      `shipgate: unknown command '${name}'. Known commands: ${Object.keys(commands).join(", ")}
`
    );
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`usage: ${command.usage}

${command.summary}
`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr.write(`${error.message}
`);
      for (const problem of error.problems) io.stderr.write(`${formatProblem(problem)}
`);
      return 1;
    }
    io.stderr.write(`shipgate: internal error: ${errorMessage(error)}
`);
    if (error instanceof Error && error.stack) io.stderr.write(`${error.stack}
`);
    return 70;
  }
}
function helpText() {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: shipgate <command> [options]

commands:
${lines.join("\n")}
`;
}

// src/cli/bin.ts
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
