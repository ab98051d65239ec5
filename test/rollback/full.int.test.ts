import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningDemoApp, startDemoApp } from '../../examples/demo-app/app.ts';
import { takeBackup } from '../../src/backup/index.ts';
import type { Config } from '../../src/config/schema.ts';
import { runCommand } from '../../src/engine/command.ts';
import { rollbackPhase } from '../../src/engine/phases/rollback.ts';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { openRelease } from '../../src/engine/release.ts';
import { prepareRollback } from '../../src/engine/rollback-plan.ts';
import { type PostgresServer, startPostgres } from '../harness/postgres.ts';
import { useSandbox } from '../harness/sandbox.ts';
import { deployAndSmoke, demoConfig, runContext, seedWorld, type World } from './release.ts';

/**
 * Scenario 10: the release ran a destructive migration; a `full` rollback takes a safety backup,
 * restores the pre-release backup into PostgreSQL and redeploys the previous version.
 */

const sandbox = useSandbox({ validate: false });
let pg: PostgresServer;
let world: World;
let app: RunningDemoApp;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});
beforeEach(async () => {
  world = await seedWorld(sandbox());
  app = await startDemoApp({ version: 'v1.1.0' });
  dir = await mkdtemp(join(tmpdir(), 'shipgate-rollback-'));
  await pg.sql('DROP DATABASE IF EXISTS shop');
  await pg.sql('CREATE DATABASE shop');
  await pg.sql(
    `CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
     CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, total numeric NOT NULL);
     INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 300) g;
     INSERT INTO orders SELECT g, 1 + g % 300, g * 1.5 FROM generate_series(1, 900) g;`,
    'shop',
  );
});
afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const fingerprint = () =>
  pg.sql(
    `SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT md5(string_agg(email, ',' ORDER BY id)) FROM customers)
        || ' ' || (SELECT count(*) FROM orders) || ' ' || (SELECT sum(total) FROM orders)`,
    'shop',
  );

function config(rollback: Record<string, unknown>): Config {
  return demoConfig(
    { production: app.url },
    {
      secrets: ['DATABASE_URL'],
      backup: { driver: 'pg_dump', directory: dir, verify: { tables: ['customers', 'orders'] } },
      rollback,
    },
  );
}

/** The release job: the backup phase's pre-release backup in the record, the migration, the deploy. */
async function releaseWithMigration(cfg: Config, env: Record<string, string>) {
  const job = runContext(sandbox(), world, { version: 'v1.2.0', env, secrets: ['DATABASE_URL'] });
  const release = await openRelease(job, cfg);
  const backup = await takeBackup(cfg.backup!, {
    clock: job.clock,
    logger: job.logger,
    env: job.env,
    cwd: dir,
    scrubber: job.scrubber,
    label: 'v1.2.0',
  });
  expect(backup.status, backup.summary).toBe('passed');
  await release.report((state) => ({ ...state, backup: backup.backup! }));
  // The release's migration destroys data.
  await pg.sql(
    `ALTER TABLE customers DROP COLUMN email; ALTER TABLE customers ADD COLUMN email text;
     DELETE FROM orders WHERE id > 100; CREATE TABLE audit_log (id serial PRIMARY KEY, note text);
     INSERT INTO audit_log (note) VALUES ('written by v1.2.0')`,
    'shop',
  );
  await deployAndSmoke(job, cfg, (v) => void app.deploy(v));
}

