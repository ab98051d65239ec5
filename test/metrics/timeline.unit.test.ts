import { describe, expect, it } from 'vitest';
import { createMonitorState, evaluateTick } from '../../src/metrics/evaluator.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import { renderTimeline } from '../../src/metrics/timeline.ts';
import { DEFAULT_ANALYSIS, type MonitorSpec, type MonitorState } from '../../src/metrics/types.ts';

const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);
const spec: MonitorSpec = {
  durationMs: 30 * 60_000,
  intervalMs: 15_000,
  analysis: { ...DEFAULT_ANALYSIS },
  inconclusive: 'ask',
  rules: [
    {
      id: 'error-rate',
      metric: 'prom.error_rate',
      critical: parseThreshold('> 5%'),
      forMs: 120_000,
      actions: { warn: 'notify', critical: 'rollback' },
      dryRun: false,
    },
  ],
};

function watch(errorRate: (t: number) => number): MonitorState {
  let state = createMonitorState(spec, { startedAt: T0 });
  for (let t = T0 + 15_000; state.status === 'running'; t += 15_000) {
    state = evaluateTick(
      spec,
      state,
      { 'prom.error_rate': { kind: 'value', at: t, value: errorRate(t) } },
      t,
    ).state;
  }
  return state;
}

describe('timeline', () => {
  it('tells the story of a rollback: breach start, for: elapsed, decision', () => {
    const state = watch((t) => (t >= T0 + 4 * 60_000 ? 0.08 : 0.001));
    expect(renderTimeline(spec, state)).toBe(
      [
        '- `02:04:00` **error-rate**: critical breach started: prom.error_rate 8% (> 5%)',
        '- `02:06:00` **error-rate**: critical breach lasted 2m (for: 2m), now prom.error_rate 8% → rollback',
        '- `02:06:00` **error-rate**: failed: failed (1) > failureLimit (0): prom.error_rate 8% > 5% for 2m (for: 2m)',
        '- `02:06:00` **decision: rollback required** (breach since `02:04:00`): rollback required: rule error-rate: failed (1) > failureLimit (0): prom.error_rate 8% > 5% for 2m (for: 2m)',
      ].join('\n'),
    );
  });

  it('notes a blip as not acted on, and ends stable', () => {
    const state = watch((t) => (t >= T0 + 10 * 60_000 && t < T0 + 10 * 60_000 + 20_000 ? 0.3 : 0.001));
    const text = renderTimeline(spec, state);
    expect(text).toContain(
      '- `02:10:00`–`02:10:30` **error-rate**: blip, critical for 30s (shorter than for: 2m), peak prom.error_rate 30%; not acted on',
    );
    expect(text).toMatch(/\*\*decision: stable\*\*: stable: every rule passed over the whole 30m window$/);
  });
});
