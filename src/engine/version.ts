import { matchesGlob } from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { Config } from '../config/schema.ts';
import { ConfigurationError } from '../errors.ts';

/**
 * Which version a release is: given as an input, read from a tag on the commit, or the commit
 * itself, as `release.version.from` says. An explicit input always wins.
 */
export async function resolveVersion(
  octokit: Octokit,
  target: { owner: string; repo: string; sha: string },
  source: Config['release']['version'],
  input: string | undefined,
): Promise<string> {
  if (input) return input;
  if (source.from === 'input') {
    throw new ConfigurationError(
      'release.version.from is input, but no version was given (expected the action input `version` or --version)',
    );
  }
  if (source.from === 'sha') return target.sha.slice(0, 12);
  const tags = await tagsAt(octokit, target, source.tagPattern);
  if (tags.length === 0) {
    throw new ConfigurationError(
      `no tag matching ${source.tagPattern} points at ${target.sha.slice(0, 12)} (expected the release commit to be tagged, ` +
        'or release.version.from: input / sha)',
    );
  }
  return tags.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))[0]!;
}

async function tagsAt(
  octokit: Octokit,
  target: { owner: string; repo: string; sha: string },
  pattern: string,
): Promise<string[]> {
  const prefix = pattern.slice(
    0,
    pattern.search(/[*?[{]/) === -1 ? pattern.length : pattern.search(/[*?[{]/),
  );
  const refs = await octokit.paginate(octokit.rest.git.listMatchingRefs, {
    owner: target.owner,
    repo: target.repo,
    ref: `tags/${prefix}`,
    per_page: 100,
  });
  const found: string[] = [];
  for (const ref of refs) {
    const name = ref.ref.replace(/^refs\/tags\//, '');
    if (!matchesGlob(name, pattern)) continue;
    let commit = ref.object.sha;
    if (ref.object.type === 'tag') {
      const { data } = await octokit.rest.git.getTag({
        owner: target.owner,
        repo: target.repo,
        tag_sha: commit,
      });
      commit = data.object.sha;
    }
    if (commit === target.sha) found.push(name);
  }
  return found;
}
