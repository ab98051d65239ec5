import { RequestError } from '@octokit/request-error';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDefaultWorld, DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';

const owner = DEFAULT_WORLD.owner;
const repo = DEFAULT_WORLD.name;
const auth = (role: keyof typeof DEFAULT_WORLD.tokens) => ({
  authorization: `token ${DEFAULT_WORLD.tokens[role]}`,
});

describe('sandbox under load and faults', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  beforeEach(async () => {
    await sandbox.control.reset();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('paginates with link headers: default 30, per_page up to 100', async () => {
    const gh = sandbox.octokit('actions');
    const world = createDefaultWorld();
    const webshop = world.repos['acme/webshop']!;
    for (let i = 1; i <= 45; i += 1) {
      const at = `2026-03-01T10:${String(i).padStart(2, '0')}:00Z`;
      webshop.comments.push({
        id: world.nextId++,
        issueNumber: 3,
        body: `comment ${i}`,
        user: 'rae',
        createdAt: at,
        updatedAt: at,
      });
    }
    webshop.issues.find((i) => i.number === 3)!.comments = 45;
    await sandbox.control.seed(world);
    const first = await gh.rest.issues.listComments({ owner, repo, issue_number: 3 });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('page=2');
    const second = await gh.rest.issues.listComments({ owner, repo, issue_number: 3, per_page: 20, page: 2 });
    expect(second.data.map((c) => c.body)).toEqual(Array.from({ length: 20 }, (_, i) => `comment ${i + 21}`));
    expect(second.headers.link).toMatch(/rel="prev".*rel="next".*rel="last".*rel="first"/);
    expect(second.headers.link).toContain('page=3>; rel="last"');
    const all = await gh.paginate(gh.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 3,
      per_page: 10,
    });
    expect(all).toHaveLength(45);
    const capped = await gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: 3,
      per_page: 500,
    });
    expect(capped.data).toHaveLength(45);
    expect(capped.headers.link).toBeUndefined();
  });

  it('answers If-None-Match with 304 and does not charge it', async () => {
    const url = `${sandbox.apiUrl}/repos/${owner}/${repo}/issues/3`;
    const first = await fetch(url, { headers: auth('actions') });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const used = Number(first.headers.get('x-ratelimit-used'));
    const again = await fetch(url, { headers: { ...auth('actions'), 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(Number(again.headers.get('x-ratelimit-used'))).toBe(used);
    expect(again.headers.get('x-ratelimit-remaining')).toBe(String(1000 - used));
    // Through Octokit, a 304 is a RequestError with status 304.
    const gh = sandbox.octokit('actions');
    const error = await gh.rest.issues
      .get({ owner, repo, issue_number: 3, headers: { 'if-none-match': etag! } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(304);
    // A change gives a new ETag.
    await gh.rest.issues.update({ owner, repo, issue_number: 3, body: 'changed' });
    const changed = await fetch(url, { headers: { ...auth('actions'), 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('reports the primary rate limit per token and refuses when it is spent', async () => {
    const user = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}`, { headers: auth('admin') });
    expect(user.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(user.headers.get('x-ratelimit-resource')).toBe('core');
    const bot = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}`, { headers: auth('actions') });
    expect(bot.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(Number(bot.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    await sandbox.control.setRateLimit(DEFAULT_WORLD.tokens.actions, { remaining: 0 });
    const gh = sandbox.octokit('actions');
    const error = (await gh.rest.issues
      .get({ owner, repo, issue_number: 3 })
      .catch((e: unknown) => e)) as RequestError;
    expect(error.status).toBe(403);
    expect(error.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.response?.data).toMatchObject({
      message: expect.stringMatching(/^API rate limit exceeded/),
    });
    // GET /rate_limit is free and still answers.
    const rate = await gh.rest.rateLimit.get();
    expect(rate.data.resources.core.remaining).toBe(0);
  });

  it('Octokit waits out a secondary rate limit (403 and 429 with retry-after)', async () => {
    const gh = sandbox.octokit('actions');
    await sandbox.control.fault({
      operationId: 'issues/create',
      kind: 'secondary-rate-limit',
      retryAfter: 2,
    });
    await sandbox.control.fault({
      operationId: 'issues/create-comment',
      kind: 'secondary-rate-limit',
      status: 429,
    });
    const issue = await gh.rest.issues.create({ owner, repo, title: 'After a secondary limit' });
    expect(issue.status).toBe(201);
    const comment = await gh.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.data.number,
      body: 'ok',
    });
    expect(comment.status).toBe(201);
    const creates = await sandbox.control.requests({ operationId: 'issues/create' });
    expect(creates.map((r) => [r.status, r.fault])).toEqual([
      [403, 'secondary-rate-limit'],
      [201, undefined],
    ]);
    const comments = await sandbox.control.requests({ operationId: 'issues/create-comment' });
    expect(comments.map((r) => r.status)).toEqual([429, 201]);
  });

  it('Octokit retries a 502 and succeeds; 404 and 422 are not retried', async () => {
    const gh = sandbox.octokit('read');
    await sandbox.control.fault({ operationId: 'issues/get', kind: 'status', status: 502, count: 2 });
    const issue = await gh.rest.issues.get({ owner, repo, issue_number: 3 });
    expect(issue.status).toBe(200);
    expect((await sandbox.control.requests({ operationId: 'issues/get' })).map((r) => r.status)).toEqual([
      502, 502, 200,
    ]);

    await sandbox.control.clearRequests();
    await gh.rest.issues.get({ owner, repo, issue_number: 404 }).catch(() => undefined);
    await sandbox
      .octokit('write')
      .rest.issues.createLabel({ owner, repo, name: 'bug', color: 'ffffff' })
      .catch(() => undefined);
    expect(await sandbox.control.counts()).toEqual({ 'issues/get': 1, 'issues/create-label': 1 });
  });

  it('a response dropped after the write leaves the change in place (and a blind retry duplicates it)', async () => {
    const once = sandbox.octokit('actions', { retries: 0 });
    await sandbox.control.fault({ operationId: 'issues/create-comment', kind: 'drop-after-write' });
    const error = await once.rest.issues
      .createComment({ owner, repo, issue_number: 3, body: 'written, answer lost' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const after = await once.rest.issues.listComments({ owner, repo, issue_number: 3 });
    expect(after.data.map((c) => c.body)).toEqual(['written, answer lost']);

    const retrying = sandbox.octokit('actions');
    await sandbox.control.fault({ operationId: 'issues/create-comment', kind: 'drop-after-write' });
    const retried = await retrying.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'twice' });
    expect(retried.status).toBe(201);
    const twice = await once.rest.issues.listComments({ owner, repo, issue_number: 3 });
    expect(twice.data.filter((c) => c.body === 'twice')).toHaveLength(2);

    // A plain drop changes nothing.
    await sandbox.control.fault({ operationId: 'issues/create-comment', kind: 'drop' });
    await once.rest.issues
      .createComment({ owner, repo, issue_number: 3, body: 'never' })
      .catch(() => undefined);
    const unchanged = await once.rest.issues.listComments({ owner, repo, issue_number: 3 });
    expect(unchanged.data.some((c) => c.body === 'never')).toBe(false);
  });

  it('delays a route when asked, and logs method, route, status, duration and user', async () => {
    await sandbox.control.fault({
      route: '/repos/{owner}/{repo}',
      method: 'GET',
      kind: 'delay',
      delayMs: 120,
    });
    const gh = sandbox.octokit('maintain');
    const started = performance.now();
    await gh.rest.repos.get({ owner, repo });
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    const [entry] = await sandbox.control.requests({ operationId: 'repos/get' });
    expect(entry).toMatchObject({
      method: 'GET',
      path: '/repos/acme/webshop',
      route: '/repos/{owner}/{repo}',
      status: 200,
      user: 'max',
      fault: 'delay',
    });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(115);
    const faults = await sandbox.control.faults();
    expect(faults[0]).toMatchObject({ remaining: 0, triggered: 1 });
  });

  it('can enforce GitHub’s content-creation secondary limit on its own (writesPerMinute)', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const limited = await startTestSandbox({ writesPerMinute: 3, clock: () => now });
    try {
      const gh = limited.octokit('actions', { rateLimitRetries: 0 });
      for (let i = 0; i < 3; i += 1)
        await gh.rest.issues.createComment({ owner, repo, issue_number: 3, body: `${i}` });
      const error = (await gh.rest.issues
        .createComment({ owner, repo, issue_number: 3, body: 'one too many' })
        .catch((e: unknown) => e)) as RequestError;
      expect(error.status).toBe(403);
      expect(error.response?.headers['retry-after']).toBe('60');
      expect(error.message).toMatch(/secondary rate limit/);
      // Reads are not content creation.
      expect((await gh.rest.issues.get({ owner, repo, issue_number: 3 })).status).toBe(200);
      now += 61_000;
      expect(
        (await gh.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'later' })).status,
      ).toBe(201);
    } finally {
      await limited.stop();
    }
  });

  it('takes concurrent writers one at a time: every write lands, numbers are consecutive', async () => {
    const writers = Array.from({ length: 8 }, (_, i) => sandbox.octokit(i % 2 ? 'actions' : 'write'));
    const created = await Promise.all(
      writers.map((gh, i) => gh.rest.issues.create({ owner, repo, title: `Concurrent ${i}` })),
    );
    expect(created.map((c) => c.data.number).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    await Promise.all(
      writers.map((gh, i) =>
        gh.rest.issues.createComment({ owner, repo, issue_number: 4, body: `tick ${i}` }),
      ),
    );
    const comments = await writers[0]!.paginate(writers[0]!.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 4,
    });
    expect(comments).toHaveLength(8);
    expect(new Set(comments.map((c) => c.id)).size).toBe(8);
    expect((await writers[0]!.rest.issues.get({ owner, repo, issue_number: 4 })).data.comments).toBe(8);
  });
});
