import type { Octokit } from '@octokit/rest';
import { randomUUID } from 'node:crypto';
import {
  type ReleaseIdentity,
  applyMutations,
  claim,
  type ClaimedObject,
  importTicks,
  type Mutation,
  type ReleaseState,
  releaseKey,
  setIdOnce,
} from '../engine/release-state.ts';
import type { Logger } from '../logger.ts';
import { commentMarker, renderPrComment } from '../report/pr-comment.ts';
import { ConfigurationError } from '../errors.ts';
import { decodeStateBlock } from '../report/state-block.ts';
import { issueMarker, peopleTicks, renderTrackingIssue } from '../report/tracking-issue.ts';
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
  /** For links to the issue (GITHUB_SERVER_URL); default https://github.com. */
  serverUrl?: string;
  /** A creation claim older than this belongs to a job that died and may be taken over. Default 2 min. */
  claimTimeoutMs?: number;
}

export const STATE_REF_PREFIX = 'shipgate/releases/';

/**
 * A record to create only if none exists yet: what names it, and how to build its first state.
 * Building may cost API calls (the previous stable version, the changed files, the pull
 * request) that a job opening an existing record does not need to pay.
 */
export interface NewRecord {
  release: Pick<ReleaseIdentity, 'environment' | 'version' | 'sha'>;
  build(): Promise<ReleaseState>;
}

type Head = Versioned<ReleaseState>;

export class ReleaseRecord {
  readonly key: string;
  private head: Head;
  private readonly options: RecordOptions;
  private readonly documents: RefDocuments;
  private issueEtag: string | undefined;
  private issueBody: string | undefined;
  /** The issue body was created by this writer from the current state and not read since. */
  private issueFresh = false;
  private commentBody: string | undefined;
  /** The last compare-and-swap lost to another writer at least once. */
  private contended = false;
  /** Names this writer in creation claims. */
  private readonly writer = randomUUID();

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
  static async open(options: RecordOptions, initial: ReleaseState | NewRecord): Promise<ReleaseRecord> {
    const key = releaseKey(initial.release);
    const documents = new RefDocuments({ ...options, baseCommit: initial.release.sha });
    const ref = `${STATE_REF_PREFIX}${key}`;
    const create = async () => {
      const state = 'build' in initial ? await initial.build() : initial;
      return documents.create(ref, title(key, state), state);
    };
    const head =
      (await documents.read<ReleaseState>(ref)) ??
      (await create()) ??
      (await documents.read<ReleaseState>(ref));
    if (!head) throw new Error(`the release record ${key} was created by another job but cannot be read`);
    return new ReleaseRecord(options, documents, key, head);
  }

