import { systemClock } from '../engine/clock.ts';
import type { Clock, EpochMs, HttpProbeSpec, Measurement, MetricSource, Sleep } from './types.ts';

/**
 * A synthetic HTTP probe: requests `url` at a steady rate while the watch runs and summarises the
 * recent window as error rate, availability and latency quantiles. Each probe is a sample with
 * ok/status/latency; a timeout or a refused connection is a failed probe (latency = the timeout
 * or the time to fail), never a missing one.
 */

export interface ProbeSample {
  at: EpochMs;
  ok: boolean;
  /** HTTP status, or 0 when no response came. */
  status: number;
  latencyMs: number;
  error?: string;
}

export interface ProbeSummary {
  count: number;
  failures: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
  latencies: number[];
}

export const PROBE_METRICS = ['error_rate', 'availability', 'p50', 'p95', 'p99', 'count'] as const;

/** Summarises probes that started in [from, to). Quantiles use linear interpolation (type 7). */
export function summariseProbes(samples: readonly ProbeSample[], from: EpochMs, to: EpochMs): ProbeSummary {
  const inWindow = samples.filter((s) => s.at >= from && s.at < to);
  const latencies = inWindow.map((s) => s.latencyMs);
  const sorted = Float64Array.from(latencies).sort();
  const failures = inWindow.filter((s) => !s.ok).length;
  return {
    count: inWindow.length,
    failures,
    errorRate: inWindow.length === 0 ? Number.NaN : failures / inWindow.length,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    latencies,
  };
}

export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

/** The measurement of one probe metric over the window ending at `now`. */
export function probeMeasurement(metric: string, summary: ProbeSummary, now: EpochMs): Measurement {
  if (summary.count === 0) return { kind: 'no-data', at: now, reason: 'no probe completed in the window' };
  const base = { kind: 'value' as const, at: now, sampleCount: summary.count };
  switch (metric) {
    case 'error_rate':
      return { ...base, value: summary.errorRate };
    case 'availability':
      return { ...base, value: 1 - summary.errorRate };
    case 'count':
      return { ...base, value: summary.count };
    case 'p50':
    case 'p95':
    case 'p99':
      return { ...base, value: summary[metric], samples: summary.latencies };
    default:
      return {
        kind: 'error',
        at: now,
        reason: `the http probe has no metric ${metric}; known: ${PROBE_METRICS.join(', ')}`,
      };
  }
}

export interface HttpProbeDeps {
  clock?: Clock;
  sleep?: Sleep;
  fetch?: typeof fetch;
}

export interface HttpProbeSource extends MetricSource {
  /** Probe once now (also used by the background loop). */
  probeOnce(): Promise<ProbeSample>;
  /** The probes kept in the window, oldest first. */
  samples(): readonly ProbeSample[];
}

export function createHttpProbe(
  name: string,
  spec: HttpProbeSpec,
  deps: HttpProbeDeps = {},
): HttpProbeSource {
  if (!(spec.ratePerSecond > 0)) throw new Error(`probe ${name}: rate must be > 0 per second`);
  if (!(spec.timeoutMs > 0)) throw new Error(`probe ${name}: timeout must be > 0 ms`);
  const clock = deps.clock ?? { now: () => Date.now() };
  const sleep = deps.sleep ?? defaultSleep;
  const doFetch = deps.fetch ?? fetch;
  const windowMs = spec.windowMs ?? 30_000;
  const periodMs = 1000 / spec.ratePerSecond;
  const okStatuses = spec.okStatuses ? new Set(spec.okStatuses) : undefined;
  const kept: ProbeSample[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let loop: Promise<void> | undefined;
  let stopper: AbortController | undefined;

  const prune = (now: EpochMs) => {
    while (kept.length > 0 && (kept[0]?.at ?? now) < now - windowMs) kept.shift();
  };

  const probeOnce = async (): Promise<ProbeSample> => {
    const at = clock.now();
    const started = performance.now();
    let sample: ProbeSample;
    try {
      const response = await doFetch(spec.url, {
        method: spec.method ?? 'GET',
        headers: spec.headers,
        signal: AbortSignal.timeout(spec.timeoutMs),
      });
      await response.arrayBuffer();
      const latencyMs = performance.now() - started;
      const ok = okStatuses
        ? okStatuses.has(response.status)
        : response.status >= 200 && response.status < 400;
      sample = { at, ok, status: response.status, latencyMs };
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string }; message?: string };
      const timedOut = e?.name === 'TimeoutError';
      sample = {
        at,
        ok: false,
        status: 0,
        latencyMs: timedOut ? spec.timeoutMs : performance.now() - started,
        error: timedOut
          ? `timed out after ${spec.timeoutMs} ms`
          : (e?.cause?.code ?? e?.message ?? String(error)),
      };
    }
    kept.push(sample);
    kept.sort((a, b) => a.at - b.at);
    prune(clock.now());
    return sample;
  };

  return {
    name,
    metrics: PROBE_METRICS,
    warmUpMs: windowMs,
    probeOnce,
    samples: () => kept,
    start() {
      if (loop) return;
      const controller = new AbortController();
      stopper = controller;
      loop = (async () => {
        // A slow target must not slow the rate: probes are fired on schedule, not awaited one
        // by one; at most rate × timeout + 1 are in flight.
        const maxInFlight = Math.ceil(spec.ratePerSecond * (spec.timeoutMs / 1000)) + 1;
        let next = clock.now();
        while (!controller.signal.aborted) {
          if (inFlight.size < maxInFlight) {
            const p = probeOnce().finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
          next += periodMs;
          try {
            await sleep(Math.max(0, next - clock.now()), controller.signal);
          } catch {
            break;
          }
        }
      })();
    },
    async stop() {
      stopper?.abort();
      await loop;
      await Promise.allSettled([...inFlight]);
      loop = undefined;
    },
    async measure(metric, now) {
      prune(now);
      return probeMeasurement(metric, summariseProbes(kept, now - windowMs, now + 1), now);
    },
  };
}

export const defaultSleep: Sleep = (ms, signal) => systemClock.sleep(ms, signal);
