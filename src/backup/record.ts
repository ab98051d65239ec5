import type { Clock, Evidence } from '../checks/context.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { SecretScrubber } from '../secrets.ts';

export type BackupConfig = NonNullable<Config['backup']>;
export type BackupDriverName = BackupConfig['driver'];

/** What a backup and a restore need from the world, passed in (STYLE 4). */
export interface BackupContext {
  clock: Clock;
  logger: Logger;
  /** The environment (the database URL comes from the variable `databaseUrlEnv` names). */
  env: Readonly<Record<string, string | undefined>>;
  /** The configured backup directory is relative to this. */
  cwd: string;
  scrubber: SecretScrubber;
  signal?: AbortSignal;
  /** Goes into the file name, e.g. the version about to be released. */
  label?: string;
}

/** A backup as the release record keeps it: where it is, what it is, and how to restore it. */
export interface BackupRecord {
  driver: BackupDriverName;
  /** Absolute path of the backup file. */
  file: string;
  sizeBytes: number;
  sha256: string;
  /** ISO time the backup finished, from the injected clock. */
  createdAt: string;
  /** `custom`: a pg_dump custom-format archive (pg_restore reads it); `other`: anything else. */
  format: 'custom' | 'other';
  /** Tables the archive holds, schema-qualified (custom format only). */
  tables: string[];
  /** The variable holding the database URL, so the restore command can name it without its value. */
  databaseUrlEnv: string;
  /** The exact command a person runs to restore it. */
  restoreCommand: string;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface VerificationStep {
  name: 'size' | 'checksum' | 'archive' | 'tables' | 'test-restore';
  status: StepStatus;
  detail: string;
}

export interface BackupResult {
  status: 'passed' | 'failed';
  /** One line, scrubbed. */
  summary: string;
  /** Present whenever a file was written, also when its verification failed. */
  backup?: BackupRecord;
  verification: VerificationStep[];
  durationMs: number;
  evidence: Evidence;
}

export interface RestoreResult {
  status: 'passed' | 'failed';
  summary: string;
  /** The command that ran, without credentials. */
  command: string;
  durationMs: number;
  /** The tail of pg_restore's output, scrubbed. */
  output: string;
}
