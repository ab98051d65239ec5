import { makeCommit, objectSha } from './git-objects.ts';
import type { CommitRecord, GitPerson, RepoRole, TokenRecord, UserRecord, World } from './world.ts';

/**
 * The documented default world: what a sandbox started without a state file holds.
 *
 * - Organisation `acme`, repository `acme/webshop` (private, default branch `main`).
 * - Users and their role on the repository, each with a token:
 *
 *   | role     | login   | token                     | notes                                   |
 *   | -------- | ------- | ------------------------- | --------------------------------------- |
 *   | admin    | `ada`   | `ghp_sandbox_ada_admin`   | org admin, maintainer of team `sre`     |
 *   | maintain | `max`   | `ghp_sandbox_max_maintain`| team `sre`                              |
 *   | write    | `wes`   | `ghp_sandbox_wes_write`   | team `sre`                              |
 *   | triage   | `tia`   | `ghp_sandbox_tia_triage`  | maintainer of team `qa`                 |
 *   | read     | `rae`   | `ghp_sandbox_rae_read`    | team `qa`                               |
 *   | none     | `oscar` | `ghp_sandbox_oscar_none`  | not an org member; `pending` in `qa`    |
 *
 * - `github-actions[bot]` holds two installation tokens like a workflow's GITHUB_TOKEN:
 *   `ghs_sandbox_actions` (contents, issues, pull requests, deployments, statuses, checks, actions:
 *   write; members: read; 1,000 requests an hour) and `ghs_sandbox_fork_pr`, the same but flagged
 *   read-only like the token of a pull request from a fork.
 * - Teams `acme/qa` and `acme/sre` (memberships above; `oscar` is `pending` in `qa`).
 * - History of `main`: Initial commit, Add product catalogue, Release 1.0.0 (tag `v1.0.0`,
 *   lightweight), Add payments (#1) (merge of pull request #1), Release 1.1.0 (tag `v1.1.0`,
 *   annotated). Branch `feature/faster-checkout` is one commit ahead of `main`, open as pull
 *   request #2. Issue #3 is an open bug.
 * - Environments `staging` and `production` (production requires a review by team `sre`); one
 *   deployment of v1.0.0 (inactive) and one of v1.1.0 (success) to production.
 * - Workflows `release.yml` and `rollback.yml`; workflow run 100 waiting on production, approved by ada.
 * - Check runs `build` and `test` and commit status `ci/lint`, all green, on the tip of `main`.
 */
export const DEFAULT_WORLD = {
  org: 'acme',
  repo: 'acme/webshop',
  owner: 'acme',
  name: 'webshop',
  defaultBranch: 'main',
  users: {
    admin: 'ada',
    maintain: 'max',
    write: 'wes',
    triage: 'tia',
    read: 'rae',
    outsider: 'oscar',
    actions: 'github-actions[bot]',
  },
  tokens: {
    admin: 'ghp_sandbox_ada_admin',
    maintain: 'ghp_sandbox_max_maintain',
    write: 'ghp_sandbox_wes_write',
    triage: 'ghp_sandbox_tia_triage',
    read: 'ghp_sandbox_rae_read',
    outsider: 'ghp_sandbox_oscar_none',
    actions: 'ghs_sandbox_actions',
    forkPr: 'ghs_sandbox_fork_pr',
  },
  teams: { qa: 'qa', sre: 'sre' },
  tags: ['v1.0.0', 'v1.1.0'],
  featureBranch: 'feature/faster-checkout',
  pulls: { merged: 1, open: 2 },
  issues: { bug: 3 },
  workflows: { release: 'release.yml', rollback: 'rollback.yml' },
  workflowRunAwaitingApproval: 100,
  environments: ['staging', 'production'],
} as const;

export type DefaultRole = keyof typeof DEFAULT_WORLD.tokens;

