import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-command-check-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('command check', () => {
  it('passes on the expected exit code and output, with placeholders and env filled', async () => {
    // A version from a tag name can hold shell syntax: it stays one argument, or one variable.
    const ctx = checkContext({
      cwd: dir,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, on purpose
      template: { version: 'v1$(touch${IFS}owned)', environment: 'staging' },
    });
    const results = await runChecks(
      [
        check({
          kind: 'command',
          id: 'tests',
          run: 'echo "104 passed in 3.2s for $TARGET"',
          env: { TARGET: '{environment}' },
          outputMatches: '^\\d+ passed in .* for staging$',
        }),
        check({
          kind: 'command',
          id: 'argv',
          run: ['sh', '-c', 'pwd'],
          outputMatches: 'shipgate-command-check-',
        }),
        check({ kind: 'command', id: 'audit', run: 'exit 3', expectExitCode: 3 }),
        check({
          kind: 'command',
          id: 'hostile-version',
          run: ['printf', '%s|', '{version}', '--env={environment}'],
          outputMatches: '^v1\\$\\(touch\\$\\{IFS\\}owned\\)\\|--env=staging\\|$',
        }),
        check({
          kind: 'command',
          id: 'shell-reads-env',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, on purpose
          run: 'printf "%s %s" "$SHIPGATE_VERSION" "${SHIPGATE_ENVIRONMENT}"; test ! -e owned',
          outputMatches: '^v1\\$\\(touch\\$\\{IFS\\}owned\\) staging$',
        }),
      ],
      ctx,
    );
    for (const result of results) expect(result.status, `${result.id}: ${result.summary}`).toBe('passed');
    const [plain, argv, expectedFailure] = results;
    expect(existsSync(join(dir, 'owned'))).toBe(false);
    expect(plain).toMatchObject({ status: 'passed', summary: 'exited with 0' });
    expect(plain!.evidence.excerpt).toBe('104 passed in 3.2s for staging');
    expect(argv!.status, argv!.summary).toBe('passed');
    expect(expectedFailure!.status).toBe('passed');
    expect(ctx.logger.text()).toContain('104 passed in 3.2s for staging');
  });

  it('fails on a wrong exit code, a missing output pattern, a missing binary and a hang', async () => {
    const [exit, pattern, missing, hang] = await runChecks(
      [
        check({ kind: 'command', id: 'exit', run: 'echo "2 failed" >&2; exit 1' }),
        check({
          kind: 'command',
          id: 'pattern',
          run: ['echo', 'coverage 71%'],
          outputMatches: 'coverage (8|9)\\d%',
        }),
        check({ kind: 'command', id: 'missing', run: ['pip-audit-not-installed'] }),
        check({ kind: 'command', id: 'hang', run: 'sleep 30', timeout: '300ms' }),
      ],
      checkContext({ cwd: dir }),
      { concurrency: 4 },
    );
    expect(exit).toMatchObject({
      status: 'failed',
      summary: 'exited with 1 (expected 0)',
      evidence: { exitCode: 1, excerpt: '2 failed' },
    });
    expect(pattern).toMatchObject({
      status: 'failed',
      summary: 'output does not match /coverage (8|9)\\d%/',
    });
    expect(missing).toMatchObject({
      status: 'failed',
      summary: 'command not found: pip-audit-not-installed',
    });
    expect(hang).toMatchObject({ status: 'failed', summary: 'timed out after 300ms' });
    expect(hang!.durationMs).toBeLessThan(2_000);
  });

  it('keeps a planted secret out of the summary, the evidence and the log', async () => {
    const secret = 'jwt-secret-0123456789abcdef0123';
    const ctx = checkContext({ cwd: dir, secrets: { JWT_SECRET: secret } });
    const [result] = await runChecks(
      [check({ kind: 'command', run: 'echo "JWT_SECRET=$JWT_SECRET"; echo "bad $JWT_SECRET" >&2; exit 2' })],
      ctx,
    );
    expect(result!.status).toBe('failed');
    expect(result!.evidence.excerpt).toBe('JWT_SECRET=***\nbad ***');
    expect(JSON.stringify(result) + ctx.logger.text()).not.toContain(secret);
  });
});
