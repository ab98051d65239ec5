import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import { captureBaseline } from '../../src/metrics/baseline.ts';
import { createMonitorState } from '../../src/metrics/evaluator.ts';
import { runMonitor } from '../../src/metrics/monitor.ts';
import { createPrometheusSource, queryInstant, toMeasurement } from '../../src/metrics/prometheus.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import {
  DEFAULT_ANALYSIS,
  type MonitorEvent,
  type MonitorSpec,
  type PrometheusSpec,
  type RuleEvaluation,
} from '../../src/metrics/types.ts';
import { startDemoAppInProcess, startTraffic } from '../harness/demo-app.ts';
import { type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type RunningPrometheus, startPrometheus } from '../harness/prometheus.ts';

// The real demo app, scraped every second by a real Prometheus, watched by the real monitor.
// Windows are short ([5s] rates, for: 3s, interval 500 ms) so the suite stays fast.

// Two demo apps behind one Prometheus, so one test's fault does not linger in the next one's
// [5s] rates: queries select the app by its instance label.
const errorRate = (instance: string) =>
  `(sum(rate(http_requests_total{instance="${instance}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{instance="${instance}"}[5s]))`;
const p95 = (instance: string) =>
  `histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{instance="${instance}"}[5s])) by (le))`;

let app: RunningDemoApp;
let other: RunningDemoApp;
let prometheus: RunningPrometheus;
let proxy: FaultProxy;
let traffic: ReturnType<typeof startTraffic>[];
/** When the first scrape succeeded: history before it is empty. */
let scrapedSince: number;

beforeAll(async () => {
  app = await startDemoAppInProcess();
  other = await startDemoAppInProcess();
  traffic = [startTraffic(app.url, 60), startTraffic(other.url, 60)];
  prometheus = await startPrometheus({ targets: [host(app), host(other)] });
  scrapedSince = Date.now();
  proxy = await startFaultProxy(prometheus.url);
  // Two scrapes with traffic in between, so [5s] rates exist.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const measurements = await Promise.all(
      [app, other].map(async (a) =>
        toMeasurement(await queryInstant(prometheus.url, errorRate(host(a))), Date.now()),
      ),
    );
    if (measurements.every((m) => m.kind === 'value')) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  await Promise.all((traffic ?? []).map((t) => t.stop()));
  await proxy?.stop();
  await prometheus?.stop();
  await app?.close();
  await other?.close();
});

function host(a: RunningDemoApp): string {
  return new URL(a.url).host;
}

function promSpec(url: string, timeoutMs = 2000, target: RunningDemoApp = app): PrometheusSpec {
  return {
    kind: 'prometheus',
    url,
    timeoutMs,
    queries: { error_rate: errorRate(host(target)), p95: { query: p95(host(target)), unit: 'seconds' } },
  };
}

function watchSpec(overrides: Partial<MonitorSpec> = {}): MonitorSpec {
  return {
    durationMs: 60_000,
    intervalMs: 500,
    analysis: { ...DEFAULT_ANALYSIS, consecutiveErrorLimit: 3 },
    inconclusive: 'ask',
    rules: [
      {
        id: 'error-rate',
        metric: 'prom.error_rate',
        warn: parseThreshold('> 1%'),
        critical: parseThreshold('> 5%'),
        forMs: 3000,
        actions: { warn: 'notify', critical: 'rollback' },
        dryRun: false,
      },
    ],
    ...overrides,
  };
}

describe('Prometheus HTTP API', () => {
  it('reads the demo app’s error rate and p95 as values in base units', async () => {
    const source = createPrometheusSource('prom', promSpec(prometheus.url));
    const rate = await source.measure('error_rate', Date.now());
    expect(rate).toMatchObject({ kind: 'value', value: 0 });
    const latency = await source.measure('p95', Date.now());
    expect(latency.kind).toBe('value');
    if (latency.kind === 'value') expect(latency.value).toBeGreaterThan(0);
    if (latency.kind === 'value') expect(latency.value).toBeLessThan(100); // milliseconds, not seconds
    // Both apps' series without an aggregation: a rule needs one number.
    expect(toMeasurement(await queryInstant(prometheus.url, 'up'), Date.now())).toMatchObject({
      kind: 'error',
      reason: expect.stringContaining('returned 2 series'),
    });
  });

  it('maps Prometheus’ own answers: empty vector, NaN, +Inf, a bad query', async () => {
    const now = Date.now();
    expect(toMeasurement(await queryInstant(prometheus.url, 'no_such_metric_anywhere'), now)).toMatchObject({
      kind: 'no-data',
    });
    expect(toMeasurement(await queryInstant(prometheus.url, 'vector(0) / vector(0)'), now)).toMatchObject({
      kind: 'no-data',
      reason: expect.stringContaining('NaN'),
    });
    expect(toMeasurement(await queryInstant(prometheus.url, 'vector(1) / vector(0)'), now)).toMatchObject({
      kind: 'value',
      value: Number.POSITIVE_INFINITY,
    });
    const bad = await queryInstant(prometheus.url, 'sum(rate(http_requests_total[5s]');
    expect(bad).toMatchObject({ kind: 'error', errorType: 'bad_data', httpStatus: 400 });
    expect(toMeasurement(await queryInstant(prometheus.url, 'sum(up)'), now)).toMatchObject({
      kind: 'value',
      value: 2,
    });
  });
});

