#!/usr/bin/env node
/**
 * Monitor benchmarks, measured side by side in one run:
 *
 * 1. Time from fault injection to "rollback required", against the probe interval and `for:`
 *    (the floor: a breach must last `for:`, and is first seen at the first tick after the fault).
 *    Real demo app, real HTTP probe; with --prometheus also through a real Prometheus (scrape
 *    every 1 s, [5s] rates), which adds the scrape and rate-window lag.
 * 2. Runner minutes a 24-hour watch costs as scheduled slices (each replaying the gap from
 *    Prometheus history) against one job that sleeps through it. The slices are really run, on a
 *    fake clock, to count them; per-job overhead is an assumption printed with the result.
 *
 *   node scripts/bench-monitor.ts [--prometheus] [--json]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDemoApp } from '../examples/demo-app/app.ts';
import { createMonitorState, evaluateTick } from '../src/metrics/evaluator.ts';
import { createHttpProbe } from '../src/metrics/http-probe.ts';
import { runMonitor } from '../src/metrics/monitor.ts';
import { createPrometheusSource } from '../src/metrics/prometheus.ts';
import { parseThreshold } from '../src/metrics/threshold.ts';
import {
  DEFAULT_ANALYSIS,
  type Measurement,
  type MetricSource,
  type MonitorSpec,
} from '../src/metrics/types.ts';

export interface DetectionFigure {
  source: 'http-probe' | 'prometheus';
  intervalMs: number;
  forMs: number;
  /** Where in the tick interval the fault landed (0: just after a tick, 1: just before the next). */
  phase: number;
  /** Fault injected → runMonitor returned with "rollback required". */
  measuredMs: number;
  /** measured − for: the detection lag on top of the floor. */
  lagMs: number;
}

export interface LongWatchFigure {
  watchHours: number;
  cadenceMinutes: number;
  sliceSeconds: number;
  assumedJobOverheadSeconds: number;
  slices: number;
  decision: string;
  slicedRunnerMinutes: number;
  sleepingJobRunnerMinutes: number;
  ratio: number;
  /** Measured: replaying a `cadence` gap from a real Prometheus (range query + evaluation), ms. */
  backfillMs?: number;
  /** Measured: node start-up plus importing the metrics engine, ms. */
  engineStartMs: number;
}

const errorRule = (forMs: number, metric: string) => ({
  id: 'error-rate',
  metric,
  critical: parseThreshold('> 5%'),
  forMs,
  actions: { warn: 'notify' as const, critical: 'rollback' as const },
  dryRun: false,
});

export async function benchDetection(options: { prometheus?: boolean } = {}): Promise<DetectionFigure[]> {
  const figures: DetectionFigure[] = [];
  for (const intervalMs of [250, 500, 1000]) {
    for (const [forMs, phase] of [
      [0, 0.1],
      [0, 0.9],
      [2000, 0.1],
      [2000, 0.9],
    ] as const) {
      const app = await startDemoApp();
      try {
        const spec: MonitorSpec = {
          durationMs: 60_000,
          intervalMs,
          analysis: { ...DEFAULT_ANALYSIS, minSamples: 3 },
          inconclusive: 'ask',
          rules: [errorRule(forMs, 'probe.error_rate')],
        };
        const probe = createHttpProbe('probe', {
          kind: 'http-probe',
          url: `${app.url}/health`,
          ratePerSecond: 40,
          timeoutMs: 1000,
          windowMs: intervalMs,
        });
        const startedAt = Date.now();
        // Ticks fall at startedAt + k·interval once the probe window has filled (k ≥ 1).
        const faultAt = startedAt + intervalMs * (2 + phase);
        app.addFault({ errorRate: 0.3, startAt: faultAt });
        const run = await runMonitor({
          spec,
          sources: { probe },
          state: createMonitorState(spec, { startedAt }),
        });
        if (run.decision?.action !== 'rollback')
          throw new Error(`expected a rollback, got ${run.decision?.message}`);
        const measuredMs = Date.now() - faultAt;
        figures.push({
          source: 'http-probe',
          intervalMs,
          forMs,
          phase,
          measuredMs,
          lagMs: measuredMs - forMs,
        });
      } finally {
        await app.close();
      }
    }
  }
  if (options.prometheus) figures.push(await benchPrometheusDetection());
  return figures;
}

