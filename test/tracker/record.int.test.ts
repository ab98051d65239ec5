import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/engine/clock.ts';
import type { RunContext } from '../../src/engine/context.ts';
import { type Phase, runPhase } from '../../src/engine/phase-runner.ts';
import { openRelease } from '../../src/engine/release.ts';
import { recordEvent, releaseKey, updateItem } from '../../src/engine/release-state.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { commentMarker } from '../../src/report/pr-comment.ts';
import { decodeStateBlock } from '../../src/report/state-block.ts';
import { BODY_LIMIT, issueMarker } from '../../src/report/tracking-issue.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import { useSandbox } from '../harness/sandbox.ts';
import { trackerConfig } from './people-fixture.ts';
import {
  initialState,
  item,
  measure,
  mergeCommit,
  objectsWithMarker,
  OWNER,
  openRecord,
  REPO,
} from './record-fixture.ts';

/**
 * What one write to the record costs, charged against the rate limit (304 answers are free):
 * two calls for the compare-and-swap (commit, ref), the issue read and write, the ref check.
 */
const BUDGET = { update: 5, unchangedSync: 0, unchangedRefresh: 0, firstUpdate: 10 };

describe('the release record on GitHub', () => {
  const sandbox = useSandbox();
  let versions = 0;
  const nextVersion = () => `v6.${versions++}.0`;

  it(`costs at most ${BUDGET.update} charged calls per update, and nothing to look again when nothing changed`, async () => {
    const octokit = sandbox().octokit('actions');
    const initial = initialState(nextVersion(), await mergeCommit(octokit));
    const record = await openRecord(octokit, initial);
    const first = await measure(sandbox(), () => record.update(updateItem('lint', { status: 'running' })));
    expect(first.cost.byOperation).toMatchObject({ 'issues/create': 1, 'issues/create-comment': 1 });
    expect(first.cost.charged).toBeLessThanOrEqual(BUDGET.firstUpdate);

    const update = await measure(sandbox(), () => record.update(updateItem('lint', { status: 'passed' })));
    expect(update.cost.byOperation).toEqual({
      'git/create-commit': 1,
      'git/update-ref': 1,
      'issues/get': 1,
      'issues/update': 1,
      'git/get-ref': 1,
    });
    expect(update.cost.charged).toBeLessThanOrEqual(BUDGET.update);

    await record.syncViews(); // learns the ETags of what it just wrote
    const sync = await measure(sandbox(), () => record.syncViews());
    expect(sync.cost).toMatchObject({ total: 2, charged: BUDGET.unchangedSync });
    const refresh = await measure(sandbox(), () => record.refresh());
    expect(refresh.cost).toMatchObject({ total: 1, charged: BUDGET.unchangedRefresh });
  });

  it('creates no second issue or comment when a job is re-run, and finds them by the ids in the record', async () => {
    const octokit = sandbox().octokit('actions');
    const initial = initialState(nextVersion(), await mergeCommit(octokit));
    const key = releaseKey(initial.release);
    const first = await openRecord(octokit, initial);
    await first.update(updateItem('unit-tests', { status: 'passed' }));

    const rerun = await measure(sandbox(), async () => {
      const again = await openRecord(sandbox().octokit('actions'), initial);
      await again.update(updateItem('unit-tests', { status: 'passed', summary: 're-run' }));
      return again;
    });
    expect(rerun.cost.byOperation['issues/create']).toBeUndefined();
    expect(rerun.cost.byOperation['issues/create-comment']).toBeUndefined();
    expect(rerun.cost.byOperation['issues/list-for-repo']).toBeUndefined();
    expect(rerun.cost.byOperation['issues/list-comments']).toBeUndefined();
    expect(rerun.result.state.ids).toEqual(first.state.ids);
    const found = await objectsWithMarker(sandbox(), issueMarker(key));
    expect(found.issues).toHaveLength(1);
    expect((await objectsWithMarker(sandbox(), commentMarker(key))).comments).toHaveLength(1);
  });

  it('does not duplicate an issue or a comment whose create was applied but whose answer was lost', async () => {
    const octokit = sandbox().octokit('actions');
    const initial = initialState(nextVersion(), await mergeCommit(octokit));
    const key = releaseKey(initial.release);
    await sandbox().control.fault({ operationId: 'issues/create', kind: 'drop-after-write' });
    await sandbox().control.fault({ operationId: 'issues/create-comment', kind: 'drop-after-write' });
    const record = await openRecord(octokit, initial);
    const { cost } = await measure(sandbox(), () => record.update(updateItem('lint', { status: 'passed' })));
    expect(cost.byOperation).toMatchObject({
      'issues/create': 1,
      'issues/list-for-repo': 1,
      'issues/create-comment': 1,
      'issues/list-comments': 1,
    });
    const issues = await objectsWithMarker(sandbox(), issueMarker(key));
    const comments = await objectsWithMarker(sandbox(), commentMarker(key));
    expect(issues.issues).toEqual([record.state.ids.issue]);
    expect(comments.comments).toEqual([record.state.ids.comment]);
    expect(await sandbox().control.faults()).toMatchObject([{ triggered: 1 }, { triggered: 1 }]);
  });

  it('costs the same to keep its comment on a PR with 1,000 comments as on a PR with one', async () => {
    const octokit = sandbox().octokit('actions');
    const sha = await mergeCommit(octokit);
    // Pull request #2 gets 1,000 comments from people; a new PR gets one.
    const world = await sandbox().control.state();
    const repo = world.repos[`${OWNER}/${REPO}`]!;
    for (let i = 0; i < 1_000; i++) {
      repo.comments.push({
        id: world.nextId++,
        issueNumber: 2,
        body: `comment ${i}`,
        user: 'wes',
        createdAt: '2026-02-20T10:00:00Z',
        updatedAt: '2026-02-20T10:00:00Z',
      });
    }
    await sandbox().control.seed(world);
    const quiet = await sandbox().control.addPullRequest(`${OWNER}/${REPO}`, {
      head: 'feature/faster-checkout',
      title: 'Quiet',
    });
    await sandbox()
      .octokit('write')
      .rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: quiet.number, body: 'LGTM' });

    const costs = [];
    for (const pullRequest of [2, quiet.number]) {
      const initial = initialState(nextVersion(), sha, { pullRequest });
      // The answer to the comment's create is lost, so the record must find it again.
      await sandbox().control.fault({ operationId: 'issues/create-comment', kind: 'drop-after-write' });
      const record = await openRecord(octokit, initial);
      const cycle = await measure(sandbox(), async () => {
        await record.update(updateItem('lint', { status: 'running' }));
        for (const status of ['passed', 'failed', 'passed'] as const)
          await record.update(
            updateItem('unit-tests', { status }),
            recordEvent({ id: status, at: new Date().toISOString(), type: status, message: status }),
          );
      });
      const again = await measure(sandbox(), async () => {
        const rerun = await openRecord(sandbox().octokit('actions'), initial);
        await rerun.update(updateItem('lint', { status: 'passed' }));
      });
      costs.push({ cycle: cycle.cost.byOperation, rerun: again.cost.byOperation });
      expect(
        (await objectsWithMarker(sandbox(), commentMarker(releaseKey(initial.release)))).comments,
      ).toHaveLength(1);
    }
    expect(costs[0]).toEqual(costs[1]);
  });

  it('truncates a body that would pass 65,536 characters with a notice, and GitHub accepts it', async () => {
    const octokit = sandbox().octokit('actions');
    const items = Array.from({ length: 120 }, (_, i) =>
      item(`check-${i}`, {
        status: 'passed',
        summary: `measured ${i}`,
        evidence: { excerpt: 'x'.repeat(600) },
      }),
    );
    const initial = initialState(nextVersion(), await mergeCommit(octokit), {}, items);
    const record = await openRecord(octokit, initial);
    await record.update(updateItem('check-0', { status: 'passed' }));
    const { data } = await octokit.rest.issues.get({
      owner: OWNER,
      repo: REPO,
      issue_number: record.state.ids.issue!,
    });
    const body = data.body ?? '';
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body).toContain("Truncated to fit GitHub's limit of 65,536 characters");
    expect(body).toContain('measured 119');
    const block = decodeStateBlock(body);
    expect(block.found && block.state.items).toHaveLength(120);
  });

  it('waits for people by polling with conditional requests that cost nothing', async () => {
    const octokit = sandbox().octokit('actions');
    let now = Date.parse('2026-11-21T14:00:00Z');
    const clock: Clock = { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
    const config = trackerConfig({
      preflight: { manual: [{ id: 'release-notes', text: 'Release notes prepared' }], wait: '1m' },
    });
    const ctx: RunContext = {
      owner: OWNER,
      repo: REPO,
      sha: await mergeCommit(octokit),
      environment: 'production',
      actor: 'ada',
      runId: '8',
      runAttempt: 1,
      serverUrl: 'https://github.com',
      event: {},
      version: nextVersion(),
      workspace: process.cwd(),
      env: {},
      clock,
      logger: new RecordingLogger(),
      octokit,
      scrubber: new SecretScrubber(),
    };
    const release = await openRelease(ctx, config);
    const phase: Phase = { name: 'preflight', run: async () => ({ outcome: 'passed', summary: 'ok' }) };
    await sandbox().control.clearRequests();
    const result = await runPhase(phase, release);
    expect(result).toMatchObject({ outcome: 'waiting', summary: 'waiting for: Release notes prepared' });
    const polls = (await sandbox().control.requests({ operationId: 'git/get-ref' })).filter(
      (r) => r.notModified,
    );
    expect(polls.length).toBeGreaterThanOrEqual(4);
    expect(await sandbox().control.requests({ operationId: 'git/get-commit' })).toEqual([]);
  });
});

export type { GitHub };
