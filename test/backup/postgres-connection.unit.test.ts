import { describe, expect, it } from 'vitest';
import { restoreCommand } from '../../src/backup/backup.ts';
import { connectionEnv, parseConnection, withDatabase } from '../../src/backup/postgres-connection.ts';
import { parseArchiveList, quoteQualified, tableMatches } from '../../src/backup/postgres-tools.ts';

describe('PostgreSQL connections', () => {
  it('takes the password out of a URL and into PGPASSWORD, decoded', () => {
    const connection = parseConnection(
      'postgresql://app:p%40ss%2Fw0rd@db.internal:6543/tasks?sslmode=require',
    );
    expect(connection).toEqual({
      dbname: 'postgresql://app@db.internal:6543/tasks?sslmode=require',
      password: 'p@ss/w0rd',
      database: 'tasks',
      display: 'db.internal:6543/tasks',
    });
    expect(connectionEnv(connection)).toEqual({ PGPASSWORD: 'p@ss/w0rd', PGCONNECT_TIMEOUT: '10' });
  });

  it('points a URL or a conninfo string at another database', () => {
    expect(withDatabase('postgres://u:pw@h/tasks?sslmode=require', 'shipgate_verify_1')).toBe(
      'postgres://u:pw@h/shipgate_verify_1?sslmode=require',
    );
    expect(withDatabase('host=h user=u dbname=tasks', 'scratch')).toBe(
      'host=h user=u dbname=tasks dbname=scratch',
    );
    expect(parseConnection('host=h dbname=tasks')).toEqual({
      dbname: 'host=h dbname=tasks',
      display: 'the configured database',
    });
  });
});

describe('pg_restore --list', () => {
  const list = `;
; Archive created at 2025-10-15 02:05:00 UTC
;     dbname: app
;
217; 1259 16390 TABLE public api_keys postgres
216; 1259 16385 TABLE public users postgres
218; 1259 16400 TABLE audit log_entries postgres
3350; 0 16390 TABLE DATA public api_keys postgres
3349; 0 16385 TABLE DATA public users postgres
3201; 2606 16389 CONSTRAINT public users users_pkey postgres
`;

  it('reads the tables and whether their rows are in the archive', () => {
    expect(parseArchiveList(list)).toEqual([
      { schema: 'public', name: 'api_keys', hasData: true },
      { schema: 'public', name: 'users', hasData: true },
      { schema: 'audit', name: 'log_entries', hasData: false },
    ]);
  });

  it('matches table names with or without a schema', () => {
    const users = { schema: 'public', name: 'users', hasData: true };
    expect(tableMatches('users', users)).toBe(true);
    expect(tableMatches('public.users', users)).toBe(true);
    expect(tableMatches('audit.users', users)).toBe(false);
    expect(quoteQualified('public.we"ird')).toBe('"public"."we""ird"');
  });

  it('writes a restore command a person can paste, naming the variable, not the URL', () => {
    expect(restoreCommand('/srv/backups/backup v1.dump', 'custom', 'DATABASE_URL')).toBe(
      `pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname "$DATABASE_URL" '/srv/backups/backup v1.dump'`,
    );
    expect(restoreCommand('/srv/b.tar', 'other', 'DATABASE_URL')).toMatch(/^# not a pg_dump archive/);
  });
});
