import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import { smokePhase } from '../../src/engine/phases/smoke.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { startDemoAppInProcess } from '../harness/demo-app.ts';
import { useSandbox } from '../harness/sandbox.ts';
import { baseConfig, issueBody, openTestRelease } from './release.ts';

// Smoke against the real demo app, the record in the sandbox.

const TOKEN = 'demo-token-7f3a9c2e51';
const sandbox = useSandbox();
let app: RunningDemoApp;

beforeAll(async () => {
  app = await startDemoAppInProcess({
    version: '1.0.0',
    token: TOKEN,
    // The bad version answers /health with 500 (scenario 2).
    faults: [{ version: '2.0.0', routes: ['/health'], errorRate: 1, status: 500 }],
  });
});
afterAll(async () => {
  await app?.close();
});

function smokeConfig(checks: unknown[], concurrency = 4) {
  return baseConfig({
    environments: { staging: { url: app.url } },
    secrets: ['API_TOKEN'],
    smoke: { concurrency, checks } as never,
  });
}

const RUNBOOK_CHECKS = [
  {
    id: 'health',
    kind: 'http',
    url: '{url}/health',
    expect: {
      status: 200,
      json: [{ path: '$.status', equals: 'healthy' }],
      headers: { 'content-type': '/json/' },
    },
    retries: { attempts: 3, backoff: '200ms' },
  },
  {
    id: 'list-with-token',
    kind: 'http',
    url: '{url}/api/listings?limit=2',
    headers: { 'X-API-Key': '{secrets.API_TOKEN}' },
    expect: { status: 200, json: [{ path: '$.items', length: 2 }], maxLatency: '2s' },
  },
  {
    id: 'invalid-cursor',
    kind: 'http',
    url: '{url}/api/listings?cursor=garbage',
    headers: { 'X-API-Key': '{secrets.API_TOKEN}' },
    expect: { status: 400, bodyContains: 'invalid cursor' },
  },
  { id: 'missing-token', kind: 'http', url: '{url}/api/listings?limit=1', expect: { status: 401 } },
  {
    id: 'version-file',
    kind: 'command',
    run: ['node', '-e', 'process.stdout.write(process.env.SHIPGATE_VERSION)'],
    outputMatches: '^1\\.0\\.0$',
  },
];

describe('smoke', () => {
  it('passes a good release: every check ticked, including the negative ones', async () => {
    app.deploy('1.0.0');
    const { release } = await openTestRelease(sandbox(), smokeConfig(RUNBOOK_CHECKS), {
      version: '1.0.0',
      env: { API_TOKEN: TOKEN },
    });
    const result = await runPhase(smokePhase, release);
    expect(result.outcome, result.summary).toBe('passed');
    expect(result.rollbackRequired).toBeUndefined();
    const items = release.record.state.items.filter((item) => item.phase === 'smoke');
    expect(items.map((item) => [item.id, item.status])).toEqual(RUNBOOK_CHECKS.map((c) => [c.id, 'passed']));
    expect(items.find((item) => item.id === 'missing-token')?.evidence).toMatchObject({ status: 401 });
    const body = await issueBody(sandbox(), release);
    expect(body).toMatch(/- \[x\] .*<!-- sg:item:invalid-cursor -->/);
    expect(body).not.toContain(TOKEN);
  });

  it('fails on /health 500 with rollback required, the status and body excerpt kept as evidence', async () => {
    app.deploy('2.0.0');
    try {
      const { release } = await openTestRelease(sandbox(), smokeConfig(RUNBOOK_CHECKS.slice(0, 2)), {
        version: '2.0.0',
        env: { API_TOKEN: TOKEN },
      });
      const result = await runPhase(smokePhase, release);
      expect(result.outcome).toBe('failed');
      expect(result.rollbackRequired).toBe(true);
      expect(result.summary).toMatch(/health: expected status 200, got 500/);
      const health = release.record.state.items.find((item) => item.id === 'health');
      expect(health?.status).toBe('failed');
      expect(health?.evidence).toMatchObject({ status: 500, attempts: 3 });
      expect(String(health?.evidence?.excerpt)).toContain('"status":"unhealthy"');
      expect(release.record.state.items.find((item) => item.id === 'list-with-token')?.status).toBe('passed');
      expect(release.record.state.phases.smoke?.status).toBe('failed');
      const body = await issueBody(sandbox(), release);
      expect(body).toContain('expected status 200, got 500');
      expect(body).toContain('unhealthy');
    } finally {
      app.deploy('1.0.0');
    }
  });

  it('takes about as long as its slowest check, not the sum', async () => {
    app.addFault({ routes: ['/api/items'], latencyMs: 700 });
    try {
      const slow = (id: string) => ({
        id,
        kind: 'http',
        url: '{url}/api/items?limit=1',
        headers: { 'X-API-Key': '{secrets.API_TOKEN}' },
      });
      const checks = [
        slow('slow-a'),
        slow('slow-b'),
        slow('slow-c'),
        { id: 'sleepy', kind: 'command', run: ['sleep', '0.7'] },
      ];
      const { release } = await openTestRelease(sandbox(), smokeConfig(checks, 4), {
        version: '1.0.1',
        env: { API_TOKEN: TOKEN },
      });
      const started = performance.now();
      const result = await smokePhase.run(release);
      const took = performance.now() - started;
      expect(result.outcome, result.summary).toBe('passed');
      const durations = release.record.state.items
        .filter((i) => i.phase === 'smoke')
        .map((i) => i.durationMs ?? 0);
      const slowest = Math.max(...durations);
      const sum = durations.reduce((a, b) => a + b, 0);
      expect(slowest).toBeGreaterThanOrEqual(650);
      expect(sum).toBeGreaterThan(2600);
      // The phase's own time also holds two record writes; the checks overlap.
      expect(took).toBeGreaterThanOrEqual(slowest);
      // Run one after another they would take the sum (plus the writes); overlapped, the slowest.
      expect(took).toBeLessThan(sum * 0.75);
    } finally {
      app.clearFaults();
      app.addFault({ version: '2.0.0', routes: ['/health'], errorRate: 1, status: 500 });
    }
  });

  it('reports per region in a matrix job: <id>@<region> items, the base item marked per region', async () => {
    const config = smokeConfig(RUNBOOK_CHECKS.slice(0, 1));
    const eu = await openTestRelease(sandbox(), config, { version: '1.0.2', region: 'eu-west' });
    const us = await openTestRelease(sandbox(), config, { version: '1.0.2', region: 'us-east' });
    const results = await Promise.all([runPhase(smokePhase, eu.release), runPhase(smokePhase, us.release)]);
    expect(results.map((r) => r.outcome)).toEqual(['passed', 'passed']);
    const state = await eu.release.record.refresh();
    const byId = new Map(state.items.map((item) => [item.id, item]));
    expect(byId.get('health@eu-west')).toMatchObject({
      status: 'passed',
      text: expect.stringContaining('(eu-west)'),
    });
    expect(byId.get('health@us-east')).toMatchObject({ status: 'passed' });
    expect(byId.get('health')).toMatchObject({
      status: 'skipped',
      summary: expect.stringContaining('per region'),
    });
    await eu.release.record.syncViews();
    const body = await issueBody(sandbox(), eu.release);
    expect(body).toMatch(/- \[x\] .*\(eu-west\).*<!-- sg:item:health@eu-west -->/);
    expect(body).toMatch(/- \[x\] .*\(us-east\).*<!-- sg:item:health@us-east -->/);
  });
});
