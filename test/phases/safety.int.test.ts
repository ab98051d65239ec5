import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { createDeployPhase } from '../../src/engine/phases/deploy.ts';
import { preflightPhase } from '../../src/engine/phases/preflight.ts';
import { DEMO_APP_CTL, startDemoAppInProcess } from '../harness/demo-app.ts';
import { itemOf, OWNER, openTestRelease, REPO } from '../harness/release.ts';
import { useSandbox } from '../harness/sandbox.ts';

/**
 * What a release must survive whatever phase it is in: a hostile pull request, a planted secret,
 * and GitHub having a bad minute.
 */
const sandbox = useSandbox();
let app: RunningDemoApp;

beforeAll(async () => {
  app = await startDemoAppInProcess({ version: '1.0.0' });
});
afterAll(async () => {
  await app?.close();
});

const SECRET = 'sk-planted-7d1f0c2e9b-do-not-leak';

function config(environment: string) {
  return `version: 1
release: { name: demo }
environments:
  ${environment}: { url: '${app.url}' }
secrets: [API_TOKEN]
preflight:
  checks:
    - { id: token-echo, kind: command, run: 'echo "token is $API_TOKEN"' }
    - { id: token-fails, kind: command, run: 'echo "rejected $API_TOKEN" >&2; exit 1', required: false }
    - { id: title-check, kind: command, run: 'test -n "$SHIPGATE_PR_TITLE"' }
  steps:
    - { id: keep-title, run: 'printf %s "$SHIPGATE_PR_TITLE" > title.txt; printf %s "$SHIPGATE_BRANCH" > branch.txt' }
    - { id: echo-branch, run: 'echo "$SHIPGATE_BRANCH"; echo "$SHIPGATE_PR_TITLE"' }
deploy:
  steps:
    - { id: deploy-title, run: 'printf %s "$SHIPGATE_PR_TITLE" > deployed-title.txt; echo "deploying with $API_TOKEN"' }
    - id: deploy-app
      run: ['${process.execPath}', '${DEMO_APP_CTL}', deploy, --url, '{url}', --version, '{version}']
  health: { url: '{url}/health', timeout: 10s, interval: 200ms }
`;
}

describe('a hostile pull request and a planted secret', () => {
  it('never executes event text, logs it only as untrusted text, and leaks the secret nowhere', async () => {
    const tag = `${process.pid}-${Date.now()}`;
    const title = `::warning::fix: $(touch /tmp/pwned-${tag}-title)`;
    const branch = `::add-mask::feat/\`touch /tmp/pwned-${tag}-branch\``;
    const { release, ctx, logger, issueBody, commentBody } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'hostile',
      env: { API_TOKEN: SECRET },
      eventName: 'pull_request',
      event: { action: 'closed', pull_request: { number: 2, title, head: { ref: branch } } },
      configText: config('hostile'),
    });

    const preflight = await runPhase(preflightPhase, release);
    const deploy = await runPhase(createDeployPhase({ save: () => {} }), release);

    expect(preflight.outcome).toBe('passed');
    expect(deploy.outcome).toBe('passed');
    // Never executed, anywhere.
    expect(existsSync(`/tmp/pwned-${tag}-title`)).toBe(false);
    expect(existsSync(`/tmp/pwned-${tag}-branch`)).toBe(false);
    // Commands received the text unchanged, as data.
    expect(await readFile(join(ctx.workspace, 'title.txt'), 'utf8')).toBe(title);
    expect(await readFile(join(ctx.workspace, 'branch.txt'), 'utf8')).toBe(branch);
    expect(await readFile(join(ctx.workspace, 'deployed-title.txt'), 'utf8')).toBe(title);
    expect(itemOf(release, 'title-check').status).toBe('passed');
    // Every log line that starts like a workflow command went through the untrusted path.
    const commandLike = logger.lines.filter(
      (line) => /^\s*::|##\[/.test(line.text) || line.text.includes('::add-mask::'),
    );
    expect(commandLike.length).toBeGreaterThan(0);
    for (const line of commandLike) expect(line.level, line.text).toBe('untrusted');
    expect(logger.lines).toContainEqual({ level: 'untrusted', text: `pull request title: ${title}` });
    expect(logger.lines).toContainEqual({ level: 'untrusted', text: `branch: ${branch}` });

    // The secret: masked in every line logged, every item, the issue and the PR comment.
    const comment = await commentBody();
    expect(comment).toBeDefined();
    const body = await issueBody();
    expect(logger.text()).toContain('token is ***');
    expect(itemOf(release, 'token-fails').evidence?.excerpt).toBe('rejected ***');
    for (const [where, text] of [
      ['log', logger.text()],
      ['issue', body],
      ['comment', comment ?? ''],
      ['record', JSON.stringify(release.record.state)],
    ] as const) {
      expect(text, where).not.toContain(SECRET);
      expect(text, where).not.toContain(Buffer.from(SECRET).toString('base64'));
    }
  });
});

