export { restoreCommand, takeBackup } from './backup.ts';
export { BACKUP_DRIVERS, type BackupDriver, backupDriver } from './drivers.ts';
export type {
  BackupConfig,
  BackupContext,
  BackupRecord,
  BackupResult,
  RestoreResult,
  VerificationStep,
} from './record.ts';
export { restore } from './restore.ts';
