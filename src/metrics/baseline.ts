import { defaultSleep } from './http-probe.ts';
import { median } from './mann-whitney.ts';
import type { Baseline, Clock, EpochMs, MetricSource, Sleep } from './types.ts';

/**
 * Captures a metric's pre-deploy baseline for baseline rules.
 *
 * - From history (`lookbackMs`, Prometheus): the values over the lookback at `stepMs` are the
 *   samples and their median is the baseline value. This works after the fact, so the monitor
 *   can fetch the baseline of the hour before the deploy once the deploy is done.
 * - Live (the HTTP probe): probe for `durationMs` before the deploy; the raw latencies are the
 *   samples and the measured value (e.g. p95) is the baseline value.
 */
export async function captureBaseline(
  source: MetricSource,
  metric: string,
  options:
    | { lookbackMs: number; stepMs: number; before?: EpochMs; clock?: Clock }
    | { durationMs: number; clock?: Clock; sleep?: Sleep; signal?: AbortSignal },
): Promise<Baseline> {
  const clock = options.clock ?? { now: () => Date.now() };
  const ref = `${source.name}.${metric}`;
  if ('lookbackMs' in options) {
    if (!source.history)
      throw new Error(`${ref}: source keeps no history; capture the baseline live instead`);
    const end = options.before ?? clock.now();
    const history = await source.history(metric, end - options.lookbackMs, end, options.stepMs);
    const samples = history.flatMap((m) => (m.kind === 'value' && Number.isFinite(m.value) ? [m.value] : []));
    if (samples.length === 0) {
      const reasons = [...new Set(history.flatMap((m) => (m.kind === 'value' ? [] : [m.reason])))];
      throw new Error(
        `${ref}: no baseline values in the ${options.lookbackMs / 1000}s before the deploy: ${reasons.join('; ')}`,
      );
    }
    return { metric: ref, capturedAt: end, value: median(samples), samples };
  }
  source.start?.();
  try {
    await (options.sleep ?? defaultSleep)(options.durationMs, options.signal);
  } finally {
    await source.stop?.();
  }
  const at = clock.now();
  const m = await source.measure(metric, at);
  if (m.kind !== 'value') throw new Error(`${ref}: no baseline: ${m.reason}`);
  return { metric: ref, capturedAt: at, value: m.value, samples: m.samples ?? [m.value] };
}
