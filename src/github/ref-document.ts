import type { Octokit } from '@octokit/rest';
import { statusOf } from './authority.ts';

/**
 * A small JSON document kept behind a git ref in the repository: the ref points at a commit whose
 * message is the document. Git gives what issue bodies lack: creating a ref that exists fails, and
 * a non-forced update that is not a fast forward fails, so both are compare-and-swap. The release
 * record, the environment lock and the stable marker are all such documents, under refs/shipgate/.
 * Documents carry no files: the commit reuses an existing tree of the repository.
 */

export interface RefDocumentOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** A commit of the repository whose tree the document commits reuse (e.g. the release sha). */
  baseCommit: string;
}

export interface Versioned<T> {
  /** The commit the ref points at: pass it back to `replace` to swap. */
  sha: string;
  data: T;
}

const TITLE_END = '\n\n';

export class RefDocuments {
  private readonly options: RefDocumentOptions;
  private tree: string | undefined;
  /** The last answer for each ref, so asking again is a conditional request (304s are free). */
  private readonly heads = new Map<string, { etag: string; sha: string }>();
  /** Commits never change: a document read once by sha is never fetched again. */
  private readonly commits = new Map<string, unknown>();

  constructor(options: RefDocumentOptions) {
    this.options = options;
  }

  /** `name` is the ref without `refs/`, e.g. `shipgate/locks/production`. */
  async read<T>(name: string): Promise<Versioned<T> | undefined> {
    const sha = await this.head(name);
    if (!sha) return undefined;
    return { sha, data: await this.readCommit<T>(sha) };
  }

  /**
   * Where the ref points now. Asked again, it is a conditional request: when nothing moved GitHub
   * answers 304, which costs nothing against the rate limit.
   */
  async head(name: string): Promise<string | undefined> {
    const { octokit, owner, repo } = this.options;
    const known = this.heads.get(name);
    try {
      const response = await octokit.rest.git.getRef({
        owner,
        repo,
        ref: name,
        headers: known ? { 'if-none-match': known.etag } : {},
      });
      const sha = response.data.object.sha;
      if (response.headers.etag) this.heads.set(name, { etag: response.headers.etag, sha });
      return sha;
    } catch (error) {
      const status = statusOf(error);
      if (status === 304 && known) return known.sha;
      this.heads.delete(name);
      if (status === 404) return undefined;
      throw error;
    }
  }

  async readCommit<T>(sha: string): Promise<T> {
    if (this.commits.has(sha)) return this.commits.get(sha) as T;
    const { octokit, owner, repo } = this.options;
    const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
    const document = JSON.parse(data.message.slice(data.message.indexOf(TITLE_END) + TITLE_END.length)) as T;
    this.commits.set(sha, document);
    return document;
  }

  /** Creates the document; undefined when the ref already exists (someone else was first). */
  async create<T>(name: string, title: string, data: T): Promise<Versioned<T> | undefined> {
    const { octokit, owner, repo } = this.options;
    const sha = await this.commit(title, data, undefined);
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/${name}`, sha });
      this.commits.set(sha, data);
      return { sha, data };
    } catch (error) {
      if (statusOf(error) === 422) return undefined;
      throw error;
    }
  }

  /** Replaces the document if it is still at `expected`; undefined when another writer moved it. */
  async replace<T>(
    name: string,
    title: string,
    data: T,
    expected: string,
  ): Promise<Versioned<T> | undefined> {
    const { octokit, owner, repo } = this.options;
    const sha = await this.commit(title, data, expected);
    try {
      await octokit.rest.git.updateRef({ owner, repo, ref: name, sha, force: false });
      this.commits.set(sha, data);
      return { sha, data };
    } catch (error) {
      if (statusOf(error) === 422) return undefined;
      throw error;
    }
  }

  /** Deletes the document if it is still at `expected`. Git has no conditional delete, so this is check-then-delete. */
  async remove(name: string, expected?: string): Promise<boolean> {
    const { octokit, owner, repo } = this.options;
    if (expected && (await this.head(name)) !== expected) return false;
    try {
      await octokit.rest.git.deleteRef({ owner, repo, ref: name });
      return true;
    } catch (error) {
      if (statusOf(error) === 422 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** The chain of earlier versions, newest first (each replace is a child of the one it replaced). */
  async history<T>(name: string, limit: number): Promise<Versioned<T>[]> {
    const { octokit, owner, repo } = this.options;
    const out: Versioned<T>[] = [];
    let sha = await this.head(name);
    while (sha && out.length < limit) {
      const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
      out.push({
        sha,
        data: JSON.parse(data.message.slice(data.message.indexOf(TITLE_END) + TITLE_END.length)) as T,
      });
      sha = data.parents[0]?.sha;
    }
    return out;
  }

  private async commit(title: string, data: unknown, parent: string | undefined): Promise<string> {
    const { octokit, owner, repo } = this.options;
    if (!this.tree) {
      const { data: base } = await octokit.rest.git.getCommit({
        owner,
        repo,
        commit_sha: this.options.baseCommit,
      });
      this.tree = base.tree.sha;
    }
    const { data: created } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: `${title}${TITLE_END}${JSON.stringify(data)}`,
      tree: this.tree,
      parents: parent ? [parent] : [],
    });
    return created.sha;
  }
}