async function benchPrometheusDetection(): Promise<DetectionFigure> {
  const { startPrometheus } = await import('../test/harness/prometheus.ts');
  const { startTraffic } = await import('../test/harness/demo-app.ts');
  const app = await startDemoApp();
  const traffic = startTraffic(app.url, 100);
  const prometheus = await startPrometheus({ targets: [new URL(app.url).host] });
  try {
    await new Promise((resolve) => setTimeout(resolve, 6000)); // let [5s] rates fill
    const intervalMs = 500;
    const forMs = 2000;
    const spec: MonitorSpec = {
      durationMs: 60_000,
      intervalMs,
      analysis: { ...DEFAULT_ANALYSIS },
      inconclusive: 'ask',
      rules: [errorRule(forMs, 'prom.error_rate')],
    };
    const prom = createPrometheusSource('prom', {
      kind: 'prometheus',
      url: prometheus.url,
      queries: {
        error_rate:
          '(sum(rate(http_requests_total{code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total[5s]))',
      },
    });
    const startedAt = Date.now();
    const phase = 0.5;
    const faultAt = startedAt + intervalMs * (2 + phase);
    app.addFault({ errorRate: 0.3, startAt: faultAt });
    const run = await runMonitor({ spec, sources: { prom }, state: createMonitorState(spec, { startedAt }) });
    if (run.decision?.action !== 'rollback')
      throw new Error(`expected a rollback, got ${run.decision?.message}`);
    const measuredMs = Date.now() - faultAt;
    return { source: 'prometheus', intervalMs, forMs, phase, measuredMs, lagMs: measuredMs - forMs };
  } finally {
    await traffic.stop();
    await prometheus.stop();
    await app.close();
  }
}

export async function benchLongWatch(
  options: {
    cadenceMinutes?: number;
    sliceSeconds?: number;
    assumedJobOverheadSeconds?: number;
    prometheus?: boolean;
  } = {},
): Promise<LongWatchFigure> {
  const cadenceMinutes = options.cadenceMinutes ?? 30;
  const sliceSeconds = options.sliceSeconds ?? 60;
  const overhead = options.assumedJobOverheadSeconds ?? 30;
  const M = 60_000;
  const spec: MonitorSpec = {
    durationMs: 24 * 60 * M,
    intervalMs: 15_000,
    analysis: { ...DEFAULT_ANALYSIS },
    inconclusive: 'ask',
    rules: [{ ...errorRule(2 * M, 'prom.error_rate'), warn: parseThreshold('> 1%') }],
  };
  // A healthy service with history, on a fake clock: the slices are really run.
  let now = Date.UTC(2026, 10, 21, 2, 0, 0);
  const value = (at: number): Measurement => ({
    kind: 'value',
    at,
    value: 0.0005 + 0.0003 * Math.sin(at / 600_000),
  });
  const source: MetricSource = {
    name: 'prom',
    metrics: ['error_rate'],
    measure: async (_m, at) => value(at),
    history: async (_m, from, to, step) => {
      const out: Measurement[] = [];
      for (let t = from; t <= to; t += step) out.push(value(t));
      return out;
    },
  };
  let state = createMonitorState(spec, { startedAt: now });
  let slices = 0;
  let billedMinutes = 0;
  while (state.status === 'running') {
    const run = await runMonitor({
      spec,
      sources: { prom: source },
      state: JSON.parse(JSON.stringify(state)) as typeof state,
      clock: { now: () => now },
      sleep: async (ms) => {
        now += ms;
      },
      sliceMs: sliceSeconds * 1000,
    });
    state = run.state;
    slices += 1;
    billedMinutes += Math.ceil((overhead + sliceSeconds) / 60);
    if (state.status === 'running') now += cadenceMinutes * M - sliceSeconds * 1000;
  }

  let backfillMs: number | undefined;
  if (options.prometheus) backfillMs = await measureBackfill(cadenceMinutes * M, spec);

  const started = performance.now();
  const metricsIndex = fileURLToPath(new URL('../src/metrics/index.ts', import.meta.url));
  spawnSync(process.execPath, ['-e', `await import(${JSON.stringify(metricsIndex)})`, '--input-type=module']);
  const engineStartMs = performance.now() - started;

  const sleepingJobRunnerMinutes = 24 * 60;
  return {
    watchHours: 24,
    cadenceMinutes,
    sliceSeconds,
    assumedJobOverheadSeconds: overhead,
    slices,
    decision: state.decision?.message ?? state.status,
    slicedRunnerMinutes: billedMinutes,
    sleepingJobRunnerMinutes,
    ratio: billedMinutes / sleepingJobRunnerMinutes,
    backfillMs,
    engineStartMs,
  };
}

