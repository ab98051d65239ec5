/**
 * What the tracker tests share: a release record opened against the sandbox, the items of a small
 * release, and the request log read as "calls this operation cost".
 */
import { DEFAULT_WORLD } from '../../src/sandbox/index.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { ReleaseRecord, type RecordOptions } from '../../src/github/release-record.ts';
import {
  type ItemState,
  newReleaseState,
  type ReleaseIdentity,
  type ReleaseState,
} from '../../src/engine/release-state.ts';
import type { LoggedRequest } from '../../src/sandbox/index.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import type { TestSandbox } from '../harness/sandbox.ts';

export const OWNER = DEFAULT_WORLD.owner;
export const REPO = DEFAULT_WORLD.name;

export function item(id: string, patch: Partial<ItemState> = {}): ItemState {
  return {
    id,
    phase: 'preflight',
    kind: 'check',
    text: `Check ${id}`,
    required: true,
    status: 'pending',
    ...patch,
  };
}

/** The items of a small release: two checks, two manual items a person ticks, a QA sign-off. */
export function releaseItems(): ItemState[] {
  return [
    item('unit-tests', { section: 'Checks' }),
    item('lint', { section: 'Checks' }),
    item('release-notes', { kind: 'manual', text: 'Release notes prepared', section: 'To do' }),
    item('support-briefed', { kind: 'manual', text: 'Support team briefed', section: 'To do' }),
    item('preflight:signoff:qa', {
      kind: 'signoff',
      text: 'QA Lead sign-off',
      owner: 'qa',
      section: 'Sign-off',
    }),
  ];
}

/** The merge commit of pull request #1 in the default world: a release that came from a PR. */
export async function mergeCommit(octokit: GitHub): Promise<string> {
  const { data } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 1 });
  return data.merge_commit_sha!;
}

export function initialState(
  version: string,
  sha: string,
  patch: Partial<ReleaseIdentity> = {},
  items: ItemState[] = releaseItems(),
): ReleaseState {
  return newReleaseState(
    {
      repo: `${OWNER}/${REPO}`,
      name: 'webshop',
      environment: 'production',
      version,
      sha,
      startedBy: 'ada',
      pullRequest: 1,
      ...patch,
    },
    items,
    new Date(),
  );
}

export function recordOptions(octokit: GitHub, extra: Partial<RecordOptions> = {}): RecordOptions {
  return {
    octokit,
    owner: OWNER,
    repo: REPO,
    logger: new RecordingLogger(),
    runUrl: 'https://github.com/acme/webshop/actions/runs/7',
    ...extra,
  };
}

export function openRecord(
  octokit: GitHub,
  state: ReleaseState,
  extra: Partial<RecordOptions> = {},
): Promise<ReleaseRecord> {
  return ReleaseRecord.open(recordOptions(octokit, extra), state);
}

/** Calls made since the log was cleared: all of them, and the ones charged to the rate limit. */
export interface Cost {
  total: number;
  charged: number;
  byOperation: Record<string, number>;
}

export function costOf(requests: readonly LoggedRequest[]): Cost {
  const byOperation: Record<string, number> = {};
  for (const r of requests) byOperation[r.operationId] = (byOperation[r.operationId] ?? 0) + 1;
  return {
    total: requests.length,
    charged: requests.filter((r) => !r.notModified).length,
    byOperation,
  };
}

/** Runs `work` and returns what it cost on the sandbox's request log. */
export async function measure<T>(
  sandbox: TestSandbox,
  work: () => Promise<T>,
): Promise<{ result: T; cost: Cost }> {
  await sandbox.control.clearRequests();
  const result = await work();
  const cost = costOf(await sandbox.control.requests());
  return { result, cost };
}

/** Issues and comments carrying a marker, straight from the sandbox's state. */
export async function objectsWithMarker(
  sandbox: TestSandbox,
  marker: string,
): Promise<{ issues: number[]; openIssues: number[]; comments: number[] }> {
  const world = await sandbox.control.state();
  const repo = world.repos[`${OWNER}/${REPO}`]!;
  const issues = repo.issues.filter((issue) => issue.body?.includes(marker));
  return {
    issues: issues.map((issue) => issue.number),
    openIssues: issues.filter((issue) => issue.state === 'open').map((issue) => issue.number),
    comments: repo.comments.filter((comment) => comment.body.includes(marker)).map((comment) => comment.id),
  };
}
