import { formatDuration } from '../../config/units.ts';
import { Authority, type Audience } from '../../github/authority.ts';
import { EnvironmentLocks, type LockHolder } from '../../github/environment-lock.ts';
import { RefDocuments, type Versioned } from '../../github/ref-document.ts';
import type { SavedState } from '../../actions/outputs.ts';
import { errorMessage } from '../../errors.ts';
import type { RunContext } from '../context.ts';
import type { Release } from '../release.ts';
import { addItems, type ItemState, type Mutation, recordEvent } from '../release-state.ts';

/**
 * The environment lock as a phase takes it: one deploy or rollback per environment at a time.
 * A lock held by another run ends the phase, naming who holds it and since when. A lock older than
 * `deploy.lock.staleAfter` may be broken, but only by someone trusted to override another
 * person's deploy: people with the maintain role or higher on the repository (the same people
 * GitHub lets change environments and branch protection). A re-run of the same workflow run
 * holds the lock it already had.
 */

export const LOCK_ITEM = 'deploy:lock';

/** Who may break a stale lock. */
export const LOCK_BREAKERS: Audience = { users: [], teams: [], minRole: 'maintain' };

export type LockOutcome =
  | { held: true; lock: Versioned<LockHolder>; summary: string }
  | { held: false; holder?: LockHolder; summary: string };

/**
 * What one lock guards: the environment, or one region of it when the job is a matrix over
 * regions (the regions deploy at the same time, each under its own lock). A dot joins them: git
 * cannot hold both `locks/production` and `locks/production/eu`.
 */
export function lockScope(ctx: { environment: string; region?: string | undefined }): string {
  return ctx.region ? `${ctx.environment}.${ctx.region.replace(/[^A-Za-z0-9_-]/g, '-')}` : ctx.environment;
}

export function lockRefName(scope: string): string {
  return `refs/${EnvironmentLocks.refName(scope)}`;
}

/** The checklist line for the lock, added to the record the first time a phase takes it. */
export function lockItem(release: Release, phase: 'deploy' | 'rollback' = 'deploy'): Mutation {
  const item: ItemState = {
    id: phase === 'deploy' ? LOCK_ITEM : `${phase}:lock`,
    phase,
    kind: 'gate',
    text: `${lockScope(release.ctx)} locked for this ${phase}`,
    required: true,
    status: 'pending',
    section: phase === 'deploy' ? 'Deploy' : 'Rollback',
  };
  return addItems([item]);
}

export async function takeLock(
  release: Release,
  purpose: LockHolder['purpose'],
  locks: EnvironmentLocks = new EnvironmentLocks(
    release.documents,
    release.ctx.clock,
    release.config.deploy.lock.staleAfter,
  ),
): Promise<LockOutcome> {
  const { ctx } = release;
  const holder: Omit<LockHolder, 'at'> = {
    environment: lockScope(ctx),
    purpose,
    actor: ctx.actor,
    runId: ctx.runId,
    ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
    version: release.record.state.release.version,
  };
  const claim = await locks.claim(holder);
  if (claim.held) {
    return {
      held: true,
      lock: claim.lock,
      summary: claim.reclaimed
        ? `held since ${claim.lock.data.at} by this run (${ctx.runId}); re-run attempt ${ctx.runAttempt} keeps it`
        : `taken by run ${ctx.runId} (@${ctx.actor})`,
    };
  }
  const other = describeHolder(claim.holder, claim.ageMs);
  if (!claim.stale) {
    return {
      held: false,
      holder: claim.holder,
      summary: `${lockScope(ctx)} is locked by ${other}; it becomes breakable after ${formatDuration(release.config.deploy.lock.staleAfter)}`,
    };
  }
  const verdict = await new Authority({ octokit: ctx.octokit, owner: ctx.owner, repo: ctx.repo }).check(
    ctx.actor,
    LOCK_BREAKERS,
  );
  if (!verdict.allowed) {
    return {
      held: false,
      holder: claim.holder,
      summary: `${lockScope(ctx)} is locked by ${other}, stale (older than ${formatDuration(release.config.deploy.lock.staleAfter)}), but only someone with the maintain role or higher may break it: ${verdict.reason}`,
    };
  }
  const broken = await locks.breakStale(holder);
  if (!broken.held) {
    return {
      held: false,
      holder: broken.holder,
      summary: `${lockScope(ctx)} is locked by ${describeHolder(broken.holder, broken.ageMs)}`,
    };
  }
  const at = ctx.clock.now().toISOString();
  await release.report(
    recordEvent({
      id: `lock-broken-${ctx.runId}-${ctx.runAttempt}`,
      at,
      type: 'lock broken',
      message: `@${ctx.actor} (${verdict.via}) broke the stale lock of ${other}`,
    }),
  );
  ctx.logger.warning(`broke the stale lock of ${other} (@${ctx.actor}: ${verdict.via})`);
  return {
    held: true,
    lock: broken.lock,
    summary: `taken by run ${ctx.runId} (@${ctx.actor}) after breaking the stale lock of ${other}`,
  };
}

