import type { Octokit } from '@octokit/rest';
import type { SavedState } from '../../actions/outputs.ts';
import { errorMessage } from '../../errors.ts';
import type { LockHolder } from '../../github/environment-lock.ts';
import { RefDocuments } from '../../github/ref-document.ts';
import type { Logger } from '../../logger.ts';

/**
 * The rollback action's post step (`post-if: always()`): when the main step was cancelled or
 * crashed while holding the environment lock, release it, but only if this run still holds it.
 * A lock another run took since is left alone. Returns whether a lock was released.
 */
export interface PostContext {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** Any commit of the repository (RefDocuments needs a base; removing a ref does not use it). */
  sha: string;
  logger: Logger;
}

export async function rollbackPost(ctx: PostContext, saved: Partial<SavedState>): Promise<boolean> {
  if (!saved.lockRef || !saved.lockOwner) return false;
  const name = saved.lockRef.replace(/^refs\//, '');
  const documents = new RefDocuments({
    octokit: ctx.octokit,
    owner: ctx.owner,
    repo: ctx.repo,
    baseCommit: ctx.sha,
  });
  try {
    const lock = await documents.read<LockHolder>(name);
    if (!lock) {
      ctx.logger.debug(`${saved.lockRef}: already released`);
      return false;
    }
    if (lock.data.runId !== saved.lockOwner) {
      ctx.logger.info(
        `${saved.lockRef} is held by run ${lock.data.runId} (@${lock.data.actor}), not by this run; leaving it`,
      );
      return false;
    }
    const removed = await documents.remove(name, lock.sha);
    if (removed) ctx.logger.info(`released ${saved.lockRef} (${lock.data.purpose} of ${lock.data.version})`);
    return removed;
  } catch (error) {
    ctx.logger.warning(`could not release ${saved.lockRef}: ${errorMessage(error)}; it goes stale in time`);
    return false;
  }
}
