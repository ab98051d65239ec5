import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandOptions, type CommandResult, runCommand } from '../engine/command.ts';
import { connectionEnv, type PostgresConnection } from './postgres-connection.ts';

/**
 * Where the PostgreSQL client tools are: `SHIPGATE_PG_BINDIR` when set; else Debian's newest
 * `/usr/lib/postgresql/<version>/bin` (pg_dump must be at least as new as the server); else the
 * bare names, found on PATH.
 */
export function postgresBinary(
  name: 'pg_dump' | 'pg_restore' | 'psql',
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const configured = env.SHIPGATE_PG_BINDIR;
  if (configured) return join(configured, name);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((entry) => /^\d+(\.\d+)?$/.test(entry) && existsSync(join(root, entry, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin', name);
  }
  return name;
}

/** What to tell a person when a tool is missing. */
export function missingToolAdvice(result: CommandResult): string | undefined {
  if (!result.error?.startsWith('command not found')) return undefined;
  return `${result.error} (install the PostgreSQL client tools, Debian package postgresql-client, or set SHIPGATE_PG_BINDIR)`;
}

/** Runs one SQL statement with psql and returns its unaligned, tuples-only output. */
export async function psql(
  connection: PostgresConnection,
  sql: string,
  env: Readonly<Record<string, string | undefined>>,
  options: CommandOptions & { signal?: AbortSignal } = {},
): Promise<CommandResult> {
  return runCommand(
    {
      run: [
        postgresBinary('psql', env),
        '-X',
        '--no-password',
        '-v',
        'ON_ERROR_STOP=1',
        '-At',
        '-d',
        connection.dbname,
        '-c',
        sql,
      ],
      env: connectionEnv(connection),
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: 60_000,
    },
    { ...options, baseEnv: env, stream: false },
  );
}

/** A table named in a pg_dump archive's table of contents. */
export interface ArchiveTable {
  schema: string;
  name: string;
  /** The archive holds the table's rows (a TABLE DATA entry), not only its definition. */
  hasData: boolean;
}

/**
 * Reads `pg_restore --list` output: lines such as
 * `215; 1259 16386 TABLE public users postgres` and `3345; 0 16386 TABLE DATA public users postgres`.
 */
export function parseArchiveList(list: string): ArchiveTable[] {
  const tables = new Map<string, ArchiveTable>();
  for (const line of list.split('\n')) {
    const match = /^\d+;\s+\d+\s+\d+\s+TABLE( DATA)?\s+(\S+)\s+(\S+)\s/.exec(line);
    if (!match) continue;
    const [, data, schema, name] = match;
    const key = `${schema}.${name}`;
    const entry = tables.get(key) ?? { schema: schema!, name: name!, hasData: false };
    if (data) entry.hasData = true;
    tables.set(key, entry);
  }
  return [...tables.values()];
}

/** `users` or `public.users` against an archive table. */
export function tableMatches(wanted: string, table: ArchiveTable): boolean {
  const [schema, name] = wanted.includes('.') ? wanted.split('.', 2) : [undefined, wanted];
  return table.name === name && (schema === undefined || table.schema === schema);
}

/** Quotes an identifier for SQL (`public.users` → `"public"."users"`). */
export function quoteQualified(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}