const GITHUB_TOKEN_PERMISSIONS: TokenRecord['permissions'] = {
  actions: 'write',
  checks: 'write',
  contents: 'write',
  deployments: 'write',
  environments: 'read',
  issues: 'write',
  members: 'read',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'write',
};

function person(login: string, date: string): GitPerson {
  return { name: login === 'ada' ? 'Ada Admin' : login, email: `${login}@acme.test`, date };
}

/** A fresh copy of the default world (callers may mutate it). */
export function createDefaultWorld(): World {
  const world: World = {
    version: 1,
    nextId: 1000,
    users: {},
    tokens: {},
    orgs: {},
    teams: {},
    repos: {},
    events: [],
  };
  const id = () => world.nextId++;
  const addUser = (login: string, type: UserRecord['type'] = 'User', name?: string) => {
    const user: UserRecord = { id: id(), login, type };
    if (name) user.name = name;
    world.users[login] = user;
  };
  addUser('acme', 'Organization', 'Acme Inc.');
  addUser('ada', 'User', 'Ada Admin');
  addUser('max', 'User', 'Max Maintainer');
  addUser('wes', 'User', 'Wes Writer');
  addUser('tia', 'User', 'Tia Triager');
  addUser('rae', 'User', 'Rae Reader');
  addUser('oscar', 'User', 'Oscar Outsider');
  addUser('github-actions[bot]', 'Bot');

  const t = DEFAULT_WORLD.tokens;
  world.tokens[t.admin] = { login: 'ada', kind: 'user' };
  world.tokens[t.maintain] = { login: 'max', kind: 'user' };
  world.tokens[t.write] = { login: 'wes', kind: 'user' };
  world.tokens[t.triage] = { login: 'tia', kind: 'user' };
  world.tokens[t.read] = { login: 'rae', kind: 'user' };
  world.tokens[t.outsider] = { login: 'oscar', kind: 'user' };
  world.tokens[t.actions] = {
    login: 'github-actions[bot]',
    kind: 'installation',
    permissions: GITHUB_TOKEN_PERMISSIONS,
  };
  world.tokens[t.forkPr] = {
    login: 'github-actions[bot]',
    kind: 'installation',
    permissions: GITHUB_TOKEN_PERMISSIONS,
    readOnly: true,
  };

  world.orgs.acme = {
    id: world.users.acme!.id,
    login: 'acme',
    description: 'The sandbox organisation',
    members: { ada: 'admin', max: 'member', wes: 'member', tia: 'member', rae: 'member' },
  };
  world.teams['acme/qa'] = {
    id: id(),
    org: 'acme',
    slug: 'qa',
    name: 'QA',
    description: 'Quality assurance; signs off releases',
    privacy: 'closed',
    members: {
      tia: { role: 'maintainer', state: 'active' },
      rae: { role: 'member', state: 'active' },
      oscar: { role: 'member', state: 'pending' },
    },
  };
  world.teams['acme/sre'] = {
    id: id(),
    org: 'acme',
    slug: 'sre',
    name: 'SRE',
    description: 'Site reliability; approves production deployments',
    privacy: 'closed',
    members: {
      ada: { role: 'maintainer', state: 'active' },
      max: { role: 'member', state: 'active' },
      wes: { role: 'member', state: 'active' },
    },
  };

  const created = '2026-01-05T09:00:00Z';
  const commits: CommitRecord[] = [];
  const commit = (message: string, parents: string[], login: string, date: string) => {
    const c = makeCommit({ message, parents, author: person(login, date), authorLogin: login });
    commits.push(c);
    return c;
  };
  const c1 = commit('Initial commit', [], 'ada', '2026-01-05T09:00:00Z');
  const c2 = commit('Add product catalogue', [c1.sha], 'wes', '2026-01-12T10:00:00Z');
  const c3 = commit('Release 1.0.0', [c2.sha], 'max', '2026-01-19T11:00:00Z');
  const c4 = commit('Add payments (#1)', [c3.sha], 'wes', '2026-02-02T12:00:00Z');
  const c5 = commit('Release 1.1.0', [c4.sha], 'max', '2026-02-09T13:00:00Z');
  const c6 = commit('Make checkout faster', [c5.sha], 'wes', '2026-02-16T14:00:00Z');
  const paymentsHead = commit('Accept card payments', [c3.sha], 'wes', '2026-01-26T12:00:00Z');

  const tagDate = '2026-02-09T13:05:00Z';
  const tagContent = `object ${c5.sha}\ntype commit\ntag v1.1.0\ntagger Max <max@acme.test> ${tagDate}\n\nRelease 1.1.0`;
  const tagSha = objectSha('tag', tagContent);

  const collaborators: Record<string, RepoRole> = {
    ada: 'admin',
    max: 'maintain',
    wes: 'write',
    tia: 'triage',
    rae: 'read',
  };
  const labelId = () => id();
  const repoId = id();
  const prMergedId = id();
  const prOpenId = id();
  world.repos['acme/webshop'] = {
    id: repoId,
    owner: 'acme',
    name: 'webshop',
    private: true,
    description: 'The shop the sandbox deploys',
    defaultBranch: 'main',
    createdAt: created,
    updatedAt: '2026-02-16T14:00:00Z',
    pushedAt: '2026-02-16T14:00:00Z',
    collaborators,
    teams: {},
    labels: [
      { id: labelId(), name: 'bug', color: 'd73a4a', description: "Something isn't working", default: true },
      {
        id: labelId(),
        name: 'documentation',
        color: '0075ca',
        description: 'Improvements to docs',
        default: true,
      },
      {
        id: labelId(),
        name: 'enhancement',
        color: 'a2eeef',
        description: 'New feature or request',
        default: true,
      },
    ],
    issues: [
      {
        id: id(),
        number: 1,
        title: 'Add payments',
        body: 'Card payments through the payment provider.',
        user: 'wes',
        state: 'closed',
        stateReason: null,
        labels: ['enhancement'],
        assignees: [],
        locked: false,
        comments: 0,
        createdAt: '2026-01-26T12:00:00Z',
        updatedAt: '2026-02-02T12:00:00Z',
        closedAt: '2026-02-02T12:00:00Z',
        closedBy: 'max',
        pull: {
          id: prMergedId,
          head: { ref: 'feature/payments', sha: paymentsHead.sha },
          base: { ref: 'main', sha: c3.sha },
          draft: false,
          merged: true,
          mergedAt: '2026-02-02T12:00:00Z',
          mergedBy: 'max',
          mergeCommitSha: c4.sha,
        },
      },
      {
        id: id(),
        number: 2,
        title: 'Make checkout faster',
        body: 'Caches the basket between steps.',
        user: 'wes',
        state: 'open',
        stateReason: null,
        labels: [],
        assignees: [],
        locked: false,
        comments: 0,
        createdAt: '2026-02-16T14:00:00Z',
        updatedAt: '2026-02-16T14:00:00Z',
        closedAt: null,
        closedBy: null,
        pull: {
          id: prOpenId,
          head: { ref: 'feature/faster-checkout', sha: c6.sha },
          base: { ref: 'main', sha: c5.sha },
          draft: false,
          merged: false,
          mergedAt: null,
          mergedBy: null,
          mergeCommitSha: null,
        },
      },
      {
        id: id(),
        number: 3,
        title: 'Checkout is slow on mobile',
        body: 'Takes 4 seconds on a phone.',
        user: 'rae',
        state: 'open',
        stateReason: null,
        labels: ['bug'],
        assignees: [],
        locked: false,
        comments: 0,
        createdAt: '2026-02-10T08:00:00Z',
        updatedAt: '2026-02-10T08:00:00Z',
        closedAt: null,
        closedBy: null,
      },
    ],
    comments: [],
    commits: Object.fromEntries(commits.map((c) => [c.sha, c])),
    tagObjects: {
      [tagSha]: {
        sha: tagSha,
        tag: 'v1.1.0',
        message: 'Release 1.1.0',
        tagger: { name: 'Max', email: 'max@acme.test', date: tagDate },
        object: { sha: c5.sha, type: 'commit' },
      },
    },
    refs: {
      'refs/heads/main': c5.sha,
      'refs/heads/feature/faster-checkout': c6.sha,
      'refs/tags/v1.0.0': c3.sha,
      'refs/tags/v1.1.0': tagSha,
    },
    deployments: [],
    environments: [
      { id: id(), name: 'staging', createdAt: created, updatedAt: created, reviewers: [], waitTimer: 0 },
      {
        id: id(),
        name: 'production',
        createdAt: created,
        updatedAt: created,
        reviewers: [{ type: 'Team', name: 'sre' }],
        waitTimer: 0,
      },
    ],
    checkRuns: [],
    statuses: [],
    workflows: [
      { id: id(), name: 'Release', path: '.github/workflows/release.yml' },
      { id: id(), name: 'Rollback', path: '.github/workflows/rollback.yml' },
    ],
    workflowRuns: [],
  };
  const repo = world.repos['acme/webshop'];
  const firstDeploy = id();
  const secondDeploy = id();
  repo.deployments.push(
    {
      id: firstDeploy,
      sha: c3.sha,
      ref: 'v1.0.0',
      task: 'deploy',
      environment: 'production',
      originalEnvironment: 'production',
      description: 'Release 1.0.0',
      payload: {},
      creator: 'github-actions[bot]',
      transientEnvironment: false,
      productionEnvironment: true,
      createdAt: '2026-01-19T12:00:00Z',
      updatedAt: '2026-02-09T14:00:00Z',
      statuses: [
        status(id(), 'success', '2026-01-19T12:10:00Z'),
        status(id(), 'inactive', '2026-02-09T14:10:00Z'),
      ],
    },
    {
      id: secondDeploy,
      sha: c5.sha,
      ref: 'v1.1.0',
      task: 'deploy',
      environment: 'production',
      originalEnvironment: 'production',
      description: 'Release 1.1.0',
      payload: {},
      creator: 'github-actions[bot]',
      transientEnvironment: false,
      productionEnvironment: true,
      createdAt: '2026-02-09T14:00:00Z',
      updatedAt: '2026-02-09T14:10:00Z',
      statuses: [status(id(), 'success', '2026-02-09T14:10:00Z')],
    },
  );
  for (const name of ['build', 'test']) {
    repo.checkRuns.push({
      id: id(),
      headSha: c5.sha,
      name,
      status: 'completed',
      conclusion: 'success',
      startedAt: '2026-02-09T13:01:00Z',
      completedAt: '2026-02-09T13:04:00Z',
      detailsUrl: null,
      title: null,
      summary: null,
    });
  }
  repo.statuses.push({
    id: id(),
    sha: c5.sha,
    state: 'success',
    context: 'ci/lint',
    description: 'Lint passed',
    targetUrl: null,
    creator: 'github-actions[bot]',
    createdAt: '2026-02-09T13:02:00Z',
    updatedAt: '2026-02-09T13:02:00Z',
  });
  repo.workflowRuns.push({
    id: DEFAULT_WORLD.workflowRunAwaitingApproval,
    workflowId: repo.workflows[0]!.id,
    headSha: c5.sha,
    approvals: [{ environments: ['production'], state: 'approved', user: 'ada', comment: 'Ship it' }],
  });
  return world;
}

function status(id: number, state: 'success' | 'inactive', at: string) {
  return {
    id,
    state,
    creator: 'github-actions[bot]',
    description: '',
    environment: 'production',
    targetUrl: '',
    logUrl: '',
    environmentUrl: 'https://shop.acme.test',
    createdAt: at,
    updatedAt: at,
  };
}
