import { describe, expect, it } from 'vitest';
import { type ProbeSample, probeMeasurement, summariseProbes } from '../../src/metrics/http-probe.ts';
import { toBaseUnit, toMeasurement } from '../../src/metrics/prometheus.ts';
import { createSource, splitMetricRef } from '../../src/metrics/sources.ts';
import type { SourceSpec } from '../../src/metrics/types.ts';

describe('probe summaries', () => {
  const samples: ProbeSample[] = Array.from({ length: 100 }, (_, i) => ({
    at: i * 10,
    ok: i % 10 !== 0,
    status: i % 10 === 0 ? 500 : 200,
    latencyMs: i + 1,
  }));

  it('computes error rate and interpolated quantiles over the window', () => {
    const s = summariseProbes(samples, 0, 1000);
    expect(s.count).toBe(100);
    expect(s.errorRate).toBe(0.1);
    expect(s.p50).toBe(50.5);
    expect(s.p95).toBeCloseTo(95.05, 10);
    expect(s.p99).toBeCloseTo(99.01, 10);
    expect(summariseProbes(samples, 500, 1000).count).toBe(50);
  });

  it('maps metrics to measurements, with raw latencies for the rank test', () => {
    const s = summariseProbes(samples, 0, 1000);
    expect(probeMeasurement('error_rate', s, 5)).toEqual({
      kind: 'value',
      at: 5,
      value: 0.1,
      sampleCount: 100,
    });
    expect(probeMeasurement('availability', s, 5)).toMatchObject({ value: 0.9 });
    expect(probeMeasurement('p95', s, 5)).toMatchObject({ kind: 'value', samples: expect.any(Array) });
    expect(probeMeasurement('p95', summariseProbes([], 0, 1), 5)).toMatchObject({ kind: 'no-data' });
    expect(probeMeasurement('p42', s, 5)).toMatchObject({
      kind: 'error',
      reason: expect.stringContaining('known:'),
    });
  });
});

describe('Prometheus results as measurements', () => {
  const vector = (...values: string[]) => ({
    kind: 'vector' as const,
    warnings: [],
    samples: values.map((v) => ({ labels: {}, at: 1, value: v === 'NaN' ? Number.NaN : Number(v) })),
  });

  it('reads one sample into base units', () => {
    expect(toMeasurement(vector('0.25'), 7, 'seconds')).toEqual({ kind: 'value', at: 7, value: 250 });
    expect(toBaseUnit(5, 'percent')).toBe(0.05);
  });

  it('an empty vector and NaN are no-data; several series and -Inf are errors; +Inf is a value', () => {
    expect(toMeasurement(vector(), 7)).toMatchObject({
      kind: 'no-data',
      reason: expect.stringContaining('no series'),
    });
    expect(toMeasurement(vector('NaN'), 7)).toMatchObject({
      kind: 'no-data',
      reason: expect.stringContaining('NaN'),
    });
    expect(toMeasurement(vector('1', '2'), 7)).toMatchObject({
      kind: 'error',
      reason: expect.stringContaining('2 series'),
    });
    expect(toMeasurement(vector('-Infinity'), 7)).toMatchObject({ kind: 'error' });
    expect(toMeasurement(vector('Infinity'), 7)).toMatchObject({
      kind: 'value',
      value: Number.POSITIVE_INFINITY,
    });
  });

  it('keeps warnings and passes errors through', () => {
    expect(toMeasurement({ ...vector('1'), warnings: ['partial response'] }, 7)).toMatchObject({
      warnings: ['partial response'],
    });
    expect(toMeasurement({ kind: 'error', reason: 'HTTP 503' }, 7)).toEqual({
      kind: 'error',
      at: 7,
      reason: 'HTTP 503',
    });
  });
});

describe('source registry', () => {
  it('builds sources by kind and refuses unknown kinds, listing the known ones', () => {
    expect(
      createSource('p', { kind: 'prometheus', url: 'http://127.0.0.1:1', queries: { q: 'up' } }).metrics,
    ).toEqual(['q']);
    expect(() => createSource('x', { kind: 'datadog' } as unknown as SourceSpec)).toThrow(
      /unknown kind "datadog"; known: http-probe, prometheus/,
    );
    expect(splitMetricRef('prom.error_rate')).toEqual({ source: 'prom', metric: 'error_rate' });
    expect(() => splitMetricRef('error_rate')).toThrow(/source\.metric/);
  });
});
