import type { Octokit } from '@octokit/rest';
import { ConfigurationError } from '../errors.ts';
import { statusOf } from './authority.ts';

/**
 * Annotated tags created through the API. Re-running never makes a second tag or moves one: a tag
 * that already names the same commit is success; one that names another commit is an error that
 * names both.
 */

export interface TagRequest {
  owner: string;
  repo: string;
  name: string;
  sha: string;
  message: string;
  tagger?: { name: string; email: string; date: string };
}

export type TagResult = { created: boolean; name: string; sha: string };

export async function createAnnotatedTag(octokit: Octokit, request: TagRequest): Promise<TagResult> {
  const { owner, repo, name, sha } = request;
  const existing = await tagTarget(octokit, owner, repo, name);
  if (existing) return sameCommit(name, sha, existing);
  const { data: tag } = await octokit.rest.git.createTag({
    owner,
    repo,
    tag: name,
    message: request.message,
    object: sha,
    type: 'commit',
    ...(request.tagger ? { tagger: request.tagger } : {}),
  });
  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/tags/${name}`, sha: tag.sha });
    return { created: true, name, sha };
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    // Created by someone else between our look and our write (or our earlier response was lost).
    const target = await tagTarget(octokit, owner, repo, name);
    if (!target) throw error;
    return sameCommit(name, sha, target);
  }
}

/** The commit a tag names, through an annotated tag object if there is one. */
export async function tagTarget(
  octokit: Octokit,
  owner: string,
  repo: string,
  name: string,
): Promise<string | undefined> {
  let ref: { type: string; sha: string };
  try {
    ({ object: ref } = (await octokit.rest.git.getRef({ owner, repo, ref: `tags/${name}` })).data);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (ref.type !== 'tag') return ref.sha;
  const { data } = await octokit.rest.git.getTag({ owner, repo, tag_sha: ref.sha });
  return data.object.sha;
}

function sameCommit(name: string, wanted: string, actual: string): TagResult {
  if (actual === wanted) return { created: false, name, sha: actual };
  throw new ConfigurationError(
    `tag ${name} already exists at commit ${actual.slice(0, 12)}, not at ${wanted.slice(0, 12)}; ` +
      'a rollback tag is never moved. Change rollback.tag.pattern or delete the tag if it is wrong.',
  );
}

/** Fills a tag pattern such as `rollback-{environment}-{date}-{time}`. */
export function tagName(
  pattern: string,
  values: { environment: string; version: string; now: Date },
): string {
  const iso = values.now.toISOString();
  const name = pattern
    .replaceAll('{environment}', values.environment)
    .replaceAll('{version}', values.version)
    .replaceAll('{date}', iso.slice(0, 10).replaceAll('-', ''))
    .replaceAll('{time}', iso.slice(11, 16).replace(':', ''));
  return name.replace(/[^A-Za-z0-9._/-]/g, '-');
}
