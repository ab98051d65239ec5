import { EVENT_ENV } from '../engine/event-env.ts';
import type { CommandResult } from '../engine/command.ts';
import { runCommand } from '../engine/command.ts';
import { ConfigurationError } from '../errors.ts';
import { connectionEnv, parseConnection } from './postgres-connection.ts';
import { postgresBinary } from './postgres-tools.ts';
import type { BackupConfig, BackupContext, BackupDriverName } from './record.ts';

/** Writes a backup to `file`. The result is a finished command (or why it could not start). */
export interface BackupDriver {
  /** The file extension of what it writes. */
  extension: string;
  write(config: BackupConfig, file: string, ctx: BackupContext): Promise<CommandResult | string>;
}

/**
 * `pg_dump`: a custom-format (`-Fc`) dump of the database whose URL is in `databaseUrlEnv`,
 * optionally only the listed tables (`-t`). The password goes in PGPASSWORD, not on the command line.
 */
const pgDump: BackupDriver = {
  extension: 'dump',
  async write(config, file, ctx) {
    const url = ctx.env[config.databaseUrlEnv];
    if (!url)
      return `${config.databaseUrlEnv} is not set (the pg_dump driver reads the database URL from it)`;
    ctx.scrubber.add(url);
    const connection = parseConnection(url);
    if (connection.password) ctx.scrubber.add(connection.password);
    return runCommand(
      {
        run: [
          postgresBinary('pg_dump', ctx.env),
          '--format=custom',
          '--no-password',
          `--file=${file}`,
          ...(config.tables ?? []).flatMap((table) => ['--table', table]),
          '--dbname',
          connection.dbname,
        ],
        env: connectionEnv(connection),
        timeoutMs: config.timeout,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      { logger: ctx.logger, scrubber: ctx.scrubber, baseEnv: ctx.env },
    );
  },
};

/** `command`: the configured `run` writes the backup to `$SHIPGATE_BACKUP_FILE`. */
const command: BackupDriver = {
  extension: 'backup',
  async write(config, file, ctx) {
    if (!config.run) throw new ConfigurationError("backup: the command driver needs 'run'");
    return runCommand(
      {
        run: config.run,
        env: { [EVENT_ENV.backupFile]: file },
        cwd: ctx.cwd,
        timeoutMs: config.timeout,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      { logger: ctx.logger, scrubber: ctx.scrubber, baseEnv: ctx.env },
    );
  },
};

/** Backup drivers by the config's `driver` name (STYLE 12). */
export const BACKUP_DRIVERS: Readonly<Record<BackupDriverName, BackupDriver>> = { pg_dump: pgDump, command };

export function backupDriver(name: string): BackupDriver {
  if (!Object.hasOwn(BACKUP_DRIVERS, name)) {
    throw new ConfigurationError(
      `unknown backup driver '${name}'; known drivers: ${Object.keys(BACKUP_DRIVERS).join(', ')}`,
    );
  }
  return BACKUP_DRIVERS[name as BackupDriverName];
}
