import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoApp } from '../../examples/demo-app/app.ts';
import type { Clock } from '../../src/engine/clock.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { backupPhase } from '../../src/engine/phases/backup.ts';
import { createDeployPhase } from '../../src/engine/phases/deploy.ts';
import { preflightPhase } from '../../src/engine/phases/preflight.ts';
import { startDemoAppInProcess } from '../harness/demo-app.ts';
import { createGitRepo, type GitRepo } from '../harness/git-repo.ts';
import { type PostgresServer, postgresBindir, startPostgres } from '../harness/postgres.ts';
import { openTestRelease } from '../harness/release.ts';
import { runbookVariant } from '../harness/runbook-config.ts';
import { useSandbox } from '../harness/sandbox.ts';

/**
 * Each runbook in /work/shared/runbooks, as its example config, runs its preflight, backup and
 * deploy against the demo app, PostgreSQL and the sandbox. The config is the example file itself,
 * rewritten only where it points at infrastructure this machine lacks (runbookVariant lists every
 * rewrite); its ids, checks, steps and items are the example's.
 */
const sandbox = useSandbox();
const API_KEY = 'demo-api-key-5f2b9c1e';
let app: RunningDemoApp;
let pg: PostgresServer;
let repo: GitRepo;

beforeAll(async () => {
  [app, pg, repo] = await Promise.all([
    startDemoAppInProcess({ version: '1.0.0', token: API_KEY }),
    startPostgres(),
    createGitRepo(),
  ]);
  await pg.sql('CREATE DATABASE app');
  await pg.sql(
    `CREATE TABLE organizations (id int PRIMARY KEY, name text NOT NULL);
     CREATE TABLE api_keys (id int PRIMARY KEY, org int REFERENCES organizations, key text NOT NULL);
     CREATE TABLE tasks (id int PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false);
     INSERT INTO organizations SELECT g, 'organisation ' || g FROM generate_series(1, 100) g;
     INSERT INTO api_keys SELECT g, 1 + g % 100, md5(g::text) FROM generate_series(1, 300) g;
     INSERT INTO tasks SELECT g, 'task ' || g FROM generate_series(1, 100) g;`,
    'app',
  );
});
afterAll(async () => {
  await Promise.all([app?.close(), pg?.stop(), repo?.dispose()]);
});

/** The system clock moved to 02:30 UTC today: inside the pagination runbook's 02:00-03:00 window. */
function windowClock(): Clock {
  const now = new Date();
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2, 30);
  const offset = target - now.getTime();
  return { now: () => new Date(Date.now() + offset), sleep: systemClock.sleep };
}

async function releaseCommit(checks: string[]): Promise<string> {
  const commit = await sandbox().control.addCommit('acme/webshop', { message: 'the release' });
  for (const name of checks)
    await sandbox().control.addCheckRun('acme/webshop', {
      name,
      head_sha: commit.sha,
      status: 'completed',
      conclusion: 'success',
    });
  return commit.sha;
}

/** Runs preflight, backup and deploy, and checks what a person would see after each. */
async function runThreePhases(opened: Awaited<ReturnType<typeof openTestRelease>>) {
  const { release } = opened;
  const automated = (phase: string) =>
    release.record.state.items.filter(
      (item) => item.phase === phase && (item.kind === 'check' || item.kind === 'step'),
    );

  const preflight = await runPhase(preflightPhase, release);
  const notPassed = automated('preflight').filter((item) => item.status !== 'passed' && item.required);
  expect(notPassed.map((item) => `${item.id}: ${item.status} ${item.summary ?? ''}`)).toEqual([]);
  // Automation is done; the runbook's people items and sign-offs are what it waits for.
  expect(preflight.outcome).toBe('waiting');
  expect(preflight.summary).toMatch(/^waiting for: /);

  const backup = await runPhase(backupPhase, release);
  expect(backup.outcome, backup.summary).not.toBe('failed');
  expect(release.record.state.backup?.format).toBe('custom');

  const deploy = await runPhase(createDeployPhase({ save: () => {} }), release);
  expect(deploy.outcome, deploy.summary).not.toBe('failed');
  const deployNotPassed = automated('deploy').filter((item) => item.status !== 'passed');
  expect(deployNotPassed.map((item) => `${item.id}: ${item.status} ${item.summary ?? ''}`)).toEqual([]);
  expect(app.version()).toBe(release.record.state.release.version);
  return { preflight, backup, deploy };
}

function environment(extra: Record<string, string>) {
  return {
    PATH: `${postgresBindir()}:${process.env.PATH}`,
    DATABASE_URL: pg.url('app'),
    ...extra,
  };
}