/** A range query over a `gapMs` gap at the interval from a real Prometheus, plus judging each point. */
async function measureBackfill(gapMs: number, spec: MonitorSpec): Promise<number> {
  const { startPrometheus } = await import('../test/harness/prometheus.ts');
  const app = await startDemoApp();
  const prometheus = await startPrometheus({ targets: [new URL(app.url).host] });
  try {
    const prom = createPrometheusSource('prom', {
      kind: 'prometheus',
      url: prometheus.url,
      queries: { error_rate: 'sum(rate(http_requests_total[1m])) or vector(0)' },
    });
    const end = Date.now();
    const started = performance.now();
    const history = (await prom.history?.('error_rate', end - gapMs, end, spec.intervalMs)) ?? [];
    let state = createMonitorState(spec, { startedAt: end - gapMs - spec.intervalMs });
    for (const m of history) state = evaluateTick(spec, state, { 'prom.error_rate': m }, m.at).state;
    return performance.now() - started;
  } finally {
    await prometheus.stop();
    await app.close();
  }
}

export function printReport(detection: DetectionFigure[], watch: LongWatchFigure): void {
  const lines: string[] = [];
  lines.push('Time from fault (30% errors) to "rollback required"; floor = for: (the breach must last it)');
  lines.push(
    'plus up to one interval until the next tick sees it (phase: where in the interval the fault hit)',
  );
  lines.push('source       interval   for     phase   measured   lag over floor   lag / interval');
  for (const f of detection) {
    lines.push(
      `${f.source.padEnd(12)} ${`${f.intervalMs}ms`.padEnd(10)} ${`${f.forMs}ms`.padEnd(7)} ${f.phase.toFixed(1).padEnd(7)} ${`${f.measuredMs}ms`.padEnd(10)} ${`${f.lagMs}ms`.padEnd(16)} ${(f.lagMs / f.intervalMs).toFixed(2)}`,
    );
  }
  lines.push('');
  lines.push(
    `A ${watch.watchHours}-hour watch: a ${watch.sliceSeconds}s slice every ${watch.cadenceMinutes} min, each replaying the gap from Prometheus`,
  );
  lines.push(`  slices run: ${watch.slices}; decision: ${watch.decision}`);
  lines.push(
    `  runner minutes: ${watch.slicedRunnerMinutes} in slices (assuming ${watch.assumedJobOverheadSeconds}s job overhead, billed per started minute) vs ${watch.sleepingJobRunnerMinutes} for one sleeping job: ${(watch.ratio * 100).toFixed(1)}%`,
  );
  lines.push('  (a GitHub-hosted job is capped at 6 hours, so "one job" is really four chained 6-hour jobs)');
  if (watch.backfillMs !== undefined) {
    lines.push(
      `  replaying a ${watch.cadenceMinutes}-minute gap from a real Prometheus: ${watch.backfillMs.toFixed(0)} ms`,
    );
  }
  lines.push(`  node start-up + importing the metrics engine: ${watch.engineStartMs.toFixed(0)} ms`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.main) {
  const args = new Set(process.argv.slice(2));
  const prometheus = args.has('--prometheus');
  const detection = await benchDetection({ prometheus });
  const watch = await benchLongWatch({ prometheus });
  if (args.has('--json')) process.stdout.write(`${JSON.stringify({ detection, watch }, null, 2)}\n`);
  else printReport(detection, watch);
}
