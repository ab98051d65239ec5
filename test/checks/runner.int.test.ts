import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import { checkImplementation } from '../../src/checks/registry.ts';
import { runChecks } from '../../src/checks/runner.ts';
import type { Check } from '../../src/config/schema.ts';
import { CHECK_KINDS } from '../../src/config/schema.ts';
import { ConfigurationError } from '../../src/errors.ts';
import { check, checkContext } from '../harness/check-context.ts';

describe('runChecks', () => {
  it('runs at most `concurrency` checks at once and keeps their order', async () => {
    const ctx = checkContext();
    const log = `${process.env.TMPDIR ?? '/tmp'}/shipgate-concurrency-${process.pid}-${Date.now()}`;
    const sleeper = (id: string) =>
      check({
        kind: 'command',
        id,
        run: `echo start >> ${log}; sleep 0.3; echo "running: $(( $(grep -c start ${log}) - $(grep -c end ${log}) ))"; echo end >> ${log}`,
      });
    const started = Date.now();
    const results = await runChecks(['a', 'b', 'c', 'd'].map(sleeper), ctx, { concurrency: 2 });
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(3_000);
    // Never more than two were running at once.
    for (const r of results) {
      const running = Number(/running: (\d+)/.exec(r.evidence.excerpt as string)?.[1]);
      expect(running).toBeGreaterThanOrEqual(1);
      expect(running).toBeLessThanOrEqual(2);
    }
    await import('node:fs/promises').then((fs) => fs.rm(log, { force: true }));
  });

  it('reports a cancelled run as inconclusive, never as passed', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 150);
    const [result] = await runChecks(
      [check({ kind: 'command', run: ['sleep', '20'] })],
      checkContext({ signal: controller.signal }),
    );
    expect(result).toMatchObject({ status: 'inconclusive', outcome: 'blocking', summary: 'cancelled' });
  });

  it('gives up on a check that ignores its abort signal, shortly after its timeout', async () => {
    // An HTTP stack that never answers and never listens to the signal.
    const octokit = new Octokit({
      baseUrl: 'http://127.0.0.1:9',
      request: { fetch: () => new Promise(() => {}) },
    });
    const started = Date.now();
    const [result] = await runChecks(
      [check({ kind: 'ci-status', checks: ['lint'], timeout: '200ms' })],
      checkContext({ github: { octokit, owner: 'acme', repo: 'api', sha: 'a'.repeat(40) } }),
      { stragglerGraceMs: 100 },
    );
    expect(result).toMatchObject({ status: 'inconclusive', summary: 'timed out after 200ms' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails a check with a broken pattern or JSON path in its config, saying where, before doing anything', async () => {
    const results = await runChecks(
      [
        check({ kind: 'env', id: 'env', var: 'PATH', pattern: '([a-z' }),
        check({ kind: 'command', id: 'cmd', run: ['true'], outputMatches: '*oops' }),
        check({ kind: 'http', id: 'web', url: 'http://127.0.0.1:9/', expect: { bodyMatches: '(' } }),
        check({
          kind: 'http',
          id: 'path',
          url: 'http://127.0.0.1:9/',
          expect: { json: [{ path: '$..x', exists: true }] },
        }),
      ],
      checkContext(),
    );
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(results[0]!.summary).toMatch(/^checks\.env\.pattern: invalid regular expression \/\(\[a-z\/: /);
    expect(results[1]!.summary).toMatch(/^checks\.cmd\.outputMatches: invalid regular expression/);
    expect(results[2]!.summary).toMatch(/^checks\.web\.expect\.bodyMatches: invalid regular expression/);
    expect(results[3]!.summary).toMatch(/^invalid JSON path '\$\.\.x'/);
  });

  it('makes a failure of a check that is not required a warning', async () => {
    const ctx = checkContext();
    const [result] = await runChecks(
      [check({ kind: 'env', var: 'SHIPGATE_UNSET_VAR', required: false })],
      ctx,
    );
    expect(result).toMatchObject({ status: 'failed', required: false, outcome: 'warning' });
    expect(ctx.logger.lines).toEqual([
      { level: 'warning', text: '✗ env-check: SHIPGATE_UNSET_VAR is not set (not required)' },
    ]);
  });

  it('knows every kind the schema knows, and names them for an unknown one', async () => {
    for (const kind of CHECK_KINDS) expect(checkImplementation(kind)).toBeDefined();
    expect(() => checkImplementation('kubernetes')).toThrowError(ConfigurationError);
    expect(() => checkImplementation('toString')).toThrowError(
      "unknown check kind 'toString'; known kinds: command, http, tls, dns, env, git-clean, ci-status, coverage, window, disk-free",
    );
    const bogus = { ...check({ kind: 'env', var: 'X' }), kind: 'kubernetes' } as unknown as Check;
    const [result] = await runChecks([bogus], checkContext());
    expect(result!.status).toBe('failed');
    expect(result!.summary).toMatch(/^unknown check kind 'kubernetes'; known kinds: command, http/);
  });
});