describe('the monitor against the real stack', () => {
  it('decides "rollback required" about for: after 8% errors begin, measured from Prometheus', async () => {
    const spec = watchSpec();
    const events: MonitorEvent[] = [];
    const startedAt = Date.now();
    const injectAt = startedAt + 1000;
    app.addFault({ errorRate: 0.08, startAt: injectAt, durationMs: 30_000 });
    try {
      const run = await runMonitor({
        spec,
        sources: { prom: createPrometheusSource('prom', promSpec(prometheus.url)) },
        state: createMonitorState(spec, { startedAt }),
        onEvent: (e) => events.push(e),
      });
      const decision = run.decision;
      expect(decision).toMatchObject({ outcome: 'failed', action: 'rollback', ruleId: 'error-rate' });
      const breachStart = decision?.breachStartedAt ?? 0;
      const decidedAt = decision?.decidedAt ?? 0;
      // The [5s] rate crosses 5% a few seconds after the fault; the decision follows for: later.
      expect(breachStart - injectAt).toBeGreaterThanOrEqual(0);
      expect(breachStart - injectAt).toBeLessThan(6000);
      expect(decidedAt - breachStart).toBeGreaterThanOrEqual(3000);
      expect(decidedAt - breachStart).toBeLessThan(3000 + 4 * spec.intervalMs); // slack for a loaded machine
      expect(decidedAt - startedAt).toBeLessThan(15_000); // long before the 60 s window ends
      const values = decision?.values.map((v) => v.value) ?? [];
      expect(values.length).toBeGreaterThanOrEqual(6);
      expect(Math.min(...values)).toBeGreaterThan(0.05);
      expect(Math.max(...values)).toBeLessThan(0.12);
      const firing = events.filter((e) => e.type === 'breach-firing');
      expect(firing.map((e) => [e.severity, e.action])).toEqual([
        ['warning', 'notify'],
        ['critical', 'rollback'],
      ]);
    } finally {
      app.clearFaults();
    }
  });

  it('a watch in slices replays the gap from Prometheus history and rolls back on a breach between slices', async () => {
    const spec = watchSpec();
    const sources = { prom: createPrometheusSource('prom', promSpec(prometheus.url, 2000, other)) };
    const startedAt = Date.now();
    const first = await runMonitor({
      spec,
      sources,
      state: createMonitorState(spec, { startedAt }),
      sliceMs: 1500,
    });
    expect(first.state.status).toBe('running');
    const saved = JSON.stringify(first.state); // what the record on GitHub carries between jobs

    // Nobody is watching: 8% errors for 7 s, then healthy again before the next slice starts.
    const injectAt = Date.now();
    other.addFault({ errorRate: 0.08, startAt: injectAt, durationMs: 7000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 8000));
      const events: MonitorEvent[] = [];
      const second = await runMonitor({
        spec,
        sources,
        state: JSON.parse(saved),
        sliceMs: 1500,
        onEvent: (e) => events.push(e),
      });
      expect(events[0]).toMatchObject({ type: 'backfilled', skippedMetrics: [] });
      expect(second.ticks).toBe(0); // decided from history alone
      expect(second.state.slices).toBe(2);
      const decision = second.decision;
      expect(decision).toMatchObject({ action: 'rollback', ruleId: 'error-rate' });
      expect(decision?.breachStartedAt).toBeGreaterThanOrEqual(injectAt);
      expect(decision?.breachStartedAt).toBeLessThan(injectAt + 6000);
      expect((decision?.decidedAt ?? 0) - (decision?.breachStartedAt ?? 0)).toBeGreaterThanOrEqual(3000);
    } finally {
      other.clearFaults();
    }
  });

  const failures = [
    { mode: 'down', reason: /connection refused/ },
    { mode: '503', reason: /HTTP 503/ },
    { mode: 'status-error', reason: /Prometheus error execution \(HTTP 422\): query processing/ },
    { mode: 'slow', reason: /timed out after 300 ms/ },
    { mode: 'reset', reason: /connection to 127\.0\.0\.1:\d+ reset mid-answer/ },
  ] as const;

  for (const { mode, reason } of failures) {
    it(`Prometheus ${mode}: inconclusive, never a pass, and past the consecutive-error limit the configured action`, async () => {
      await proxy.set(mode, { delayMs: 1000 });
      try {
        const inconclusive = mode === 'down' ? 'rollback' : 'ask';
        const spec = watchSpec({ inconclusive, intervalMs: 200 });
        const evaluations: RuleEvaluation[] = [];
        const run = await runMonitor({
          spec,
          sources: { prom: createPrometheusSource('prom', promSpec(proxy.url, 300)) },
          state: createMonitorState(spec, { startedAt: Date.now() }),
          onTick: (tick) => {
            evaluations.push(...tick.evaluations);
          },
        });
        expect(evaluations).toHaveLength(4); // consecutiveErrorLimit 3: the 4th error decides
        expect(evaluations.every((e) => e.outcome === 'inconclusive' && e.phase === 'error')).toBe(true);
        expect(evaluations[0]?.measurement).toMatchObject({
          kind: 'error',
          reason: expect.stringMatching(reason),
        });
        expect(run.decision).toMatchObject({ outcome: 'inconclusive', action: inconclusive });
        expect(run.decision?.message).toMatch(/consecutive errors \(4\) > consecutiveErrorLimit \(3\)/);
        expect(run.state.status).toBe(mode === 'down' ? 'rollback' : 'inconclusive');
      } finally {
        await proxy.set('pass');
      }
    });
  }

  it('a good answer between errors resets the consecutive-error counter', async () => {
    const spec = watchSpec({ intervalMs: 200, durationMs: 2000 });
    let tick = 0;
    const errors: number[] = [];
    const run = await runMonitor({
      spec,
      sources: { prom: createPrometheusSource('prom', promSpec(proxy.url, 300)) },
      state: createMonitorState(spec, { startedAt: Date.now() }),
      onTick: async () => {
        tick += 1;
        // three ticks failing, one passing, repeatedly: never more than 3 in a row
        await proxy.set(tick % 4 === 3 ? 'pass' : '503');
      },
      onEvent: (e) => {
        if (e.type === 'measurement-error') errors.push(e.consecutive);
      },
    });
    await proxy.set('pass');
    expect(Math.max(...errors)).toBeLessThanOrEqual(3);
    expect(errors).toContain(1);
    // Argo semantics: errors below the limit do not fail the rule; the good answers carry it,
    // and the report says how many measurements erred.
    expect(run.decision?.action).toBe('promote');
    expect(run.state.rules['error-rate']?.message).toMatch(
      /passed: \d+ successful of \d+ measurement\(s\); \d+ error\(s\)/,
    );
  });
});

