import { describe, expect, it } from 'vitest';
import { createMonitorState, evaluateTick } from '../../src/metrics/evaluator.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import type {
  Decision,
  Measurement,
  MonitorEvent,
  MonitorSpec,
  MonitorState,
  RuleSpec,
} from '../../src/metrics/types.ts';
import { DEFAULT_ANALYSIS } from '../../src/metrics/types.ts';

const S = 1000;
const M = 60 * S;
const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);

function rule(overrides: Partial<RuleSpec> = {}): RuleSpec {
  return {
    id: 'error-rate',
    metric: 'prom.error_rate',
    warn: parseThreshold('> 1%'),
    critical: parseThreshold('> 5%'),
    forMs: 2 * M,
    actions: { warn: 'notify', critical: 'rollback' },
    dryRun: false,
    ...overrides,
  };
}

function spec(overrides: Partial<MonitorSpec> = {}): MonitorSpec {
  return {
    durationMs: 30 * M,
    intervalMs: 15 * S,
    rules: [rule()],
    analysis: { ...DEFAULT_ANALYSIS },
    inconclusive: 'ask',
    ...overrides,
  };
}

const value = (v: number, at: number): Measurement => ({ kind: 'value', value: v, at });

/** Runs the whole window tick by tick; `measure(t)` gives each metric's measurement at t. */
function watch(s: MonitorSpec, measure: (t: number) => Record<string, Measurement>, state?: MonitorState) {
  let current = state ?? createMonitorState(s, { startedAt: T0 });
  const events: MonitorEvent[] = [];
  let decision: Decision | undefined;
  for (
    let t = (current.lastTickAt ?? current.startedAt) + s.intervalMs;
    current.status === 'running';
    t += s.intervalMs
  ) {
    const result = evaluateTick(s, current, measure(t), t);
    current = result.state;
    events.push(...result.events);
    decision = result.decision ?? decision;
  }
  return { state: current, events, decision };
}

describe('for: windows with an injected clock', () => {
  it('rolls back about for: after a breach starts, long before the end of the window', () => {
    const faultAt = T0 + 4 * M;
    const { decision, events } = watch(spec(), (t) => ({
      'prom.error_rate': value(t >= faultAt ? 0.08 : 0.001, t),
    }));
    expect(decision).toMatchObject({
      outcome: 'failed',
      action: 'rollback',
      ruleId: 'error-rate',
      severity: 'critical',
    });
    expect(decision?.breachStartedAt).toBe(faultAt);
    expect(decision?.decidedAt).toBe(faultAt + 2 * M);
    expect(decision?.threshold).toEqual({ op: '>', value: 0.05 });
    expect(decision?.values.every((v) => v.value === 0.08)).toBe(true);
    expect(decision?.values).toHaveLength(9);
    expect(decision?.message).toMatch(
      /rollback required: rule error-rate: failed \(1\) > failureLimit \(0\)/,
    );
    const types = events.map((e) => e.type);
    expect(types).toContain('breach-started');
    expect(types).toContain('breach-firing');
    expect(types.at(-1)).toBe('decision');
  });

  it('notes a blip shorter than for: (30% errors for 20 s with for: 2m) and does not roll back', () => {
    const blipAt = T0 + 10 * M;
    const { state, events, decision } = watch(spec(), (t) => ({
      'prom.error_rate': value(t >= blipAt && t < blipAt + 20 * S ? 0.3 : 0.0005, t),
    }));
    expect(decision).toMatchObject({ outcome: 'passed', action: 'promote' });
    expect(state.status).toBe('stable');
    const blips = events.filter((e) => e.type === 'blip');
    expect(blips.map((b) => b.severity).sort()).toEqual(['critical', 'warning']);
    expect(blips[0]).toMatchObject({ since: blipAt, durationMs: 30 * S, peak: 0.3 });
    expect(state.events.some((e) => e.type === 'blip')).toBe(true);
  });

  it('is stable only once the whole window has passed', () => {
    const s = spec();
    let state = createMonitorState(s, { startedAt: T0 });
    for (let t = T0 + 15 * S; t < T0 + 30 * M; t += 15 * S) {
      state = evaluateTick(s, state, { 'prom.error_rate': value(0, t) }, t).state;
      expect(state.status).toBe('running');
    }
    state = evaluateTick(s, state, { 'prom.error_rate': value(0, T0 + 30 * M) }, T0 + 30 * M).state;
    expect(state.status).toBe('stable');
  });

  it('a warning that fires notifies but never ends the watch', () => {
    const { events, decision } = watch(spec(), (t) => ({ 'prom.error_rate': value(0.02, t) }));
    expect(events.find((e) => e.type === 'breach-firing')).toMatchObject({
      severity: 'warning',
      action: 'notify',
    });
    expect(decision?.action).toBe('promote');
  });

  it('failureLimit tolerates that many firing measurements', () => {
    const s = spec({ analysis: { ...DEFAULT_ANALYSIS, failureLimit: 2 } });
    const { decision } = watch(s, (t) => ({ 'prom.error_rate': value(t >= T0 + M ? 0.08 : 0, t) }));
    expect(decision?.decidedAt).toBe(T0 + M + 2 * M + 2 * 15 * S);
  });

  it('a breach still pending at the end of the window is inconclusive, not stable', () => {
    const { decision } = watch(spec(), (t) => ({ 'prom.error_rate': value(t >= T0 + 29 * M ? 0.08 : 0, t) }));
    expect(decision).toMatchObject({ outcome: 'inconclusive', action: 'ask' });
    expect(decision?.message).toMatch(/still in progress at the end of the window/);
  });

  it('takes a lower-is-worse threshold too', () => {
    const s = spec({
      rules: [
        rule({
          id: 'availability',
          metric: 'probe.availability',
          warn: undefined,
          critical: parseThreshold('< 0.99'),
          forMs: 0,
        }),
      ],
    });
    const { decision } = watch(s, (t) => ({ 'probe.availability': value(t >= T0 + M ? 0.9 : 1, t) }));
    expect(decision).toMatchObject({ action: 'rollback', decidedAt: T0 + M });
  });
});

