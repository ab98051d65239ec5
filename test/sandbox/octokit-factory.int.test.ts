import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { RequestError } from '@octokit/request-error';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOctokit, DO_NOT_RETRY, SANDBOX_TIMING } from '../../src/github/octokit.ts';
import { DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import { type TestSandbox, useSandbox } from '../harness/sandbox.ts';

const owner = DEFAULT_WORLD.owner;
const repo = DEFAULT_WORLD.name;

/** A minimal forward proxy (CONNECT tunnels and absolute-URI requests) that records what it carried. */
async function startProxy(): Promise<{ url: string; carried: string[]; stop(): Promise<void> }> {
  const carried: string[] = [];
  const server: Server = createServer((req, res) => {
    carried.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = connect(Number(target.port), target.hostname, () => {
      upstream.write(`${req.method} ${target.pathname}${target.search} HTTP/1.1\r\n`);
      for (const [k, v] of Object.entries(req.headers)) upstream.write(`${k}: ${String(v)}\r\n`);
      upstream.write('connection: close\r\n\r\n');
      req.pipe(upstream);
      upstream.pipe(res.socket!);
    });
  });
  server.on('connect', (req, socket, head) => {
    carried.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    carried,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('the Octokit factory against the sandbox', () => {
  const use = useSandbox();
  let sandbox: TestSandbox;
  beforeAll(() => {
    sandbox = use();
  });

  it('takes the base URL from GITHUB_API_URL and identifies itself as shipgate', async () => {
    const gh = createOctokit({
      auth: DEFAULT_WORLD.tokens.read,
      env: { GITHUB_API_URL: sandbox.ghesApiUrl },
      timing: SANDBOX_TIMING,
    });
    const { data } = await gh.rest.repos.get({ owner, repo });
    expect(data.url).toBe(`${sandbox.ghesApiUrl}/repos/acme/webshop`);
    const [entry] = await sandbox.control.requests({ operationId: 'repos/get', user: 'rae' });
    expect(entry?.userAgent).toMatch(/^shipgate/);
  });

  it('never retries the statuses on its do-not-retry list', async () => {
    expect(DO_NOT_RETRY).toEqual(expect.arrayContaining([400, 401, 403, 404, 422]));
    const gh = sandbox.octokit('read');
    for (const status of [400, 404, 409, 422]) {
      await sandbox.control.clearRequests();
      await sandbox.control.fault({ operationId: 'issues/get', kind: 'status', status, count: 5 });
      const error = (await gh.rest.issues
        .get({ owner, repo, issue_number: 3 })
        .catch((e: unknown) => e)) as RequestError;
      expect(error.status).toBe(status);
      expect(await sandbox.control.counts()).toEqual({ 'issues/get': 1 });
      await sandbox.control.clearFaults();
    }
    // 500-class answers are retried, up to `retries`.
    await sandbox.control.clearRequests();
    await sandbox.control.fault({ operationId: 'issues/get', kind: 'status', status: 503, count: 10 });
    const error = (await sandbox
      .octokit('read', { retries: 2 })
      .rest.issues.get({ owner, repo, issue_number: 3 })
      .catch((e: unknown) => e)) as RequestError;
    expect(error.status).toBe(503);
    expect(await sandbox.control.counts()).toEqual({ 'issues/get': 3 });
    await sandbox.control.clearFaults();
  });

  it('goes through HTTPS_PROXY / HTTP_PROXY when set (undici EnvHttpProxyAgent)', async () => {
    const proxy = await startProxy();
    try {
      const gh = createOctokit({
        auth: DEFAULT_WORLD.tokens.read,
        baseUrl: sandbox.apiUrl,
        env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
        timing: SANDBOX_TIMING,
      });
      const { data } = await gh.rest.issues.get({ owner, repo, issue_number: 3 });
      expect(data.number).toBe(3);
      expect(proxy.carried.length).toBeGreaterThan(0);
      expect(proxy.carried.join('\n')).toContain(new URL(sandbox.apiUrl).host);

      const bypass = createOctokit({
        auth: DEFAULT_WORLD.tokens.read,
        baseUrl: sandbox.apiUrl,
        env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
        timing: SANDBOX_TIMING,
      });
      const before = proxy.carried.length;
      await bypass.rest.issues.get({ owner, repo, issue_number: 3 });
      expect(proxy.carried.length).toBe(before);
    } finally {
      await proxy.stop();
    }
  });
});