describe('Prometheus history', () => {
  it('answers history from a range query, one measurement per step', async () => {
    const source = createPrometheusSource('prom', {
      kind: 'prometheus',
      url: prometheus.url,
      queries: { up: 'sum(up)' },
    });
    const wait = scrapedSince + 3500 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const end = Date.now() - 1000;
    const history = await source.history?.('up', end - 2000, end, 1000);
    expect(history?.map((m) => m.at)).toEqual([end - 2000, end - 1000, end]);
    expect(history?.map((m) => (m.kind === 'value' ? m.value : m.reason))).toEqual([2, 2, 2]);
    // Before Prometheus started there is nothing: those steps are no-data, not zero.
    const early = await source.history?.('up', end - 3_600_000, end - 3_590_000, 5000);
    expect(early?.every((m) => m.kind === 'no-data')).toBe(true);
  });

  it('captures a pre-deploy baseline from history after the fact', async () => {
    const source = createPrometheusSource('prom', promSpec(prometheus.url, 2000, other));
    const baseline = await captureBaseline(source, 'p95', {
      lookbackMs: 3000,
      stepMs: 1000,
      before: Date.now() - 500,
    });
    expect(baseline.metric).toBe('prom.p95');
    expect(baseline.samples).toHaveLength(4);
    expect(baseline.value).toBeGreaterThan(0);
    expect(baseline.value).toBeLessThan(100);
  });
});
