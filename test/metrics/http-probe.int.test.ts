import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import { captureBaseline } from '../../src/metrics/baseline.ts';
import { createMonitorState } from '../../src/metrics/evaluator.ts';
import { createHttpProbe } from '../../src/metrics/http-probe.ts';
import { runMonitor } from '../../src/metrics/monitor.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import { DEFAULT_ANALYSIS, type MonitorSpec, type RuleSpec } from '../../src/metrics/types.ts';
import {
  DEMO_APP_CTL,
  type DemoAppProcess,
  startDemoAppInProcess,
  startDemoAppProcess,
} from '../harness/demo-app.ts';
import { freePort } from '../harness/prometheus.ts';

const run = promisify(execFile);

function spec(rules: RuleSpec[], overrides: Partial<MonitorSpec> = {}): MonitorSpec {
  return {
    durationMs: 20_000,
    intervalMs: 250,
    analysis: { ...DEFAULT_ANALYSIS, minSamples: 3 },
    inconclusive: 'ask',
    rules,
    ...overrides,
  };
}

const rule = (overrides: Partial<RuleSpec>): RuleSpec => ({
  id: 'probe-p95',
  metric: 'probe.p95',
  critical: parseThreshold('> 150ms'),
  forMs: 1000,
  actions: { warn: 'notify', critical: 'rollback' },
  dryRun: false,
  ...overrides,
});

describe('HTTP probe against the demo app', () => {
  let proc: DemoAppProcess | undefined;
  let app: RunningDemoApp | undefined;
  afterEach(async () => {
    await proc?.stop();
    await app?.close();
    proc = undefined;
    app = undefined;
  });

  it('catches a latency fault injected through the CLI into the app running as a process', async () => {
    proc = await startDemoAppProcess();
    const url = proc.url;
    const s = spec([rule({})]);
    const startedAt = Date.now();
    await run(process.execPath, [
      DEMO_APP_CTL,
      'fault',
      '--url',
      url,
      '--latency',
      '200ms',
      '--after',
      '1s',
      '--for',
      '30s',
    ]);
    const injectAt = startedAt + 1000;
    const result = await runMonitor({
      spec: s,
      sources: {
        probe: createHttpProbe('probe', {
          kind: 'http-probe',
          url: `${url}/health`,
          ratePerSecond: 20,
          timeoutMs: 1000,
          windowMs: 1000,
        }),
      },
      state: createMonitorState(s, { startedAt }),
    });
    expect(result.decision).toMatchObject({ action: 'rollback', ruleId: 'probe-p95' });
    const decision = result.decision!;
    expect(decision.breachStartedAt! - injectAt).toBeGreaterThan(-100);
    expect(decision.breachStartedAt! - injectAt).toBeLessThan(1500);
    expect(decision.decidedAt - decision.breachStartedAt!).toBeGreaterThanOrEqual(1000);
    expect(decision.decidedAt - decision.breachStartedAt!).toBeLessThan(1000 + 4 * s.intervalMs);
    expect(Math.min(...decision.values.map((v) => v.value))).toBeGreaterThan(150);
  });

  it('counts timeouts and refused connections as failed probes, never as missing ones', async () => {
    app = await startDemoAppInProcess({ faults: [{ latencyMs: 400 }] });
    const slow = createHttpProbe('probe', {
      kind: 'http-probe',
      url: `${app.url}/health`,
      ratePerSecond: 10,
      timeoutMs: 100,
    });
    const timedOut = await slow.probeOnce();
    expect(timedOut).toMatchObject({ ok: false, status: 0, latencyMs: 100, error: 'timed out after 100 ms' });
    expect(await slow.measure('error_rate', Date.now())).toMatchObject({
      kind: 'value',
      value: 1,
      sampleCount: 1,
    });

    const closed = createHttpProbe('probe', {
      kind: 'http-probe',
      url: `http://127.0.0.1:${await freePort()}/health`,
      ratePerSecond: 10,
      timeoutMs: 500,
      windowMs: 500,
    });
    expect(await closed.probeOnce()).toMatchObject({ ok: false, status: 0, error: 'ECONNREFUSED' });

    const s = spec([
      rule({ id: 'probe-errors', metric: 'probe.error_rate', critical: parseThreshold('> 5%'), forMs: 500 }),
    ]);
    const result = await runMonitor({
      spec: s,
      sources: { probe: closed },
      state: createMonitorState(s, { startedAt: Date.now() }),
    });
    expect(result.decision).toMatchObject({ action: 'rollback', ruleId: 'probe-errors' });
    expect(result.decision?.values.every((v) => v.value === 1)).toBe(true);
  });

  it('a latency rule against the pre-deploy baseline fires on a real shift and stays quiet without one', async () => {
    app = await startDemoAppInProcess();
    const probeSpec = {
      kind: 'http-probe' as const,
      url: `${app.url}/health`,
      ratePerSecond: 40,
      timeoutMs: 1000,
      windowMs: 1000,
    };
    const baseline = await captureBaseline(createHttpProbe('probe', probeSpec), 'p95', { durationMs: 1000 });
    expect(baseline.metric).toBe('probe.p95');
    expect(baseline.samples.length).toBeGreaterThanOrEqual(20);

    const baselineRule = rule({
      id: 'latency-vs-baseline',
      critical: undefined,
      baseline: { ratio: 3 },
      forMs: 750,
    });
    const s = spec([baselineRule], { analysis: { ...DEFAULT_ANALYSIS, minSamples: 10 } });

    // No change: a short healthy watch stays stable.
    const quiet = await runMonitor({
      spec: { ...s, durationMs: 2000 },
      sources: { probe: createHttpProbe('probe', probeSpec) },
      state: createMonitorState({ ...s, durationMs: 2000 }, { startedAt: Date.now(), baselines: [baseline] }),
    });
    expect(quiet.decision?.action).toBe('promote');

    // The new version is 30 ms slower on every request: far more than 3x a ~1 ms baseline.
    app.addFault({ latencyMs: 30 });
    const shifted = await runMonitor({
      spec: s,
      sources: { probe: createHttpProbe('probe', probeSpec) },
      state: createMonitorState(s, { startedAt: Date.now(), baselines: [baseline] }),
    });
    expect(shifted.decision).toMatchObject({ action: 'rollback', ruleId: 'latency-vs-baseline' });
    const last = shifted.state.rules['latency-vs-baseline']?.last;
    expect(last?.baseline).toMatchObject({ significant: true, breach: true });
    expect(last?.baseline?.ratio).toBeGreaterThan(3);
    expect(last?.baseline?.effect).toBeGreaterThan(0.9);
  });
});