describe('errors, no data and the analysis limits', () => {
  const down = (t: number): Measurement => ({
    kind: 'error',
    at: t,
    reason: 'connection refused (127.0.0.1:9090)',
  });

  it('counts consecutive errors, a good measurement resets them, and past the limit the inconclusive action decides', () => {
    const s = spec(); // consecutiveErrorLimit 4
    const pattern = (t: number) => {
      const tick = (t - T0) / (15 * S);
      // 4 errors, one good answer, then down for good
      return tick <= 4 || tick >= 6 ? down(t) : value(0, t);
    };
    const { decision, state, events } = watch(s, (t) => ({ 'prom.error_rate': pattern(t) }));
    expect(decision).toMatchObject({ outcome: 'inconclusive', action: 'ask', decidedAt: T0 + 10 * 15 * S });
    expect(decision?.message).toMatch(
      /consecutive errors \(5\) > consecutiveErrorLimit \(4\): connection refused/,
    );
    expect(state.status).toBe('inconclusive');
    const errorCounts = events.flatMap((e) => (e.type === 'measurement-error' ? [e.consecutive] : []));
    expect(errorCounts).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5]);
  });

  it('an erroring source is never a pass', () => {
    const s = spec({ analysis: { ...DEFAULT_ANALYSIS, consecutiveErrorLimit: 1000 } });
    const { decision } = watch(s, (t) => ({ 'prom.error_rate': down(t) }));
    expect(decision).toMatchObject({ outcome: 'inconclusive', action: 'ask' });
    expect(decision?.message).toMatch(/no successful measurement/);
  });

  it('rolls back when the config says inconclusive means rollback', () => {
    const { decision, state } = watch(spec({ inconclusive: 'rollback' }), (t) => ({
      'prom.error_rate': down(t),
    }));
    expect(decision).toMatchObject({
      outcome: 'inconclusive',
      action: 'rollback',
      decidedAt: T0 + 5 * 15 * S,
    });
    expect(state.status).toBe('rollback');
  });

  const noData = (t: number): Measurement => ({ kind: 'no-data', at: t, reason: 'query returned no series' });

  it('no data is inconclusive by default, counted against inconclusiveLimit', () => {
    const s = spec({ analysis: { ...DEFAULT_ANALYSIS, inconclusiveLimit: 3 } });
    const { decision } = watch(s, (t) => ({ 'prom.error_rate': noData(t) }));
    expect(decision?.decidedAt).toBe(T0 + 4 * 15 * S);
    expect(decision?.message).toMatch(
      /inconclusive \(4\) > inconclusiveLimit \(3\): no data: query returned no series/,
    );
  });

  it('no data can be declared ok, an error, or a breach', () => {
    const ok = watch(spec({ analysis: { ...DEFAULT_ANALYSIS, noData: 'ok' } }), (t) => ({
      'prom.error_rate': noData(t),
    }));
    expect(ok.decision?.action).toBe('promote');
    const asError = watch(spec({ analysis: { ...DEFAULT_ANALYSIS, noData: 'error' } }), (t) => ({
      'prom.error_rate': noData(t),
    }));
    expect(asError.decision?.message).toMatch(/consecutive errors \(5\)/);
    const asBreach = watch(spec({ analysis: { ...DEFAULT_ANALYSIS, noData: 'breach' } }), (t) => ({
      'prom.error_rate': noData(t),
    }));
    expect(asBreach.decision).toMatchObject({ action: 'rollback', decidedAt: T0 + 15 * S + 2 * M });
  });

  it('too few samples behind a value are no data (minSamples)', () => {
    const s = spec({ analysis: { ...DEFAULT_ANALYSIS, minSamples: 10 } });
    const { decision } = watch(s, (t) => ({
      'prom.error_rate': { kind: 'value', value: 0.5, at: t, sampleCount: 3 },
    }));
    expect(decision?.outcome).toBe('inconclusive');
    expect(decision?.message).toMatch(/only 3 sample\(s\), minSamples is 10/);
  });

  it('consecutiveSuccessLimit: passes only if reached; with failureLimit -1 not reaching it fails', () => {
    const flapping = (t: number) => ({
      'prom.error_rate': value(((t - T0) / (15 * S)) % 3 === 0 ? 0.08 : 0, t),
    });
    const base = { ...DEFAULT_ANALYSIS, consecutiveSuccessLimit: 5 };
    const fast = rule({ forMs: 0, actions: { warn: 'note', critical: 'rollback' } });
    const inconclusive = watch(spec({ rules: [fast], analysis: { ...base, failureLimit: 1000 } }), flapping);
    expect(inconclusive.decision).toMatchObject({ outcome: 'inconclusive' });
    expect(inconclusive.decision?.message).toMatch(/consecutiveSuccessLimit \(5\) not reached/);
    const failed = watch(spec({ rules: [fast], analysis: { ...base, failureLimit: -1 } }), flapping);
    expect(failed.decision).toMatchObject({ outcome: 'failed', action: 'rollback' });
    const steady = watch(spec({ rules: [fast], analysis: base }), (t) => ({
      'prom.error_rate': value(0, t),
    }));
    expect(steady.decision?.action).toBe('promote');
  });

  it('per-rule analysis overrides the monitor defaults', () => {
    const s = spec({ rules: [rule({ analysis: { consecutiveErrorLimit: 0 } })] });
    const { decision } = watch(s, (t) => ({ 'prom.error_rate': down(t) }));
    expect(decision?.decidedAt).toBe(T0 + 15 * S);
  });
});

