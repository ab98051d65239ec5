import { describe, expect, it } from 'vitest';
import { saveWatch } from '../../src/engine/phases/monitor.ts';
import { applyMutations, newReleaseState, type ReleaseState } from '../../src/engine/release-state.ts';
import { applyWatchVerdict, verdictRefusal } from '../../src/engine/watch-verdict.ts';
import { createMonitorState, evaluateTick } from '../../src/metrics/evaluator.ts';
import { DEFAULT_ANALYSIS, type MonitorSpec, type MonitorState } from '../../src/metrics/types.ts';
import { renderTrackingIssue } from '../../src/report/tracking-issue.ts';

const T0 = Date.parse('2026-06-10T12:00:00Z');

const spec = (inconclusive: MonitorSpec['inconclusive']): MonitorSpec => ({
  durationMs: 60_000,
  intervalMs: 1000,
  inconclusive,
  analysis: { ...DEFAULT_ANALYSIS, consecutiveErrorLimit: 1 },
  rules: [
    {
      id: 'error-rate',
      metric: 'prom.error_rate',
      critical: { op: '>', value: 0.05 },
      forMs: 2000,
      actions: { warn: 'notify', critical: 'rollback' },
      dryRun: false,
    },
  ],
});

/** A watch whose source stopped answering: two errors in a row past a limit of one. */
function silentWatch(s: MonitorSpec): MonitorState {
  let state = createMonitorState(s, { startedAt: T0 });
  state = evaluateTick(
    s,
    state,
    { 'prom.error_rate': { kind: 'value', at: T0 + 1000, value: 0.001 } },
    T0 + 1000,
  ).state;
  for (const at of [T0 + 2000, T0 + 3000]) {
    const error = { kind: 'error' as const, at, reason: 'connection refused by 127.0.0.1:9090' };
    state = evaluateTick(s, state, { 'prom.error_rate': error }, at).state;
  }
  return state;
}

function record(s: MonitorSpec, watch: MonitorState): ReleaseState {
  const initial = newReleaseState(
    {
      repo: 'acme/webshop',
      name: 'webshop',
      environment: 'production',
      version: '2.0.0',
      sha: 'a'.repeat(40),
      startedBy: 'ada',
    },
    [
      {
        id: 'error-rate',
        phase: 'monitor',
        kind: 'check',
        text: '`prom.error_rate` within limits',
        required: true,
        status: 'inconclusive',
      },
    ],
    new Date(T0),
  );
  return applyMutations(initial, [saveWatch(s, watch, false)], new Date(T0 + 4000));
}

describe('answering an inconclusive watch', () => {
  const asking = record(spec('ask'), silentWatch(spec('ask')));

  it('the issue offers /shipgate promote and /shipgate rollback, with why', () => {
    expect(asking.monitor?.state.status).toBe('inconclusive');
    const body = renderTrackingIssue(asking, 'production/2.0.0');
    expect(body).toContain('The watch was inconclusive');
    expect(body).toContain('consecutive errors (2) > consecutiveErrorLimit (1)');
    expect(body).toContain('`/shipgate promote`');
    expect(body).toContain('`/shipgate rollback <reason>`');
    expect(body).toContain('xychart-beta');
  });

  it('promote: stable, the monitor phase passed, the answer in the timeline', () => {
    const at = new Date(T0 + 60_000);
    const outcome = applyWatchVerdict(asking, {
      verb: 'promote',
      by: 'max',
      at,
      reason: 'metrics host rebooted',
    });
    expect(outcome).toMatchObject({ applied: true, stable: true, rollbackRequired: false });
    if (!outcome.applied) return;
    const next = applyMutations(asking, [outcome.mutation], at);
    expect(next).toMatchObject({
      stable: true,
      outcome: 'success',
      phases: { monitor: { status: 'passed' } },
    });
    expect(next.monitor?.state).toMatchObject({ status: 'stable', decision: { action: 'promote' } });
    expect(next.events.at(-1)).toMatchObject({
      type: 'monitor promoted',
      message: 'promoted by @max after an inconclusive watch: metrics host rebooted',
    });
    // A second answer finds nothing waiting, and the mutation applied again changes nothing.
    expect(verdictRefusal(next, { verb: 'rollback', by: 'tia', at, reason: 'no' })).toMatch(
      /already decided/,
    );
    expect(applyMutations(next, [outcome.mutation], at).monitor).toEqual(next.monitor);
  });

  it('rollback: needs a reason, then requires the rollback', () => {
    const at = new Date(T0 + 60_000);
    expect(applyWatchVerdict(asking, { verb: 'rollback', by: 'max', at, reason: ' ' })).toMatchObject({
      applied: false,
      reason: expect.stringMatching(/needs a reason/),
    });
    const outcome = applyWatchVerdict(asking, { verb: 'rollback', by: 'max', at, reason: 'p95 doubled' });
    expect(outcome).toMatchObject({ applied: true, stable: false, rollbackRequired: true });
    if (!outcome.applied) return;
    const next = applyMutations(asking, [outcome.mutation], at);
    expect(next).toMatchObject({
      stable: false,
      outcome: 'failure',
      phases: { monitor: { status: 'failed' } },
    });
    expect(next.monitor?.state).toMatchObject({ status: 'rollback', decision: { action: 'rollback' } });
  });

  it('only an asking watch takes an answer', () => {
    const at = new Date(T0);
    const rolled = record(spec('rollback'), silentWatch(spec('rollback')));
    expect(applyWatchVerdict(rolled, { verb: 'promote', by: 'max', at, reason: '' })).toMatchObject({
      applied: false,
    });
    const running = record(spec('ask'), createMonitorState(spec('ask'), { startedAt: T0 }));
    expect(verdictRefusal(running, { verb: 'promote', by: 'max', at, reason: '' })).toMatch(/still running/);
    const none = { ...asking, monitor: undefined };
    expect(verdictRefusal(none, { verb: 'promote', by: 'max', at, reason: '' })).toMatch(/no watch/);
  });

  it('the issue copy of the state leaves out the chart series', () => {
    const body = renderTrackingIssue(asking, 'production/2.0.0');
    const block = /<!-- shipgate:state v1\n([\s\S]*?)\n-->/.exec(body)?.[1] ?? '';
    const copy = JSON.parse(block.replaceAll('\\u003e', '>')) as ReleaseState;
    expect(copy.monitor?.state.series.t).toEqual([]);
    expect(copy.monitor?.state.status).toBe('inconclusive');
    expect(asking.monitor?.state.series.t.length).toBeGreaterThan(0);
  });
});
