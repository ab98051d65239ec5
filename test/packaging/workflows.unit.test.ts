import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAction } from '../../scripts/generate-docs.ts';

/**
 * The example workflows are what users copy, so they are held to the rules a security review
 * would apply: no event data expanded into a shell, least privilege per job, pinned third-party
 * actions, no persisted credentials, and shipgate steps that pass only inputs the actions declare.
 */

const dir = 'workflows-examples';
const SHIPGATE = /^your-org\/shipgate(?:\/actions\/([a-z]+))?@v1$/;
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_./-]+)?@([0-9a-f]{40})$/;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean } | string;
  environment?: string | { name: string; url?: string };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown> | string | string[];
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const workflows = files.map((file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  return { file, text, workflow: parse(text) as Workflow };
});
const steps = (workflow: Workflow) =>
  Object.entries(workflow.jobs).flatMap(([job, spec]) => (spec.steps ?? []).map((step) => ({ job, step })));

function events(workflow: Workflow): string[] {
  if (typeof workflow.on === 'string') return [workflow.on];
  return Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on);
}

/** `${{ }}` expressions in `run:` blocks that expand event data into the shell. */
function injections(workflow: Workflow): string[] {
  const untrusted = /\bgithub\.event(?:\.|\[|\)|\s|$)|\binputs\.|\bgithub\.head_ref\b/;
  const found: string[] = [];
  for (const { job, step } of steps(workflow)) {
    for (const [, expression] of (step.run ?? '').matchAll(/\$\{\{(.*?)\}\}/gs)) {
      if (expression && untrusted.test(expression)) found.push(`${job}: \${{${expression}}}`);
    }
  }
  return found;
}

function scopes(permissions: Job['permissions']): Record<string, string> {
  if (permissions === undefined) return {};
  if (typeof permissions === 'string')
    throw new Error(`permissions: ${permissions} grants every scope at once`);
  return permissions;
}

function shipgateStep(step: Step): string | undefined {
  const match = step.uses === undefined ? null : SHIPGATE.exec(step.uses);
  return match ? (match[1] ?? 'root') : undefined;
}