describe('dry-run rules', () => {
  it('are evaluated and reported but never acted on', () => {
    const s = spec({
      rules: [
        rule({
          id: 'strict-latency',
          metric: 'probe.p95',
          warn: undefined,
          critical: parseThreshold('> 100ms'),
          forMs: 0,
          dryRun: true,
        }),
        rule(),
      ],
    });
    const { decision, events, state } = watch(s, (t) => ({
      'probe.p95': value(450, t),
      'prom.error_rate': value(0, t),
    }));
    expect(events.find((e) => e.type === 'breach-firing')).toMatchObject({
      ruleId: 'strict-latency',
      dryRun: true,
      action: 'rollback',
    });
    expect(state.rules['strict-latency']?.status).toBe('failed');
    expect(decision).toMatchObject({ outcome: 'passed', action: 'promote' });
    expect(decision?.message).toMatch(/not acted on: strict-latency \(dry run\) failed/);
  });
});

describe('purity and resumability', () => {
  it('never mutates the state it is given, and a JSON round trip continues identically', () => {
    const s = spec();
    const measure = (t: number) => ({ 'prom.error_rate': value(t >= T0 + 20 * M ? 0.08 : 0.002, t) });
    const first = watch(s, measure);

    let state = createMonitorState(s, { startedAt: T0 });
    for (let t = T0 + 15 * S; t <= T0 + 21 * M; t += 15 * S) {
      const frozen = JSON.stringify(state);
      const next = evaluateTick(s, state, measure(t), t).state;
      expect(JSON.stringify(state)).toBe(frozen);
      state = JSON.parse(JSON.stringify(next));
    }
    const resumed = watch(s, measure, state);
    expect(resumed.decision).toEqual(first.decision);
  });
});