describe('the runbooks as configs, against the demo app', () => {
  it('pagination-release-checklist.md: preflight, backup and deploy of production', async () => {
    await mkdir(join(repo.dir, 'docs'), { recursive: true });
    await repo.write('docs/PAGINATION_MIGRATION.md', '# Migrating to cursor pagination\n');
    await repo.write('docs/OPENAPI_PAGINATION.md', '# OpenAPI: pagination\n');
    await repo.git('add', '.');
    await repo.git('commit', '-qm', 'docs');
    await repo.git('tag', 'v1.0.0');
    await repo.write('CHANGELOG.md', 'cursor pagination\n');
    await repo.git('add', '.');
    await repo.git('commit', '-qm', 'release');

    const variant = await runbookVariant('pagination.shipgate.yml', {
      appUrl: app.url,
      urlVars: ['STAGING_URL'],
      hostVars: ['API_HOST'],
      // No TLS certificate or Prometheus in front of the demo app.
      skip: { production: ['ssl-certificate', 'metrics-collection'] },
    });
    expect(variant.replaced).toEqual(
      expect.arrayContaining([
        'lint',
        'static-analysis',
        'staging-test-suite',
        'migrate',
        'dependencies-up-to-date',
      ]),
    );
    const opened = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      sha: await releaseCommit(['unit-tests', 'integration-tests']),
      workspace: repo.dir,
      clock: windowClock(),
      configText: variant.text,
      env: environment({
        API_KEY,
        SUPABASE_URL: 'https://project.supabase.co',
        SUPABASE_SERVICE_KEY: 'service-key-0123456789',
        HOSTAWAY_ACCOUNT_ID: '12345',
        HOSTAWAY_SECRET_KEY: 'hostaway-secret-0123456789',
        CURSOR_SECRET: 'c'.repeat(48),
        TOKEN_BUDGET_THRESHOLD: '4000',
        RATE_LIMIT_PER_MINUTE: '120',
      }),
    });

    const { preflight } = await runThreePhases(opened);

    const { release, logger } = opened;
    const item = (id: string) => release.record.state.items.find((entry) => entry.id === id);
    expect(item('staging-pagination')?.status).toBe('passed');
    expect(item('api-key-required')?.summary).toContain('401');
    expect(item('release-window')?.status).toBe('passed');
    expect(item('previous-version-tagged')?.evidence?.excerpt).toBe('v1.0.0');
    expect(preflight.summary).toContain('Tech Lead');
    expect(release.record.state.backup?.tables).toEqual(['public.api_keys', 'public.organizations']);
    expect(item('backup:artifact')?.summary).toMatch(/^not uploaded/);
    expect(item('maintenance-on')?.status).toBe('passed');
    expect(existsSync(join(repo.dir, 'maintenance.status'))).toBe(false);
    expect(logger.text()).not.toContain(API_KEY);
    expect(await opened.issueBody()).not.toContain(API_KEY);
  });

  it('task-server-runbook.md: preflight, backup and deploy of production', async () => {
    const variant = await runbookVariant('task-server.shipgate.yml', {
      appUrl: app.url,
      hostVars: ['API_HOST'],
      // No TLS certificate, and no HTTP-to-HTTPS redirect, in front of the demo app.
      skip: { production: ['tls-certificate', 'https-enforced'] },
    });
    expect(variant.replaced).toEqual(
      expect.arrayContaining(['unit-tests', 'pip-audit', 'migrate', 'migration-current']),
    );
    const opened = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      sha: await releaseCommit([]),
      configText: variant.text,
      env: environment({
        OPENAI_API_KEY: 'sk-openai-0123456789',
        JWT_SECRET: 'j'.repeat(40),
        BETTER_AUTH_SECRET: 'b'.repeat(40),
        CORS_ORIGINS: 'https://app.yourdomain.com',
        DB_POOL_SIZE: '20',
        LOG_LEVEL: 'WARNING',
        SENTRY_DSN: 'https://key@sentry.example.com/1',
      }),
    });
    // What the repository holds: the backend directory, its coverage report, the production env file.
    await mkdir(join(opened.ctx.workspace, 'backend'), { recursive: true });
    await writeFile(
      join(opened.ctx.workspace, 'backend/coverage.lcov'),
      'TN:\nSF:src/app.py\nLF:100\nLH:86\nend_of_record\n',
    );
    await writeFile(join(opened.ctx.workspace, '.env.production'), 'LOG_LEVEL=WARNING\n');

    await runThreePhases(opened);

    const { release } = opened;
    const item = (id: string) => release.record.state.items.find((entry) => entry.id === id);
    expect(item('database-connection')?.evidence?.excerpt).toMatch(/^\s*100$/m);
    expect(item('coverage')?.summary).toContain('86');
    expect(item('backup:test-restore')?.summary).toContain('tasks: 100 rows');
    expect(await pg.sql("SELECT count(*) FROM pg_database WHERE datname LIKE 'shipgate_verify_%'")).toBe('0');
  });
});
