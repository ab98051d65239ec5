import { describe, expect, it } from 'vitest';
import { createMonitorState, evaluateTick } from '../../src/metrics/evaluator.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import { type Baseline, DEFAULT_ANALYSIS, type Decision, type MonitorSpec } from '../../src/metrics/types.ts';
import {
  errorRateAt,
  jitteryLatency,
  latencySamples,
  quantile,
  type ServiceModel,
  seededRandom,
} from './synthetic-service.ts';

// Many simulated 30-minute watches of a service under noise: a healthy one must never be
// rolled back, a real regression must always be, about `for:` after it starts.
const S = 1000;
const M = 60 * S;
const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);
const WINDOWS = 200;
const PROBES_PER_TICK = 30; // 2/s over a 15 s interval

const spec: MonitorSpec = {
  durationMs: 30 * M,
  intervalMs: 15 * S,
  analysis: { ...DEFAULT_ANALYSIS, minSamples: 10 },
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
    {
      id: 'latency-vs-baseline',
      metric: 'probe.p95',
      baseline: { ratio: 3 },
      forMs: 5 * M,
      actions: { warn: 'notify', critical: 'rollback' },
      dryRun: false,
    },
    {
      id: 'latency-ceiling',
      metric: 'probe.p95',
      critical: parseThreshold('> 2000ms'),
      forMs: 10 * M,
      actions: { warn: 'notify', critical: 'rollback' },
      dryRun: false,
    },
  ],
};

function runWindow(model: ServiceModel, seed: number): Decision | undefined {
  const random = seededRandom(seed);
  const baselineSamples = latencySamples(model, T0 - M, 120, random);
  const baseline: Baseline = {
    metric: 'probe.p95',
    capturedAt: T0,
    value: quantile(baselineSamples, 0.95),
    samples: baselineSamples,
  };
  let state = createMonitorState(spec, { startedAt: T0, baselines: [baseline] });
  for (let t = T0 + spec.intervalMs; state.status === 'running'; t += spec.intervalMs) {
    const samples = latencySamples(model, t, PROBES_PER_TICK, random);
    const result = evaluateTick(
      spec,
      state,
      {
        'prom.error_rate': {
          kind: 'value',
          at: t,
          value: errorRateAt(model, t, random),
          sampleCount: model.requestsPerTick,
        },
        'probe.p95': {
          kind: 'value',
          at: t,
          value: quantile(samples, 0.95),
          samples,
          sampleCount: samples.length,
        },
      },
      t,
    );
    state = result.state;
  }
  return state.decision;
}

describe('a healthy but noisy service', () => {
  it(`is never rolled back over ${WINDOWS} windows (0.05% errors, jittery latency with slow outliers)`, () => {
    const healthy: ServiceModel = {
      requestsPerTick: 750, // 50 requests/s: noisier than the regression runs below
      errorProbability: () => 0.0005,
      latency: jitteryLatency(80),
    };
    const decisions = Array.from({ length: WINDOWS }, (_, i) => runWindow(healthy, 1000 + i));
    const notStable = decisions.filter((d) => d?.action !== 'promote');
    expect(notStable).toEqual([]);
  });
});

describe('a real regression', () => {
  it(`8% errors is always caught, about for: after it starts (${WINDOWS} windows)`, () => {
    const delays: number[] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const faultAt = T0 + M + ((i * 7919) % (24 * M)); // spread over the window
      const model: ServiceModel = {
        requestsPerTick: 1500,
        errorProbability: (t) => (t >= faultAt ? 0.08 : 0.0005),
        latency: jitteryLatency(80),
      };
      const decision = runWindow(model, 5000 + i);
      expect(decision).toMatchObject({ action: 'rollback', ruleId: 'error-rate' });
      delays.push((decision?.decidedAt ?? 0) - faultAt);
    }
    // The breach is first seen at the first tick after the fault, then must last for: (2m).
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2 * M);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 * M + spec.intervalMs);
  });

  it('a 5x latency shift is caught by the baseline rule, about its for: after it starts', () => {
    for (let i = 0; i < 20; i++) {
      const slowAt = T0 + 5 * M;
      const fast = jitteryLatency(80);
      const model: ServiceModel = {
        requestsPerTick: 1500,
        errorProbability: () => 0.0005,
        latency: (t, random) => fast(t, random) * (t >= slowAt ? 5 : 1),
      };
      const decision = runWindow(model, 9000 + i);
      expect(decision).toMatchObject({ action: 'rollback', ruleId: 'latency-vs-baseline' });
      expect((decision?.decidedAt ?? 0) - slowAt).toBeGreaterThanOrEqual(5 * M);
      expect((decision?.decidedAt ?? 0) - slowAt).toBeLessThanOrEqual(5 * M + 2 * spec.intervalMs);
    }
  });
});
