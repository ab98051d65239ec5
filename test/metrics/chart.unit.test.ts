import { describe, expect, it } from 'vitest';
import { downsample, renderChart, renderMonitorCharts } from '../../src/metrics/chart.ts';
import { createMonitorState, evaluateTick } from '../../src/metrics/evaluator.ts';
import { formatDuration, formatValue } from '../../src/metrics/format.ts';
import { emptySeries, recordTick } from '../../src/metrics/series.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import { DEFAULT_ANALYSIS, type MonitorSpec } from '../../src/metrics/types.ts';

const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);

describe('series', () => {
  it('stays bounded over a 24-hour watch and keeps the worst value of each span', () => {
    const series = emptySeries();
    const ticks = (24 * 3600) / 15;
    for (let i = 0; i < ticks; i++) {
      recordTick(series, T0 + i * 15_000, { 'prom.error_rate': i === 3001 ? 0.3 : 0.001 }, 240);
    }
    expect(series.t.length).toBeLessThanOrEqual(240);
    expect(series.t.length).toBeGreaterThan(120);
    expect(series.t.length).toBe(series.values['prom.error_rate']?.length);
    expect(Math.max(...(series.values['prom.error_rate'] as number[]))).toBe(0.3);
    expect(JSON.stringify(series).length).toBeLessThan(12_000);
  });

  it('fills metrics that appear later or skip a tick with null', () => {
    const series = emptySeries();
    recordTick(series, T0, { a: 1 });
    recordTick(series, T0 + 1, { b: 2 });
    expect(series.values).toEqual({ a: [1, null], b: [null, 2] });
  });
});

describe('charts', () => {
  const spec: MonitorSpec = {
    durationMs: 30 * 60_000,
    intervalMs: 15_000,
    analysis: DEFAULT_ANALYSIS,
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
      {
        id: 'p95',
        metric: 'probe.p95',
        critical: parseThreshold('> 2000ms'),
        forMs: 120_000,
        actions: { warn: 'notify', critical: 'rollback' },
        dryRun: false,
      },
    ],
  };

  it('renders error rate and p95 as deterministic Mermaid xychart blocks', () => {
    let state = createMonitorState(spec, { startedAt: T0 });
    for (let i = 1; i <= 20; i++) {
      const t = T0 + i * 60_000;
      state = evaluateTick(
        spec,
        state,
        {
          'prom.error_rate': { kind: 'value', at: t, value: i >= 15 ? 0.08 : 0.001 },
          'probe.p95': { kind: 'value', at: t, value: 80 + i },
        },
        t,
      ).state;
    }
    const text = renderMonitorCharts(spec, state, 10);
    expect(text).toBe(renderMonitorCharts(spec, state, 10));
    expect(text).toMatchInlineSnapshot(`
      "\`\`\`mermaid
      xychart-beta
        title "Error rate (prom.error_rate)"
        x-axis ["02:01", "02:03", "02:05", "02:07", "02:09", "02:11", "02:13", "02:15", "02:17"]
        y-axis "%" 0 --> 10
        line [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 8, 8]
        line [5, 5, 5, 5, 5, 5, 5, 5, 5]
      \`\`\`

      \`\`\`mermaid
      xychart-beta
        title "P95 latency (probe.p95)"
        x-axis ["02:01", "02:03", "02:05", "02:07", "02:09", "02:11", "02:13", "02:15", "02:17"]
        y-axis "ms" 0 --> 2000
        line [82, 84, 86, 88, 90, 92, 94, 96, 97]
        line [2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000]
      \`\`\`"
    `);
  });

  it('shows an empty chart honestly', () => {
    expect(renderChart(emptySeries(), { metric: 'x', title: 'X', unit: 'ms' })).toContain(
      'x-axis ["no data"]',
    );
  });

  it('downsamples keeping each run’s peak', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ t: i, v: i === 57 ? 99 : 1 }));
    const out = downsample(points, 10);
    expect(out).toHaveLength(10);
    expect(out.filter((p) => p.v === 99)).toHaveLength(1);
  });
});

describe('thresholds', () => {
  it('reads the config forms into base units', () => {
    expect(parseThreshold('> 1%')).toEqual({ op: '>', value: 0.01 });
    expect(parseThreshold('>= 500ms')).toEqual({ op: '>=', value: 500 });
    expect(parseThreshold('> 2s')).toEqual({ op: '>', value: 2000 });
    expect(parseThreshold('< 0.99')).toEqual({ op: '<', value: 0.99 });
    expect(() => parseThreshold('above 5')).toThrow(/expected a comparison like/);
    expect(formatValue(0.0812, 'prom.error_rate')).toBe('8.12%');
    expect(formatValue(1234.5, 'probe.p95')).toBe('1235ms');
    expect([750, 3000, 120_000, 150_000, 3_900_000].map(formatDuration)).toEqual([
      '750ms',
      '3s',
      '2m',
      '2m30s',
      '1h5m',
    ]);
  });
});
