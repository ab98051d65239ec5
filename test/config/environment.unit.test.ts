import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { parseConfig } from '../../src/config/load.ts';
import { ConfigurationError } from '../../src/errors.ts';

const { config } = parseConfig(
  `version: 1
release: { name: demo }
environments:
  staging:
    url: https://staging.example.com
    skip: [load-test, status-page, maintenance-on]
    monitor:
      duration: 10m
      rules:
        error-rate: { critical: '> 10%', for: 1m }
  production:
    url: https://example.com
    production: true
preflight:
  checks:
    - { id: load-test, kind: command, run: k6 run load.js }
    - { id: window, kind: window, environments: [production], allow: [{ from: '02:00', to: '03:00' }] }
    - { id: unit, kind: command, run: npm test }
deploy:
  maintenance:
    enable: { id: maintenance-on, run: touch /var/www/status }
    disable: { id: maintenance-off, run: rm /var/www/status }
  steps: [{ id: deploy-app, run: ./deploy.sh }]
  manual:
    - { id: status-page, text: Update the status page }
monitor:
  duration: 1h
  sources: { probe: { kind: http-probe, url: '{url}/health' } }
  rules:
    - { id: error-rate, metric: probe.error_rate, warn: '> 1%', critical: '> 5%', for: 10m }
`,
  'shipgate.yml',
);

describe('resolveEnvironment', () => {
  it('drops skipped items and checks meant for other environments', () => {
    const staging = resolveEnvironment(config, 'staging');
    expect(staging.preflight?.checks.map((check) => check.id)).toEqual(['unit']);
    expect(staging.deploy.manual).toEqual([]);
    // Skipping one half of maintenance skips both: never enable without disable.
    expect(staging.deploy.maintenance).toBeUndefined();
    expect(staging.environment).toMatchObject({ name: 'staging', url: 'https://staging.example.com' });
  });

  it('applies monitor overrides: duration and rule thresholds by id', () => {
    const staging = resolveEnvironment(config, 'staging');
    expect(staging.monitor?.duration).toBe(600_000);
    expect(staging.monitor?.rules[0]).toMatchObject({
      id: 'error-rate',
      warn: { op: '>', value: 0.01 },
      critical: { op: '>', value: 0.1 },
      for: 60_000,
    });
  });

  it('leaves the config untouched for an environment without overrides', () => {
    const production = resolveEnvironment(config, 'production');
    expect(production.preflight?.checks.map((check) => check.id)).toEqual(['load-test', 'window', 'unit']);
    expect(production.monitor?.rules[0]?.critical?.value).toBe(0.05);
    expect(production.deploy.maintenance?.enable.id).toBe('maintenance-on');
    expect(config.monitor?.duration).toBe(3_600_000);
  });

  it('refuses an unknown environment, listing the known ones', () => {
    expect(() => resolveEnvironment(config, 'prod')).toThrow(ConfigurationError);
    expect(() => resolveEnvironment(config, 'prod')).toThrow(
      "unknown environment 'prod' (expected one of: staging, production)",
    );
    expect(() => resolveEnvironment(config, 'stagin')).toThrow(
      "unknown environment 'stagin' (did you mean 'staging'? expected one of: staging, production)",
    );
    expect(() => resolveEnvironment(config, 'constructor')).toThrow(ConfigurationError);
  });
});
