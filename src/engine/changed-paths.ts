import type { Octokit } from '@octokit/rest';
import { errorMessage } from '../errors.ts';
import { RefDocuments } from '../github/ref-document.ts';
import { StableMarker } from '../github/stable-marker.ts';
import type { RunContext } from './context.ts';

/**
 * The files a release changes, for sign-offs required only `when: paths` match (`openRelease`'s
 * `changedPaths`). Compared with what the environment last ran as stable when that is known
 * (`GET /repos/{o}/{r}/compare/{stable}...{sha}`: every commit since), else the release commit's
 * own files (`GET /repos/{o}/{r}/commits/{sha}`).
 *
 * Undefined means "not known", and then every path-conditioned sign-off applies: GitHub lists at
 * most 300 files in either answer, so a list that long may be cut short, and an error (the stable
 * commit no longer exists, no access) must not quietly drop a sign-off.
 */
export const MAX_LISTED_FILES = 300;

export async function changedPaths(
  octokit: Octokit,
  target: { owner: string; repo: string; sha: string },
  base?: string,
): Promise<string[] | undefined> {
  const { owner, repo, sha } = target;
  const files =
    base && base !== sha
      ? (await octokit.rest.repos.compareCommits({ owner, repo, base, head: sha, per_page: 100 })).data.files
      : (await octokit.rest.repos.getCommit({ owner, repo, ref: sha, per_page: MAX_LISTED_FILES })).data
          .files;
  if (!files || files.length >= MAX_LISTED_FILES) return undefined;
  const paths = new Set<string>();
  for (const file of files) {
    paths.add(file.filename);
    // A rename changes the old path too.
    if (file.previous_filename) paths.add(file.previous_filename);
  }
  return [...paths].sort();
}

/** The release's changed paths since the environment's stable version; undefined when unknown (logged). */
export async function releaseChangedPaths(
  ctx: RunContext,
  /** The stable entry when the caller has read it already (null: there is none); read here otherwise. */
  known?: { sha: string } | null,
): Promise<string[] | undefined> {
  const { octokit, owner, repo, sha } = ctx;
  try {
    const documents = new RefDocuments({ octokit, owner, repo, baseCommit: sha });
    const stable =
      known !== undefined ? known : await new StableMarker(documents, ctx.clock).current(ctx.environment);
    const paths = await changedPaths(octokit, { owner, repo, sha }, stable?.sha);
    if (paths === undefined)
      ctx.logger.info(
        `more than ${MAX_LISTED_FILES - 1} files changed: every path-conditioned sign-off applies`,
      );
    return paths;
  } catch (error) {
    ctx.logger.warning(
      `could not list the files this release changes (${errorMessage(error)}); every path-conditioned sign-off applies`,
    );
    return undefined;
  }
}
