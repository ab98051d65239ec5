import { describe, expect, it } from 'vitest';
import { type Actor, authorize } from '../../src/sandbox/access.ts';
import { createDefaultWorld, DEFAULT_WORLD } from '../../src/sandbox/default-world.ts';
import { FaultPlan } from '../../src/sandbox/faults.ts';
import { isAncestor, makeCommit, resolveCommitish } from '../../src/sandbox/git-objects.ts';
import { paginate } from '../../src/sandbox/pagination.ts';
import { RateLimiter } from '../../src/sandbox/rate-limit.ts';
import { Router } from '../../src/sandbox/router.ts';
import { ROUTES } from '../../src/sandbox/routes/index.ts';

describe('router', () => {
  const router = new Router(ROUTES);
  it('matches GitHub path templates, decoding parameters', () => {
    expect(router.match('GET', '/repos/acme/webshop/labels/good%20first%20issue')).toMatchObject({
      route: { operationId: 'issues/get-label' },
      params: { owner: 'acme', repo: 'webshop', name: 'good first issue' },
    });
  });
  it('lets git refs contain slashes, and prefers literal routes over greedy ones', () => {
    expect(router.match('GET', '/repos/acme/webshop/git/ref/heads/feature/faster-checkout')?.params.ref).toBe(
      'heads/feature/faster-checkout',
    );
    expect(router.match('GET', '/repos/acme/webshop/commits/main/check-runs')?.route.operationId).toBe(
      'checks/list-for-ref',
    );
    expect(router.match('GET', '/repos/acme/webshop/commits/feature/x')?.route.operationId).toBe(
      'repos/get-commit',
    );
    expect(router.match('GET', '/repos/acme/webshop/commits/abc/pulls')?.route.operationId).toBe(
      'repos/list-pull-requests-associated-with-commit',
    );
  });
  it('finds nothing for unknown paths and methods', () => {
    expect(router.match('GET', '/repos/acme/webshop/nope')).toBeUndefined();
    expect(router.match('DELETE', '/repos/acme/webshop')).toBeUndefined();
  });
});

describe('pagination', () => {
  const items = Array.from({ length: 95 }, (_, i) => i + 1);
  it('defaults to 30 a page and links next and last', () => {
    const page = paginate(items, new URL('http://h/x?state=all'));
    expect(page.items).toHaveLength(30);
    expect(page.link).toBe(
      '<http://h/x?state=all&per_page=30&page=2>; rel="next", <http://h/x?state=all&per_page=30&page=4>; rel="last"',
    );
  });
  it('links prev and first from later pages, caps per_page at 100, and omits link for one page', () => {
    const last = paginate(items, new URL('http://h/x?per_page=30&page=4'));
    expect(last.items).toEqual([91, 92, 93, 94, 95]);
    expect(last.link).toContain('rel="prev"');
    expect(last.link).toContain('rel="first"');
    expect(last.link).not.toContain('rel="next"');
    expect(paginate(items, new URL('http://h/x?per_page=1000')).link).toBeUndefined();
    expect(paginate(items, new URL('http://h/x?page=9')).items).toEqual([]);
  });
});

describe('git objects', () => {
  const world = createDefaultWorld();
  const repo = world.repos[DEFAULT_WORLD.repo]!;
  it('gives the same commit the same SHA', () => {
    const person = { name: 'a', email: 'a@x', date: '2026-01-01T00:00:00Z' };
    expect(makeCommit({ message: 'm', parents: [], author: person }).sha).toBe(
      makeCommit({ message: 'm', parents: [], author: person }).sha,
    );
  });
  it('resolves branches, tags (peeling annotated ones) and abbreviated SHAs', () => {
    const main = repo.refs['refs/heads/main']!;
    expect(resolveCommitish(repo, 'main')).toBe(main);
    expect(resolveCommitish(repo, 'v1.1.0')).toBe(main);
    expect(resolveCommitish(repo, main.slice(0, 7))).toBe(main);
    expect(resolveCommitish(repo, 'nope')).toBeUndefined();
  });
  it('knows ancestry, which is what a fast forward means', () => {
    const main = repo.refs['refs/heads/main']!;
    const v100 = repo.refs['refs/tags/v1.0.0']!;
    expect(isAncestor(repo, v100, main)).toBe(true);
    expect(isAncestor(repo, main, v100)).toBe(false);
  });
});

describe('faults', () => {
  it('apply to matching requests, count down, and reject unknown kinds', () => {
    const plan = new FaultPlan();
    plan.add({ operationId: 'issues/create', kind: 'status', status: 502, count: 2 });
    expect(plan.take('GET', 'issues/get', '/x')).toBeUndefined();
    expect(plan.take('POST', 'issues/create', '/x')?.status).toBe(502);
    expect(plan.take('POST', 'issues/create', '/x')?.status).toBe(502);
    expect(plan.take('POST', 'issues/create', '/x')).toBeUndefined();
    expect(() => plan.add({ operationId: 'x', kind: 'explode' as never })).toThrow(
      /known kinds: status, delay/,
    );
  });
});

describe('rate limiter', () => {
  it('charges per token and starts a new window after an hour', () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const limiter = new RateLimiter(() => now);
    limiter.charge('a', 1000);
    const snap = limiter.charge('a', 1000);
    expect(snap).toMatchObject({ limit: 1000, used: 2, remaining: 998, resource: 'core' });
    expect(limiter.snapshot('b', 5000).used).toBe(0);
    now += 3_600_000;
    expect(limiter.snapshot('a', 1000).used).toBe(0);
  });
});

describe('access', () => {
  const world = createDefaultWorld();
  const repo = world.repos[DEFAULT_WORLD.repo]!;
  const actor = (role: keyof typeof DEFAULT_WORLD.tokens): Actor => {
    const token = DEFAULT_WORLD.tokens[role];
    return { token, login: world.tokens[token]!.login, record: world.tokens[token]! };
  };
  it('follows repository roles for users and permissions for installation tokens', () => {
    expect(() => authorize(world, repo, actor('write'), 'contents', 'write')).not.toThrow();
    expect(() => authorize(world, repo, actor('triage'), 'contents', 'write')).toThrow(
      'Resource not accessible by integration',
    );
    expect(() => authorize(world, repo, actor('triage'), 'issues', 'write')).not.toThrow();
    expect(() => authorize(world, repo, actor('outsider'), 'metadata', 'read')).toThrow('Not Found');
    expect(() => authorize(world, repo, actor('actions'), 'deployments', 'write')).not.toThrow();
    expect(() => authorize(world, repo, actor('forkPr'), 'issues', 'write')).toThrow(
      'Resource not accessible by integration',
    );
    expect(() => authorize(world, repo, actor('forkPr'), 'issues', 'read')).not.toThrow();
  });
});
