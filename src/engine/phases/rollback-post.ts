import type { Octokit } from '@octokit/rest';
import type { SavedState } from '../../actions/outputs.ts';
import type { Logger } from '../../logger.ts';
import { releaseSavedLock } from './lock.ts';

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
  return (await releaseSavedLock(ctx, saved)) === 'released';
}
