import { handlePeopleEvent, type PeopleEvent } from '../../src/engine/people.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import { captureBaseline } from '../../src/engine/baseline.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { createMonitorPhase, monitorPhase } from '../../src/engine/phases/monitor.ts';
import { smokePhase } from '../../src/engine/phases/smoke.ts';
import { StableMarker } from '../../src/github/stable-marker.ts';
import { startDemoAppInProcess, startTraffic } from '../harness/demo-app.ts';
import { type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type RunningPrometheus, startPrometheus } from '../harness/prometheus.ts';
import { useSandbox } from '../harness/sandbox.ts';
import { baseConfig, issueBody, openTestRelease } from './release.ts';

// The monitor phase against the real demo app, scraped every second by a real Prometheus (or
// probed directly), with the record in the sandbox. Windows are seconds, not minutes.

const sandbox = useSandbox();
/** Faulted in the 8% test. */
let faulty: RunningDemoApp;
/** Stays healthy: the sliced watch and the outage tests read it. */
let healthy: RunningDemoApp;
/** Probed directly (no Prometheus): the blip and the baseline. */
let probed: RunningDemoApp;
let prometheus: RunningPrometheus;
let proxy: FaultProxy;
let traffic: ReturnType<typeof startTraffic>[] = [];

const host = (app: RunningDemoApp) => new URL(app.url).host;
const queries = (app: RunningDemoApp) => ({
  error_rate: `(sum(rate(http_requests_total{instance="${host(app)}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{instance="${host(app)}"}[5s]))`,
  p95: `histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{instance="${host(app)}"}[5s])) by (le)) * 1000`,
});

beforeAll(async () => {
  [faulty, healthy, probed] = await Promise.all([
    startDemoAppInProcess(),
    startDemoAppInProcess(),
    startDemoAppInProcess(),
  ]);
  traffic = [startTraffic(faulty.url, 40), startTraffic(healthy.url, 40)];
  prometheus = await startPrometheus({ targets: [host(faulty), host(healthy)] });
  proxy = await startFaultProxy(prometheus.url);
  // Until both apps have [5s] rates.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answers = await Promise.all(
      [faulty, healthy].map(async (app) => {
        const response = await fetch(`${prometheus.url}/api/v1/query`, {
          method: 'POST',
          body: new URLSearchParams({ query: queries(app).error_rate }),
        });
        const json = (await response.json()) as { data?: { result?: unknown[] } };
        return (json.data?.result?.length ?? 0) > 0;
      }),
    );
    if (answers.every(Boolean) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  await Promise.all(traffic.map((t) => t.stop()));
  await proxy?.stop();
  await prometheus?.stop();
  await Promise.all([faulty, healthy, probed].map((app) => app?.close()));
});

function promMonitor(app: RunningDemoApp, overrides: Record<string, unknown> = {}, url = prometheus.url) {
  return {
    duration: '30s',
    interval: '500ms',
    sources: { prom: { kind: 'prometheus', url, timeout: '1s', queries: queries(app) } },
    rules: [
      { id: 'error-rate', metric: 'prom.error_rate', critical: '> 5%', for: '2s' },
      { id: 'p95', metric: 'prom.p95', critical: '> 2000ms', for: '2s' },
    ],
    analysis: { minSamples: 1 },
    ...overrides,
  };
}