  /**
   * Opens the record of the release a tracking issue belongs to (the gates workflow knows only
   * the issue). The issue's state block names the release; the ref holds its state.
   */
  static async fromIssue(options: RecordOptions, issue: number): Promise<ReleaseRecord> {
    const { data } = await options.octokit.rest.issues.get({
      owner: options.owner,
      repo: options.repo,
      issue_number: issue,
    });
    const decoded = decodeStateBlock(data.body ?? '');
    if (!decoded.found) {
      throw new ConfigurationError(
        `issue #${issue} is not a shipgate tracking issue (its state block is ${decoded.reason}${decoded.detail ? `: ${decoded.detail}` : ''}); ` +
          "pass the number of the release's tracking issue",
      );
    }
    return ReleaseRecord.open(options, decoded.state);
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
    await this.swap([...mutations, ...this.creationClaims()]);
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
        this.contended = attempt > 1;
        return;
      }
      if (attempt >= attempts) {
        throw new Error(`could not update the release record ${this.key}: ${attempts} writers won in a row`);
      }
      // Another writer moved the ref first: build on theirs.
      await this.refresh();
      // Back off with jitter that grows with the losses, so eight writers spread out instead of
      // all paying for a commit that loses again.
      await (this.options.sleep ?? defaultSleep)(Math.random() * 15 * 2 ** Math.min(attempt, 5));
    }
  }

  /**
   * Brings the tracking issue and the PR comment in line with the state. Loops until the state it
   * rendered is still the newest, so the last writer always leaves the views current: a writer
   * whose view was overtaken sees the ref moved and renders again.
   */
  async syncViews(): Promise<void> {
    if (this.contended) {
      // Other writers are busy: if one already wrote a newer state, its own sync renders it (and
      // any later one), so rendering ours now would only be overwritten.
      this.contended = false;
      if ((await this.documents.head(this.ref)) !== this.head.sha) return;
    }
    for (let round = 0; round < 10; round++) {
      const issue = await this.ensureIssue();
      if (issue === undefined) {
        // Another writer is creating the issue; it renders every state up to its own, and
        // every later writer finds the issue.
        if (this.options.prComment !== false) await this.syncComment();
        return;
      }
      const body = await this.readIssueBody(issue);
      const ticks = peopleTicks(this.head.data, body);
      if (ticks.size > 0) await this.swap([importTicks(ticks, undefined, this.now().toISOString())]);
      const rendered = this.renderIssue();
      if (rendered !== body) await this.writeIssueBody(issue, rendered);
      if (this.options.prComment !== false) await this.syncComment();
      if ((await this.documents.head(this.ref)) === this.head.sha) return;
      await this.refresh();
    }
  }

  /** The issue's URL on GitHub, once it exists. */
  get issueUrl(): string | undefined {
    const issue = this.head.data.ids.issue;
    if (!issue) return undefined;
    const server = (this.options.serverUrl ?? 'https://github.com').replace(/\/$/, '');
    return `${server}/${this.options.owner}/${this.options.repo}/issues/${issue}`;
  }

  private renderIssue(): string {
    return renderTrackingIssue(this.head.data, this.key, {
      ...(this.options.runUrl ? { runUrl: this.options.runUrl } : {}),
    });
  }

  /**
   * The tracking issue's number, creating it when this writer's claim won; undefined while another
   * writer holds the claim.
   */
  private async ensureIssue(): Promise<number | undefined> {
    if (!(await this.claimCreation('issue'))) return this.head.data.ids.issue;
    const { octokit, owner, repo } = this.options;
    const { release } = this.head.data;
    const title = (this.options.title ?? 'Release {version} to {environment}')
      .replaceAll('{version}', release.version)
      .replaceAll('{environment}', release.environment)
      .replaceAll('{name}', release.name);
    const body = this.renderIssue();
    const created = await createIssueOnce(octokit, {
      owner,
      repo,
      title,
      body,
      labels: this.options.labels ?? ['release'],
      marker: issueMarker(this.key),
    });
    await this.swap([setIdOnce('issue', created)]);
    if (this.head.data.ids.issue !== created) {
      // A writer that took over a claim it thought stale was first after all.
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
      this.issueFresh = true;
    }
    return this.head.data.ids.issue;
  }

  /**
   * Claims for the objects that do not exist yet, ridden along with a write we make anyway, so
   * the first update does not pay for a compare-and-swap of its own per object.
   */
  private creationClaims(): Mutation[] {
    const { ids, release } = this.head.data;
    const objects: ClaimedObject[] = [];
    if (!ids.issue) objects.push('issue');
    if (!ids.comment && release.pullRequest && this.options.prComment !== false) objects.push('comment');
    const now = this.now();
    const staleBefore = new Date(now.getTime() - (this.options.claimTimeoutMs ?? 120_000)).toISOString();
    return objects.map((object) => claim(object, this.writer, now.toISOString(), staleBefore));
  }

  /**
   * Whether this writer should create the issue or comment now: true only when the object does not
   * exist and the compare-and-swap accepted our claim (no other writer holds a fresh one).
   */
  private async claimCreation(object: ClaimedObject): Promise<boolean> {
    const mine = () => !this.head.data.ids[object] && this.head.data.claims?.[object]?.by === this.writer;
    if (this.head.data.ids[object]) return false;
    if (mine()) return true;
    const now = this.now();
    const staleBefore = new Date(now.getTime() - (this.options.claimTimeoutMs ?? 120_000)).toISOString();
    const held = this.head.data.claims?.[object];
    if (held && held.at > staleBefore) return false;
    await this.swap([claim(object, this.writer, now.toISOString(), staleBefore)]);
    return mine();
  }

  private async readIssueBody(issue_number: number): Promise<string> {
    if (this.issueFresh && this.issueBody !== undefined) {
      // Created a moment ago from this very state: nobody has ticked anything in it yet worth a call.
      this.issueFresh = false;
      return this.issueBody;
    }
    const { octokit, owner, repo } = this.options;
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
      if (statusOf(error) !== 304 || this.issueBody === undefined) throw error;
    }
    return this.issueBody;
  }

  private async writeIssueBody(issue_number: number, body: string): Promise<void> {
    const { octokit, owner, repo } = this.options;
    await octokit.rest.issues.update({ owner, repo, issue_number, body });
    this.issueBody = body;
    this.issueEtag = undefined;
  }

  private async syncComment(): Promise<void> {
    const pr = this.head.data.release.pullRequest;
    if (!pr) return;
    const { octokit, owner, repo } = this.options;
    const body = renderPrComment(this.head.data, this.key, this.issueUrl);
    if (body === this.commentBody) return;
    const id = this.head.data.ids.comment;
    if (id) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
      this.commentBody = body;
      return;
    }
    if (!(await this.claimCreation('comment'))) return;
    const created = await createCommentOnce(octokit, {
      owner,
      repo,
      issue: pr,
      body,
      marker: commentMarker(this.key),
    });
    await this.swap([setIdOnce('comment', created)]);
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

function title(key: string, state: ReleaseState): string {
  return `shipgate release record ${key} r${state.revision}`;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { commentMarker, issueMarker };
