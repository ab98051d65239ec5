import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A real PostgreSQL server for a test file: initdb into a temp dir, listening on 127.0.0.1 at a
 * free port (its unix socket in the temp dir), password authentication (scram-sha-256), fsync
 * off. Tests run as root and initdb refuses root, so the server runs as the `postgres` system
 * user (or `nobody`) through runuser. A missing installation is an error that says what to
 * install, never a skipped test.
 */
export interface PostgresServer {
  port: number;
  password: string;
  bindir: string;
  /** postgresql://postgres:PASSWORD@127.0.0.1:PORT/DATABASE */
  url(database?: string): string;
  /** Runs SQL as the superuser and returns psql's unaligned, tuples-only output. */
  sql(statement: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

export function postgresBindir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(
      'PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb. Install the Debian package postgresql (scripts/prereqs.sh does).',
    );
  }
  return join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function serverUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number((await exec('id', ['-u', name])).stdout.trim());
      const gid = Number((await exec('id', ['-g', name])).stdout.trim());
      return { name, uid, gid };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root, but there is no postgres or nobody user to run PostgreSQL as');
}

export async function startPostgres(): Promise<PostgresServer> {
  const bindir = postgresBindir();
  const user = await serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-pg-'));
  const asUser = (args: string[]) =>
    (user ? ['runuser', ['-u', user.name, '--', ...args]] : [args[0]!, args.slice(1)]) as [string, string[]];
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`);
  if (user) {
    await chown(dir, user.uid, user.gid);
    await chown(pwfile, user.uid, user.gid);
  }
  await chmod(pwfile, 0o600);
  try {
    await exec(
      ...asUser([
        join(bindir, 'initdb'),
        '-D',
        data,
        '-U',
        'postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ]),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, {
      cause: error,
    });
  }

  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 1; attempt <= 3 && !child; attempt++) {
    port = await freePort();
    const [command, args] = asUser([
      join(bindir, 'postgres'),
      '-D',
      data,
      '-k',
      dir,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=30',
      '-c',
      'shared_buffers=16MB',
    ]);
    const started = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = await new Promise<boolean>((resolve) => {
      let log = '';
      const timer = setTimeout(() => resolve(false), 30_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      started.stdout.on('data', onData);
      started.stderr.on('data', onData);
      started.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ready) child = started;
    else started.kill('SIGKILL');
  }
  if (!child) {
    await rm(dir, { recursive: true, force: true });
    throw new Error('PostgreSQL did not start (3 attempts)');
  }
  const running = child;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));

  const url = (database = 'postgres') =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    password,
    bindir,
    url,
    async sql(statement, database = 'postgres') {
      const { stdout } = await exec(
        join(bindir, 'psql'),
        [
          '-X',
          '-v',
          'ON_ERROR_STOP=1',
          '-At',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          database,
          '-c',
          statement,
        ],
        { env: { ...process.env, PGPASSWORD: password } },
      );
      return stdout.trim();
    },
    async stop() {
      try {
        await exec(...asUser([join(bindir, 'pg_ctl'), 'stop', '-D', data, '-m', 'immediate', '-w']));
      } catch {
        running.kill('SIGKILL');
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
