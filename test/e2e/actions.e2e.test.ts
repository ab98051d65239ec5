import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemoApp, startDemoApp } from '../../examples/demo-app/app.ts';
import { readItemLines } from '../../src/report/ticks.ts';
import { DEMO_APP_CTL } from '../harness/demo-app.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';
import {
  createWorkspace,
  describeRun,
  issueBody,
  OWNER,
  pushEvent,
  REPO,
  type RunFacts,
  step,
  type Workspace,
} from './workflow.ts';

/**
 * Each action run as the runner runs it (node dist/actions/<entry>.js with INPUT_*, the command
 * files and the event payload) against the sandbox: what a person sees in the job log, the step's
 * outputs and summary, and the step's status.
 */

let sandbox: TestSandbox;
let app: RunningDemoApp;
let main: string;
let workspace: Workspace | undefined;
let runs = 5000;

beforeAll(async () => {
  [sandbox, app] = await Promise.all([startTestSandbox(), startDemoApp({ version: 'v1.1.0' })]);
  main = (await sandbox.octokit('admin').rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' }))
    .data.object.sha;
});
afterEach(async () => {
  await workspace?.dispose();
  workspace = undefined;
});
afterAll(async () => {
  await app?.close();
  await sandbox?.stop();
});

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    release: { name: 'webshop', version: { from: 'input' } },
    environments: { production: { url: app.url, production: true } },
    preflight: {
      checks: [
        { id: 'app-reachable', kind: 'http', name: 'The app answers on /health', url: '{url}/health' },
      ],
    },
    deploy: {
      steps: [
        {
          id: 'deploy-app',
          run: [process.execPath, DEMO_APP_CTL, 'deploy', '--url', '{url}', '--version', '{version}'],
        },
      ],
    },
    ...extra,
  };
}

async function facts(
  value: Record<string, unknown> | string,
  extra: Partial<RunFacts> = {},
): Promise<RunFacts> {
  workspace = await createWorkspace(value);
  return { sandbox, workspace, sha: main, event: pushEvent(main, main), runId: runs++, ...extra };
}

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

describe('the bundled actions, as the runner runs them', () => {
  it('preflight passes: outputs, the checklist in the job summary, exit 0', async () => {
    const job = await facts(config());
    const run = await step(job, 'preflight', { environment: 'production', version: 'v5.0.0' });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'passed', version: 'v5.0.0' });
    const issue = Number(run.outputs.issue);
    expect(issue).toBeGreaterThan(0);
    // The job summary carries the checklist, with the check ticked.
    expect(run.summary).toContain('v5.0.0');
    expect(run.summary).toMatch(/- \[x\] .*The app answers on \/health/);
    // The tracking issue holds the same tick.
    expect(readItemLines(await issueBody(sandbox, issue)).get('app-reachable')?.ticked).toBe(true);
    expect(run.stdout).not.toContain('::error');
  });

  it('preflight fails: exit 1 with an ::error:: annotation that names the check, outcome failed', async () => {
    const job = await facts(
      config({
        preflight: {
          checks: [
            { id: 'app-reachable', kind: 'http', url: '{url}/api/items?limit=0', expect: { status: 200 } },
          ],
        },
      }),
    );
    const run = await step(job, 'preflight', { environment: 'production', version: 'v5.0.1' });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.outputs.outcome).toBe('failed');
    expect(run.stdout).toMatch(/^::error::.*app-reachable.*400/m);
    expect(run.summary).toMatch(
      /^- \[ \] ❌ GET .*\/api\/items\?limit=0 → 200 — expected status 200, got 400/m,
    );
    // Every item on a line of its own, as in the tracking issue.
    expect(run.summary).toMatch(/^- \[ \] Deployment to production approved$/m);
    expect(run.summary).toMatch(/^- \[ \] ⬜ .*ctl\.ts deploy/m);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(STACK_FRAME);
  });

  it('a config mistake is an annotation on its line of .github/shipgate.yml, with no stack trace', async () => {
    const text = [
      'version: 1',
      'release:',
      '  name: webshop',
      'environments:',
      '  production: {}',
      'deploy:',
      '  steps:',
      '    - id: ship',
      "      run: ['true']",
      '      timeout: soon',
      '',
    ].join('\n');
    const job = await facts(text);
    await sandbox.control.clearRequests();
    const run = await step(job, 'deploy', { environment: 'production', version: 'v5.0.2' });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout).toMatch(
      /^::error title=shipgate config,file=\.github\/shipgate\.yml,line=10,col=16::deploy\.steps\[0\]\.timeout: 'soon' is not a duration/m,
    );
    expect(run.stdout.match(/^::error/gm)).toHaveLength(2);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(STACK_FRAME);
    // Nothing was written to GitHub.
    const writes = (await sandbox.control.requests()).filter((request) => request.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it("a fork pull request's read-only token fails with advice on what to change", async () => {
    const job = await facts(config(), { token: 'forkPr' });
    const run = await step(job, 'preflight', { environment: 'production', version: 'v5.0.3' });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*On a pull request from a fork the GITHUB_TOKEN is read-only/m);
    expect(run.stdout).toContain('permissions: contents: write, issues: write');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(STACK_FRAME);
  });

  it('the deploy post step turns maintenance off and releases the lock when the main step was cut short', async () => {
    const node = process.execPath;
    const job = await facts(
      config({
        deploy: {
          maintenance: {
            enable: {
              id: 'maintenance-on',
              run: [node, '-e', "require('fs').writeFileSync('maintenance', 'on')"],
            },
            disable: { id: 'maintenance-off', run: [node, '-e', "require('fs').rmSync('maintenance')"] },
          },
          // The job is cancelled in the middle of the deploy: the runner kills the step's process.
          steps: [{ id: 'deploy-app', run: ['sh', '-c', 'kill -KILL $PPID; sleep 5'] }],
        },
      }),
    );
    const inputs = { environment: 'production', version: 'v5.0.4' };
    const main = await step(job, 'deploy', inputs);
    expect(main.code, describeRun(main)).not.toBe(0);
    expect(existsSync(join(job.workspace.dir, 'maintenance'))).toBe(true);
    expect(main.state).toMatchObject({
      shipgate_lock_ref: 'refs/shipgate/locks/production',
      shipgate_maintenance_enabled: 'true',
    });
    const admin = sandbox.octokit('admin');
    await admin.rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'shipgate/locks/production' });

    const post = await step(job, 'deploy-post', inputs, { state: main.state });
    expect(post.code, describeRun(post)).toBe(0);
    expect(post.stdout).toContain('maintenance disabled, lock released');
    expect(existsSync(join(job.workspace.dir, 'maintenance'))).toBe(false);
    await expect(
      admin.rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'shipgate/locks/production' }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
