import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import type { Clock } from '../../src/engine/clock.ts';
import type { RunContext } from '../../src/engine/context.ts';
import { reviewGates } from '../../src/engine/people.ts';
import { type Phase, runPhase } from '../../src/engine/phase-runner.ts';
import { openRelease, type Release } from '../../src/engine/release.ts';
import { recordApprovals } from '../../src/engine/release-state.ts';
import { ConfigurationError } from '../../src/errors.ts';
import { fetchApprovals } from '../../src/github/approvals.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { readItemLines } from '../../src/report/ticks.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import { useSandbox } from '../harness/sandbox.ts';
import { clickBox, comment, issueComments, lastEventId, runGates, trackerConfig } from './people-fixture.ts';
import { mergeCommit, openRecord, OWNER, recordOptions, REPO } from './record-fixture.ts';
import { ReleaseRecord } from '../../src/github/release-record.ts';

/** A clock the test moves; sleeping moves it too. */
function testClock(start: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
    advance(ms) {
      now += ms;
    },
  };
}

const preflightPassed: Phase = {
  name: 'preflight',
  run: async () => ({ outcome: 'passed', summary: 'checks passed' }),
};

function gatedConfig(roles: Config['roles'] = {}): Config {
  const base = trackerConfig({
    preflight: {
      signoffs: [
        { role: 'qa', when: { paths: ['src/auth/**'] } },
        { role: 'security', when: { paths: ['src/auth/**'] } },
      ],
    },
  });
  return { ...base, roles: { ...base.roles, ...roles } };
}

