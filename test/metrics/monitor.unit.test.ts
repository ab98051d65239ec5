import { describe, expect, it } from 'vitest';
import { continueAfterInconclusive } from '../../src/metrics/decision.ts';
import { createMonitorState } from '../../src/metrics/evaluator.ts';
import { runMonitor } from '../../src/metrics/monitor.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import { renderTimeline } from '../../src/metrics/timeline.ts';
import {
  DEFAULT_ANALYSIS,
  type Measurement,
  type MetricSource,
  type MonitorEvent,
  type MonitorSpec,
  type MonitorState,
} from '../../src/metrics/types.ts';

const S = 1000;
const M = 60 * S;
const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);

/** A clock that only moves when the monitor sleeps (or the test jumps it). */
function fakeTime(start = T0) {
  let now = start;
  return {
    clock: { now: () => now },
    sleep: async (ms: number) => {
      now += ms;
    },
    jump: (ms: number) => {
      now += ms;
    },
  };
}

/** A source computed from a function of time; `withHistory` makes it answer range queries too. */
function functionSource(
  name: string,
  f: (t: number) => Measurement | number,
  withHistory = true,
): MetricSource {
  const at = (t: number): Measurement => {
    const r = f(t);
    return typeof r === 'number' ? { kind: 'value', at: t, value: r } : r;
  };
  const source: MetricSource = {
    name,
    metrics: ['error_rate'],
    measure: async (_metric, now) => at(now),
  };
  if (withHistory) {
    source.history = async (_metric, from, to, step) => {
      const out: Measurement[] = [];
      for (let t = from; t <= to; t += step) out.push(at(t));
      return out;
    };
  }
  return source;
}

const spec: MonitorSpec = {
  durationMs: 30 * M,
  intervalMs: 15 * S,
  analysis: { ...DEFAULT_ANALYSIS },
  inconclusive: 'ask',
  rules: [
    {
      id: 'error-rate',
      metric: 'prom.error_rate',
      warn: parseThreshold('> 1%'),
      critical: parseThreshold('> 5%'),
      forMs: 2 * M,
      actions: { warn: 'notify', critical: 'rollback' },
      dryRun: false,
    },
  ],
};

describe('runMonitor', () => {
  it('stops as soon as rollback is required, with the breach start and the values', async () => {
    const time = fakeTime();
    const faultAt = T0 + 4 * M;
    const events: MonitorEvent[] = [];
    const run = await runMonitor({
      spec,
      sources: { prom: functionSource('prom', (t) => (t >= faultAt ? 0.08 : 0.001)) },
      state: createMonitorState(spec, { startedAt: T0 }),
      clock: time.clock,
      sleep: time.sleep,
      onEvent: (e) => events.push(e),
    });
    expect(run.decision).toMatchObject({
      action: 'rollback',
      breachStartedAt: faultAt,
      decidedAt: faultAt + 2 * M,
    });
    expect(run.ticks).toBe((6 * M) / (15 * S));
    expect(time.clock.now()).toBe(faultAt + 2 * M);
    expect(events.map((e) => e.type)).toEqual([
      'breach-started',
      'breach-started',
      'breach-firing',
      'breach-firing',
      'rule-completed',
      'decision',
    ]);
  });

  it('marks stable only when the whole window has passed', async () => {
    const time = fakeTime();
    const run = await runMonitor({
      spec,
      sources: { prom: functionSource('prom', () => 0.001) },
      state: createMonitorState(spec, { startedAt: T0 }),
      clock: time.clock,
      sleep: time.sleep,
    });
    expect(run.state.status).toBe('stable');
    expect(run.decision?.decidedAt).toBe(T0 + 30 * M);
    expect(run.ticks).toBe(120);
  });

  it('runs in resumable slices through JSON, deciding exactly as one continuous run', async () => {
    const faultAt = T0 + 17 * M + 5 * S;
    const source = functionSource('prom', (t) => (t >= faultAt ? 0.08 : 0.001));
    const continuous = await runMonitor({
      spec,
      sources: { prom: source },
      state: createMonitorState(spec, { startedAt: T0 }),
      ...fakeTime(),
    });

    const time = fakeTime();
    let saved = JSON.stringify(createMonitorState(spec, { startedAt: T0 }));
    let slices = 0;
    for (;;) {
      const run = await runMonitor({
        spec,
        sources: { prom: source },
        state: JSON.parse(saved) as MonitorState,
        clock: time.clock,
        sleep: time.sleep,
        sliceMs: 5 * M,
      });
      slices += 1;
      saved = JSON.stringify(run.state);
      if (run.state.status !== 'running') break;
    }
    const final = JSON.parse(saved) as MonitorState;
    expect(slices).toBe(4);
    expect(final.slices).toBe(4);
    expect(final.decision).toEqual(continuous.decision);
  });

  it('replays the gap between slices from history, so a breach in the gap is judged', async () => {
    const time = fakeTime();
    const faultAt = T0 + 10 * M;
    const first = await runMonitor({
      spec,
      sources: { prom: functionSource('prom', (t) => (t >= faultAt ? 0.08 : 0.001)) },
      state: createMonitorState(spec, { startedAt: T0 }),
      clock: time.clock,
      sleep: time.sleep,
      sliceMs: 2 * M,
    });
    expect(first.state.status).toBe('running');
    time.jump(20 * M); // the scheduler starts the next slice 20 minutes later
    const events: MonitorEvent[] = [];
    const second = await runMonitor({
      spec,
      sources: { prom: functionSource('prom', (t) => (t >= faultAt ? 0.08 : 0.001)) },
      state: first.state,
      clock: time.clock,
      sleep: time.sleep,
      sliceMs: 2 * M,
      onEvent: (e) => events.push(e),
    });
    expect(events[0]).toMatchObject({ type: 'backfilled', from: T0 + 2 * M + 15 * S, skippedMetrics: [] });
    expect(second.ticks).toBe(0);
    expect(second.decision).toMatchObject({
      action: 'rollback',
      breachStartedAt: faultAt,
      decidedAt: faultAt + 2 * M,
    });
  });

  it('says which metrics it could not replay (a probe keeps no history)', async () => {
    const time = fakeTime();
    const state = createMonitorState(spec, { startedAt: T0 });
    time.jump(5 * M);
    const events: MonitorEvent[] = [];
    await runMonitor({
      spec,
      sources: { prom: functionSource('prom', () => 0, false) },
      state,
      clock: time.clock,
      sleep: time.sleep,
      sliceMs: 1 * M,
      onEvent: (e) => events.push(e),
    });
    expect(events[0]).toMatchObject({ type: 'backfilled', skippedMetrics: ['prom.error_rate'] });
  });

  it('turns a throwing source into an error measurement, never a pass', async () => {
    const time = fakeTime();
    const broken: MetricSource = {
      name: 'prom',
      metrics: ['error_rate'],
      measure: async () => {
        throw new Error('socket hang up');
      },
    };
    const run = await runMonitor({
      spec,
      sources: { prom: broken },
      state: createMonitorState(spec, { startedAt: T0 }),
      ...time,
    });
    expect(run.decision).toMatchObject({
      outcome: 'inconclusive',
      action: 'ask',
      decidedAt: T0 + 5 * 15 * S,
    });
    expect(run.decision?.message).toMatch(/measurement failed: Error: socket hang up/);
  });

  it('refuses a rule on an unknown source or metric, naming the known ones', async () => {
    const state = createMonitorState(spec, { startedAt: T0 });
    await expect(
      runMonitor({ spec, sources: { probe: functionSource('probe', () => 0) }, state }),
    ).rejects.toThrow(/no source named prom; known: probe/);
    const other = { ...spec, rules: [{ ...spec.rules[0]!, metric: 'prom.p95' }] };
    await expect(
      runMonitor({ spec: other, sources: { prom: functionSource('prom', () => 0) }, state }),
    ).rejects.toThrow(/source prom has no metric p95; known: error_rate/);
  });
});

