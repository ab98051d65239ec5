import type { Octokit } from '@octokit/rest';
import {
  applyMutations,
  importTicks,
  type Mutation,
  type ReleaseState,
  releaseKey,
  setIds,
} from '../engine/release-state.ts';
import type { Logger } from '../logger.ts';
import { commentMarker, renderPrComment } from '../report/pr-comment.ts';
import { readTicks } from '../report/ticks.ts';
import { issueMarker, renderTrackingIssue } from '../report/tracking-issue.ts';
import { statusOf } from './authority.ts';

/**
 * The release record on GitHub.
 *
 * The authoritative state lives in a git ref, `refs/shipgate/releases/<environment>/<version>`,
 * pointing at a commit whose message is the state as JSON. A ref update that is not a fast
 * forward is refused, so every write is a compare-and-swap: build on the commit we read, and if
 * another writer moved the ref first, re-read and apply the same mutations to the newer state.
 * No update is ever lost, however many matrix jobs write at once.
 *
 * The tracking issue and the sticky PR comment are views rendered from that state (the issue
 * also carries a copy of it in a hidden block). People's ticks in the issue are imported into the
 * state before each render, so a tick is kept once any writer has seen it.
 */

export interface RecordOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  logger: Logger;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts at one compare-and-swap before giving up. */
  maxAttempts?: number;
  runUrl?: string;
  labels?: string[];
  title?: string;
  prComment?: boolean;
}

export const STATE_REF_PREFIX = 'shipgate/releases/';

interface Head {
  commit: string;
  state: ReleaseState;
}

export class ReleaseRecord {
  readonly key: string;
  private head: Head;
  private readonly options: RecordOptions;
  private tree: string | undefined;
  private issueEtag: string | undefined;
  private issueBody: string | undefined;

  private constructor(options: RecordOptions, key: string, head: Head) {
    this.options = options;
    this.key = key;
    this.head = head;
  }

  get state(): ReleaseState {
    return this.head.state;
  }

  /** Opens the record of a release, creating it (and its issue) the first time. Idempotent. */
  static async open(options: RecordOptions, initial: ReleaseState): Promise<ReleaseRecord> {
    const key = releaseKey(initial.release);
    const existing = await readHead(options, key);
    if (existing) return new ReleaseRecord(options, key, existing);
    const record = new ReleaseRecord(options, key, { commit: '', state: initial });
    const created = await record.createRef(initial);
    if (!created) {
      const winner = await readHead(options, key);
      if (!winner) throw new Error(`the release record ${key} was created by another job but cannot be read`);
      record.head = winner;
    }
    return record;
  }

  /** Reads the latest state from GitHub. */
  async refresh(): Promise<ReleaseState> {
    const head = await readHead(this.options, this.key);
    if (head) this.head = head;
    return this.head.state;
  }

  /**
   * Applies mutations with compare-and-swap, then brings the issue and PR comment up to date.
   * Returns the state that was written.
   */
  async update(...mutations: Mutation[]): Promise<ReleaseState> {
    await this.swap(mutations);
    await this.syncViews();
    return this.head.state;
  }

  private async swap(mutations: readonly Mutation[]): Promise<void> {
    const { octokit, owner, repo } = this.options;
    const attempts = this.options.maxAttempts ?? 30;
    for (let attempt = 1; ; attempt++) {
      const next = applyMutations(this.head.state, mutations, this.now());
      const commit = await this.writeCommit(next, this.head.commit);
      try {
        await octokit.rest.git.updateRef({
          owner,
          repo,
          ref: `${STATE_REF_PREFIX}${this.key}`,
          sha: commit,
          force: false,
        });
        this.head = { commit, state: next };
        return;
      } catch (error) {
        if (statusOf(error) !== 422 || attempt >= attempts) throw error;
        // Another writer moved the ref first: build on theirs.
        const head = await readHead(this.options, this.key);
        if (head) this.head = head;
        await (this.options.sleep ?? defaultSleep)(Math.random() * 20 * attempt);
      }
    }
  }

