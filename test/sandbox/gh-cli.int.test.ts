import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultWorld, DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';
import { makeTestCertificate, type TestCertificate } from '../harness/tls.ts';

const run = promisify(execFile);

/**
 * The gh CLI (Debian's gh 2.23, a client nobody here wrote) against the sandbox as a GitHub
 * Enterprise host over TLS: REST at https://HOST/api/v3/, GraphQL at https://HOST/api/graphql,
 * the test certificate trusted through SSL_CERT_FILE. gh's issue commands speak GraphQL (the
 * sandbox serves the subset they use); `gh api` drives the REST operations directly.
 */
describe('the gh CLI against the sandbox', () => {
  let sandbox: TestSandbox;
  let cert: TestCertificate;
  let home: string;
  let host: string;

  beforeAll(async () => {
    cert = makeTestCertificate();
    sandbox = await startTestSandbox({ tls: { key: cert.key, cert: cert.cert } });
    host = `localhost:${new URL(sandbox.url).port}`;
    home = mkdtempSync(join(tmpdir(), 'shipgate-gh-'));
  });
  afterAll(async () => {
    await sandbox.stop();
    cert.remove();
    rmSync(home, { recursive: true, force: true });
  });

  async function gh(args: string[], token: string = DEFAULT_WORLD.tokens.write) {
    // Only what gh needs: no GH_TOKEN/GITHUB_TOKEN from the machine, a throwaway config dir.
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      GH_CONFIG_DIR: join(home, 'gh'),
      GH_HOST: host,
      GH_ENTERPRISE_TOKEN: token,
      SSL_CERT_FILE: cert.certPath,
      GH_PROMPT_DISABLED: '1',
      GH_NO_UPDATE_NOTIFIER: '1',
      NO_COLOR: '1',
    };
    try {
      const { stdout } = await run('gh', args, { env, timeout: 30_000 });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  it('lists, views, creates and comments on issues with gh api', async () => {
    const list = await gh(['api', 'repos/acme/webshop/issues']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { number: number }[]).map((i) => i.number)).toEqual([2, 3]);

    const view = await gh(['api', 'repos/acme/webshop/issues/3', '--jq', '.title']);
    expect(view.stdout.trim()).toBe('Checkout is slow on mobile');

    const created = await gh([
      'api',
      '-X',
      'POST',
      'repos/acme/webshop/issues',
      '-f',
      'title=Release v1.2.0',
      '-f',
      'body=- [ ] preflight',
      '-f',
      'labels[]=release',
    ]);
    expect(created.code).toBe(0);
    const issue = JSON.parse(created.stdout) as {
      number: number;
      labels: { name: string }[];
      user: { login: string };
    };
    expect(issue.number).toBe(4);
    expect(issue.labels.map((l) => l.name)).toEqual(['release']);
    expect(issue.user.login).toBe('wes');

    const comment = await gh(['api', 'repos/acme/webshop/issues/4/comments', '-f', 'body=Preflight passed']);
    expect(comment.code).toBe(0);
    expect(JSON.parse(comment.stdout).body).toBe('Preflight passed');

    const [opened] = await sandbox.control.events({ name: 'issues', action: 'opened' });
    expect(opened?.payload).toMatchObject({ sender: { login: 'wes' }, issue: { title: 'Release v1.2.0' } });
    const requests = await sandbox.control.requests({ user: 'wes' });
    expect(requests.map((r) => r.operationId)).toEqual([
      'issues/list-for-repo',
      'issues/get',
      'issues/create',
      'issues/create-comment',
    ]);
  });

  it('views deployments and their statuses with gh api', async () => {
    const deployments = await gh([
      'api',
      'repos/acme/webshop/deployments',
      '-f',
      'environment=production',
      '-X',
      'GET',
    ]);
    expect(deployments.code).toBe(0);
    const list = JSON.parse(deployments.stdout) as { id: number; ref: string }[];
    expect(list.map((d) => d.ref)).toEqual(['v1.1.0', 'v1.0.0']);
    const statuses = await gh([
      'api',
      `repos/acme/webshop/deployments/${list[0]!.id}/statuses`,
      '--jq',
      '.[].state',
    ]);
    expect(statuses.stdout.trim()).toBe('success');
  });

  it('follows link-header pagination (gh api --paginate) and sees GitHub’s errors', async () => {
    const world = createDefaultWorld();
    const repo = world.repos['acme/webshop']!;
    for (let i = 1; i <= 35; i += 1) {
      repo.comments.push({
        id: world.nextId++,
        issueNumber: 3,
        body: `c${i}`,
        user: 'rae',
        createdAt: '2026-03-01T10:00:00Z',
        updatedAt: '2026-03-01T10:00:00Z',
      });
    }
    await sandbox.control.seed(world);
    const all = await gh(['api', '--paginate', 'repos/acme/webshop/issues/3/comments', '--jq', '.[].body']);
    expect(all.stdout.trim().split('\n')).toHaveLength(35);

    const denied = await gh(
      ['api', '-X', 'POST', 'repos/acme/webshop/labels', '-f', 'name=x'],
      DEFAULT_WORLD.tokens.read,
    );
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Resource not accessible by integration (HTTP 403)');
    const bad = await gh(['api', 'repos/acme/webshop'], 'ghp_wrong');
    expect(bad.stderr).toContain('Bad credentials (HTTP 401)');
  });

  it('gh issue list, view, create and comment work through the GraphQL subset', async () => {
    await sandbox.control.reset();
    const repoArg = ['-R', `${host}/acme/webshop`];
    const list = await gh(['issue', 'list', ...repoArg]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^3\tOPEN\tCheckout is slow on mobile\tbug\t/m);

    const created = await gh([
      'issue',
      'create',
      ...repoArg,
      '-t',
      'Release v1.2.0',
      '-b',
      '- [ ] preflight',
      '-l',
      'bug',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/\/acme\/webshop\/issues\/4$/);

    const comment = await gh(['issue', 'comment', '4', ...repoArg, '-b', 'Preflight passed']);
    expect(comment.code).toBe(0);
    expect(comment.stdout.trim()).toMatch(/\/issues\/4#issuecomment-\d+$/);

    const view = await gh([
      'issue',
      'view',
      '4',
      ...repoArg,
      '--json',
      'number,title,body,state,author,labels,comments',
    ]);
    expect(view.code).toBe(0);
    expect(JSON.parse(view.stdout)).toMatchObject({
      number: 4,
      title: 'Release v1.2.0',
      body: '- [ ] preflight',
      state: 'OPEN',
      author: { login: 'wes' },
      labels: [{ name: 'bug' }],
      comments: [{ body: 'Preflight passed', author: { login: 'wes' } }],
    });
    const human = await gh(['issue', 'view', '4', ...repoArg, '--comments']);
    expect(human.stdout).toContain('Preflight passed');

    const search = await gh(['issue', 'list', ...repoArg, '--search', 'release', '--json', 'number']);
    expect(JSON.parse(search.stdout)).toEqual([{ number: 4 }]);

    // The same REST operations underneath: events, permissions and the request log agree.
    const opened = await sandbox.control.events({ name: 'issues', action: 'opened' });
    expect(opened.at(-1)?.payload).toMatchObject({ sender: { login: 'wes' }, issue: { number: 4 } });
    const denied = await gh(['issue', 'comment', '3', ...repoArg, '-b', 'no'], DEFAULT_WORLD.tokens.forkPr);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Resource not accessible by integration');
    const hidden = await gh(['issue', 'list', ...repoArg], DEFAULT_WORLD.tokens.outsider);
    expect(hidden.stderr).toContain("Could not resolve to a Repository with the name 'acme/webshop'.");
    const graphql = await sandbox.control.requests({ operationId: 'graphql' });
    expect(new Set(graphql.map((r) => r.route))).toEqual(
      new Set([
        'graphql Issue_fields',
        'graphql IssueList',
        'graphql RepositoryInfo',
        'graphql IssueCreate',
        'graphql IssueByNumber',
        'graphql CommentCreate',
        'graphql CommentsForIssue',
        'graphql RepositoryResolveMetadataIDs',
        'graphql IssueSearch',
      ]),
    );
  });
});
