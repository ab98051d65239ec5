import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { parseThreshold as parseConfigThreshold } from '../../src/config/units.ts';
import { monitorSpec, sourceSpecs } from '../../src/engine/monitor-spec.ts';
import { ConfigurationError } from '../../src/errors.ts';
import { parseThreshold } from '../../src/metrics/threshold.ts';
import { baseConfig } from './release.ts';

const config = ConfigSchema.parse(
  baseConfig({
    environments: {
      staging: { url: 'https://staging.example.test', vars: { PROM: 'http://prom.staging:9090' } },
      production: {
        production: true,
        url: 'https://example.test',
        vars: { PROM: 'http://prom:9090' },
        monitor: { duration: '24h', rules: { 'error-rate': { critical: '> 2%', for: '10m' } } },
      },
    },
    secrets: ['PROM_TOKEN'],
    monitor: {
      duration: '30m',
      interval: '15s',
      sources: {
        probe: { kind: 'http-probe', url: '{url}/health', rate: '2/s', timeout: '3s', expectStatus: 204 },
        prom: {
          kind: 'prometheus',
          url: '{vars.PROM}',
          headers: { Authorization: 'Bearer {secrets.PROM_TOKEN}' },
          queries: { error_rate: 'sum(rate(x[1m]))' },
        },
      },
      rules: [
        { id: 'error-rate', metric: 'prom.error_rate', warn: '> 1%', critical: '> 5%', for: '2m' },
        {
          id: 'latency',
          metric: 'probe.p95',
          baseline: { ratio: 3, confidence: 0.99 },
          actions: { critical: 'notify' },
          dryRun: true,
        },
      ],
      analysis: { consecutiveErrorLimit: 5, noData: 'pass' },
      inconclusive: 'rollback',
    },
  } as never),
);

describe('the monitor config as the metrics engine reads it', () => {
  it('maps rules, limits and the inconclusive action in base units', () => {
    const spec = monitorSpec(resolveEnvironment(config, 'staging').monitor!);
    expect(spec).toEqual({
      durationMs: 30 * 60_000,
      intervalMs: 15_000,
      inconclusive: 'rollback',
      analysis: {
        failureLimit: 0,
        inconclusiveLimit: 0,
        consecutiveErrorLimit: 5,
        consecutiveSuccessLimit: 0,
        minSamples: 3,
        noData: 'ok',
      },
      rules: [
        {
          id: 'error-rate',
          metric: 'prom.error_rate',
          warn: { op: '>', value: 0.01 },
          critical: { op: '>', value: 0.05 },
          forMs: 120_000,
          actions: { warn: 'notify', critical: 'rollback' },
          dryRun: false,
        },
        {
          id: 'latency',
          metric: 'probe.p95',
          baseline: { ratio: 3, alpha: expect.closeTo(0.01, 10) },
          forMs: 0,
          actions: { warn: 'notify', critical: 'notify' },
          dryRun: true,
        },
      ],
    });
  });

  it('takes per-environment overrides as resolveEnvironment applied them', () => {
    const spec = monitorSpec(resolveEnvironment(config, 'production').monitor!);
    expect(spec.durationMs).toBe(24 * 3_600_000);
    expect(spec.rules[0]).toMatchObject({ critical: { op: '>', value: 0.02 }, forMs: 600_000 });
  });

  it('fills placeholders in source URLs and headers; the probe summarises one interval', () => {
    const resolved = resolveEnvironment(config, 'staging');
    const specs = sourceSpecs(resolved.monitor!, {
      url: 'https://staging.example.test',
      vars: resolved.environment.vars,
      secrets: { PROM_TOKEN: 's3cr3t-token' },
    });
    expect(specs).toEqual({
      probe: {
        kind: 'http-probe',
        url: 'https://staging.example.test/health',
        ratePerSecond: 2,
        timeoutMs: 3000,
        windowMs: 15_000,
        okStatuses: [204],
      },
      prom: {
        kind: 'prometheus',
        url: 'http://prom.staging:9090',
        timeoutMs: 5000,
        headers: { Authorization: 'Bearer s3cr3t-token' },
        queries: { error_rate: 'sum(rate(x[1m]))' },
      },
    });
  });

  it('a placeholder with no value is a configuration error that names the key', () => {
    const resolved = resolveEnvironment(config, 'staging');
    expect(() => sourceSpecs(resolved.monitor!, { url: 'https://x.test', vars: {} })).toThrow(
      ConfigurationError,
    );
    expect(() => sourceSpecs(resolved.monitor!, { url: 'https://x.test', vars: {} })).toThrow(
      /monitor\.sources\.prom\.url/,
    );
  });

  it('reads thresholds with one grammar: the metrics parser is the config parser', () => {
    for (const text of ['> 5%', '>= 500ms', '> 2s', '< 0.99', '<= 0', '> 1.5m']) {
      const config = parseConfigThreshold(text);
      expect(config.ok).toBe(true);
      if (config.ok) expect(parseThreshold(text)).toEqual({ op: config.value.op, value: config.value.value });
    }
    for (const text of ['> 150%', '5%', '== 0']) {
      expect(parseConfigThreshold(text).ok).toBe(false);
      expect(() => parseThreshold(text)).toThrow(/expected a comparison like/);
    }
  });
});