describe('full rollback with the database', () => {
  it('takes a safety backup, restores the pre-release backup, redeploys: every row is back', async () => {
    const before = await fingerprint();
    expect(before).toMatch(/^300 [0-9a-f]{32} 900 /);
    const env = { DATABASE_URL: pg.url('shop') };
    // The config's strategy is app; the dispatch asks for full.
    const cfg = config({});
    await releaseWithMigration(cfg, env);
    expect(await fingerprint()).not.toBe(before);

    const ctx = runContext(sandbox(), world, {
      actor: 'max',
      eventName: 'workflow_dispatch',
      env,
      secrets: ['DATABASE_URL'],
    });
    const { plan, release } = await prepareRollback(ctx, cfg, {
      trigger: 'manual',
      severity: 'P1',
      reason: 'the migration lost customer emails',
      strategy: 'full',
    });
    expect(plan.strategy).toBe('full');
    const result = await runPhase(rollbackPhase(plan, { saveState: () => undefined }), release);
    expect(result.outcome, result.summary).toBe('passed');

    expect(await fingerprint()).toBe(before);
    expect(app.version()).toBe('v1.1.0');
    const items = release.record.state.items;
    const order = ['rollback:safety-backup', 'rollback:restore-backup', 'rollback-app'];
    for (const id of order) expect(items.find((i) => i.id === id)?.status, id).toBe('passed');
    const finished = order.map((id) => items.find((i) => i.id === id)!.finishedAt!);
    expect([...finished].sort()).toEqual(finished);

    // The safety backup holds the database as the bad release left it (its audit_log too).
    const safety = String(items.find((i) => i.id === 'rollback:safety-backup')!.evidence!.file);
    expect(safety).toMatch(/backup-before-rollback-v1\.2\.0-\d{8}T\d{6}Z\.dump$/);
    expect(existsSync(safety)).toBe(true);
    await pg.sql('DROP DATABASE IF EXISTS scratch');
    await pg.sql('CREATE DATABASE scratch');
    const restored = await runCommand({
      run: [join(pg.bindir, 'pg_restore'), '--no-owner', '--dbname', pg.url('scratch'), safety],
    });
    expect(restored.exitCode, restored.output).toBe(0);
    expect(await pg.sql('SELECT note FROM audit_log', 'scratch')).toBe('written by v1.2.0');

    // The password is in nothing shipgate wrote to GitHub or the log.
    const tracking = await sandbox()
      .octokit('admin')
      .rest.issues.get({ owner: 'acme', repo: 'webshop', issue_number: release.record.state.ids.issue! });
    const incident = await sandbox().octokit('admin').rest.issues.get({
      owner: 'acme',
      repo: 'webshop',
      issue_number: release.record.state.rollback!.issue!,
    });
    for (const text of [tracking.data.body, incident.data.body, ctx.logger.text()])
      expect(text).not.toContain(pg.password);
  });

  it('with restore: migrations, runs the downgrade steps instead of restoring', async () => {
    const env = { DATABASE_URL: pg.url('shop') };
    const psql = join(pg.bindir, 'psql');
    const cfg = config({
      strategy: 'full',
      database: {
        restore: 'migrations',
        downgrade: [
          {
            id: 'downgrade-audit-log',
            name: 'alembic downgrade -1 (drops audit_log)',
            run: [
              psql,
              '-X',
              '-v',
              'ON_ERROR_STOP=1',
              '-d',
              '{secrets.DATABASE_URL}',
              '-c',
              'DROP TABLE audit_log',
            ],
          },
        ],
      },
    });
    await releaseWithMigration(cfg, env);
    const ctx = runContext(sandbox(), world, { actor: 'max', env, secrets: ['DATABASE_URL'] });
    const { plan, release } = await prepareRollback(ctx, cfg, {
      trigger: 'manual',
      severity: 'P1',
      reason: 'audit log breaks checkout',
    });
    const result = await runPhase(rollbackPhase(plan, { saveState: () => undefined }), release);
    expect(result.outcome, result.summary).toBe('passed');
    expect(await pg.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'audit_log'", 'shop')).toBe('0');
    const items = release.record.state.items;
    expect(items.find((i) => i.id === 'downgrade-audit-log')?.status).toBe('passed');
    expect(items.find((i) => i.id === 'rollback:restore-backup')).toBeUndefined();
    expect(items.find((i) => i.id === 'rollback:safety-backup')?.status).toBe('passed');
    expect(release.record.state.items.map((i) => JSON.stringify(i)).join('\n')).not.toContain(pg.password);
  });
});
