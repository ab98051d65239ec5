/**
 * The rendered samples the README shows (docs/sample-tracking-issue.md, docs/sample-pr-comment.md),
 * built from a record made here. They are generated: this test fails when they drift from what
 * the renderers produce. Rewrite them with
 *
 *   SHIPGATE_WRITE_SAMPLES=1 npx vitest run test/tracker/samples.unit.test.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemResult } from '../../src/engine/phase-runner.ts';
import {
  applyMutations,
  importTicks,
  type ItemState,
  type Mutation,
  newReleaseState,
  recordApprovals,
  recordEvent,
  releaseKey,
  type ReleaseState,
  setIds,
  setOutcome,
  updatePhase,
} from '../../src/engine/release-state.ts';
import { sign } from '../../src/engine/signoffs.ts';
import { buildChecklist, checklistItems } from '../../src/report/checklist.ts';
import { releaseOutputs, renderJobSummary, writeJobSummary } from '../../src/report/job-summary.ts';
import { renderPrComment } from '../../src/report/pr-comment.ts';
import { renderTrackingIssue } from '../../src/report/tracking-issue.ts';
import { trackerConfig } from './people-fixture.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ISSUE_URL = 'https://github.com/acme/webshop/issues/42';
const RUN_URL = 'https://github.com/acme/webshop/actions/runs/7021';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 21, 14, minute, second)).toISOString();

/** A release of webshop v1.2.0 to production, stopped during its watch: every kind of item shows. */
export function sampleRelease(): ReleaseState {
  const config = trackerConfig({
    environments: { production: { url: 'https://shop.acme.test' } },
    preflight: {
      checks: [
        { id: 'ci-green', kind: 'ci-status', checks: ['build', 'test'] },
        {
          id: 'api-up',
          kind: 'http',
          name: 'Current version answers on /health',
          url: '{url}/health',
          expect: { status: 200 },
        },
      ],
      manual: [
        { id: 'release-notes', text: 'Release notes published', owner: 'product' },
        { id: 'support-briefed', text: 'Support team briefed' },
      ],
      signoffs: ['qa'],
    },
    deploy: {
      steps: [{ id: 'rollout', name: 'Roll out {version}', run: ['./deploy.sh', '{version}'] }],
      health: { url: '{url}/health' },
    },
    smoke: {
      checks: [
        {
          id: 'smoke-checkout',
          kind: 'http',
          name: 'Checkout page answers',
          url: '{url}/checkout',
          expect: { status: 200 },
        },
      ],
    },
  });
  const checklist = buildChecklist(config, 'production', { version: 'v1.2.0' });
  const items = checklistItems(checklist).map((item): ItemState => ({
    id: item.id,
    phase: item.phase,
    kind: item.kind,
    text: item.text,
    required: item.required,
    status: 'pending',
    ...(item.section ? { section: item.section } : {}),
    ...(item.owner ? { owner: item.owner } : {}),
  }));
  const initial = newReleaseState(
    {
      repo: 'acme/webshop',
      name: 'webshop',
      environment: 'production',
      version: 'v1.2.0',
      previousVersion: 'v1.1.0',
      sha: '9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b7c8d9e0f',
      startedBy: 'max',
      pullRequest: 17,
    },
    items,
    new Date(at(0)),
  );
  const steps: Mutation[] = [
    setIds({ issue: 42, comment: 1234567 }),
    updatePhase('preflight', { status: 'passed', startedAt: at(0), finishedAt: at(3, 12), runUrl: RUN_URL }),
    itemResult(
      'ci-green',
      { status: 'passed', summary: 'build, test: success', durationMs: 240 },
      new Date(at(0, 2)),
    ),
    itemResult(
      'api-up',
      {
        status: 'passed',
        summary: '200 in 84 ms',
        durationMs: 84,
        evidence: { status: 200, latencyMs: 84, version: 'v1.1.0' },
      },
      new Date(at(0, 3)),
    ),
    importTicks(new Map([['release-notes', true]]), 'wes', at(1, 40)),
    importTicks(new Map([['support-briefed', true]]), 'tia', at(2, 5)),
    sign('preflight:signoff:qa', { login: 'tia', at: at(2, 31), note: 'regression suite green' }, 1),
    recordApprovals([
      {
        user: 'ada',
        state: 'approved',
        comment: 'Go, on call until 18:00',
        environments: ['production'],
        at: at(4),
      },
    ]),
    updatePhase('deploy', { status: 'passed', startedAt: at(4), finishedAt: at(6, 30), runUrl: RUN_URL }),
    itemResult('rollout', { status: 'passed', summary: 'exit 0', durationMs: 118_400 }, new Date(at(6, 2))),
    itemResult(
      'deploy:health',
      {
        status: 'passed',
        summary: '200 after 3 attempts',
        durationMs: 27_900,
        evidence: { status: 200, attempts: 3 },
      },
      new Date(at(6, 30)),
    ),
    updatePhase('smoke', { status: 'failed', startedAt: at(6, 31), finishedAt: at(6, 40), runUrl: RUN_URL }),
    itemResult(
      'smoke-checkout',
      {
        status: 'failed',
        summary: '502 in 31 ms',
        durationMs: 31,
        evidence: { status: 502, excerpt: 'upstream connect error' },
      },
      new Date(at(6, 40)),
    ),
    recordEvent({
      id: 'preflight-started',
      at: at(0),
      type: 'preflight started',
      message: 'run 7021 by @max',
    }),
    recordEvent({ id: 'deploy-started', at: at(4), type: 'deploy started', message: 'approved by @ada' }),
    recordEvent({
      id: 'smoke-failed',
      at: at(6, 40),
      type: 'smoke failed',
      message: 'Checkout page answers: 502 in 31 ms',
    }),
    setOutcome('failure'),
  ];
  return applyMutations(initial, steps, new Date(at(6, 41)));
}