describe('example workflows', () => {
  it('are the five the README promises', () => {
    expect(files).toEqual(['gates.yml', 'plan.yml', 'release.yml', 'rollback.yml', 'watch.yml']);
  });

  describe('the injection check', () => {
    it('finds event data expanded in run:, whatever the form', () => {
      const hostile = parse(`
on: pull_request
jobs:
  a:
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: |
          git checkout \${{ github.head_ref }}
          echo \${{ inputs.reason }}
      - run: echo '\${{ toJSON(github.event) }}'
      - run: echo "\${{ github.event_name }} \${{ steps.x.outputs.y }}"
        env:
          TITLE: \${{ github.event.pull_request.title }}
`) as Workflow;
      expect(injections(hostile)).toEqual([
        `a: \${{ github.event.pull_request.title }}`,
        `a: \${{ github.head_ref }}`,
        `a: \${{ inputs.reason }}`,
        `a: \${{ toJSON(github.event) }}`,
      ]);
    });
  });

  describe.each(workflows)('$file', ({ text, workflow }) => {
    it('expands no event field, dispatch input or branch name inside run:', () => {
      expect(injections(workflow)).toEqual([]);
    });

    it('grants contents: read at the top and every write per job', () => {
      expect(workflow.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(workflow.jobs)) {
        expect(job.permissions, `job ${name} declares its permissions`).toBeTypeOf('object');
      }
    });

    it('grants each write only to a job that needs it', () => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const granted = scopes(job.permissions);
        const phases = (job.steps ?? []).map(shipgateStep).filter((p) => p !== undefined);
        const withs = (job.steps ?? []).filter((s) => shipgateStep(s)).map((s) => s.with ?? {});
        const writes = Object.entries(granted).filter(([, level]) => level === 'write');
        for (const [scope] of writes) {
          const why = `job ${name}: ${scope}: write`;
          if (scope === 'contents' || scope === 'issues') expect(phases.length, why).toBeGreaterThan(0);
          else if (scope === 'deployments')
            expect(
              phases.some((p) => p === 'deploy' || p === 'rollback'),
              why,
            ).toBe(true);
          else if (scope === 'actions')
            expect(
              withs.some((w) => 'next-workflow' in w),
              why,
            ).toBe(true);
          else if (scope === 'pull-requests')
            expect(phases.length > 0 || /gh api/.test(text), why).toBe(true);
          else throw new Error(`${why} is not expected in any example`);
        }
      }
    });

    it('never uses pull_request_target', () => {
      expect(events(workflow)).not.toContain('pull_request_target');
    });

    it('checks out without persisting credentials', () => {
      const checkouts = steps(workflow).filter(({ step }) => step.uses?.startsWith('actions/checkout@'));
      expect(checkouts.length).toBeGreaterThan(0);
      for (const { job, step } of checkouts) expect(step.with?.['persist-credentials'], job).toBe(false);
    });

    it('pins every third-party action to a full commit SHA with its version beside it', () => {
      for (const { job, step } of steps(workflow)) {
        if (step.uses === undefined || shipgateStep(step)) continue;
        expect(step.uses, job).toMatch(PINNED);
        const line = text.split('\n').find((l) => l.includes(`uses: ${step.uses}`));
        expect(line, job).toMatch(/ # v\d+\.\d+\.\d+$/);
      }
    });

    it('passes shipgate actions only inputs they declare, and every required one', () => {
      for (const { job, step } of steps(workflow)) {
        const phase = shipgateStep(step);
        if (phase === undefined) continue;
        const action = readAction('.', phase === 'root' ? 'action.yml' : `actions/${phase}/action.yml`);
        const declared = action.inputs ?? {};
        const given = Object.keys(step.with ?? {});
        for (const name of given)
          expect(Object.keys(declared), `${job}: ${step.uses} with ${name}`).toContain(name);
        for (const [name, input] of Object.entries(declared)) {
          if (input.required) expect(given, `${job}: ${step.uses} needs ${name}`).toContain(name);
        }
      }
    });

    it('serialises every job that changes an environment, never cancelling one in progress', () => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const phases = (job.steps ?? []).map(shipgateStep);
        if (!phases.some((p) => p === 'deploy' || p === 'rollback' || p === 'backup')) continue;
        const concurrency = job.concurrency ?? workflow.concurrency;
        expect(concurrency, `job ${name}`).toBeTypeOf('object');
        if (typeof concurrency !== 'object') continue;
        expect(concurrency.group, `job ${name}`).toMatch(/^shipgate-/);
        expect(concurrency['cancel-in-progress'], `job ${name}`).not.toBe(true);
      }
    });
  });

  const byFile = (file: string) => workflows.find((w) => w.file === file)!.workflow;
  const on = (file: string) => byFile(file).on as Record<string, unknown>;

  it('release.yml: push to main, production behind an environment with a url, rollback on failure', () => {
    const release = byFile('release.yml');
    expect(on('release.yml').push).toEqual({ branches: ['main'] });
    const deployJob = Object.values(release.jobs).find((job) =>
      (job.steps ?? []).some((s) => shipgateStep(s) === 'deploy'),
    )!;
    expect(deployJob.environment).toEqual({ name: 'production', url: expect.stringMatching(/^https:\/\//) });
    expect((deployJob.steps ?? []).map(shipgateStep).filter(Boolean)).toEqual([
      'backup',
      'deploy',
      'smoke',
      'monitor',
    ]);
    const rollback = release.jobs.rollback!;
    expect(rollback.if).toMatch(/failure/);
    expect(rollback.if).toMatch(/rollback-required == 'true'/);
    expect(rollback.if).toMatch(/!cancelled\(\)/);
    expect(rollback.if).toMatch(/needs\.release\.outputs\.deploy-started == 'true'/);
  });

  it('rollback.yml: a dispatch with environment, target version, severity, reason and drill', () => {
    const dispatch = on('rollback.yml').workflow_dispatch as {
      inputs: Record<string, Record<string, unknown>>;
    };
    expect(dispatch.inputs.environment).toMatchObject({ type: 'choice', required: true });
    expect(dispatch.inputs['target-version']).toMatchObject({ required: false });
    expect(dispatch.inputs.severity).toMatchObject({ type: 'choice', options: ['P0', 'P1', 'P2', 'P3'] });
    expect(dispatch.inputs.reason).toMatchObject({ required: true });
    expect(dispatch.inputs.drill).toMatchObject({ type: 'boolean', default: false });
  });

  it('watch.yml: a schedule that resumes the watch', () => {
    const watch = byFile('watch.yml');
    expect(on('watch.yml').schedule).toEqual([{ cron: expect.any(String) }]);
    const monitor = steps(watch).find(({ step }) => shipgateStep(step) === 'monitor')!;
    expect(monitor.step.with).toMatchObject({ resume: true, slice: expect.any(String) });
  });

  it('gates.yml: edited issues and new comments re-evaluate sign-offs and dispatch the next stage', () => {
    const gates = byFile('gates.yml');
    expect(on('gates.yml')).toEqual({ issues: { types: ['edited'] }, issue_comment: { types: ['created'] } });
    const step = steps(gates).find(({ step }) => shipgateStep(step))!;
    expect(step.step.with).toMatchObject({ 'next-workflow': 'release.yml' });
    expect(on('release.yml')).toHaveProperty('workflow_dispatch');
  });

  it('plan.yml: runs on pull_request and posts the plan from the shipgate CLI', () => {
    const plan = byFile('plan.yml');
    expect(events(plan)).toEqual(['pull_request']);
    const runs = steps(plan).map(({ step }) => step.run ?? '');
    expect(runs.some((run) => /npx --no-install shipgate plan/.test(run))).toBe(true);
    expect(runs.some((run) => /GITHUB_STEP_SUMMARY/.test(run))).toBe(true);
  });
});
