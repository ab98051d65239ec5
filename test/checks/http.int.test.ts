import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext, FixedClock } from '../harness/check-context.ts';

const API_KEY = 'sk-live-9f8e7d6c5b4a';
const TOOLS = ['add_task', 'list_tasks', 'complete_task', 'update_task', 'delete_task', 'search_tasks'];

let server: Server;
let base: string;
let flakyCalls = 0;

// A real HTTP server answering like the runbooks' services: health, auth, MCP tools, cursors.
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-version': 'v1.2.3' });
      res.end(JSON.stringify(body));
    };
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      switch (url.pathname) {
        case '/health':
          return json(200, { status: 'healthy', database: 'connected', version: 'v1.2.3' });
        case '/broken':
          return json(500, { status: 'error', detail: 'database unreachable' });
        case '/mcp/tools':
          return json(200, { tools: TOOLS.map((name) => ({ name })) });
        case '/api/auth/signin': {
          if (req.method !== 'POST') return json(405, {});
          const { password } = JSON.parse(body || '{}');
          return password === 'TestPass123'
            ? json(200, { token: 'jwt.abc.def' })
            : json(401, { error: 'bad credentials' });
        }
        case '/api/listings': {
          if (req.headers['x-api-key'] !== API_KEY) return json(401, { error: 'missing API key' });
          if (url.searchParams.get('cursor') === 'invalid') return json(400, { error: 'invalid cursor' });
          // Echoes the key, as a careless service might: it must never reach a result.
          return json(200, { items: [1, 2, 3], nextCursor: 'abc', debug: { key: req.headers['x-api-key'] } });
        }
        case '/slow':
          return setTimeout(() => json(200, { ok: true }), 250);
        case '/flaky':
          return ++flakyCalls < 3 ? json(503, { retry: true }) : json(200, { ok: true });
        case '/moved':
          res.writeHead(301, { location: '/health' });
          return res.end();
        case '/hang':
          return; // never answers
        case '/text':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('all good\nversion=v1.2.3\n');
        default:
          return json(404, { error: 'not found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const context = (clock = new FixedClock('2026-06-10T12:00:00Z')) =>
  checkContext({
    clock,
    secrets: { API_KEY },
    template: { url: base, version: 'v1.2.3', secrets: { API_KEY } },
  });

describe('http check against a real server', () => {
  it('passes the runbook smoke tests, negative cases included', async () => {
    const ctx = context();
    const results = await runChecks(
      [
        check({
          kind: 'http',
          id: 'health',
          url: '{url}/health',
          expect: {
            json: [
              { path: '$.status', equals: 'healthy' },
              { path: '$.database', equals: 'connected' },
              { path: '$.version', equals: '{version}' },
            ],
            headers: { 'Content-Type': '/^application\\/json/', 'X-Version': '{version}' },
            maxLatency: '2s',
          },
        }),
        check({
          kind: 'http',
          id: 'tools',
          url: '{url}/mcp/tools',
          expect: { json: [{ path: '$.tools', length: 6 }] },
        }),
        check({
          kind: 'http',
          id: 'signin',
          method: 'POST',
          url: '{url}/api/auth/signin',
          headers: { 'Content-Type': 'application/json' },
          body: '{"email": "test@example.com", "password": "TestPass123"}',
          expect: {
            json: [
              { path: '$.token', exists: true },
              { path: "$['token']", matches: '^jwt\\.' },
            ],
          },
        }),
        check({
          kind: 'http',
          id: 'bad-password',
          method: 'POST',
          url: '{url}/api/auth/signin',
          body: '{"password": "nope"}',
          expect: { status: 401 },
        }),
        check({
          kind: 'http',
          id: 'invalid-cursor',
          url: '{url}/api/listings?cursor=invalid',
          headers: { 'X-API-Key': '{secrets.API_KEY}' },
          expect: { status: 400, bodyContains: 'invalid cursor' },
        }),
        check({ kind: 'http', id: 'no-key', url: '{url}/api/listings', expect: { status: [401, 403] } }),
        check({
          kind: 'http',
          id: 'listings',
          url: '{url}/api/listings?limit=10',
          headers: { 'X-API-Key': '{secrets.API_KEY}' },
          expect: {
            json: [
              { path: '$.items', minLength: 1 },
              { path: '$.items[-1]', equals: 3 },
            ],
          },
        }),
        check({
          kind: 'http',
          id: 'moved',
          url: '{url}/moved',
          expect: { status: 301, headers: { location: '/health' } },
        }),
        check({ kind: 'http', id: 'text', url: '{url}/text', expect: { bodyMatches: '^version=v\\d+' } }),
      ],
      ctx,
      { concurrency: 4 },
    );
    for (const result of results) expect(result.status, `${result.id}: ${result.summary}`).toBe('passed');
    const health = results[0]!;
    expect(health.summary).toMatch(/^200 in \d+ms$/);
    expect(health.evidence).toMatchObject({
      status: 200,
      attempts: 1,
      excerpt: '{"status":"healthy","database":"connected","version":"v1.2.3"}',
    });
    expect(typeof health.evidence.latencyMs).toBe('number');
    const invalid = results.find((r) => r.id === 'invalid-cursor')!;
    expect(invalid.evidence.status).toBe(400);
    // The echoed key is scrubbed from the evidence, and appears nowhere at all.
    const listings = results.find((r) => r.id === 'listings')!;
    expect(listings.evidence.excerpt).toContain('"key":"***"');
    expect(JSON.stringify(results) + ctx.logger.text()).not.toContain(API_KEY);
  });

  it('fails with the status, what was wrong and a body excerpt', async () => {
    const ctx = context();
    const [broken, tools, cursor, slow, notJson] = await runChecks(
      [
        check({
          kind: 'http',
          id: 'broken',
          url: '{url}/broken',
          expect: { json: [{ path: '$.status', equals: 'healthy' }] },
        }),
        check({
          kind: 'http',
          id: 'tools',
          url: '{url}/mcp/tools',
          expect: {
            json: [
              { path: '$.tools', length: 7 },
              { path: '$.missing', exists: true },
            ],
          },
        }),
        check({
          kind: 'http',
          id: 'cursor',
          url: '{url}/api/listings?cursor=invalid',
          headers: { 'X-API-Key': '{secrets.API_KEY}' },
        }),
        check({ kind: 'http', id: 'slow', url: '{url}/slow', expect: { maxLatency: '100ms' } }),
        check({
          kind: 'http',
          id: 'text',
          url: '{url}/text',
          expect: { json: [{ path: '$.ok', equals: true }] },
        }),
      ],
      ctx,
    );
    expect(broken!.status).toBe('failed');
    expect(broken!.summary).toBe('expected status 200, got 500; $.status is "error", expected "healthy"');
    expect(broken!.evidence.excerpt).toContain('database unreachable');
    expect(tools!.summary).toBe('$.tools has length 6, expected 7; $.missing not found');
    expect(cursor!.summary).toBe('expected status 200, got 400');
    expect(slow!.summary).toMatch(/^answered in \d+ms, max 100ms$/);
    expect(notJson!.summary).toBe('body is not JSON');
    expect(ctx.logger.lines.filter((l) => l.level === 'error')).toHaveLength(5);
  });

  it('retries with a doubling backoff on the injected clock', async () => {
    flakyCalls = 0;
    const clock = new FixedClock('2026-06-10T12:00:00Z');
    const [result] = await runChecks(
      [check({ kind: 'http', url: '{url}/flaky', retries: { attempts: 4, backoff: '1s' } })],
      context(clock),
    );
    expect(result!.status).toBe('passed');
    expect(result!.evidence.attempts).toBe(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it('is inconclusive when the server does not answer before the timeout, failed when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const [hang, refused] = await runChecks(
      [
        check({ kind: 'http', id: 'hang', url: '{url}/hang', timeout: '300ms' }),
        check({
          kind: 'http',
          id: 'refused',
          url: `http://127.0.0.1:${closedPort}/health?key={secrets.API_KEY}`,
          required: false,
        }),
      ],
      context(),
    );
    expect(hang).toMatchObject({
      status: 'inconclusive',
      outcome: 'blocking',
      summary: 'timed out after 300ms',
    });
    expect(hang!.durationMs).toBeLessThan(2_000);
    expect(refused).toMatchObject({ status: 'failed', outcome: 'warning' });
    expect(refused!.summary).toContain('connection refused');
    // The secret in the URL is scrubbed from the error, the evidence and the log.
    expect(refused!.summary).toBe(`GET http://127.0.0.1:${closedPort}/health?key=***: connection refused`);
    expect(JSON.stringify(refused)).not.toContain(API_KEY);
  });

  it('fails a check whose URL uses an unknown placeholder, naming it', async () => {
    const [result] = await runChecks([check({ kind: 'http', id: 'typo', url: '{ulr}/health' })], context());
    expect(result!.status).toBe('failed');
    expect(result!.summary).toMatch(/unknown placeholder \{ulr\}/);
  });
});