function sample(name: string, text: string): { path: string; current: string | undefined; text: string } {
  const path = join(ROOT, 'docs', name);
  return { path, text, current: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
}

describe('the README samples', () => {
  const state = sampleRelease();
  const key = releaseKey(state.release);
  const samples = [
    sample('sample-tracking-issue.md', renderTrackingIssue(state, key, { runUrl: RUN_URL })),
    sample('sample-pr-comment.md', renderPrComment(state, key, ISSUE_URL)),
  ];

  it('render the same text every time', () => {
    const again = sampleRelease();
    expect(renderTrackingIssue(again, key, { runUrl: RUN_URL })).toBe(samples[0]!.text);
    expect(renderPrComment(again, key, ISSUE_URL)).toBe(samples[1]!.text);
  });

  it('are current in docs/', () => {
    for (const { path, current, text } of samples) {
      if (process.env.SHIPGATE_WRITE_SAMPLES) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
        continue;
      }
      expect(
        current,
        `${path} is stale: SHIPGATE_WRITE_SAMPLES=1 npx vitest run test/tracker/samples.unit.test.ts`,
      ).toBe(text);
    }
  });

  it('show what a person needs: evidence, attribution, the deployment log, the failing check', () => {
    const [issue, comment] = samples.map((s) => s.text);
    expect(issue).toContain('✅ Current version answers on /health — 200 in 84 ms <!--');
    expect(issue).toContain('Release notes published (product) — @wes, 2026-11-21 14:01 UTC');
    expect(issue).toContain('QA Lead: @tia, 2026-11-21 14:02 UTC');
    expect(issue).toContain('| Approved by | @ada (“Go, on call until 18:00”) |');
    expect(issue).toContain('| Rolled back | no |');
    expect(comment).toContain('**Failing:** Checkout page answers (502 in 31 ms)');
    expect(comment).toContain(ISSUE_URL);
  });

  it('write the job summary through core.summary, and the outputs from the record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-summary-'));
    try {
      const file = join(dir, 'summary.md');
      writeFileSync(file, '');
      process.env.GITHUB_STEP_SUMMARY = file;
      await writeJobSummary(state, key, { issueUrl: ISSUE_URL });
      expect(readFileSync(file, 'utf8')).toBe(`${renderJobSummary(state, key, { issueUrl: ISSUE_URL })}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(releaseOutputs(state)).toEqual({
      version: 'v1.2.0',
      previousVersion: 'v1.1.0',
      issue: 42,
      commentId: 1234567,
    });
  });

  it('give the job summary the same view without the hidden parts', () => {
    const summary = renderJobSummary(state, key, { issueUrl: ISSUE_URL, runUrl: RUN_URL });
    expect(summary).not.toContain('<!--');
    expect(summary).toContain('QA Lead: @tia, 2026-11-21 14:02 UTC');
    expect(summary).toContain(`Tracking issue: ${ISSUE_URL}`);
  });
});