describe('people gate a release (scenario 6)', () => {
  const sandbox = useSandbox();
  let versions = 0;

  async function gatedRelease(
    config: Config,
    clock = testClock('2026-11-21T14:00:00Z'),
    changedPaths = ['src/auth/session.ts', 'README.md'],
    sha?: string,
  ): Promise<{ release: Release; octokit: GitHub; clock: ReturnType<typeof testClock> }> {
    const octokit = sandbox().octokit('actions');
    const ctx: RunContext = {
      owner: OWNER,
      repo: REPO,
      sha: sha ?? (await mergeCommit(octokit)),
      environment: 'production',
      actor: 'ada',
      runId: '7',
      runAttempt: 1,
      runUrl: 'https://github.com/acme/webshop/actions/runs/7',
      serverUrl: 'https://github.com',
      event: {},
      version: `v4.${versions++}.0`,
      workspace: process.cwd(),
      env: {},
      clock,
      logger: new RecordingLogger(),
      octokit,
      scrubber: new SecretScrubber(),
    };
    const release = await openRelease(ctx, config, { changedPaths });
    return { release, octokit, clock };
  }

  async function issueBody(octokit: GitHub, issue: number): Promise<string> {
    const { data } = await octokit.rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issue });
    return data.body ?? '';
  }

  it('waits for QA and Security, unticks a stranger, ticks with attribution, then starts the next stage', async () => {
    const config = gatedConfig();
    const { release, octokit, clock } = await gatedRelease(config);
    const result = await runPhase(preflightPassed, release);
    expect(result).toMatchObject({ outcome: 'waiting', summary: 'waiting for: QA Lead, Security' });
    const issue = release.record.state.ids.issue!;
    expect(await issueBody(octokit, issue)).toContain('**Waiting for:** QA Lead, Security');

    // The gates workflow knows only the issue it was triggered on.
    const gates = {
      octokit,
      owner: OWNER,
      repo: REPO,
      config,
      record: await ReleaseRecord.fromIssue(recordOptions(octokit), issue),
      clock: () => clock.now(),
      next: { workflow: 'release.yml', ref: 'main' },
    };
    expect(gates.record.state.release.version).toBe(release.record.state.release.version);
    let seen = await lastEventId(sandbox());

    // wes may edit the issue but is not QA: the tick is undone with a reply that says why.
    expect(await clickBox(sandbox().octokit('write'), issue, 'preflight:signoff:qa')).toBe(true);
    const outcomes: Awaited<ReturnType<typeof reviewGates>>[] = [];
    seen = await runGates(sandbox(), gates, seen, outcomes);
    expect(outcomes.at(-1)?.refused).toEqual([
      'only the QA Lead may sign-off here: @wes is not one of: members of acme/qa',
    ]);
    expect(readItemLines(await issueBody(octokit, issue)).get('preflight:signoff:qa')?.ticked).toBe(false);
    expect((await issueComments(octokit, issue)).at(-1)).toEqual({
      user: 'github-actions[bot]',
      body: '@wes only the QA Lead may sign-off here: @wes is not one of: members of acme/qa. The box is unticked again.',
    });

    // rae reads only, but she is in team qa: her comment signs off, with attribution.
    clock.advance(2 * 60_000);
    await comment(
      sandbox().octokit('read'),
      issue,
      'Tested on staging.\n/shipgate sign-off qa all flows pass',
    );
    seen = await runGates(sandbox(), gates, seen, outcomes);
    expect(outcomes.at(-1)?.accepted).toEqual(['sign-off qa by rae']);
    const qaLine = readItemLines(await issueBody(octokit, issue)).get('preflight:signoff:qa');
    expect(qaLine?.ticked).toBe(true);
    expect(qaLine?.line).toContain('QA Lead: @rae, 2026-11-21 14:02 UTC');

    // ada started the release; the security role does not let the author sign off.
    await comment(sandbox().octokit('admin'), issue, '/shipgate sign-off security');
    seen = await runGates(sandbox(), gates, seen, outcomes);
    expect(outcomes.at(-1)?.refused).toEqual([
      '@ada started this release and the Security sign-off must come from someone else',
    ]);
    expect(await dispatches()).toHaveLength(0);

    // max (team sre) ticks Security: the gate is complete and release.yml starts with the issue.
    expect(await clickBox(sandbox().octokit('maintain'), issue, 'preflight:signoff:security')).toBe(true);
    seen = await runGates(sandbox(), gates, seen, outcomes);
    expect(outcomes.at(-1)).toMatchObject({
      accepted: ['sign-off security by max'],
      completed: ['preflight'],
    });
    const dispatched = await dispatches();
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]?.payload).toMatchObject({
      workflow: '.github/workflows/release.yml',
      ref: 'refs/heads/main',
      inputs: { issue: String(issue) },
    });
    const calls = await sandbox().control.requests({ operationId: 'actions/create-workflow-dispatch' });
    expect(calls.map((call) => call.status)).toEqual([204]);

    const state = await release.record.refresh();
    expect(state.phases.preflight?.status).toBe('passed');
    expect(state.outcome).toBe('in-progress');
    const body = await issueBody(octokit, issue);
    expect(body).not.toContain('Waiting for');
    expect(readItemLines(body).get('preflight:signoff:security')?.line).toContain(
      'Security: @max, 2026-11-21 14:02 UTC',
    );

    // Another event after completion (a late comment) starts nothing a second time.
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off qa');
    await runGates(sandbox(), gates, seen, outcomes);
    expect(await dispatches()).toHaveLength(1);
  });

  async function dispatches() {
    return sandbox().control.events({ name: 'workflow_dispatch' });
  }

  it('keeps one comment on the pull request that produced the commit, and none for a direct push', async () => {
    const merged = await gatedRelease(trackerConfig(), undefined, []);
    await runPhase(preflightPassed, merged.release);
    const { pullRequest } = merged.release.record.state.release;
    expect(pullRequest).toBe(DEFAULT_WORLD.pulls.merged);
    const { data: comment } = await merged.octokit.rest.issues.getComment({
      owner: OWNER,
      repo: REPO,
      comment_id: merged.release.record.state.ids.comment!,
    });
    expect(comment.issue_url.endsWith(`/issues/${pullRequest}`)).toBe(true);
    expect(comment.body).toContain('| preflight | ✅ passed |');

    const push = await sandbox().control.addCommit(`${OWNER}/${REPO}`, { branch: 'main', message: 'Hotfix' });
    await sandbox().control.clearRequests();
    const direct = await gatedRelease(trackerConfig(), undefined, [], push.sha);
    await runPhase(preflightPassed, direct.release);
    expect(direct.release.record.state.release.pullRequest).toBeUndefined();
    expect(direct.release.record.state.ids.comment).toBeUndefined();
    expect(await sandbox().control.requests({ operationId: 'issues/create-comment' })).toEqual([]);
  });

  it('asks for no sign-off when the release does not touch src/auth/**', async () => {
    const { release } = await gatedRelease(gatedConfig(), undefined, ['README.md']);
    expect(release.record.state.items.filter((item) => item.kind === 'signoff')).toEqual([]);
    expect(await runPhase(preflightPassed, release)).toMatchObject({ outcome: 'passed' });
  });

  it('needs two different people for a quorum of two, and a denial stops the release', async () => {
    const config = gatedConfig({ qa: { ...trackerConfig().roles.qa!, quorum: 2 } });
    const { release, octokit, clock } = await gatedRelease(config);
    await runPhase(preflightPassed, release);
    const issue = release.record.state.ids.issue!;
    const gates = {
      octokit,
      owner: OWNER,
      repo: REPO,
      config,
      record: await openRecord(octokit, release.record.state),
      clock: () => clock.now(),
      logger: new RecordingLogger(),
      next: { workflow: 'release.yml', ref: 'main' },
    };
    const start = await lastEventId(sandbox());
    let seen = start;
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off qa');
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off qa');
    seen = await runGates(sandbox(), gates, seen);
    let qa = gates.record.state.items.find((item) => item.id === 'preflight:signoff:qa');
    expect(qa?.status).toBe('pending');
    expect(qa?.signatures?.map((s) => s.login)).toEqual(['tia']);
    expect(readItemLines(await issueBody(octokit, issue)).get('preflight:signoff:qa')?.line).toContain(
      'QA Lead: @tia',
    );

    await comment(sandbox().octokit('read'), issue, '/shipgate deny qa checkout is broken on Safari');
    const outcomes: Awaited<ReturnType<typeof reviewGates>>[] = [];
    seen = await runGates(sandbox(), gates, seen, outcomes);
    expect(outcomes.at(-1)?.accepted).toEqual(['deny qa by rae']);
    const state = gates.record.state;
    qa = state.items.find((item) => item.id === 'preflight:signoff:qa');
    expect(qa).toMatchObject({
      status: 'failed',
      denied: { login: 'rae', note: 'checkout is broken on Safari' },
    });
    expect(state.outcome).toBe('failure');
    expect(state.phases.preflight?.status).toBe('failed');
    expect(await issueBody(octokit, issue)).toContain(
      'denied by @rae, 2026-11-21 14:00 UTC: checkout is broken on Safari',
    );

    // After a denial nobody can complete the gate.
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off security');
    await runGates(sandbox(), gates, seen, outcomes);
    expect(await sandbox().control.events({ name: 'workflow_dispatch', after: start })).toHaveLength(0);
  });

  it('ends a phase that waits for people as failed as soon as someone with the role denies', async () => {
    const config = gatedConfig();
    const waiting = { ...config, preflight: { ...config.preflight!, wait: 10 * 60_000 } };
    const { release, octokit, clock } = await gatedRelease(waiting);
    let seen = await lastEventId(sandbox());
    let denied = false;
    // While the phase polls, a QA member denies on the issue and the gates workflow records it.
    release.ctx.clock = {
      now: () => clock.now(),
      sleep: async (ms) => {
        clock.advance(ms);
        if (denied) return;
        denied = true;
        const issue = release.record.state.ids.issue!;
        await comment(sandbox().octokit('read'), issue, '/shipgate deny qa checkout is broken');
        const record = await openRecord(octokit, release.record.state);
        const logger = new RecordingLogger();
        seen = await runGates(sandbox(), { octokit, owner: OWNER, repo: REPO, config, record, logger }, seen);
      },
    };
    const result = await runPhase(preflightPassed, release);
    expect(result).toEqual({
      outcome: 'failed',
      summary: 'QA Lead sign-off denied by @rae: checkout is broken',
    });
    expect(clock.now().toISOString()).toBe('2026-11-21T14:00:15.000Z');
  });

  it('closes a gate nobody completed in time as timed out, and says so', async () => {
    const config = gatedConfig({ qa: { ...trackerConfig().roles.qa!, expires: 60 * 60_000 } });
    const { release, octokit, clock } = await gatedRelease(config);
    await runPhase(preflightPassed, release);
    const issue = release.record.state.ids.issue!;
    const gates = {
      octokit,
      owner: OWNER,
      repo: REPO,
      config,
      record: await openRecord(octokit, release.record.state),
      clock: () => clock.now(),
      logger: new RecordingLogger(),
    };

    clock.advance(59 * 60_000);
    expect((await reviewGates(gates)).expired).toEqual([]);
    clock.advance(2 * 60_000);
    expect((await reviewGates(gates)).expired).toEqual(['preflight:signoff:qa']);
    expect(gates.record.state.outcome).toBe('failure');
    expect((await issueComments(octokit, issue)).at(-1)?.body).toBe(
      '⏱️ QA Lead sign-off timed out at 2026-11-21 15:00 UTC (no sign-off within 1 h 0 min). The release stopped; start a new release to try again.',
    );
    expect(readItemLines(await issueBody(octokit, issue)).get('preflight:signoff:qa')?.line).toContain(
      'timed out at 2026-11-21 15:00 UTC',
    );

    // A sign-off after the deadline is refused.
    const seen = await lastEventId(sandbox());
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off qa');
    const outcomes: Awaited<ReturnType<typeof reviewGates>>[] = [];
    await runGates(sandbox(), gates, seen, outcomes);
    expect(outcomes.at(-1)?.refused).toEqual(['the QA Lead sign-off is closed']);
  });

  it('treats a team the token cannot see as a configuration error, not as a no', async () => {
    const config = gatedConfig({ qa: { ...trackerConfig().roles.qa!, teams: ['acme/ghosts'] } });
    const { release, octokit } = await gatedRelease(config);
    await runPhase(preflightPassed, release);
    const issue = release.record.state.ids.issue!;
    const gates = {
      octokit,
      owner: OWNER,
      repo: REPO,
      config,
      record: await openRecord(octokit, release.record.state),
    };
    const seen = await lastEventId(sandbox());
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off qa');
    const failure = runGates(sandbox(), gates, seen);
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(/cannot read team acme\/ghosts/);
  });

  it('says which permission is missing when the token may not read team members', async () => {
    const config = gatedConfig();
    const { release } = await gatedRelease(config);
    await runPhase(preflightPassed, release);
    const issue = release.record.state.ids.issue!;
    const token = 'ghs_sandbox_no_members';
    await sandbox().control.setToken(token, {
      login: 'github-actions[bot]',
      kind: 'installation',
      permissions: { contents: 'write', issues: 'write', metadata: 'read' },
    });
    const limited = sandbox().octokit({ token });
    const gates = {
      octokit: limited,
      owner: OWNER,
      repo: REPO,
      config,
      record: await openRecord(limited, release.record.state),
      logger: new RecordingLogger(),
    };
    const seen = await lastEventId(sandbox());
    await comment(sandbox().octokit('triage'), issue, '/shipgate sign-off qa');
    const failure = runGates(sandbox(), gates, seen);
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(/members: read/);
  });

  it('refuses to open the record from an issue that is not a tracking issue', async () => {
    const octokit = sandbox().octokit('actions');
    await expect(ReleaseRecord.fromIssue(recordOptions(octokit), DEFAULT_WORLD.issues.bug)).rejects.toThrow(
      /issue #3 is not a shipgate tracking issue/,
    );
  });

  it('records who approved the deploy at the environment gate, with their comment, once', async () => {
    const { release, octokit, clock } = await gatedRelease(trackerConfig(), undefined, []);
    const run = DEFAULT_WORLD.workflowRunAwaitingApproval;
    const approvals = await fetchApprovals(octokit, { owner: OWNER, repo: REPO, runId: run }, clock.now());
    expect(approvals.map((a) => [a.user, a.state, a.environments])).toEqual([
      ['ada', 'approved', ['production']],
    ]);
    await release.report(recordApprovals(approvals));
    clock.advance(60_000);
    await release.report(
      recordApprovals(await fetchApprovals(octokit, { owner: OWNER, repo: REPO, runId: run }, clock.now())),
    );
    const state = release.record.state;
    expect(state.approvals).toHaveLength(1);
    expect(state.items.find((item) => item.id === 'deploy:approval')).toMatchObject({
      status: 'passed',
      by: 'ada',
    });
    const body = await issueBody(octokit, state.ids.issue!);
    expect(body).toContain(`| Approved by | @ada (“${approvals[0]!.comment}”) |`);
  });
});