  private async createRef(initial: ReleaseState): Promise<boolean> {
    const { octokit, owner, repo } = this.options;
    const commit = await this.writeCommit(initial, undefined);
    try {
      await octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/${STATE_REF_PREFIX}${this.key}`,
        sha: commit,
      });
      this.head = { commit, state: initial };
      return true;
    } catch (error) {
      if (statusOf(error) === 422) return false;
      throw error;
    }
  }

  private async writeCommit(state: ReleaseState, parent: string | undefined): Promise<string> {
    const { octokit, owner, repo } = this.options;
    if (!this.tree) {
      const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: state.release.sha });
      this.tree = data.tree.sha;
    }
    const { data } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: `shipgate release record ${this.key} r${state.revision}\n\n${JSON.stringify(state)}`,
      tree: this.tree,
      parents: parent ? [parent] : [],
    });
    return data.sha;
  }

  /**
   * Brings the tracking issue and the PR comment in line with the state. Loops until the state it
   * rendered is still the newest, so the last writer always leaves the views current.
   */
  async syncViews(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      await this.ensureIssue();
      const body = await this.readIssueBody();
      const ticks = manualTicks(this.head.state, readTicks(body ?? ''));
      if (ticks.size > 0) await this.swap([importTicks(ticks, undefined, this.now().toISOString())]);
      const rendered = renderTrackingIssue(this.head.state, this.key, { runUrl: this.options.runUrl });
      if (rendered !== body) await this.writeIssueBody(rendered);
      if (this.options.prComment !== false) await this.syncComment();
      const latest = await readHead(this.options, this.key);
      if (!latest || latest.commit === this.head.commit) return;
      this.head = latest;
    }
  }

  private async ensureIssue(): Promise<void> {
    if (this.head.state.ids.issue) return;
    const { octokit, owner, repo } = this.options;
    const { release } = this.head.state;
    const title = (this.options.title ?? 'Release {version} to {environment}')
      .replaceAll('{version}', release.version)
      .replaceAll('{environment}', release.environment)
      .replaceAll('{name}', release.name);
    const body = renderTrackingIssue(this.head.state, this.key, { runUrl: this.options.runUrl });
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title,
      body,
      labels: this.options.labels ?? ['release'],
    });
    await this.swap([setIds({ issue: this.head.state.ids.issue ?? data.number })]);
    if (this.head.state.ids.issue !== data.number) {
      // Another job created the issue at the same moment and recorded it first.
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: data.number,
        state: 'closed',
        state_reason: 'not_planned',
        body: `Duplicate of #${this.head.state.ids.issue}. ${issueMarker(`${this.key} duplicate`)}`,
      });
    } else {
      this.issueBody = body;
      this.issueEtag = undefined;
    }
  }

  private async readIssueBody(): Promise<string | undefined> {
    const { octokit, owner, repo } = this.options;
    const issue_number = this.head.state.ids.issue!;
    try {
      const response = await octokit.rest.issues.get({
        owner,
        repo,
        issue_number,
        headers: this.issueEtag ? { 'if-none-match': this.issueEtag } : {},
      });
      this.issueEtag = response.headers.etag;
      this.issueBody = response.data.body ?? '';
    } catch (error) {
      if (statusOf(error) !== 304) throw error;
    }
    return this.issueBody;
  }

  private async writeIssueBody(body: string): Promise<void> {
    const { octokit, owner, repo } = this.options;
    await octokit.rest.issues.update({ owner, repo, issue_number: this.head.state.ids.issue!, body });
    this.issueBody = body;
    this.issueEtag = undefined;
  }

  private commentBody: string | undefined;

  private async syncComment(): Promise<void> {
    const pr = this.head.state.release.pullRequest;
    if (!pr) return;
    const { octokit, owner, repo } = this.options;
    const issueUrl = `https://github.com/${owner}/${repo}/issues/${this.head.state.ids.issue}`;
    const body = renderPrComment(this.head.state, this.key, issueUrl);
    if (body === this.commentBody) return;
    const id = this.head.state.ids.comment;
    if (id) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
      this.commentBody = body;
      return;
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
    await this.swap([setIds({ comment: this.head.state.ids.comment ?? data.id })]);
    if (this.head.state.ids.comment !== data.id) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: data.id });
    } else {
      this.commentBody = body;
    }
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
  }
}

async function readHead(options: RecordOptions, key: string): Promise<Head | undefined> {
  const { octokit, owner, repo } = options;
  let sha: string;
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `${STATE_REF_PREFIX}${key}` });
    sha = data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
  const json = data.message.slice(data.message.indexOf('\n\n') + 2);
  return { commit: sha, state: JSON.parse(json) as ReleaseState };
}

/** Ticks in the body on manual items the record does not yet count as done. */
function manualTicks(state: ReleaseState, ticks: Map<string, boolean>): Map<string, boolean> {
  const fresh = new Map<string, boolean>();
  for (const item of state.items) {
    if (item.kind === 'manual' && ticks.get(item.id) === true && item.status !== 'passed')
      fresh.set(item.id, true);
  }
  return fresh;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { commentMarker, issueMarker };
