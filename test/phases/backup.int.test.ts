import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPhase } from '../../src/engine/phase-runner.ts';
import { backupPhase } from '../../src/engine/phases/backup.ts';
import { type PostgresServer, startPostgres } from '../harness/postgres.ts';
import { itemOf, openTestRelease } from '../harness/release.ts';
import { useSandbox } from '../harness/sandbox.ts';

const sandbox = useSandbox();
let pg: PostgresServer;

beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql('CREATE DATABASE shop');
  await pg.sql(
    `CREATE TABLE organizations (id int PRIMARY KEY, name text NOT NULL);
     CREATE TABLE api_keys (id int PRIMARY KEY, org int REFERENCES organizations, key text NOT NULL);
     INSERT INTO organizations SELECT g, 'org ' || g FROM generate_series(1, 50) g;
     INSERT INTO api_keys SELECT g, 1 + g % 50, md5(g::text) FROM generate_series(1, 200) g;`,
    'shop',
  );
});
afterAll(async () => {
  await pg?.stop();
});

function config(backup: string) {
  return `version: 1
release: { name: shop }
environments: { production: { production: true } }
secrets: [DATABASE_URL]
deploy:
  steps: [{ id: deploy-app, run: 'true' }]
backup:
${backup}`;
}

describe('backup phase', () => {
  it('takes a verified pg_dump, records where it is and how to restore it, and says the artifact was not uploaded', async () => {
    const { release, logger, issueBody } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      env: { DATABASE_URL: pg.url('shop') },
      configText: config(`  driver: pg_dump
  tables: [api_keys, organizations]
  verify: { minSize: 1KB, tables: [api_keys, organizations], testRestore: true }
  artifact: true`),
    });

    const result = await runPhase(backupPhase, release);

    expect(result.outcome).toBe('passed');
    const backup = release.record.state.backup;
    expect(backup).toMatchObject({ driver: 'pg_dump', format: 'custom', databaseUrlEnv: 'DATABASE_URL' });
    expect(backup!.file).toMatch(/\.shipgate\/backups\/backup-production-9\.[\d.]+-\d{8}T\d{6}Z\.dump$/);
    const bytes = await readFile(backup!.file);
    expect(backup!.sizeBytes).toBe(bytes.length);
    expect(backup!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(backup!.tables).toEqual(expect.arrayContaining(['public.api_keys', 'public.organizations']));
    expect(backup!.restoreCommand).toContain('pg_restore');
    expect(backup!.restoreCommand).toContain('"$DATABASE_URL"');
    expect(itemOf(release, 'backup:dump')).toMatchObject({ status: 'passed' });
    expect(itemOf(release, 'backup:dump').evidence).toMatchObject({
      sha256: backup!.sha256,
      file: backup!.file,
    });
    expect(itemOf(release, 'backup:verify').summary).toContain('holds api_keys, organizations');
    expect(itemOf(release, 'backup:test-restore')).toMatchObject({ status: 'passed' });
    expect(itemOf(release, 'backup:test-restore').summary).toContain('api_keys: 200 rows');
    expect(itemOf(release, 'backup:artifact')).toMatchObject({ status: 'skipped' });
    expect(itemOf(release, 'backup:artifact').summary).toMatch(/^not uploaded/);
    // The scratch database of the test restore is gone.
    expect(await pg.sql("SELECT count(*) FROM pg_database WHERE datname LIKE 'shipgate_verify_%'")).toBe('0');
    // The database URL (with its password) is a secret: nowhere in the log or the issue.
    const body = await issueBody();
    expect(body).toContain(backup!.sha256.slice(0, 12));
    for (const text of [logger.text(), body, JSON.stringify(release.record.state)]) {
      expect(text).not.toContain(pg.password);
    }
  });

  it('fails before anything is deployed when the backup does not hold an expected table, and records no backup', async () => {
    const { release } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      env: { DATABASE_URL: pg.url('shop') },
      configText: config(`  driver: pg_dump
  tables: [organizations]
  verify: { tables: [organizations, api_keys], testRestore: true }`),
    });

    const result = await runPhase(backupPhase, release);

    expect(result.outcome).toBe('failed');
    expect(result.summary).toContain('missing tables: api_keys');
    expect(result.summary).toContain('nothing was deployed');
    expect(release.record.state.backup).toBeUndefined();
    expect(itemOf(release, 'backup:verify')).toMatchObject({ status: 'failed' });
    expect(itemOf(release, 'backup:test-restore')).toMatchObject({ status: 'skipped' });
    expect(release.record.state.outcome).toBe('failure');
  });

  it('fails with the reason when the database does not answer', async () => {
    const { release } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      env: { DATABASE_URL: pg.url('no_such_database') },
      configText: config(`  driver: pg_dump`),
    });
    const result = await runPhase(backupPhase, release);
    expect(result.outcome).toBe('failed');
    expect(itemOf(release, 'backup:dump')).toMatchObject({ status: 'failed' });
    expect(itemOf(release, 'backup:dump').summary).toMatch(/no_such_database/);
    expect(release.record.state.backup).toBeUndefined();
  });

  it('takes a command backup written to $SHIPGATE_BACKUP_FILE', async () => {
    const { release } = await openTestRelease({
      sandbox: sandbox(),
      environment: 'production',
      configText: config(`  driver: command
  run: 'printf "rows for %s\\n" "$SHIPGATE_VERSION" > "$SHIPGATE_BACKUP_FILE"'
  verify: { minSize: 10B }`),
    });

    const result = await runPhase(backupPhase, release);

    expect(result.outcome).toBe('passed');
    const backup = release.record.state.backup!;
    expect(backup.format).toBe('other');
    expect(await readFile(backup.file, 'utf8')).toBe(`rows for ${release.record.state.release.version}\n`);
  });
});
