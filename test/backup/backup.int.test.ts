import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { takeBackup } from '../../src/backup/backup.ts';
import type { BackupConfig, BackupContext } from '../../src/backup/record.ts';
import { restore } from '../../src/backup/restore.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { FixedClock } from '../harness/check-context.ts';
import { type PostgresServer, startPostgres } from '../harness/postgres.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';

const exec = promisify(execFile);

let pg: PostgresServer;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-backup-'));
  await pg.sql('DROP DATABASE IF EXISTS app');
  await pg.sql('CREATE DATABASE app');
  await pg.sql(
    `CREATE TABLE organizations (id int PRIMARY KEY, name text NOT NULL);
     CREATE TABLE users (id int PRIMARY KEY, org int REFERENCES organizations, email text NOT NULL);
     CREATE TABLE api_keys (id int PRIMARY KEY, user_id int REFERENCES users, key text NOT NULL);
     INSERT INTO organizations SELECT g, 'org ' || g FROM generate_series(1, 5) g;
     INSERT INTO users SELECT g, 1 + g % 5, 'user' || g || '@example.com' FROM generate_series(1, 500) g;
     INSERT INTO api_keys SELECT g, g, md5(g::text) FROM generate_series(1, 20) g;`,
    'app',
  );
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
});

/** The backup section as the config loader produces it. */
function backupConfig(backup: Record<string, unknown>): BackupConfig {
  const config = ConfigSchema.parse({
    version: 1,
    release: { name: 'app' },
    environments: { production: {} },
    deploy: { steps: [{ id: 'deploy', run: 'true' }] },
    backup: { directory: dir, ...backup },
  });
  return config.backup!;
}

function context(env: Record<string, string | undefined> = {}): BackupContext & { logger: RecordingLogger } {
  const fullEnv = { PATH: process.env.PATH, DATABASE_URL: pg.url('app'), ...env };
  return {
    clock: new FixedClock('2025-10-15T02:05:00Z'),
    logger: new RecordingLogger(),
    env: fullEnv,
    cwd: dir,
    scrubber: SecretScrubber.fromEnv(['DATABASE_URL'], fullEnv),
    label: 'v1.4.0',
  };
}

const fingerprint = () =>
  pg.sql(
    `SELECT (SELECT count(*) FROM users) || ' ' || (SELECT md5(string_agg(email, ',' ORDER BY id)) FROM users)
        || ' ' || (SELECT count(*) FROM api_keys) || ' ' || (SELECT count(*) FROM organizations)`,
    'app',
  );
const scratchDatabases = () =>
  pg.sql("SELECT count(*) FROM pg_database WHERE datname LIKE 'shipgate_verify_%'");

describe('pg_dump backup against a real PostgreSQL', () => {
  it('backs up, verifies with a test restore, and brings every row back after a destructive migration', async () => {
    const before = await fingerprint();
    expect(before).toMatch(/^500 [0-9a-f]{32} 20 5$/);
    const ctx = context();
    const result = await takeBackup(
      backupConfig({
        driver: 'pg_dump',
        verify: { minSize: '1KB', tables: ['users', 'public.api_keys'], testRestore: true },
      }),
      ctx,
    );
    expect(result.status, result.summary).toBe('passed');
    const backup = result.backup!;
    expect(backup.file).toBe(join(dir, 'backup-v1.4.0-20251015T020500Z.dump'));
    expect(backup.format).toBe('custom');
    expect(backup.tables).toEqual(
      expect.arrayContaining(['public.users', 'public.api_keys', 'public.organizations']),
    );
    expect(backup.sha256).toBe(
      createHash('sha256')
        .update(await readFile(backup.file))
        .digest('hex'),
    );
    expect(await readFile(`${backup.file}.sha256`, 'utf8')).toBe(
      `${backup.sha256}  backup-v1.4.0-20251015T020500Z.dump\n`,
    );
    expect(backup.restoreCommand).toBe(
      `pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname "$DATABASE_URL" ${backup.file}`,
    );
    expect(result.verification.map((s) => `${s.name} ${s.status}`)).toEqual([
      'size passed',
      'checksum passed',
      'archive passed',
      'tables passed',
      'test-restore passed',
    ]);
    expect(result.verification[4]!.detail).toBe(
      'restored into a scratch database (users: 500 rows, public.api_keys: 20 rows)',
    );
    expect(await scratchDatabases()).toBe('0');

    // The release's "migration" destroys data.
    await pg.sql(
      `DROP TABLE api_keys; ALTER TABLE users DROP COLUMN email; DELETE FROM users WHERE id > 10;
       CREATE TABLE audit_log (id serial PRIMARY KEY, note text)`,
      'app',
    );
    expect(await pg.sql('SELECT count(*) FROM users', 'app')).toBe('10');

    const restored = await restore(backup, { databaseUrl: pg.url('app') }, ctx);
    expect(restored.status, `${restored.summary}\n${restored.output}`).toBe('passed');
    expect(await fingerprint()).toBe(before);
    expect(restored.summary).toBe(`restored ${backup.file} into 127.0.0.1:${pg.port}/app`);

    // The recorded command works as written, for the person doing it by hand.
    await pg.sql('DELETE FROM api_keys; DELETE FROM users WHERE id > 1', 'app');
    await exec('bash', ['-c', backup.restoreCommand], {
      env: { PATH: `${pg.bindir}:${process.env.PATH}`, DATABASE_URL: pg.url('app') },
    });
    expect(await fingerprint()).toBe(before);

    // The password is in nothing we produced.
    const everything = [JSON.stringify(result), JSON.stringify(restored), ctx.logger.text()].join('\n');
    expect(everything).not.toContain(pg.password);
  });

  it('dumps only the configured tables, and fails verification when an expected one is not there', async () => {
    const result = await takeBackup(
      backupConfig({ driver: 'pg_dump', tables: ['users'], verify: { tables: ['users', 'api_keys'] } }),
      context(),
    );
    expect(result.status).toBe('failed');
    expect(result.backup!.tables).toEqual(['public.users']);
    expect(result.summary).toBe('backup failed verification: tables: missing tables: api_keys');
  });

  it('fails when pg_dump cannot connect or the URL is not set, without leaking the password', async () => {
    const ctx = context({ DATABASE_URL: pg.url('no_such_db') });
    const result = await takeBackup(backupConfig({ driver: 'pg_dump' }), ctx);
    expect(result.status).toBe('failed');
    expect(result.summary).toMatch(
      /^backup failed: pg_dump exited with 1: .*database "no_such_db" does not exist/,
    );
    expect(JSON.stringify(result) + ctx.logger.text()).not.toContain(pg.password);
    expect(await readdir(dir)).toEqual([]);

    const unset = await takeBackup(
      backupConfig({ driver: 'pg_dump', databaseUrlEnv: 'PRIMARY_DB_URL' }),
      context(),
    );
    expect(unset.summary).toBe(
      'backup failed: PRIMARY_DB_URL is not set (the pg_dump driver reads the database URL from it)',
    );
  });
});

