import type { Octokit } from '@octokit/rest';
import type { Logger } from '../logger.ts';
import type { SecretScrubber } from '../secrets.ts';
import type { Clock } from './clock.ts';

/**
 * Everything a phase needs to know about the run it is part of, read once at the edge (action
 * inputs and the runner's environment, or the CLI's arguments) and passed in (STYLE 3, 4).
 */
export interface RunContext {
  owner: string;
  repo: string;
  /** The commit being released. */
  sha: string;
  environment: string;
  /** Who started this run. */
  actor: string;
  runId: string;
  runAttempt: number;
  runUrl?: string;
  serverUrl: string;
  eventName?: string;
  /** The event payload (GITHUB_EVENT_PATH); untrusted text lives in here. */
  event: Record<string, unknown>;
  /** The release version when given as an input. */
  version?: string;
  /** The tracking issue when an earlier job passed it on. */
  issue?: number;
  /** The matrix key of this job, when items are per region. */
  region?: string;
  workspace: string;
  /** The environment commands run with (the runner's, with secrets in it). */
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  logger: Logger;
  octokit: Octokit;
  scrubber: SecretScrubber;
}

/** The facts GitHub's runner sets for every step (docs: "Default environment variables"). */
export interface RunnerFacts {
  owner: string;
  repo: string;
  sha: string;
  actor: string;
  runId: string;
  runAttempt: number;
  serverUrl: string;
  runUrl?: string;
  eventName?: string;
  eventPath?: string;
  workspace: string;
}

export function runnerFacts(env: Readonly<Record<string, string | undefined>>): RunnerFacts {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner = '', repo = ''] = repository.split('/');
  if (!owner || !repo)
    throw new Error('GITHUB_REPOSITORY is not set: shipgate actions run inside GitHub Actions');
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = env.GITHUB_RUN_ID ?? '0';
  return {
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    actor: env.GITHUB_TRIGGERING_ACTOR ?? env.GITHUB_ACTOR ?? 'unknown',
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1') || 1,
    serverUrl,
    runUrl: `${serverUrl}/${repository}/actions/runs/${runId}`,
    ...(env.GITHUB_EVENT_NAME ? { eventName: env.GITHUB_EVENT_NAME } : {}),
    ...(env.GITHUB_EVENT_PATH ? { eventPath: env.GITHUB_EVENT_PATH } : {}),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
  };
}

/** The pull request number an event names, when it names one. */
export function eventPullRequest(event: Record<string, unknown>): number | undefined {
  const pr = event.pull_request as { number?: unknown } | undefined;
  return typeof pr?.number === 'number' ? pr.number : undefined;
}

/** Text from the event that people outside the repository control (DESIGN 5: never in a command line). */
export function eventText(event: Record<string, unknown>): { prTitle?: string; branch?: string } {
  const pr = event.pull_request as { title?: unknown; head?: { ref?: unknown } } | undefined;
  const out: { prTitle?: string; branch?: string } = {};
  if (typeof pr?.title === 'string') out.prTitle = pr.title;
  if (typeof pr?.head?.ref === 'string') out.branch = pr.head.ref;
  else if (typeof event.ref === 'string') out.branch = event.ref.replace(/^refs\/heads\//, '');
  return out;
}
