import { takeBackup } from '../../backup/backup.ts';
import type { BackupResult, VerificationStep } from '../../backup/record.ts';
import type { Phase, PhaseResult } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import { type Mutation, recordBackup } from '../release-state.ts';
import { flattenEvidence, markRunning, result } from './items.ts';
import { logEventText, runEnvironment } from './run-environment.ts';

/**
 * Backup: takes the configured backup (`pg_dump` or a `command`), verifies it as configured
 * (size, checksum, the expected tables in the archive, a test restore into a scratch database
 * that is dropped afterwards) and writes where it is and how to restore it into the record
 * (`state.backup`), where the full rollback finds it. A backup that fails verification fails the
 * phase before anything is deployed; its file is kept for inspection but never recorded as the
 * release's backup.
 *
 * Items: `backup:dump` (the file was written), `backup:verify` (size, checksum, tables),
 * `backup:test-restore`, and `backup:artifact`. Uploading a workflow artifact needs the Actions
 * artifact service, which this engine does not reach: the item says so plainly instead of
 * pretending, and the backup stays on the runner at the recorded path.
 */
export const backupPhase: Phase = {
  name: 'backup',
  async run(release: Release): Promise<PhaseResult> {
    const { ctx } = release;
    const backup = release.config.backup;
    logEventText(release);
    if (!backup) return { outcome: 'passed', summary: 'no backup configured' };
    const ids = ['backup:dump', 'backup:verify', 'backup:test-restore'];
    await release.report(...markRunning(release, ids));

    const taken = await takeBackup(backup, {
      clock: ctx.clock,
      logger: ctx.logger,
      env: runEnvironment(release),
      cwd: ctx.workspace,
      scrubber: ctx.scrubber,
      label: `${ctx.environment}-${release.record.state.release.version}`,
    });
    const mutations = itemsOf(release, taken);
    if (backup.artifact) {
      const where = taken.backup ? ` (the backup stays on the runner at ${taken.backup.file})` : '';
      ctx.logger.warning(
        `backup.artifact: not uploaded, the Actions artifact service is not available here${where}`,
      );
      mutations.push(
        ...result(release, 'backup:artifact', {
          status: 'skipped',
          summary: `not uploaded: shipgate cannot reach the Actions artifact service${where}; add an actions/upload-artifact step for the backup directory`,
        }),
      );
    }
    if (taken.status === 'passed' && taken.backup) {
      mutations.push(recordBackup(taken.backup));
      ctx.logger.info(`backup: ${taken.backup.file}; restore with: ${taken.backup.restoreCommand}`);
    }
    await release.report(...mutations);
    return taken.status === 'passed'
      ? { outcome: 'passed', summary: taken.summary }
      : { outcome: 'failed', summary: `${taken.summary}; nothing was deployed` };
  },
};

/** The backup's result as the phase's items. */
function itemsOf(release: Release, taken: BackupResult): Mutation[] {
  const steps = (names: readonly VerificationStep['name'][]) =>
    taken.verification.filter((step) => names.includes(step.name));
  const verify = steps(['size', 'checksum', 'archive', 'tables']);
  const restore = steps(['test-restore']);
  const flat = flattenEvidence(taken.evidence);

  const dump = taken.backup
    ? result(release, 'backup:dump', {
        status: 'passed',
        summary: `${taken.backup.file} (${taken.backup.sizeBytes} bytes, sha256 ${taken.backup.sha256.slice(0, 12)}…)`,
        durationMs: taken.durationMs,
        evidence: flat,
      })
    : result(release, 'backup:dump', {
        status: 'failed',
        summary: taken.summary,
        durationMs: taken.durationMs,
      });
  const failedVerify = verify.filter((step) => step.status === 'failed');
  const verified =
    verify.length === 0
      ? result(release, 'backup:verify', { status: 'skipped', summary: 'not run: no backup was written' })
      : result(release, 'backup:verify', {
          status: failedVerify.length > 0 ? 'failed' : 'passed',
          summary: (failedVerify.length > 0 ? failedVerify : verify)
            .map((step) => `${step.name}: ${step.detail}`)
            .join('; '),
        });
  const restored = restore[0]
    ? result(release, 'backup:test-restore', {
        status: restore[0].status,
        summary: restore[0].detail,
      })
    : result(release, 'backup:test-restore', {
        status: 'skipped',
        summary: 'not run: no backup was written',
      });
  return [...dump, ...verified, ...restored];
}
