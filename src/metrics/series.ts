import type { EpochMs, Series } from './types.ts';

/**
 * Metric values over a watch, kept small enough to live in the release record for a 24-hour
 * watch: once the series holds more than `maxPoints` points, neighbouring points merge pairwise
 * (and each later point covers twice as many ticks). A merged point keeps the worst (largest)
 * value of its span, so a short spike in error rate or latency never disappears from the chart.
 */

export const DEFAULT_MAX_POINTS = 240;

export function emptySeries(): Series {
  return { t: [], values: {}, bucketTicks: 1, lastBucketTicks: 0 };
}

/** Adds one tick's values (null: no value this tick) in place. */
export function recordTick(
  series: Series,
  at: EpochMs,
  values: Readonly<Record<string, number | null>>,
  maxPoints = DEFAULT_MAX_POINTS,
): void {
  const metrics = new Set([...Object.keys(series.values), ...Object.keys(values)]);
  const startNew = series.t.length === 0 || series.lastBucketTicks >= series.bucketTicks;
  if (startNew) {
    series.t.push(at);
    series.lastBucketTicks = 0;
  }
  const index = series.t.length - 1;
  for (const metric of metrics) {
    let column = series.values[metric];
    if (!column) {
      column = new Array<number | null>(index).fill(null);
      series.values[metric] = column;
    }
    while (column.length <= index) column.push(null);
    column[index] = worst(column[index] ?? null, storable(values[metric] ?? null));
  }
  series.lastBucketTicks += 1;
  if (series.t.length > maxPoints) compact(series);
}

function compact(series: Series): void {
  const t: EpochMs[] = [];
  for (let i = 0; i < series.t.length; i += 2) t.push(series.t[i] ?? 0);
  for (const [metric, column] of Object.entries(series.values)) {
    const merged: (number | null)[] = [];
    for (let i = 0; i < column.length; i += 2) merged.push(worst(column[i] ?? null, column[i + 1] ?? null));
    series.values[metric] = merged;
  }
  const lastWasPaired = series.t.length % 2 === 0;
  series.t = t;
  series.lastBucketTicks = lastWasPaired
    ? series.bucketTicks + series.lastBucketTicks
    : series.lastBucketTicks;
  series.bucketTicks *= 2;
}

function worst(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function storable(value: number | null): number | null {
  if (value === null || Number.isNaN(value)) return null;
  if (value === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (value === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  return value;
}