describe('the 24-hour watch', () => {
  it('runs as 1-minute slices every 30 minutes, ends stable only at the end, and its state stays small', async () => {
    const longSpec: MonitorSpec = { ...spec, durationMs: 24 * 60 * M };
    const time = fakeTime();
    // Healthy, with a 30 s blip every 3 hours (some of them in the gaps between slices).
    const errorRate = (t: number) =>
      (t - T0 - 60 * M) % (3 * 60 * M) < 30 * S && t > T0 + 60 * M ? 0.3 : 0.001;
    let saved = JSON.stringify(createMonitorState(longSpec, { startedAt: T0 }));
    let slices = 0;
    let largest = 0;
    for (;;) {
      const run = await runMonitor({
        spec: longSpec,
        sources: { prom: functionSource('prom', errorRate) },
        state: JSON.parse(saved) as MonitorState,
        clock: time.clock,
        sleep: time.sleep,
        sliceMs: 1 * M,
      });
      slices += 1;
      saved = JSON.stringify(run.state);
      largest = Math.max(largest, saved.length);
      if (run.state.status !== 'running') break;
      expect(time.clock.now()).toBeLessThan(T0 + 24 * 60 * M);
      time.jump(29 * M);
    }
    const final = JSON.parse(saved) as MonitorState;
    expect(final.status).toBe('stable');
    expect(final.decision?.decidedAt).toBe(T0 + 24 * 60 * M);
    expect(slices).toBe(49);
    expect(final.events.filter((e) => e.type === 'blip').length).toBeGreaterThanOrEqual(7);
    expect(largest).toBeLessThan(40_000); // fits in the tracking issue's hidden state block
  });
});

describe('after people answer an ask', () => {
  it('continues the watch where it stopped, counting the inconclusive rule afresh', async () => {
    const time = fakeTime();
    let down = true;
    const source = functionSource('prom', (t) =>
      down ? { kind: 'error', at: t, reason: 'connection refused' } : 0.001,
    );
    const first = await runMonitor({
      spec,
      sources: { prom: source },
      state: createMonitorState(spec, { startedAt: T0 }),
      ...time,
    });
    expect(first.state.status).toBe('inconclusive');
    expect(first.decision?.action).toBe('ask');

    down = false; // Prometheus is back; the on-call engineer chooses to keep watching
    const resumed = continueAfterInconclusive(first.state, {
      at: time.clock.now(),
      by: 'octocat',
      reason: 'Prometheus restarted',
    });
    expect(resumed.status).toBe('running');
    expect(resumed.rules['error-rate']?.counts.consecutiveErrors).toBe(0);
    const second = await runMonitor({ spec, sources: { prom: source }, state: resumed, ...time });
    expect(second.state.status).toBe('stable');
    expect(renderTimeline(spec, second.state)).toMatch(
      /\*\*watch continued\*\* by octocat after "inconclusive \(people must decide\): .*": Prometheus restarted/,
    );
    expect(continueAfterInconclusive(second.state, { at: 0, by: 'x', reason: 'y' })).toBe(second.state);
  });
});
