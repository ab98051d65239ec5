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
import { createCommentOnce, createIssueOnce } from './create-once.ts';
import { RefDocuments, type Versioned } from './ref-document.ts';

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

type Head = Versioned<ReleaseState>;

export class ReleaseRecord {
  readonly key: string;
  private head: Head;
  private readonly options: RecordOptions;
  private readonly documents: RefDocuments;
  private issueEtag: string | undefined;
  private issueBody: string | undefined;
  private commentBody: string | undefined;

  private constructor(options: RecordOptions, documents: RefDocuments, key: string, head: Head) {
    this.options = options;
    this.documents = documents;
    this.key = key;
    this.head = head;
  }

  get state(): ReleaseState {
    return this.head.data;
  }

  private get ref(): string {
    return `${STATE_REF_PREFIX}${this.key}`;
  }

  /** Opens the record of a release, creating it the first time. Idempotent and safe to race. */
  static async open(options: RecordOptions, initial: ReleaseState): Promise<ReleaseRecord> {
    const key = releaseKey(initial.release);
    const documents = new RefDocuments({ ...options, baseCommit: initial.release.sha });
    const ref = `${STATE_REF_PREFIX}${key}`;
    const head =
      (await documents.read<ReleaseState>(ref)) ??
      (await documents.create(ref, title(key, initial), initial)) ??
      (await documents.read<ReleaseState>(ref));
    if (!head) throw new Error(`the release record ${key} was created by another job but cannot be read`);
    return new ReleaseRecord(options, documents, key, head);
  }

  /** Reads the latest state from GitHub. */
  async refresh(): Promise<ReleaseState> {
    const head = await this.documents.read<ReleaseState>(this.ref);
    if (head) this.head = head;
    return this.head.data;
  }

  /**
   * Applies mutations with compare-and-swap, then brings the issue and PR comment up to date.
   * Returns the state that was written.
   */
  async update(...mutations: Mutation[]): Promise<ReleaseState> {
    await this.swap(mutations);
    await this.syncViews();
    return this.head.data;
  }

  private async swap(mutations: readonly Mutation[]): Promise<void> {
    const attempts = this.options.maxAttempts ?? 30;
    for (let attempt = 1; ; attempt++) {
      const next = applyMutations(this.head.data, mutations, this.now());
      const written = await this.documents.replace(this.ref, title(this.key, next), next, this.head.sha);
      if (written) {
        this.head = written;
        return;
      }
      if (attempt >= attempts) {
        throw new Error(`could not update the release record ${this.key}: ${attempts} writers won in a row`);
      }
      // Another writer moved the ref first: build on theirs.
      await this.refresh();
      await (this.options.sleep ?? defaultSleep)(Math.random() * 20 * attempt);
    }
  }

  /**
   * Brings the tracking issue and the PR comment in line with the state. Loops until the state it
   * rendered is still the newest, so the last writer always leaves the views current.
   */
  async syncViews(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      await this.ensureIssue();
      const body = await this.readIssueBody();
      const ticks = manualTicks(this.head.data, readTicks(body ?? ''));
      if (ticks.size > 0) await this.swap([importTicks(ticks, undefined, this.now().toISOString())]);
      const rendered = renderTrackingIssue(this.head.data, this.key, { runUrl: this.options.runUrl });
      if (rendered !== body) await this.writeIssueBody(rendered);
      if (this.options.prComment !== false) await this.syncComment();
      if ((await this.documents.head(this.ref)) === this.head.sha) return;
      await this.refresh();
    }
  }

  private async ensureIssue(): Promise<void> {
    if (this.head.data.ids.issue) return;
    const { octokit, owner, repo } = this.options;
    const { release } = this.head.data;
    const title = (this.options.title ?? 'Release {version} to {environment}')
      .replaceAll('{version}', release.version)
      .replaceAll('{environment}', release.environment)
      .replaceAll('{name}', release.name);
    const body = renderTrackingIssue(this.head.data, this.key, { runUrl: this.options.runUrl });
    const created = await createIssueOnce(octokit, {
      owner,
      repo,
      title,
      body,
      labels: this.options.labels ?? ['release'],
      marker: issueMarker(this.key),
    });
    await this.swap([setIds({ issue: this.head.data.ids.issue ?? created })]);
    if (this.head.data.ids.issue !== created) {
      // Another job created the issue at the same moment and recorded it first.
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: created,
        state: 'closed',
        state_reason: 'not_planned',
        body: `Duplicate of #${this.head.data.ids.issue}. ${issueMarker(`${this.key} duplicate`)}`,
      });
    } else {
      this.issueBody = body;
      this.issueEtag = undefined;
    }
  }

  private async readIssueBody(): Promise<string | undefined> {
    const { octokit, owner, repo } = this.options;
    const issue_number = this.head.data.ids.issue!;
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
    await octokit.rest.issues.update({ owner, repo, issue_number: this.head.data.ids.issue!, body });
    this.issueBody = body;
    this.issueEtag = undefined;
  }

  private async syncComment(): Promise<void> {
    const pr = this.head.data.release.pullRequest;
    if (!pr) return;
    const { octokit, owner, repo } = this.options;
    const issueUrl = `https://github.com/${owner}/${repo}/issues/${this.head.data.ids.issue}`;
    const body = renderPrComment(this.head.data, this.key, issueUrl);
    if (body === this.commentBody) return;
    const id = this.head.data.ids.comment;
    if (id) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
      this.commentBody = body;
      return;
    }
    const created = await createCommentOnce(octokit, {
      owner,
      repo,
      issue: pr,
      body,
      marker: commentMarker(this.key),
    });
    await this.swap([setIds({ comment: this.head.data.ids.comment ?? created })]);
    if (this.head.data.ids.comment !== created) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: created });
    } else {
      this.commentBody = body;
    }
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
  }
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

function title(key: string, state: ReleaseState): string {
  return `shipgate release record ${key} r${state.revision}`;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { commentMarker, issueMarker };
