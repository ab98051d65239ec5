import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import {
  DEMO_APP_CTL,
  type DemoAppProcess,
  startDemoAppInProcess,
  startDemoAppProcess,
} from '../harness/demo-app.ts';

const run = promisify(execFile);
type Page = { items: { id: number }[]; nextCursor: string | null };

/** A loopback port nothing listens on: bind port 0, note it, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const ctl = (...args: string[]) => run(process.execPath, [DEMO_APP_CTL, ...args]);

describe('demo app as a process', () => {
  let app: DemoAppProcess | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('reports its version, and a deploy through the CLI switches it; a bad version answers /health 500', async () => {
    app = await startDemoAppProcess({
      version: '1.0.0',
      faults: [{ version: '2.0.0', routes: ['/health'], errorRate: 1 }],
    });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    let health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy', version: '1.0.0' });

    const deployed = await ctl('deploy', '--url', app.url, '--version', '2.0.0');
    expect(JSON.parse(deployed.stdout)).toMatchObject({ version: '2.0.0', previous: '1.0.0' });
    health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(500);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', version: '2.0.0' });

    await ctl('rollback', '--url', app.url, '--version', '1.0.0');
    health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);

    const status = JSON.parse((await ctl('status', '--url', app.url)).stdout) as {
      deploys: { version: string }[];
    };
    expect(status.deploys.map((d: { version: string }) => d.version)).toEqual(['2.0.0', '1.0.0']);
  });

  it('the CLI fails clearly on a usage error and on an unreachable app', async () => {
    await expect(ctl('deploy', '--url', 'http://127.0.0.1:1')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('deploy needs --version'),
    });
    const port = await closedPort();
    await expect(
      ctl('deploy', '--url', `http://127.0.0.1:${port}`, '--version', '1.0.1'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('demo app routes', () => {
  let app: RunningDemoApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('paginates with cursors, answers 400 for an invalid cursor and 401 without the token', async () => {
    app = await startDemoAppInProcess({ token: 'k3y', itemCount: 25 });
    const headers = { 'X-API-Key': 'k3y' };
    expect((await fetch(`${app.url}/api/listings?limit=10`)).status).toBe(401);

    const first = (await (await fetch(`${app.url}/api/listings?limit=10`, { headers })).json()) as Page;
    expect(first.items).toHaveLength(10);
    const second = (await (
      await fetch(`${app.url}/api/listings?cursor=${first.nextCursor}&limit=10`, { headers })
    ).json()) as Page;
    expect(second.items[0]?.id).toBe(11);

    const invalid = await fetch(`${app.url}/api/listings?cursor=invalid`, { headers });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: string }).error).toMatch(/invalid cursor/);
    const reservations = await fetch(`${app.url}/api/reservations?limit=50`, {
      headers: { Authorization: 'Bearer k3y' },
    });
    expect(reservations.status).toBe(200);
  });

  it('exposes request counts and durations in the Prometheus text format', async () => {
    app = await startDemoAppInProcess();
    await fetch(`${app.url}/health`);
    await fetch(`${app.url}/api/items?cursor=bad`);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('http_requests_total{route="/health",code="200"} 1');
    expect(text).toContain('http_requests_total{route="/api/items",code="400"} 1');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{route="\/health",le="\+Inf"\} 1/);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('demo_app_version_info{version="1.0.0"} 1');
  });

  it('injects errors and latency from a moment, through the control endpoint', async () => {
    app = await startDemoAppInProcess();
    const added = await fetch(`${app.url}/control/faults`, {
      method: 'POST',
      body: JSON.stringify({ errorRate: 0.5, status: 503, latencyMs: 120, afterMs: 150, durationMs: 60_000 }),
    });
    expect(added.status).toBe(201);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${app.url}/health`)).status);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 115);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);

    const bad = await fetch(`${app.url}/control/faults`, { method: 'POST', body: '{"errorRate": 7}' });
    expect(bad.status).toBe(400);
    await fetch(`${app.url}/control/faults`, { method: 'DELETE' });
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