describe('command backup driver', () => {
  it('runs the configured command with SHIPGATE_BACKUP_FILE and verifies what it wrote', async () => {
    const result = await takeBackup(
      backupConfig({
        driver: 'command',
        run: `${join(pg.bindir, 'pg_dump')} -Fc -f "$SHIPGATE_BACKUP_FILE" "$DATABASE_URL"`,
        verify: { tables: ['organizations'], testRestore: true },
      }),
      context(),
    );
    expect(result.status, result.summary).toBe('passed');
    expect(result.backup!.file).toBe(join(dir, 'backup-v1.4.0-20251015T020500Z.backup'));
    expect(result.backup!.format).toBe('custom');
    expect(result.verification.at(-1)!.detail).toBe(
      'restored into a scratch database (organizations: 5 rows)',
    );
  });

  it('fails a corrupt or too-small dump', async () => {
    const result = await takeBackup(
      backupConfig({
        driver: 'command',
        run: 'head -c 300 /dev/urandom > "$SHIPGATE_BACKUP_FILE"',
        verify: { minSize: '1KB', tables: ['users'], testRestore: true },
      }),
      context(),
    );
    expect(result.status).toBe('failed');
    expect(result.verification.map((s) => `${s.name} ${s.status}`)).toEqual([
      'size failed',
      'checksum passed',
      'archive failed',
      'test-restore failed',
    ]);
    expect(result.summary).toMatch(
      /^backup failed verification: size: 300 B, less than the minimum 1000 B; archive: not a pg_dump/,
    );

    const fake = await takeBackup(
      backupConfig({
        driver: 'command',
        run: 'printf "PGDMP-not-really" > "$SHIPGATE_BACKUP_FILE"',
        verify: { tables: ['users'] },
      }),
      context(),
    );
    expect(fake.status).toBe('failed');
    expect(fake.verification.find((s) => s.name === 'archive')!.detail).toMatch(
      /^pg_restore --list exited with 1: /,
    );
  });

  it('drops the scratch database also when the test restore fails', async () => {
    // A real dump, cut short: its table of contents still lists, its data no longer restores.
    const good = join(dir, 'good.dump');
    await exec(join(pg.bindir, 'pg_dump'), ['-Fc', '-Z0', '-f', good, '-d', pg.url('app')]);
    const size = (await readFile(good)).length;
    const result = await takeBackup(
      backupConfig({
        driver: 'command',
        run: ['sh', '-c', `head -c ${size - 4000} "${good}" > "$SHIPGATE_BACKUP_FILE"`],
        verify: { testRestore: true },
      }),
      context(),
    );
    expect(result.verification.find((s) => s.name === 'archive')!.status).toBe('passed');
    const testRestore = result.verification.find((s) => s.name === 'test-restore')!;
    expect(testRestore.status).toBe('failed');
    expect(testRestore.detail).toMatch(/^restore into a scratch database failed: exited with 1/);
    expect(result.status).toBe('failed');
    expect(await scratchDatabases()).toBe('0');
  });

  it('fails when the command fails, and when it writes nothing', async () => {
    const failing = await takeBackup(
      backupConfig({ driver: 'command', run: 'echo "disk full" >&2; exit 3' }),
      context(),
    );
    expect(failing.summary).toBe('backup failed: command exited with 3: disk full');
    const nothing = await takeBackup(backupConfig({ driver: 'command', run: 'true' }), context());
    expect(nothing.summary).toMatch(/^backup failed: nothing was written to /);
    await writeFile(join(dir, 'not-a-dir'), '');
    const blocked = await takeBackup(
      backupConfig({ driver: 'command', run: 'true', directory: join(dir, 'not-a-dir', 'x') }),
      context(),
    );
    expect(blocked.summary).toBe(
      `cannot create the backup directory ${join(dir, 'not-a-dir', 'x')}: ENOTDIR`,
    );
  });
});

describe('restore', () => {
  it('refuses a backup file that changed since it was taken', async () => {
    const ctx = context();
    const result = await takeBackup(backupConfig({ driver: 'pg_dump' }), ctx);
    expect(result.status, result.summary).toBe('passed');
    await appendFile(result.backup!.file, 'tampered');
    const restored = await restore(result.backup!, { databaseUrl: pg.url('app') }, ctx);
    expect(restored.status).toBe('failed');
    expect(restored.summary).toMatch(/^backup file changed since it was taken/);
    expect(restored.command).not.toContain(pg.password);
    expect(existsSync(result.backup!.file)).toBe(true);
  });
});
