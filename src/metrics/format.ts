import type { Threshold } from './types.ts';

/** How values, thresholds and durations read in messages, checklists and charts. */

/** `> 5%` for fractions (metric names with `rate`), `> 500ms` for latencies, the number otherwise. */
export function formatThreshold(threshold: Threshold, metric: string): string {
  return `${threshold.op} ${formatValue(threshold.value, metric)}`;
}

export function formatValue(value: number, metric: string): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : String(value);
  if (value >= Number.MAX_VALUE) return '+Inf';
  const name = metric.toLowerCase();
  if (/rate|ratio|fraction|availability/.test(name)) return `${round(value * 100)}%`;
  if (/p\d\d|latency|duration|_ms$/.test(name)) return `${round(value)}ms`;
  return String(round(value));
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

/** `750ms`, `3s`, `2m`, `2m30s`, `1h5m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toPrecision(3))}s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${sec > 0 ? `${sec}s` : ''}` || '0s';
}
