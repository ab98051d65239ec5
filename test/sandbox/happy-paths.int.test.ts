import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD, ROUTES } from '../../src/sandbox/index.ts';
import { githubSpec } from '../harness/openapi-contract.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';

const owner = DEFAULT_WORLD.owner;
const repo = DEFAULT_WORLD.name;

describe('sandbox happy paths through Octokit', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ validate: process.env.NOVALIDATE !== '1' });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('serves the repository, collaborators and team memberships of the default world', async () => {
    const gh = sandbox.octokit('admin');
    const { data: r } = await gh.rest.repos.get({ owner, repo });
    expect(r.full_name).toBe('acme/webshop');
    expect(r.default_branch).toBe('main');
    expect(r.permissions?.admin).toBe(true);

    const roles = Object.entries(DEFAULT_WORLD.users).filter(([role]) =>
      ['admin', 'maintain', 'write', 'triage', 'read'].includes(role),
    );
    for (const [role, username] of roles) {
      const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
      expect(data.role_name).toBe(role);
    }
    const { data: outsider } = await gh.rest.repos.getCollaboratorPermissionLevel({
      owner,
      repo,
      username: 'oscar',
    });
    expect(outsider.permission).toBe('none');

    const active = await gh.rest.teams.getMembershipForUserInOrg({
      org: 'acme',
      team_slug: 'qa',
      username: 'rae',
    });
    expect(active.data.state).toBe('active');
    const pending = await gh.rest.teams.getMembershipForUserInOrg({
      org: 'acme',
      team_slug: 'qa',
      username: 'oscar',
    });
    expect(pending.data.state).toBe('pending');
    const members = await gh.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'sre' });
    expect(members.data.map((m) => m.login).sort()).toEqual(['ada', 'max', 'wes']);
    const team = await gh.rest.teams.getByName({ org: 'acme', team_slug: 'sre' });
    expect(team.data.slug).toBe('sre');
    const me = await gh.rest.users.getAuthenticated();
    expect(me.data.login).toBe('ada');
    const other = await gh.rest.users.getByUsername({ username: 'rae' });
    expect(other.data.login).toBe('rae');
    await expect(gh.rest.repos.checkCollaborator({ owner, repo, username: 'wes' })).resolves.toMatchObject({
      status: 204,
    });
  });

  it('creates, reads, updates and lists issues, labels and comments', async () => {
    const gh = sandbox.octokit('actions');
    const label = await gh.rest.issues.createLabel({ owner, repo, name: 'release', color: '0e8a16' });
    expect(label.status).toBe(201);
    expect((await gh.rest.issues.getLabel({ owner, repo, name: 'release' })).data.color).toBe('0e8a16');
    expect((await gh.rest.issues.listLabelsForRepo({ owner, repo })).data.map((l) => l.name)).toContain(
      'release',
    );

    const created = await gh.rest.issues.create({
      owner,
      repo,
      title: 'Release v1.2.0',
      body: '- [ ] preflight',
      labels: ['release'],
    });
    expect(created.status).toBe(201);
    const number = created.data.number;
    expect(number).toBe(4);
    const got = await gh.rest.issues.get({ owner, repo, issue_number: number });
    expect(got.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['release']);

    const updated = await gh.rest.issues.update({
      owner,
      repo,
      issue_number: number,
      body: '- [x] preflight',
    });
    expect(updated.data.body).toBe('- [x] preflight');

    const listed = await gh.rest.issues.listForRepo({ owner, repo, labels: 'release', state: 'open' });
    expect(listed.data.map((i) => i.number)).toEqual([number]);
    const asc = await gh.rest.issues.listForRepo({
      owner,
      repo,
      state: 'all',
      sort: 'created',
      direction: 'asc',
    });
    expect(asc.data.map((i) => i.number)).toEqual([1, 3, 2, 4]);

    const comment = await gh.rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: 'Started',
    });
    expect(comment.status).toBe(201);
    const edited = await gh.rest.issues.updateComment({
      owner,
      repo,
      comment_id: comment.data.id,
      body: 'Done',
    });
    expect(edited.data.body).toBe('Done');
    expect((await gh.rest.issues.getComment({ owner, repo, comment_id: comment.data.id })).data.body).toBe(
      'Done',
    );
    const comments = await gh.rest.issues.listComments({ owner, repo, issue_number: number });
    expect(comments.data).toHaveLength(1);
    expect((await gh.rest.issues.get({ owner, repo, issue_number: number })).data.comments).toBe(1);
    await gh.rest.issues.deleteComment({ owner, repo, comment_id: comment.data.id });
    expect((await gh.rest.issues.listComments({ owner, repo, issue_number: number })).data).toHaveLength(0);

    const added = await gh.rest.issues.addLabels({ owner, repo, issue_number: number, labels: ['bug'] });
    expect(added.data.map((l) => l.name).sort()).toEqual(['bug', 'release']);
    const onIssue = await gh.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: number });
    expect(onIssue.data.map((l) => l.name).sort()).toEqual(['bug', 'release']);
    const removed = await gh.rest.issues.removeLabel({ owner, repo, issue_number: number, name: 'bug' });
    expect(removed.data.map((l) => l.name)).toEqual(['release']);
    await gh.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'On the bug' });
    const everywhere = await gh.rest.issues.listCommentsForRepo({
      owner,
      repo,
      sort: 'created',
      direction: 'desc',
    });
    expect(everywhere.data[0]?.body).toBe('On the bug');
    const closed = await gh.rest.issues.update({ owner, repo, issue_number: number, state: 'closed' });
    expect(closed.data.state).toBe('closed');
    expect(closed.data.closed_by?.login).toBe('github-actions[bot]');
  });

  it('serves pull requests and the pull requests of a commit', async () => {
    const gh = sandbox.octokit('read');
    const open = await gh.rest.pulls.list({ owner, repo });
    expect(open.data.map((p) => p.number)).toEqual([2]);
    const all = await gh.rest.pulls.list({ owner, repo, state: 'all' });
    expect(all.data).toHaveLength(2);
    const merged = await gh.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(merged.data.merged).toBe(true);
    const mergeSha = merged.data.merge_commit_sha!;
    const forCommit = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: mergeSha,
    });
    expect(forCommit.data.map((p) => p.number)).toEqual([1]);
    const head = (await gh.rest.pulls.get({ owner, repo, pull_number: 2 })).data.head.sha;
    const forHead = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: head,
    });
    expect(forHead.data.map((p) => p.number)).toEqual([2]);
  });

  it('serves git data: commits, refs, annotated tags', async () => {
    const gh = sandbox.octokit('write');
    const main = await gh.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    const tip = main.data.object.sha;
    const commit = await gh.rest.repos.getCommit({ owner, repo, ref: 'main' });
    expect(commit.data.sha).toBe(tip);
    expect(commit.data.commit.message).toBe('Release 1.1.0');
    const byTag = await gh.rest.repos.getCommit({ owner, repo, ref: 'v1.0.0' });
    expect(byTag.data.commit.message).toBe('Release 1.0.0');
    const gitCommit = await gh.rest.git.getCommit({ owner, repo, commit_sha: tip });
    expect(gitCommit.data.parents).toHaveLength(1);
    const history = await gh.rest.repos.listCommits({ owner, repo });
    expect(history.data.map((c) => c.commit.message)).toEqual([
      'Release 1.1.0',
      'Add payments (#1)',
      'Release 1.0.0',
      'Add product catalogue',
      'Initial commit',
    ]);
    const compared = await gh.rest.repos.compareCommits({ owner, repo, base: 'v1.0.0', head: 'main' });
    expect(compared.data).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
    expect(compared.data.commits.map((c) => c.commit.message)).toEqual([
      'Add payments (#1)',
      'Release 1.1.0',
    ]);

    const tags = await gh.rest.git.listMatchingRefs({ owner, repo, ref: 'tags/v1' });
    expect(tags.data.map((r) => r.ref)).toEqual(['refs/tags/v1.0.0', 'refs/tags/v1.1.0']);
    expect(tags.data[1]?.object.type).toBe('tag');
    const annotated = await gh.rest.git.getTag({ owner, repo, tag_sha: tags.data[1]!.object.sha });
    expect(annotated.data.object.sha).toBe(tip);

    const tag = await gh.rest.git.createTag({
      owner,
      repo,
      tag: 'rollback-point-1',
      message: 'Rollback point',
      object: tip,
      type: 'commit',
    });
    expect(tag.status).toBe(201);
    const ref = await gh.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/tags/rollback-point-1',
      sha: tag.data.sha,
    });
    expect(ref.data.object.type).toBe('tag');

    const tree = gitCommit.data.tree.sha;
    const child = await gh.rest.git.createCommit({ owner, repo, message: 'Next', tree, parents: [tip] });
    const moved = await gh.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: child.data.sha });
    expect(moved.data.object.sha).toBe(child.data.sha);
    await gh.rest.git.createRef({ owner, repo, ref: 'refs/heads/temp', sha: tip });
    expect((await gh.rest.git.deleteRef({ owner, repo, ref: 'heads/temp' })).status).toBe(204);
  });

  it('serves deployments, deployment statuses and environments', async () => {
    const gh = sandbox.octokit('actions');
    const created = await gh.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'v1.1.0',
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      payload: { version: 'v1.1.0' },
      description: 'Deploy v1.1.0',
    });
    expect(created.status).toBe(201);
    if (!('id' in created.data)) throw new Error('expected a deployment');
    const id = created.data.id;
    for (const state of ['in_progress', 'success'] as const) {
      const s = await gh.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state,
        environment_url: 'https://staging.acme.test',
        log_url: 'https://ci.acme.test/1',
        auto_inactive: true,
      });
      expect(s.data.state).toBe(state);
    }
    const statuses = await gh.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id });
    expect(statuses.data.map((s) => s.state)).toEqual(['success', 'in_progress']);
    const one = await gh.rest.repos.getDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      status_id: statuses.data[0]!.id,
    });
    expect(one.data.environment_url).toBe('https://staging.acme.test');
    const got = await gh.rest.repos.getDeployment({ owner, repo, deployment_id: id });
    expect(got.data.payload).toEqual({ version: 'v1.1.0' });
    const listed = await gh.rest.repos.listDeployments({ owner, repo, environment: 'production' });
    expect(listed.data.map((d) => d.ref)).toEqual(['v1.1.0', 'v1.0.0']);
    const envs = await gh.rest.repos.getAllEnvironments({ owner, repo });
    expect(envs.data.environments?.map((e) => e.name)).toEqual(['staging', 'production']);
    const prod = await gh.rest.repos.getEnvironment({ owner, repo, environment_name: 'production' });
    expect(prod.data.protection_rules?.[0]?.type).toBe('required_reviewers');

    // auto_merge: with main ahead of the topic branch, GitHub merges main in and answers 202.
    await sandbox.control.addCommit('acme/webshop', { message: 'Hotfix on main', branch: 'main' });
    const merged = await gh.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'feature/faster-checkout',
      environment: 'staging',
      required_contexts: [],
    });
    expect(merged.status).toBe(202);
    expect(merged.data).toEqual({ message: 'Auto-merged main into feature/faster-checkout on deployment.' });
    const again = await gh.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'feature/faster-checkout',
      environment: 'staging',
      required_contexts: [],
    });
    expect(again.status).toBe(201);
  });

  it('serves check runs, combined status, commit statuses, approvals, dispatches and the rate limit', async () => {
    const gh = sandbox.octokit('actions');
    const checks = await gh.rest.checks.listForRef({ owner, repo, ref: 'v1.1.0' });
    expect(checks.data.total_count).toBe(2);
    const combined = await gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref: 'v1.1.0' });
    expect(combined.data.state).toBe('success');
    const sha = combined.data.sha;
    const status = await gh.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      state: 'pending',
      context: 'smoke',
    });
    expect(status.status).toBe(201);
    expect((await gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha })).data.state).toBe(
      'pending',
    );
    const statuses = await gh.rest.repos.listCommitStatusesForRef({ owner, repo, ref: sha });
    expect(statuses.data.map((s) => s.context)).toEqual(['smoke', 'ci/lint']);
    const approvals = await gh.rest.actions.getReviewsForRun({
      owner,
      repo,
      run_id: DEFAULT_WORLD.workflowRunAwaitingApproval,
    });
    expect(approvals.data[0]?.user.login).toBe('ada');
    expect(approvals.data[0]?.comment).toBe('Ship it');
    const dispatched = await gh.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: 'rollback.yml',
      ref: 'main',
      inputs: { reason: 'smoke failed' },
    });
    expect(dispatched.status).toBe(204);
    const events = await sandbox.control.events({ name: 'workflow_dispatch' });
    expect(events.at(-1)?.payload.inputs).toEqual({ reason: 'smoke failed' });
    const rate = await gh.rest.rateLimit.get();
    expect(rate.data.resources.core.limit).toBe(1000);
  });

  it('serves the same API under the GitHub Enterprise prefix /api/v3', async () => {
    const gh = sandbox.octokit('read', { baseUrl: sandbox.ghesApiUrl });
    const { data } = await gh.rest.repos.get({ owner, repo });
    expect(data.url).toBe(`${sandbox.ghesApiUrl}/repos/acme/webshop`);
  });

  // Runs last: the figure for the report. Every operation the sandbox serves is GitHub's (same
  // path template, method and operationId in api.github.com's description), and every one was
  // exercised above with its request and 2xx response validated against that description.
  it('serves only GitHub operations and validated every one of them against the OpenAPI description', async () => {
    const paths = githubSpec().paths as Record<string, Record<string, { operationId?: string }>>;
    const mismatched = ROUTES.filter(
      (r) => paths[r.path]?.[r.method.toLowerCase()]?.operationId !== r.operationId,
    );
    expect(mismatched.map((r) => `${r.method} ${r.path} ${r.operationId}`)).toEqual([]);
    const served = ROUTES.map((r) => r.operationId);
    const unvalidated = served.filter((id) => !sandbox.contract.validatedSuccess.has(id));
    expect(unvalidated).toEqual([]);
    console.info(
      `sandbox serves ${served.length} GitHub REST operations; ${served.length - unvalidated.length} validated against the OpenAPI description (api.github.com) in this file`,
    );
  });
});
