import { describe, expect, it } from 'vitest';
import { compareWithBaseline, createMonitorState, evaluateTick } from '../../src/metrics/evaluator.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import {
  type Baseline,
  DEFAULT_ANALYSIS,
  type Measurement,
  type MonitorSpec,
} from '../../src/metrics/types.ts';
import { jitteryLatency, latencySamples, quantile, seededRandom } from './synthetic-service.ts';

const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);

function baselineOf(samples: number[]): Baseline {
  return { metric: 'probe.p95', capturedAt: T0, value: quantile(samples, 0.95), samples };
}

function p95(samples: number[], at: number): Measurement {
  return { kind: 'value', at, value: quantile(samples, 0.95), samples, sampleCount: samples.length };
}

describe('baseline comparison', () => {
  const random = seededRandom(7);
  const latency = jitteryLatency(80);
  const before = latencySamples({ requestsPerTick: 0, errorProbability: () => 0, latency }, 0, 120, random);
  const baseline = baselineOf(before);

  it('fires only when the shift is both significant and larger than the ratio', () => {
    const slow = before.slice(0, 40).map((v) => v * 4);
    const big = compareWithBaseline(quantile(slow, 0.95), slow, baseline, 3, 0.05);
    expect(big).toMatchObject({ significant: true, breach: true });
    expect(big.ratio).toBeGreaterThan(3);
    expect(big.effect).toBeGreaterThan(0.8);

    // Consistently 1.5x slower: significant, but under the 3x the rule asks for.
    const bitSlower = before.slice(0, 40).map((v) => v * 1.5);
    expect(compareWithBaseline(quantile(bitSlower, 0.95), bitSlower, baseline, 3, 0.05)).toMatchObject({
      significant: true,
      breach: false,
    });
  });

  it('is not fooled by a few outliers that push p95 over the ratio', () => {
    const same = latencySamples(
      { requestsPerTick: 0, errorProbability: () => 0, latency },
      0,
      30,
      seededRandom(8),
    );
    const spiky = [...same.slice(0, 27), 2000, 2500, 3000];
    const result = compareWithBaseline(quantile(spiky, 0.95), spiky, baseline, 3, 0.05);
    expect(result.ratio).toBeGreaterThan(3);
    expect(result.significant).toBe(false);
    expect(result.breach).toBe(false);
  });
});

describe('baseline rules in the evaluator', () => {
  const spec: MonitorSpec = {
    durationMs: 10 * 60_000,
    intervalMs: 15_000,
    analysis: { ...DEFAULT_ANALYSIS, minSamples: 10 },
    inconclusive: 'ask',
    rules: [
      {
        id: 'latency-vs-baseline',
        metric: 'probe.p95',
        baseline: { ratio: 3 },
        critical: parseThreshold('> 2000ms'),
        forMs: 0,
        actions: { warn: 'notify', critical: 'rollback' },
        dryRun: false,
      },
    ],
  };

  it('without a baseline the rule is inconclusive, unless its threshold is breached anyway', () => {
    const state = createMonitorState(spec, { startedAt: T0 });
    const samples = Array.from({ length: 20 }, () => 90);
    const quiet = evaluateTick(spec, state, { 'probe.p95': p95(samples, T0 + 15_000) }, T0 + 15_000);
    expect(quiet.evaluations[0]).toMatchObject({
      phase: 'inconclusive',
      reason: 'no baseline captured for probe.p95',
    });

    const slow = Array.from({ length: 20 }, () => 2500);
    const loud = evaluateTick(spec, state, { 'probe.p95': p95(slow, T0 + 15_000) }, T0 + 15_000);
    expect(loud.evaluations[0]).toMatchObject({ phase: 'failed', severity: 'critical' });
    expect(loud.decision?.action).toBe('rollback');
  });

  it('reports ratio, p-value and effect with each measurement', () => {
    const before = Array.from({ length: 30 }, (_, i) => 80 + i);
    const state = createMonitorState(spec, { startedAt: T0, baselines: [baselineOf(before)] });
    const after = before.map((v) => v * 5);
    const result = evaluateTick(spec, state, { 'probe.p95': p95(after, T0 + 15_000) }, T0 + 15_000);
    expect(result.evaluations[0]?.baseline).toMatchObject({ significant: true, breach: true, effect: 1 });
    expect(result.evaluations[0]?.reason).toMatch(/^5x baseline, p=\S+, effect=1$/);
    expect(result.decision).toMatchObject({ action: 'rollback', ruleId: 'latency-vs-baseline' });
    expect(result.decision?.message).toMatch(/probe\.p95 \d+ms over 3x baseline \(5x baseline, p=/);
  });
});
