import type { EpochMs, MonitorSpec, MonitorState, Series, Threshold } from './types.ts';

/**
 * Mermaid `xychart-beta` charts of a watch (error rate, p95) for the tracking and rollback issues.
 * Deterministic text: the same series always renders the same block. Downsampled to at most
 * `maxPoints` points, each keeping the worst (largest) value of its span, so a spike survives.
 */

export interface ChartOptions {
  metric: string;
  title: string;
  /** How values are shown: fractions as percent, latencies in ms. */
  unit: 'percent' | 'ms' | 'number';
  /** Drawn as a second, flat line. */
  threshold?: Threshold;
  maxPoints?: number;
}

export function renderChart(series: Series, options: ChartOptions): string {
  const column = series.values[options.metric] ?? [];
  const points: { t: EpochMs; v: number }[] = [];
  series.t.forEach((t, i) => {
    const v = column[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) points.push({ t, v });
  });
  const sampled = downsample(points, options.maxPoints ?? 24);
  const scale = options.unit === 'percent' ? 100 : 1;
  const values = sampled.map((p) => roundForChart(p.v * scale));
  const span = (sampled.at(-1)?.t ?? 0) - (sampled[0]?.t ?? 0);
  const labels = sampled.map((p) => timeLabel(p.t, span));
  const thresholdValue = options.threshold ? roundForChart(options.threshold.value * scale) : undefined;
  const top = niceCeiling(Math.max(...values, thresholdValue ?? 0, options.unit === 'percent' ? 1 : 10));
  const axis = options.unit === 'percent' ? '%' : options.unit === 'ms' ? 'ms' : '';

  const lines = ['```mermaid', 'xychart-beta', `  title "${escapeQuotes(options.title)}"`];
  if (sampled.length === 0) {
    lines.push('  x-axis ["no data"]', `  y-axis "${axis}" 0 --> ${top}`, '  line [0]', '```');
    return lines.join('\n');
  }
  lines.push(`  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`);
  lines.push(`  y-axis "${axis}" 0 --> ${top}`);
  lines.push(`  line [${values.join(', ')}]`);
  if (thresholdValue !== undefined) lines.push(`  line [${values.map(() => thresholdValue).join(', ')}]`);
  lines.push('```');
  return lines.join('\n');
}

/**
 * The charts a monitor report shows: one per rule metric that looks like an error rate or a
 * latency quantile (first of each), with the rule's critical threshold drawn in.
 */
export function renderMonitorCharts(spec: MonitorSpec, state: MonitorState, maxPoints = 24): string {
  const blocks: string[] = [];
  const seen = new Set<string>();
  const pick = (test: RegExp) => spec.rules.find((r) => test.test(r.metric) && !seen.has(r.metric));
  const errorRule = pick(/error|fail/i);
  if (errorRule) {
    seen.add(errorRule.metric);
    blocks.push(
      renderChart(state.series, {
        metric: errorRule.metric,
        title: `Error rate (${errorRule.metric})`,
        unit: 'percent',
        threshold: errorRule.critical,
        maxPoints,
      }),
    );
  }
  const latencyRule = pick(/p\d\d|latency|duration/i);
  if (latencyRule) {
    blocks.push(
      renderChart(state.series, {
        metric: latencyRule.metric,
        title: `${latencyRule.metric.split('.').at(-1)?.toUpperCase() ?? 'Latency'} latency (${latencyRule.metric})`,
        unit: 'ms',
        threshold: latencyRule.critical,
        maxPoints,
      }),
    );
  }
  return blocks.join('\n\n');
}

/** At most `max` points: consecutive runs merged, keeping each run's first time and largest value. */
export function downsample(
  points: readonly { t: EpochMs; v: number }[],
  max: number,
): { t: EpochMs; v: number }[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / max);
  const out: { t: EpochMs; v: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const run = points.slice(i, i + size);
    out.push({ t: run[0]?.t ?? 0, v: Math.max(...run.map((p) => p.v)) });
  }
  return out;
}

function timeLabel(t: EpochMs, spanMs: number): string {
  const iso = new Date(t).toISOString();
  return spanMs >= 10 * 60_000 ? iso.slice(11, 16) : iso.slice(11, 19);
}

function roundForChart(v: number): number {
  if (v >= Number.MAX_VALUE / 10) return 1e9;
  return Math.abs(v) >= 100 ? Math.round(v) : Number(v.toFixed(2));
}

/** 1, 2, 5 × 10^k at or above v. */
function niceCeiling(v: number): number {
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function escapeQuotes(text: string): string {
  return text.replace(/"/g, "'");
}
