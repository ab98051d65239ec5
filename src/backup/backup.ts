import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { formatBytes } from '../checks/disk-free.ts';
import { describeEnd, displayCommand, succeeded } from '../engine/command.ts';
import { backupDriver } from './drivers.ts';
import { tableMatches } from './postgres-tools.ts';
import type { BackupConfig, BackupContext, BackupRecord, BackupResult, VerificationStep } from './record.ts';
import { isCustomArchive, listArchive, sha256File, step, testRestore } from './verify.ts';

/**
 * Takes the configured backup and verifies it: a timestamped file in `directory`, its size and
 * SHA-256 recorded (and written beside it as `<file>.sha256` when `verify.checksum`), then, as
 * configured: at least `minSize`; a readable pg_dump archive listing the expected `tables`; and a
 * test restore into a scratch database that is dropped afterwards. A backup that fails any
 * verification is a failed result, with the file kept for inspection. The record says where the
 * backup is and the exact command that restores it.
 */
export async function takeBackup(config: BackupConfig, ctx: BackupContext): Promise<BackupResult> {
  const started = performance.now();
  const done = (
    result: Omit<BackupResult, 'durationMs' | 'summary' | 'evidence'> & { summary: string },
  ): BackupResult => ({
    ...result,
    summary: ctx.scrubber.scrub(result.summary),
    durationMs: Math.round(performance.now() - started),
    evidence: ctx.scrubber.scrubValue(evidenceOf(result.backup, result.verification)),
  });

  const driver = backupDriver(config.driver);
  const directory = resolve(ctx.cwd, config.directory);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return done({
      status: 'failed',
      summary: `cannot create the backup directory ${directory}: ${code}`,
      verification: [],
    });
  }
  const file = await freshFileName(directory, ctx, driver.extension);

  const written = await driver.write(config, file, ctx);
  if (typeof written === 'string' || !succeeded(written)) {
    await rm(file, { force: true });
    const why =
      typeof written === 'string'
        ? written
        : `${config.driver} ${describeEnd(written)}: ${lastLine(written.output)}`;
    return done({ status: 'failed', summary: `backup failed: ${why}`, verification: [] });
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    return done({
      status: 'failed',
      summary: `backup failed: nothing was written to ${file}`,
      verification: [],
    });
  }

  const sha256 = await sha256File(file);
  const format = (await isCustomArchive(file)) ? 'custom' : 'other';
  const verification: VerificationStep[] = [];
  const minSize = config.verify.minSize ?? 1;
  verification.push(
    info.size >= minSize
      ? step('passed', `${formatBytes(info.size)}`, 'size')
      : step('failed', `${formatBytes(info.size)}, less than the minimum ${formatBytes(minSize)}`, 'size'),
  );
  if (config.verify.checksum) {
    await writeFile(`${file}.sha256`, `${sha256}  ${basename(file)}\n`);
    verification.push(step('passed', `sha256 ${sha256}`, 'checksum'));
  }

  let tables: string[] = [];
  const wantsArchive = format === 'custom' || config.driver === 'pg_dump' || config.verify.tables.length > 0;
  if (wantsArchive) {
    const listed = format === 'custom' ? await listArchive(file, ctx) : 'not a pg_dump custom-format archive';
    if (typeof listed === 'string') {
      verification.push(step('failed', listed, 'archive'));
    } else {
      tables = listed.map((table) => `${table.schema}.${table.name}`);
      verification.push(step('passed', `pg_dump archive with ${listed.length} tables`, 'archive'));
      if (config.verify.tables.length > 0) {
        const missing = config.verify.tables.filter(
          (wanted) => !listed.some((table) => table.hasData && tableMatches(wanted, table)),
        );
        verification.push(
          missing.length === 0
            ? step('passed', `holds ${config.verify.tables.join(', ')}`, 'tables')
            : step('failed', `missing tables: ${missing.join(', ')}`, 'tables'),
        );
      }
    }
  }

  if (config.verify.testRestore) {
    const url = ctx.env[config.databaseUrlEnv];
    if (format !== 'custom')
      verification.push(step('failed', 'only a pg_dump custom-format archive can be test-restored'));
    else if (!url)
      verification.push(
        step('failed', `${config.databaseUrlEnv} is not set; a test restore needs the server`),
      );
    else if (verification.some((s) => s.status === 'failed'))
      verification.push(step('skipped', 'the backup already failed verification'));
    else verification.push(await testRestore(file, url, config.verify.tables, ctx));
  }

  const backup: BackupRecord = {
    driver: config.driver,
    file,
    sizeBytes: info.size,
    sha256,
    createdAt: ctx.clock.now().toISOString(),
    format,
    tables,
    databaseUrlEnv: config.databaseUrlEnv,
    restoreCommand: restoreCommand(file, format, config.databaseUrlEnv),
  };
  const failed = verification.filter((s) => s.status === 'failed');
  const summary =
    failed.length > 0
      ? `backup failed verification: ${failed.map((s) => `${s.name}: ${s.detail}`).join('; ')}`
      : `${formatBytes(info.size)} at ${file} (verified: ${verification
          .filter((s) => s.status === 'passed')
          .map((s) => s.name)
          .join(', ')})`;
  return done({ status: failed.length > 0 ? 'failed' : 'passed', summary, backup, verification });
}

/** The exact command that restores a backup, naming the URL's variable rather than its value. */
export function restoreCommand(file: string, format: BackupRecord['format'], databaseUrlEnv: string): string {
  if (format !== 'custom')
    return `# not a pg_dump archive: restore ${displayCommand([file])} with the procedure that wrote it`;
  return `pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname "$${databaseUrlEnv}" ${displayCommand([file])}`;
}

async function freshFileName(directory: string, ctx: BackupContext, extension: string): Promise<string> {
  const stamp = ctx.clock
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const label = ctx.label ? `-${ctx.label.replace(/[^A-Za-z0-9._-]/g, '_')}` : '';
  for (let n = 1; ; n++) {
    const file = join(directory, `backup${label}-${stamp}${n > 1 ? `-${n}` : ''}.${extension}`);
    if (!(await stat(file).catch(() => undefined))) return file;
  }
}

function evidenceOf(backup: BackupRecord | undefined, verification: VerificationStep[]) {
  return {
    ...(backup
      ? {
          file: backup.file,
          sizeBytes: backup.sizeBytes,
          sha256: backup.sha256,
          restoreCommand: backup.restoreCommand,
        }
      : {}),
    ...Object.fromEntries(verification.map((s) => [s.name, `${s.status}: ${s.detail}`])),
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || '(no output)';
}
