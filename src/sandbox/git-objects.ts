import { createHash } from 'node:crypto';
import type { CommitRecord, GitPerson, RepoRecord } from './world.ts';

/** Git-style object ids: the SHA-1 of the object's content, so the same commit always gets the same SHA. */
export function objectSha(kind: 'commit' | 'tag' | 'tree', content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`${kind} ${body.length}\0`).update(body).digest('hex');
}

export interface NewCommit {
  message: string;
  parents: string[];
  author: GitPerson;
  committer?: GitPerson;
  tree?: string;
  authorLogin?: string;
}

export function makeCommit(input: NewCommit): CommitRecord {
  const committer = input.committer ?? input.author;
  const tree = input.tree ?? objectSha('tree', `${input.message}\n${input.parents.join(',')}`);
  const content = [
    `tree ${tree}`,
    ...input.parents.map((p) => `parent ${p}`),
    `author ${input.author.name} <${input.author.email}> ${input.author.date}`,
    `committer ${committer.name} <${committer.email}> ${committer.date}`,
    '',
    input.message,
  ].join('\n');
  const commit: CommitRecord = {
    sha: objectSha('commit', content),
    tree,
    message: input.message,
    parents: [...input.parents],
    author: input.author,
    committer,
  };
  if (input.authorLogin) commit.authorLogin = input.authorLogin;
  return commit;
}

/** True when `ancestor` is reachable from `descendant` through parents (a commit is its own ancestor). */
export function isAncestor(repo: RepoRecord, ancestor: string, descendant: string): boolean {
  const seen = new Set<string>();
  const queue = [descendant];
  while (queue.length > 0) {
    const sha = queue.pop()!;
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    const commit = repo.commits[sha];
    if (commit) queue.push(...commit.parents);
  }
  return false;
}

/** Commits reachable from `head` but not from `base`, newest first. */
export function commitsBetween(repo: RepoRecord, base: string, head: string): CommitRecord[] {
  const out: CommitRecord[] = [];
  const seen = new Set<string>();
  const queue = [head];
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (seen.has(sha) || isAncestor(repo, sha, base)) continue;
    seen.add(sha);
    const commit = repo.commits[sha];
    if (!commit) continue;
    out.push(commit);
    queue.push(...commit.parents);
  }
  return out;
}

/**
 * Resolves what GitHub accepts as a `ref` in a URL: a full or abbreviated SHA, a branch, a tag
 * (peeled to its commit) or a full ref name. Returns the commit SHA or undefined.
 */
export function resolveCommitish(repo: RepoRecord, ref: string): string | undefined {
  const candidates = ref.startsWith('refs/')
    ? [ref]
    : [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`];
  for (const name of candidates) {
    const sha = repo.refs[name];
    if (sha) return peel(repo, sha);
  }
  if (/^[0-9a-f]{4,40}$/.test(ref)) {
    if (repo.commits[ref]) return ref;
    const matches = Object.keys(repo.commits).filter((sha) => sha.startsWith(ref));
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

/** Follows annotated tag objects down to the commit they tag. */
export function peel(repo: RepoRecord, sha: string): string {
  let current = sha;
  for (let depth = 0; depth < 10; depth += 1) {
    const tag = repo.tagObjects[current];
    if (!tag) return current;
    current = tag.object.sha;
  }
  return current;
}

export function objectType(repo: RepoRecord, sha: string): 'commit' | 'tag' {
  return repo.tagObjects[sha] ? 'tag' : 'commit';
}
