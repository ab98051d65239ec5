import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { preflightPhase } from '../../src/engine/phases/preflight.ts';
import { itemOf, openTestRelease } from '../harness/release.ts';
import { useSandbox } from '../harness/sandbox.ts';

const sandbox = useSandbox();

/** A config with the given preflight section (YAML, indented under `preflight:`). */
function config(preflight: string, environments = 'staging: {}\n  production: {}') {
  return `version: 1
release: { name: webshop }
environments:
  ${environments}
deploy:
  steps: [{ id: deploy-app, run: 'true' }]
preflight:
${preflight}`;
}

/** Reads `start`/`end` lines the checks appended and returns the most that overlapped. */
function maxOverlap(log: string): number {
  let running = 0;
  let max = 0;
  for (const line of log.trim().split('\n')) {
    running += line.startsWith('start') ? 1 : -1;
    max = Math.max(max, running);
  }
  return max;
}

describe('preflight phase', () => {
  it('runs the checks at most `concurrency` at a time, reports each with evidence, then the steps in order', async () => {
    const slow = (id: string) =>
      `    - { id: ${id}, kind: command, run: 'echo start >> checks.log; sleep 0.4; echo end >> checks.log' }`;
    const { release, ctx, issueBody } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'staging',
      configText: config(`  concurrency: 2
  checks:
${['slow-a', 'slow-b', 'slow-c', 'slow-d'].map(slow).join('\n')}
    - { id: ci-green, kind: ci-status, checks: [build, test] }
    - { id: prod-only, kind: command, run: 'false', environments: [production] }
  steps:
    - { id: first-step, run: 'echo one >> steps.log' }
    - { id: second-step, run: ['bash', '-c', 'echo two >> steps.log'] }`),
    });

    const result = await runPhase(preflightPhase, release);

    expect(result).toMatchObject({ outcome: 'passed' });
    expect(maxOverlap(await readFile(join(ctx.workspace, 'checks.log'), 'utf8'))).toBe(2);
    expect(await readFile(join(ctx.workspace, 'steps.log'), 'utf8')).toBe('one\ntwo\n');
    for (const id of ['slow-a', 'slow-b', 'slow-c', 'slow-d', 'first-step', 'second-step'])
      expect(itemOf(release, id).status).toBe('passed');
    expect(itemOf(release, 'ci-green')).toMatchObject({
      status: 'passed',
      evidence: { build: 'success', test: 'success' },
    });
    expect(itemOf(release, 'slow-a').evidence).toMatchObject({ exitCode: 0 });
    // A check limited to production is not part of a staging release.
    expect(release.record.state.items.some((item) => item.id === 'prod-only')).toBe(false);
    const body = await issueBody();
    expect(body).toMatch(/- \[x\][^\n]*ci-green|- \[x\][^\n]*CI checks passed: build, test/);
    expect(release.record.state.phases.preflight?.status).toBe('passed');
  });

  it('drops the checks an environment skips', async () => {
    const { release } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      configText: config(
        `  checks:
    - { id: skipped-check, kind: command, run: 'false' }
    - { id: kept-check, kind: command, run: 'true' }`,
        'staging: {}\n  production: { skip: [skipped-check] }',
      ),
    });
    const result = await runPhase(preflightPhase, release);
    expect(result.outcome).toBe('passed');
    expect(release.record.state.items.map((item) => item.id)).not.toContain('skipped-check');
    expect(itemOf(release, 'kept-check').status).toBe('passed');
  });

  it('fails on a red check run of the release commit, with the run named, and runs no step', async () => {
    const commit = await sandbox().control.addCommit('acme/webshop', { message: 'red build' });
    await sandbox().control.addCheckRun('acme/webshop', {
      name: 'build',
      head_sha: commit.sha,
      status: 'completed',
      conclusion: 'failure',
    });
    await sandbox().control.addCheckRun('acme/webshop', {
      name: 'test',
      head_sha: commit.sha,
      status: 'completed',
      conclusion: 'success',
    });
    const { release, ctx } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'staging',
      sha: commit.sha,
      configText: config(`  checks:
    - { id: ci-green, kind: ci-status, checks: [build, test] }
    - { id: optional-check, kind: command, run: 'false', required: false }
  steps:
    - { id: touch-step, run: 'touch stepped' }`),
    });

    const result = await runPhase(preflightPhase, release);

    expect(result.outcome).toBe('failed');
    expect(result.summary).toContain('ci-green');
    expect(result.summary).toContain('build (failure)');
    expect(itemOf(release, 'ci-green')).toMatchObject({ status: 'failed', evidence: { build: 'failure' } });
    expect(itemOf(release, 'optional-check').status).toBe('failed');
    expect(itemOf(release, 'touch-step')).toMatchObject({
      status: 'skipped',
      summary: 'not run: preflight checks failed',
    });
    expect(existsSync(join(ctx.workspace, 'stepped'))).toBe(false);
    expect(release.record.state.outcome).toBe('failure');
  });

  it('times a hanging check out and stops at the first failing step', async () => {
    const { release, ctx } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'staging',
      configText: config(`  checks:
    - { id: hangs, kind: command, run: 'sleep 20', timeout: 300ms, required: false }
  steps:
    - { id: breaks, run: 'echo started; sleep 20', timeout: 300ms }
    - { id: never, run: 'touch never' }`),
    });

    const started = performance.now();
    const result = await runPhase(preflightPhase, release);

    expect(performance.now() - started).toBeLessThan(10_000);
    expect(itemOf(release, 'hangs')).toMatchObject({ status: 'failed', summary: 'timed out after 300ms' });
    expect(result.outcome).toBe('failed');
    expect(itemOf(release, 'breaks')).toMatchObject({
      status: 'failed',
      summary: 'timed out after 300ms: started',
    });
    expect(itemOf(release, 'never')).toMatchObject({ status: 'skipped', summary: 'not run: breaks failed' });
    expect(existsSync(join(ctx.workspace, 'never'))).toBe(false);
  });
});
