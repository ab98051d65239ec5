import { RequestError } from '@octokit/request-error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/octokit.ts';
import { DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import { FAST_TIMING, startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';

const owner = DEFAULT_WORLD.owner;
const repo = DEFAULT_WORLD.name;

async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; message: string; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestError) {
      const data = error.response?.data as { message?: string } | undefined;
      return { status: error.status, message: data?.message ?? error.message, data };
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('sandbox errors, as GitHub answers them', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('401: no token and unknown tokens', async () => {
    const anonymous = createOctokit({ baseUrl: sandbox.apiUrl, timing: FAST_TIMING });
    expect(await failure(anonymous.rest.repos.get({ owner, repo }))).toMatchObject({
      status: 401,
      message: 'Requires authentication',
    });
    const unknown = sandbox.octokit({ token: 'ghp_not_a_token' });
    const answer = await failure(unknown.rest.issues.get({ owner, repo, issue_number: 1 }));
    expect(answer).toMatchObject({ status: 401, message: 'Bad credentials' });
    expect(answer.data).toMatchObject({ documentation_url: expect.stringContaining('docs.github.com') });
  });

  it('403: a read-only user writing, a fork pull request token writing', async () => {
    const reader = sandbox.octokit('read');
    expect(
      await failure(reader.rest.issues.createLabel({ owner, repo, name: 'x', color: 'ffffff' })),
    ).toMatchObject({
      status: 403,
      message: 'Resource not accessible by integration',
    });
    const tip = (await reader.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data.object.sha;
    expect(
      await failure(reader.rest.git.createRef({ owner, repo, ref: 'refs/tags/nope', sha: tip })),
    ).toMatchObject({
      status: 403,
    });
    // Anyone who can read may open issues and comment; a fork PR's token may not write at all.
    expect(
      (await reader.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'me too' })).status,
    ).toBe(201);
    const fork = sandbox.octokit('forkPr');
    expect(
      await failure(fork.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'hi' })),
    ).toMatchObject({
      status: 403,
      message: 'Resource not accessible by integration',
    });
    expect((await fork.rest.issues.get({ owner, repo, issue_number: 3 })).status).toBe(200);
    // Triage may edit others' issues; read may not.
    expect(
      await failure(reader.rest.issues.update({ owner, repo, issue_number: 2, title: 'x' })),
    ).toMatchObject({
      status: 403,
    });
    expect(
      (await sandbox.octokit('triage').rest.issues.update({ owner, repo, issue_number: 3, labels: ['bug'] }))
        .status,
    ).toBe(200);
  });

  it('404: unknown repositories and issues, private repositories, hidden team memberships', async () => {
    const admin = sandbox.octokit('admin');
    expect((await failure(admin.rest.repos.get({ owner, repo: 'nope' }))).status).toBe(404);
    expect((await failure(admin.rest.issues.get({ owner, repo, issue_number: 999 }))).status).toBe(404);
    expect((await failure(admin.rest.pulls.get({ owner, repo, pull_number: 3 }))).status).toBe(404);
    expect((await failure(admin.rest.repos.getDeployment({ owner, repo, deployment_id: 1 }))).status).toBe(
      404,
    );
    expect((await failure(admin.rest.git.getRef({ owner, repo, ref: 'heads/nope' }))).status).toBe(404);
    const outsider = sandbox.octokit('outsider');
    expect(await failure(outsider.rest.repos.get({ owner, repo }))).toMatchObject({
      status: 404,
      message: 'Not Found',
    });
    // Not a member of the team: 404, like GitHub; an outsider cannot see the org's teams at all.
    expect(
      (
        await failure(
          admin.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'rae' }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await failure(
          outsider.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'qa', username: 'rae' }),
        )
      ).status,
    ).toBe(404);
  });

  it('422: bodies over 65,536 characters, missing fields, existing labels', async () => {
    const gh = sandbox.octokit('actions');
    const long = 'x'.repeat(65_537);
    const tooLong = await failure(gh.rest.issues.create({ owner, repo, title: 'Too long', body: long }));
    expect(tooLong).toMatchObject({ status: 422, message: 'Validation Failed' });
    expect(tooLong.data).toMatchObject({ errors: [{ field: 'body', code: 'custom' }] });
    expect(
      (await failure(gh.rest.issues.createComment({ owner, repo, issue_number: 3, body: long }))).status,
    ).toBe(422);
    expect((await failure(gh.rest.issues.update({ owner, repo, issue_number: 3, body: long }))).status).toBe(
      422,
    );
    // Exactly the limit is fine.
    const max = await gh.rest.issues.createComment({
      owner,
      repo,
      issue_number: 3,
      body: 'y'.repeat(65_536),
    });
    expect(max.status).toBe(201);
    expect(
      await failure(
        gh.request('POST /repos/{owner}/{repo}/issues', { owner, repo, body: 'no title' } as never),
      ),
    ).toMatchObject({
      status: 422,
      data: { errors: [{ field: 'title', code: 'missing_field' }] },
    });
    expect(
      await failure(gh.rest.issues.createLabel({ owner, repo, name: 'bug', color: 'ff0000' })),
    ).toMatchObject({
      status: 422,
      data: { errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] },
    });
    expect(await failure(gh.rest.repos.getCommit({ owner, repo, ref: 'no-such-branch' }))).toMatchObject({
      status: 422,
      message: 'No commit found for SHA: no-such-branch',
    });
    expect(await failure(gh.rest.repos.createDeployment({ owner, repo, ref: 'nope' }))).toMatchObject({
      status: 422,
      message: 'No ref found for: nope',
    });
  });

  it('422: references that exist, updates that are not fast forwards; force wins', async () => {
    const gh = sandbox.octokit('write');
    const main = (await gh.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data.object.sha;
    expect(
      await failure(gh.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1.0.0', sha: main })),
    ).toMatchObject({
      status: 422,
      message: 'Reference already exists',
    });
    const v100 = (await gh.rest.repos.getCommit({ owner, repo, ref: 'v1.0.0' })).data.sha;
    // Moving main back to v1.0.0 is not a fast forward ...
    expect(await failure(gh.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: v100 }))).toMatchObject(
      {
        status: 422,
        message: 'Update is not a fast forward',
      },
    );
    expect((await gh.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data.object.sha).toBe(main);
    // ... a commit added on top of main is (the control API adds commits with parents) ...
    const next = await sandbox.control.addCommit('acme/webshop', { message: 'Hotfix', parents: [main] });
    expect(
      (await gh.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: next.sha })).data.object.sha,
    ).toBe(next.sha);
    // ... and force moves it anywhere, recorded as a forced push.
    await sandbox.control.clearEvents();
    const forced = await gh.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: v100, force: true });
    expect(forced.data.object.sha).toBe(v100);
    const [push] = await sandbox.control.events({ name: 'push' });
    expect(push?.payload).toMatchObject({
      ref: 'refs/heads/main',
      before: next.sha,
      after: v100,
      forced: true,
    });
    expect(await failure(gh.rest.git.updateRef({ owner, repo, ref: 'heads/nope', sha: v100 }))).toMatchObject(
      {
        status: 422,
        message: 'Reference does not exist',
      },
    );
    expect(
      await failure(gh.rest.git.createRef({ owner, repo, ref: 'refs/tags/x', sha: 'f'.repeat(40) })),
    ).toMatchObject({
      status: 422,
      message: 'Object does not exist',
    });
  });

  it('409: a deployment whose required contexts are not green', async () => {
    const gh = sandbox.octokit('actions');
    await sandbox.control.addCheckRun('acme/webshop', {
      name: 'smoke',
      ref: 'feature/faster-checkout',
      conclusion: 'failure',
    });
    const conflict = await failure(
      gh.rest.repos.createDeployment({ owner, repo, ref: 'feature/faster-checkout', auto_merge: false }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.message).toBe('Conflict: Commit status checks failed for feature/faster-checkout.');
    const ok = await gh.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'feature/faster-checkout',
      auto_merge: false,
      required_contexts: [],
    });
    expect(ok.status).toBe(201);
  });

  it('400: a body that is not JSON', async () => {
    const res = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}/issues`, {
      method: 'POST',
      headers: { authorization: `token ${DEFAULT_WORLD.tokens.admin}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'Problems parsing JSON' });
  });
});
