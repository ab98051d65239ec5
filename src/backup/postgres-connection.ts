/**
 * A PostgreSQL connection as the tools take it. The password never goes on a command line
 * (where `ps` shows it to every user of the machine): it travels in PGPASSWORD, and the URL
 * passed as `--dbname` has it removed. Connection URLs (`postgresql://user:pass@host:port/db?...`)
 * are taken apart; a key=value conninfo string is passed as it is.
 */
export interface PostgresConnection {
  /** For `--dbname`: the URL without its password, or the conninfo string as given. */
  dbname: string;
  /** For PGPASSWORD, when the URL carries one. */
  password?: string;
  /** The database name, when the URL names one. */
  database?: string;
  /** host:port/db for people, never with credentials. */
  display: string;
}

export function parseConnection(text: string): PostgresConnection {
  const trimmed = text.trim();
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) return { dbname: trimmed, display: 'the configured database' };
  const url = new URL(trimmed);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  const database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  return {
    dbname: url.toString(),
    ...(password === undefined ? {} : { password }),
    ...(database === undefined ? {} : { database }),
    display: `${url.host || 'local socket'}/${database ?? ''}`,
  };
}

/** The same server and credentials, another database (for a scratch database). */
export function withDatabase(text: string, database: string): string {
  const trimmed = text.trim();
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) return `${trimmed} dbname=${database}`;
  const url = new URL(trimmed);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Environment for a libpq tool: the password, and no prompt ever. */
export function connectionEnv(connection: PostgresConnection): Record<string, string> {
  return {
    ...(connection.password === undefined ? {} : { PGPASSWORD: connection.password }),
    PGCONNECT_TIMEOUT: '10',
  };
}
