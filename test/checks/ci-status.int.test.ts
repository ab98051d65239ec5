import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const PENDING_SHA = 'b'.repeat(40);

type Run = { id: number; name: string; status: string; conclusion: string | null };

const runsBySha: Record<string, Run[]> = {
  [SHA]: [
    // Plenty of other runs, so the listing spans pages.
    ...Array.from({ length: 130 }, (_, i) => ({
      id: 1000 + i,
      name: `matrix (${i})`,
      status: 'completed',
      conclusion: 'success',
    })),
    { id: 1, name: 'unit tests', status: 'completed', conclusion: 'failure' },
    { id: 2, name: 'unit tests', status: 'completed', conclusion: 'success' }, // a re-run: the latest counts
    { id: 3, name: 'lint', status: 'completed', conclusion: 'success' },
    { id: 4, name: 'docs', status: 'completed', conclusion: 'skipped' },
    { id: 5, name: 'security scan', status: 'completed', conclusion: 'failure' },
  ],
  [PENDING_SHA]: [
    { id: 7, name: 'unit tests', status: 'in_progress', conclusion: null },
    { id: 8, name: 'lint', status: 'completed', conclusion: 'success' },
  ],
};

let server: Server;
let baseUrl: string;
const requests: string[] = [];

// A real HTTP server answering the one GitHub route the check uses, with GitHub's pagination.
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/.exec(url.pathname);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!match || req.method !== 'GET') return send(404, { message: 'Not Found' });
    const [, owner, , ref] = match;
    if (owner === 'forbidden') return send(403, { message: 'Resource not accessible by integration' });
    if (owner === 'flaky') return send(502, { message: 'Bad Gateway' });
    const runs = runsBySha[ref!];
    if (!runs) return send(404, { message: 'No commit found for SHA' });
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(runs.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${baseUrl}${next.pathname}${next.search}>; rel="next"`;
    }
    send(
      200,
      { total_count: runs.length, check_runs: runs.slice((page - 1) * perPage, page * perPage) },
      headers,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const github = (owner = 'acme', sha = SHA) => ({
  octokit: new Octokit({ baseUrl, auth: 'ghs_test' }),
  owner,
  repo: 'api',
  sha,
});

describe('ci-status check against a GitHub-shaped HTTP server', () => {
  it('passes when every named run is green (latest re-run counts, skipped is green)', async () => {
    requests.length = 0;
    const [result] = await runChecks(
      [check({ kind: 'ci-status', checks: ['unit tests', 'lint', 'docs', 'matrix (129)'] })],
      checkContext({ github: github() }),
    );
    expect(result).toMatchObject({ status: 'passed', summary: '4 checks green on a1b2c3d' });
    expect(result!.evidence).toMatchObject({
      'unit tests': 'success',
      docs: 'skipped',
      'matrix (129)': 'success',
    });
    expect(requests).toEqual([
      `GET /repos/acme/api/commits/${SHA}/check-runs?per_page=100`,
      `GET /repos/acme/api/commits/${SHA}/check-runs?per_page=100&page=2`,
    ]);
  });

  it('fails on a red or missing run, and is inconclusive while one is still running', async () => {
    const [red, pending] = await runChecks(
      [
        check({ kind: 'ci-status', id: 'red', checks: ['lint', 'security scan', 'e2e'] }),
        check({ kind: 'ci-status', id: 'pending', checks: ['unit tests', 'lint'] }),
      ],
      checkContext({ github: github() }),
    );
    expect(red).toMatchObject({
      status: 'failed',
      summary: 'not green on a1b2c3d: security scan (failure), e2e (missing)',
      evidence: { lint: 'success', 'security scan': 'failure', e2e: 'missing' },
    });
    const [stillRunning] = await runChecks(
      [check({ kind: 'ci-status', checks: ['unit tests', 'lint'] })],
      checkContext({ github: github('acme', PENDING_SHA) }),
    );
    expect(stillRunning).toMatchObject({
      status: 'inconclusive',
      summary: 'still running on bbbbbbb: unit tests (in_progress)',
    });
    expect(pending!.status).toBe('passed');
  });

  it('turns API errors into advice or an inconclusive result', async () => {
    const run = (owner: string, sha = SHA) =>
      runChecks(
        [check({ kind: 'ci-status', checks: ['lint'] })],
        checkContext({ github: github(owner, sha) }),
      );
    const [forbidden] = await run('forbidden');
    expect(forbidden!.status).toBe('failed');
    expect(forbidden!.summary).toMatch(/Resource not accessible by integration.*permissions: checks: read/);
    const [down] = await run('flaky');
    expect(down!.status).toBe('inconclusive');
    const [unknown] = await run('acme', 'c'.repeat(40));
    expect(unknown).toMatchObject({ status: 'failed', summary: 'commit ccccccc not found in acme/api' });
    const [noGithub] = await runChecks([check({ kind: 'ci-status', checks: ['lint'] })], checkContext());
    expect(noGithub!.status).toBe('inconclusive');
  });
});