const config = (monitor: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  baseConfig({
    environments: { staging: { url: probed.url }, production: { production: true, url: healthy.url } },
    monitor: monitor as never,
    ...extra,
  });

describe('monitor', () => {
  it('rolls back about for: after 8% errors begin, long before the window ends', async () => {
    const monitor = promMonitor(faulty);
    const { release } = await openTestRelease(
      sandbox(),
      config(monitor, { smoke: { checks: [{ id: 'health', kind: 'http', url: `${faulty.url}/health` }] } }),
      { version: '3.0.0' },
    );
    expect((await runPhase(smokePhase, release)).outcome).toBe('passed');

    await sandbox().control.clearRequests();
    const faultAt = Date.now();
    faulty.addFault({ errorRate: 0.08 });
    try {
      const result = await runPhase(monitorPhase, release);
      const took = Date.now() - faultAt;
      const calls = Object.values(await sandbox().control.counts()).reduce((a, b) => a + b, 0);
      // DESIGN 4: a budget per phase. Measured: 6 record writes of 5 calls each (phase start, the
      // watch saved, breach started, breach fired + verdict + decision, the result, phase end).
      expect(calls).toBeLessThanOrEqual(40);
      expect(result.outcome, result.summary).toBe('failed');
      expect(result.rollbackRequired).toBe(true);
      expect(result.summary).toMatch(/rollback required: rule error-rate/);
      // for: 2s, plus the [5s] rate catching up with the fault and a tick: far from 30 s.
      expect(took).toBeLessThan(15_000);

      const state = release.record.state;
      const decision = state.monitor?.state.decision;
      expect(decision).toMatchObject({ action: 'rollback', ruleId: 'error-rate' });
      const firedAfter = decision!.decidedAt - decision!.breachStartedAt!;
      expect(firedAfter).toBeGreaterThanOrEqual(2000);
      expect(firedAfter).toBeLessThan(4000); // for: plus at most a tick or two on a loaded machine
      expect(decision!.breachStartedAt!).toBeGreaterThanOrEqual(faultAt);

      const types = state.events.map((e) => e.type);
      expect(types).toContain('monitor breach started');
      expect(types).toContain('monitor decision');
      const started = state.events.find((e) => e.type === 'monitor breach started');
      const decided = state.events.find((e) => e.type === 'monitor decision');
      expect(started?.data).toMatchObject({ rule: 'error-rate' });
      expect(decided?.data).toMatchObject({ action: 'rollback', rule: 'error-rate' });
      expect(Date.parse(started!.at)).toBeLessThan(Date.parse(decided!.at));

      const item = state.items.find((i) => i.id === 'error-rate');
      expect(item?.status).toBe('failed');
      expect(item?.summary).toMatch(/critical > 5%/);
      expect(item?.evidence).toMatchObject({ critical: '> 5%' });
      expect(state.phases.monitor?.status).toBe('failed');
      expect(state.stable).toBe(false);

      const body = await issueBody(sandbox(), release);
      expect(body).toContain('xychart-beta');
      expect(body).toContain('Error rate (prom.error_rate)');
      expect(body).toMatch(/monitor breach started/);
      // The issue's copy of the state leaves the chart series to the ref.
      expect(body).not.toMatch(/"series":\{"t":\[\d/);
    } finally {
      faulty.clearFaults();
    }
  });

  it('notes a blip shorter than for: and does not roll back; the passed window marks the release stable', async () => {
    const monitor = {
      duration: '6s',
      interval: '500ms',
      sources: { probe: { kind: 'http-probe', url: '{url}/health', rate: '20/s', timeout: '1s' } },
      rules: [{ id: 'probe-errors', metric: 'probe.error_rate', critical: '> 5%', for: '3s' }],
    };
    const { release } = await openTestRelease(sandbox(), config(monitor), { version: '3.1.0' });
    // 30% of requests fail for one second, starting after the watch's second tick.
    let ticks = 0;
    const phase = createMonitorPhase({
      onTick: () => {
        if (++ticks === 2) probed.addFault({ errorRate: 0.3, routes: ['/health'], durationMs: 1000 });
      },
    });
    try {
      const result = await runPhase(phase, release);
      expect(result.outcome, result.summary).toBe('passed');
      expect(result.rollbackRequired).toBeUndefined();
      expect(result.outputs).toMatchObject({ resume: false, stable: true });
      const state = release.record.state;
      const item = state.items.find((i) => i.id === 'probe-errors');
      expect(item?.status).toBe('passed');
      expect(item?.summary, item?.summary).toMatch(/1 blip\(s\) not acted on \(peak [1-4]\d(\.\d+)?%/);
      expect(state.events.map((e) => e.type)).toContain('monitor blip');
      expect(state.stable).toBe(true);
      expect(state.outcome).toBe('success');
      const marker = await new StableMarker(release.documents, release.ctx.clock).current('staging');
      expect(marker?.version).toBe('3.1.0');
      const body = await issueBody(sandbox(), release);
      expect(body).toMatch(/blip\(s\) not acted on/);
    } finally {
      probed.clearFaults();
    }
  });

  for (const inconclusive of ['ask', 'rollback'] as const) {
    it(`Prometheus down: inconclusive, never green; after the consecutive-error limit: ${inconclusive}`, async () => {
      await proxy.set('pass');
      const monitor = promMonitor(
        healthy,
        {
          interval: '300ms',
          inconclusive,
          analysis: { minSamples: 1, consecutiveErrorLimit: 2 },
          rules: [{ id: 'error-rate', metric: 'prom.error_rate', critical: '> 5%', for: '2s' }],
        },
        proxy.url,
      );
      const version = `3.2.0-${inconclusive}`;
      const { release } = await openTestRelease(sandbox(), config(monitor), { version });
      let ticks = 0;
      const phase = createMonitorPhase({
        onTick: async () => {
          ticks += 1;
          if (ticks === 3) await proxy.set('down');
        },
      });
      try {
        const result = await runPhase(phase, release);
        expect(result.outcome).not.toBe('passed');
        const state = release.record.state;
        const item = state.items.find((i) => i.id === 'error-rate');
        expect(item?.status).toBe('inconclusive');
        expect(item?.summary).toMatch(/consecutive errors \(3\) > consecutiveErrorLimit \(2\)/);
        expect(state.stable).toBe(false);
        const body = await issueBody(sandbox(), release);
        expect(body).toMatch(/consecutiveErrorLimit/);
        if (inconclusive === 'ask') {
          expect(result.outcome).toBe('inconclusive');
          expect(result.rollbackRequired).toBeUndefined();
          expect(body).toContain('`/shipgate promote`');
          expect(body).toContain('`/shipgate rollback <reason>`');

          // People answer on the tracking issue. A triage user may not roll back, so may not
          // answer; a maintainer (the default rollback audience) promotes it.
          const answer = (login: string, body: string): PeopleEvent => ({
            name: 'issue_comment',
            payload: {
              action: 'created',
              sender: { login },
              issue: { number: state.ids.issue! },
              comment: { id: 1, body },
            },
          });
          const people = {
            octokit: sandbox().octokit('actions'),
            owner: 'acme',
            repo: 'webshop',
            config: release.config,
            record: release.record,
            logger: release.ctx.logger,
          };
          const refused = await handlePeopleEvent(answer('tia', '/shipgate promote'), people);
          expect(refused.refused.join('\n')).toMatch(
            /only people who may roll back may answer the watch: @tia/,
          );
          expect(release.record.state.stable).toBe(false);
          const accepted = await handlePeopleEvent(
            answer('max', '/shipgate promote Prometheus was being upgraded; dashboards are fine'),
            people,
          );
          expect(accepted.accepted.join('\n')).toMatch(/promoted by @max/);
          expect(release.record.state).toMatchObject({ stable: true, outcome: 'success' });
          const promoted = await new StableMarker(release.documents, release.ctx.clock).current('staging');
          expect(promoted?.version).toBe(version);
          // Running the phase again returns the decision and moves the stable marker; no watching.
          const again = await monitorPhase.run(release);
          expect(again).toMatchObject({ outcome: 'passed', outputs: { stable: true } });
          const marker = await new StableMarker(release.documents, release.ctx.clock).current('staging');
          expect(marker?.version).toBe(version);
        } else {
          expect(result.outcome).toBe('failed');
          expect(result.rollbackRequired).toBe(true);
          expect(result.summary).toMatch(/inconclusive \(rolling back\)/);
        }
      } finally {
        await proxy.set('pass');
      }
    });
  }

  it('watches in slices that resume from the record, and marks stable only after the whole window', async () => {
    const monitor = promMonitor(healthy, { duration: '5s', slice: '1s' });
    const cfg = config(monitor);
    const version = '3.3.0';
    const marker = async (release: Awaited<ReturnType<typeof openTestRelease>>['release']) =>
      (await new StableMarker(release.documents, release.ctx.clock).current('production'))?.version;

    // A scheduled run with nothing under watch ends at once.
    const idle = await openTestRelease(sandbox(), cfg, { version: '3.3.0-idle', environment: 'production' });
    expect(await createMonitorPhase({ resume: true }).run(idle.release)).toMatchObject({
      outcome: 'passed',
      outputs: { resume: false },
    });

    const started = Date.now();
    const slices: { resume: unknown; stable: boolean; slices: number | undefined }[] = [];
    for (let run = 0; run < 6; run++) {
      // Each slice is a new job: it opens the release afresh and continues from the record.
      const { release } = await openTestRelease(sandbox(), cfg, { version, environment: 'production' });
      const result = await runPhase(createMonitorPhase({ resume: run > 0 }), release);
      expect(result.outcome, result.summary).toBe('passed');
      slices.push({
        resume: result.outputs?.resume,
        stable: release.record.state.stable,
        slices: release.record.state.monitor?.state.slices,
      });
      if (result.outputs?.resume !== true) {
        expect(release.record.state.monitor?.state.decision?.action).toBe('promote');
        expect(release.record.state.phases.monitor?.status).toBe('passed');
        // The gaps between slices were judged from Prometheus history, not skipped.
        expect(release.record.state.events.map((e) => e.type)).toContain('monitor gap replayed');
        expect(await marker(release)).toBe(version);
        break;
      }
      expect(release.record.state.monitor?.continues).toBe(true);
      // The phase stays running between slices; the issue says the watch goes on.
      expect(release.record.state.phases.monitor?.status).toBe('running');
      expect(await issueBody(sandbox(), release)).toMatch(
        /Watching\*\* until .* the watch continues from the record/,
      );
      expect(await marker(release)).not.toBe(version);
      // The gap between scheduled runs.
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(slices.length).toBeGreaterThanOrEqual(3);
    expect(slices.slice(0, -1).every((s) => s.resume === true && !s.stable)).toBe(true);
    expect(slices.at(-1)).toMatchObject({ resume: false, stable: true });
    expect(slices.map((s) => s.slices)).toEqual(slices.map((_, i) => i + 1));
  });

  it('captures the pre-deploy baseline into the record, and the watch compares against it', async () => {
    const monitor = {
      duration: '2s',
      interval: '500ms',
      sources: {
        probe: { kind: 'http-probe', url: '{url}/health', rate: '20/s', timeout: '1s' },
        prom: { kind: 'prometheus', url: prometheus.url, timeout: '1s', queries: queries(healthy) },
      },
      rules: [{ id: 'latency-vs-baseline', metric: 'probe.p95', baseline: { ratio: 3 } }],
      analysis: { minSamples: 3 },
    };
    const { release } = await openTestRelease(
      sandbox(),
      config(monitor, { preflight: { baseline: { duration: '1s' } } }),
      { version: '3.4.0' },
    );
    const snapshot = await captureBaseline(release);
    expect(snapshot?.problems).toEqual([]);
    const metrics = release.record.state.baseline?.metrics ?? {};
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining([
        'probe.error_rate',
        'probe.p50',
        'probe.p95',
        'probe.p99',
        'prom.error_rate',
        'prom.p95',
      ]),
    );
    expect(metrics['probe.p95']?.samples.length).toBeGreaterThanOrEqual(10);
    expect(metrics['prom.error_rate']?.value).toBe(0);
    expect(release.record.state.events.map((e) => e.type)).toContain('baseline captured');

    const result = await runPhase(monitorPhase, release);
    expect(result.outcome, result.summary).toBe('passed');
    expect(Object.keys(release.record.state.monitor?.state.baselines ?? {})).toEqual(['probe.p95']);
    expect(release.record.state.items.find((i) => i.id === 'latency-vs-baseline')?.status).toBe('passed');
  });
});