describe('GitHub has a bad minute', () => {
  it('the phases do their work through 502s and secondary rate limits, and the report catches up without duplicates', async () => {
    const sb = sandbox();
    const { release, ctx, logger, issueBody } = await openTestRelease({
      sandbox: sb,
      environment: 'flaky',
      env: { API_TOKEN: SECRET },
      event: { pull_request: { number: 2, title: 'calm title', head: { ref: 'feature/faster-checkout' } } },
      configText: config('flaky'),
    });
    const version = release.record.state.release.version;
    // Four 502s defeat one write's retries; twelve defeat three writes in a row.
    await sb.control.fault({ operationId: 'git/update-ref', kind: 'status', status: 502, count: 12 });
    await sb.control.fault({ operationId: 'issues/update', kind: 'secondary-rate-limit', count: 2 });
    await sb.control.fault({
      operationId: 'repos/create-deployment-status',
      kind: 'status',
      status: 503,
      count: 2,
    });

    const preflight = await runPhase(preflightPhase, release);
    const deploy = await runPhase(createDeployPhase({ save: () => {} }), release);

    expect(preflight.outcome).toBe('passed');
    expect(deploy.outcome).toBe('passed');
    expect(app.version()).toBe(version);
    expect(existsSync(join(ctx.workspace, 'title.txt'))).toBe(true);
    const faults = await sb.control.faults();
    expect(faults.find((fault) => fault.operationId === 'git/update-ref')?.triggered).toBe(12);
    // Some writes did fail during the phases, and said so without stopping them.
    expect(logger.lines.filter((line) => line.text.includes('it will catch up')).length).toBeGreaterThan(0);

    // The record on GitHub caught up: every item and both phases are there.
    const state = await release.record.refresh();
    for (const id of [
      'token-echo',
      'title-check',
      'keep-title',
      'echo-branch',
      'deploy-title',
      'deploy-app',
      'deploy:health',
    ])
      expect(state.items.find((item) => item.id === id)?.status, id).toBe('passed');
    expect(state.phases.deploy?.status).toBe('passed');
    expect(await issueBody()).toContain(`${version} deployed to flaky`);
    // Nothing twice: one issue, one comment on the PR, one deployment.
    const admin = sb.octokit('admin');
    const issues = await admin.paginate(admin.rest.issues.listForRepo, {
      owner: OWNER,
      repo: REPO,
      state: 'all',
      per_page: 100,
    });
    expect(issues.filter((issue) => issue.title.includes(version))).toHaveLength(1);
    const comments = await admin.paginate(admin.rest.issues.listComments, {
      owner: OWNER,
      repo: REPO,
      issue_number: 2,
      per_page: 100,
    });
    expect(comments.filter((comment) => comment.body?.includes(`flaky/${version}`))).toHaveLength(1);
    const { data: deployments } = await admin.rest.repos.listDeployments({
      owner: OWNER,
      repo: REPO,
      environment: 'flaky',
    });
    expect(deployments).toHaveLength(1);
    const { data: statuses } = await admin.rest.repos.listDeploymentStatuses({
      owner: OWNER,
      repo: REPO,
      deployment_id: deployments[0]!.id,
    });
    expect(statuses[0]?.state).toBe('success');
  });
});