/** Releases the lock if this run still holds it; never throws (the post step tries again). */
export async function releaseLock(release: Release, lock: Versioned<LockHolder>): Promise<boolean> {
  const locks = new EnvironmentLocks(
    release.documents,
    release.ctx.clock,
    release.config.deploy.lock.staleAfter,
  );
  try {
    return await locks.release(lock);
  } catch (error) {
    release.ctx.logger.warning(
      `could not release the lock of ${lock.data.environment} (${String(error)}); the post step will`,
    );
    return false;
  }
}

function describeHolder(holder: LockHolder, ageMs: number): string {
  const link = holder.runUrl ? ` ${holder.runUrl}` : '';
  return `run ${holder.runId}${link} (@${holder.actor}, ${holder.purpose} of ${holder.version}) since ${holder.at} (${formatDuration(Math.max(0, Math.round(ageMs / 1000) * 1000))} ago)`;
}

export type SavedLockRelease = 'released' | 'not held' | 'held by another run' | 'failed';

/**
 * The post steps' half of the lock: releases the lock the main step saved (`lockRef`,
 * `lockOwner` = `runId` or `runId/attempt`), but only while this run still holds it. A lock
 * another run took since is left alone; a failure is logged, never thrown (the lock goes stale).
 */
export async function releaseSavedLock(
  ctx: Pick<RunContext, 'octokit' | 'owner' | 'repo' | 'sha' | 'logger'> & { runId?: string },
  saved: Partial<SavedState>,
): Promise<SavedLockRelease> {
  if (!saved.lockRef) return 'not held';
  const name = saved.lockRef.replace(/^refs\//, '');
  const owner = saved.lockOwner?.split('/')[0] ?? ctx.runId;
  if (owner === undefined) return 'not held';
  const documents = new RefDocuments({
    octokit: ctx.octokit,
    owner: ctx.owner,
    repo: ctx.repo,
    baseCommit: ctx.sha,
  });
  try {
    const lock = await documents.read<LockHolder>(name);
    if (!lock) return 'not held';
    if (lock.data.runId !== owner) {
      ctx.logger.info(
        `${saved.lockRef} is held by run ${lock.data.runId} (@${lock.data.actor}) now; leaving it`,
      );
      return 'held by another run';
    }
    const removed = await documents.remove(name, lock.sha);
    if (removed) ctx.logger.info(`released ${saved.lockRef} (${lock.data.purpose} of ${lock.data.version})`);
    return removed ? 'released' : 'held by another run';
  } catch (error) {
    ctx.logger.warning(
      `could not release ${saved.lockRef}: ${errorMessage(error)}; it becomes breakable once stale`,
    );
    return 'failed';
  }
}
