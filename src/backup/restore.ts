import { stat } from 'node:fs/promises';
import { describeEnd, displayCommand, runCommand, succeeded } from '../engine/command.ts';
import { connectionEnv, parseConnection } from './postgres-connection.ts';
import { postgresBinary } from './postgres-tools.ts';
import type { BackupContext, BackupRecord, RestoreResult } from './record.ts';
import { sha256File } from './verify.ts';

/**
 * Restores a backup into the target database, for the `full` rollback strategy: the file's
 * SHA-256 must still match the record, then `pg_restore --clean --if-exists` replaces the objects
 * the archive holds, in one transaction, stopping at the first error (so a failed restore leaves
 * the database as it was). Objects the archive does not know (a table a migration added) are left
 * alone.
 */
export async function restore(
  backup: BackupRecord,
  target: { databaseUrl: string },
  ctx: BackupContext,
): Promise<RestoreResult> {
  const started = performance.now();
  ctx.scrubber.add(target.databaseUrl);
  const connection = parseConnection(target.databaseUrl);
  if (connection.password) ctx.scrubber.add(connection.password);
  const argv = [
    postgresBinary('pg_restore', ctx.env),
    '--clean',
    '--if-exists',
    '--no-owner',
    '--no-privileges',
    '--single-transaction',
    '--exit-on-error',
    '--no-password',
    '--dbname',
    connection.dbname,
    backup.file,
  ];
  const command = ctx.scrubber.scrub(displayCommand(argv));
  const fail = (summary: string, output = ''): RestoreResult => ({
    status: 'failed',
    summary: ctx.scrubber.scrub(summary),
    command,
    durationMs: Math.round(performance.now() - started),
    output,
  });

  if (!(await stat(backup.file).catch(() => undefined))) return fail(`backup file not found: ${backup.file}`);
  if (backup.format !== 'custom')
    return fail(`${backup.file} is not a pg_dump archive; restore it with ${backup.restoreCommand}`);
  const sha256 = await sha256File(backup.file);
  if (sha256 !== backup.sha256) {
    return fail(
      `backup file changed since it was taken (sha256 ${sha256.slice(0, 12)}…, recorded ${backup.sha256.slice(0, 12)}…); not restoring it`,
    );
  }
  ctx.logger.info(`restoring ${backup.file} into ${connection.display}`);
  const result = await runCommand(
    { run: argv, env: connectionEnv(connection), ...(ctx.signal ? { signal: ctx.signal } : {}) },
    { logger: ctx.logger, scrubber: ctx.scrubber, baseEnv: ctx.env },
  );
  if (!succeeded(result)) return fail(`pg_restore ${describeEnd(result)}`, result.output);
  return {
    status: 'passed',
    summary: ctx.scrubber.scrub(`restored ${backup.file} into ${connection.display}`),
    command,
    durationMs: Math.round(performance.now() - started),
    output: result.output,
  };
}
