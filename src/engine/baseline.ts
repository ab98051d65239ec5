import { errorMessage } from '../errors.ts';
import { captureBaseline as captureMetricBaseline } from '../metrics/baseline.ts';
import { formatValue } from '../metrics/format.ts';
import { createSources } from '../metrics/sources.ts';
import type { Baseline, MetricSource } from '../metrics/types.ts';
import { metricsTime, sourceSpecs } from './monitor-spec.ts';
import type { Release } from './release.ts';
import { type BaselineSnapshot, type Mutation, recordEvent } from './release-state.ts';

/**
 * The preflight's baseline: a snapshot of the configured monitor sources before the deploy
 * (error rate, p50/p95/p99 latency, request counts: every metric a source offers), saved in the
 * record so the monitor's baseline rules compare the new version with the old one.
 *
 * - Prometheus sources answer from history: the `preflight.baseline.duration` before now, at a
 *   step giving about 60 samples; no waiting.
 * - HTTP probes measure live for that duration (all probes at once); a probe's `count` is the
 *   number of probes it made, not the service's traffic (Prometheus has that).
 *
 * A metric that cannot be captured is listed in `problems`, never fatal: a baseline rule
 * without its baseline is inconclusive in the watch, which says so.
 */

export interface BaselineOptions {
  /** How far back (Prometheus) or how long (probes); `preflight.baseline.duration` (1m) unless set. */
  durationMs?: number;
  fetch?: typeof fetch;
}

/** Samples kept per metric: enough for the rank test, small enough for the record. */
const MAX_SAMPLES = 500;

export async function captureBaseline(
  release: Release,
  options: BaselineOptions = {},
): Promise<BaselineSnapshot | undefined> {
  const { ctx, config } = release;
  const monitor = config.monitor;
  if (!monitor) return undefined;
  const durationMs = options.durationMs ?? config.preflight?.baseline?.duration ?? 60_000;
  const time = metricsTime(ctx.clock);
  const sources = createSources(sourceSpecs(monitor, release.template, { probeWindowMs: durationMs }), {
    ...time,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const metrics: Record<string, Baseline> = {};
  const problems: string[] = [];
  await Promise.all(
    Object.values(sources).map(async (source) => {
      const captured = source.history
        ? await fromHistory(source, durationMs, time.clock.now())
        : await live(source, durationMs, time);
      for (const entry of captured) {
        if ('baseline' in entry) metrics[entry.baseline.metric] = entry.baseline;
        else problems.push(ctx.scrubber.scrub(entry.problem));
      }
    }),
  );
  const snapshot: BaselineSnapshot = {
    capturedAt: ctx.clock.now().toISOString(),
    metrics: Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b))),
    problems: problems.sort(),
  };
  await release.report(saveBaseline(snapshot), baselineEvent(snapshot, `${ctx.runId}-${ctx.runAttempt}`));
  return snapshot;
}

export function saveBaseline(snapshot: BaselineSnapshot): Mutation {
  return (state) => ({ ...state, baseline: snapshot });
}

function baselineEvent(snapshot: BaselineSnapshot, run: string): Mutation {
  const values = Object.values(snapshot.metrics).map(
    (b) => `${b.metric} ${formatValue(b.value, b.metric)} (${b.samples.length} samples)`,
  );
  const missing = snapshot.problems.length > 0 ? `; not captured: ${snapshot.problems.join('; ')}` : '';
  return recordEvent({
    id: `preflight-baseline-${run}`,
    at: snapshot.capturedAt,
    type: 'baseline captured',
    message: `${values.join(', ') || 'nothing'}${missing}`,
  });
}

type Captured = { baseline: Baseline } | { problem: string };

async function fromHistory(source: MetricSource, lookbackMs: number, before: number): Promise<Captured[]> {
  const stepMs = Math.max(1000, Math.floor(lookbackMs / 60));
  return Promise.all(
    source.metrics.map(async (metric): Promise<Captured> => {
      try {
        return {
          baseline: bounded(await captureMetricBaseline(source, metric, { lookbackMs, stepMs, before })),
        };
      } catch (error) {
        return { problem: errorMessage(error) };
      }
    }),
  );
}

/** One live capture for the whole probe, then every metric read from the probes it kept. */
async function live(
  source: MetricSource,
  durationMs: number,
  time: ReturnType<typeof metricsTime>,
): Promise<Captured[]> {
  const [first, ...rest] = source.metrics;
  if (first === undefined) return [];
  const out: Captured[] = [];
  try {
    out.push({ baseline: bounded(await captureMetricBaseline(source, first, { durationMs, ...time })) });
  } catch (error) {
    return [{ problem: errorMessage(error) }];
  }
  const at = time.clock.now();
  for (const metric of rest) {
    const m = await source.measure(metric, at);
    const ref = `${source.name}.${metric}`;
    out.push(
      m.kind === 'value'
        ? {
            baseline: bounded({
              metric: ref,
              capturedAt: at,
              value: m.value,
              samples: m.samples ?? [m.value],
            }),
          }
        : { problem: `${ref}: no baseline: ${m.reason}` },
    );
  }
  return out;
}

function bounded(baseline: Baseline): Baseline {
  if (baseline.samples.length <= MAX_SAMPLES) return baseline;
  const step = baseline.samples.length / MAX_SAMPLES;
  return {
    ...baseline,
    samples: Array.from({ length: MAX_SAMPLES }, (_, i) => baseline.samples[Math.floor(i * step)]!),
  };
}
