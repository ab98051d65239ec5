import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The shipgate command run as a real process, as a person or a workflow step runs it.

const bin = resolve('src/cli/bin.ts');

function shipgate(
  args: string[],
  cwd = process.cwd(),
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Not inside a workflow unless a test says so, even when the tests themselves run in Actions.
  const environment = { ...process.env, GITHUB_ACTIONS: '', ...env };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: environment, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain('internal error');
};

describe('shipgate validate', () => {
  it('exits 0 with a one-line summary for a valid config', async () => {
    const { code, stdout, stderr } = await shipgate([
      'validate',
      '--config',
      'examples/task-server.shipgate.yml',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toMatch(
      /^examples\/task-server\.shipgate\.yml: valid release config for MCP Server & Tools for AI Agent Task Management: 2 environments \(staging, production\), \d+ checks, \d+ steps, \d+ manual items, 4 rules\n$/,
    );
  });

  it('exits 1 listing every problem as FILE:LINE:COL: path: message, without a stack trace', async () => {
    const file = 'test/fixtures/config/broken.shipgate.yml';
    const { code, stdout, stderr } = await shipgate(['validate', '--config', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `${file}: 3 problems in the release config`,
      `${file}:11:13: preflight.checks[0].kind: unknown kind 'comand' (did you mean 'command'? expected one of: command, http, tls, dns, env, git-clean, ci-status, coverage, window, disk-free)`,
      `${file}:17:7: deploy.steps[0].timout: unknown key 'timout' (did you mean 'timeout'?)`,
      `${file}:23:16: smoke.checks[0].timeout: got the number 30 (expected a duration: 500ms, 90s, 10m, 1h30m, 7d)`,
    ]);
    noStackTrace(stderr);
  });

  it('in a workflow step, also annotates each problem on its line', async () => {
    const file = 'test/fixtures/config/broken.shipgate.yml';
    const { code, stdout } = await shipgate(['validate', '--config', file], process.cwd(), {
      GITHUB_ACTIONS: 'true',
    });
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      `::error title=shipgate config,file=${file},line=11,col=13::preflight.checks[0].kind: unknown kind 'comand' (did you mean 'command'? expected one of: command, http, tls, dns, env, git-clean, ci-status, coverage, window, disk-free)`,
      `::error title=shipgate config,file=${file},line=17,col=7::deploy.steps[0].timout: unknown key 'timout' (did you mean 'timeout'?)`,
      `::error title=shipgate config,file=${file},line=23,col=16::smoke.checks[0].timeout: got the number 30 (expected a duration: 500ms, 90s, 10m, 1h30m, 7d)`,
    ]);
  });

  it('reads .github/shipgate.yml by default, and says plainly when there is none', async () => {
    const repository = mkdtempSync(join(tmpdir(), 'shipgate-cli-'));
    const missing = await shipgate(['validate'], repository);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'cannot read .github/shipgate.yml: no such file (expected a release config there; create it or pass --config PATH)\n',
    );
    noStackTrace(missing.stderr);

    mkdirSync(join(repository, '.github'));
    writeFileSync(join(repository, '.github/shipgate.yml'), readFileSync('examples/demo.shipgate.yml'));
    const found = await shipgate(['validate'], repository);
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(
      /^\.github\/shipgate\.yml: valid release config for demo-app: 1 environment \(demo\)/,
    );
  });

  it('exits 2 for a usage error', async () => {
    const { code, stderr } = await shipgate(['validate', '--confg', 'x.yml']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--confg'");
    expect(stderr).toContain('usage: shipgate validate [--config PATH]');
  });
});

describe('shipgate schema', () => {
  it('prints the JSON Schema that is committed in schema/', async () => {
    const { code, stdout } = await shipgate(['schema']);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync('schema/shipgate.schema.json', 'utf8'));
  });
});

describe('shipgate plan', () => {
  it("prints the task-server runbook's checklist with its sections and sign-offs", async () => {
    const { code, stdout, stderr } = await shipgate([
      'plan',
      '--config',
      'examples/task-server.shipgate.yml',
      '--environment',
      'production',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('# Release plan: MCP Server & Tools for AI Agent Task Management → production');
    expect(stdout).toContain('### Code Quality & Testing');
    expect(stdout).toContain('### Step 5: Smoke Tests');
    expect(stdout).toContain('- [ ] DevOps Lead sign-off — `preflight:signoff:devops-lead`');
    expect(stdout).toContain('- [ ] Database Admin sign-off');
  });

  it('limits path-based sign-offs to the changed paths', async () => {
    const { code, stdout } = await shipgate([
      'plan',
      '--config',
      'examples/task-server.shipgate.yml',
      '-e',
      'production',
      '--changed',
      'backend/alembic/versions/003_tasks.py',
      '--changed',
      'README.md',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Database Admin sign-off — `preflight:signoff:database-admin` · by @example-org/dba · paths changed',
    );
    expect(stdout).not.toContain('Security Lead sign-off');
  });

  it('asks for --environment when there are several, and refuses an unknown one', async () => {
    const several = await shipgate(['plan', '--config', 'examples/pagination.shipgate.yml']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain(
      'several environments (staging, production); choose one with --environment NAME',
    );

    const unknown = await shipgate(['plan', '--config', 'examples/pagination.shipgate.yml', '-e', 'prod']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown environment 'prod' (expected one of: staging, production)");
    noStackTrace(unknown.stderr);
  });
});
