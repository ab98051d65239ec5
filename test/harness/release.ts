/**
 * Open a real release against the GitHub sandbox in one call, for phase tests:
 *
 *   const sandbox = useSandbox();
 *   const { release, logger, issueBody } = await openTestRelease({
 *     sandbox: sandbox(),
 *     configText: 'version: 1\nrelease: ...',
 *     environment: 'staging',
 *   });
 *   const result = await runPhase(deployPhase, release);
 *
 * Everything is real: the config goes through the loader and schema, the record lives in the
 * sandbox's git refs, the tracking issue is created there, and commands run with the given
 * environment. Defaults: repository acme/webshop at main's tip, the `actions` token (a
 * GITHUB_TOKEN), a fresh version per call (so tests sharing a sandbox never share a record), a
 * RecordingLogger, the system clock, and a scrubber for the config's `secrets:`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { type Clock, systemClock } from '../../src/engine/clock.ts';
import type { RunContext } from '../../src/engine/context.ts';
import { type OpenOptions, openRelease, type Release } from '../../src/engine/release.ts';
import { ConfigurationError, formatProblem } from '../../src/errors.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from './recording-logger.ts';
import type { Role, TestSandbox } from './sandbox.ts';

export const OWNER = 'acme';
export const REPO = 'webshop';

export interface TestReleaseOptions extends OpenOptions {
  sandbox: TestSandbox;
  configText: string;
  environment: string;
  /** The release commit; main's tip by default. */
  sha?: string;
  /** The version input; a fresh `9.<n>.<random>` by default. */
  version?: string;
  /** Whose token the run uses; `actions` (the workflow's GITHUB_TOKEN) by default. */
  token?: Role;
  /** Who started the run (GITHUB_TRIGGERING_ACTOR); `wes` by default. */
  actor?: string;
  runId?: string;
  runAttempt?: number;
  /** Variables laid over `{ PATH, HOME }` for commands and checks (secrets go here). */
  env?: Record<string, string | undefined>;
  /** The event payload (GITHUB_EVENT_PATH), e.g. a pull_request event with a hostile title. */
  event?: Record<string, unknown>;
  eventName?: string;
  clock?: Clock;
  logger?: RecordingLogger;
  /** The job's working directory; by default a fresh temporary one, removed when the test ends (so call this inside a test). */
  workspace?: string;
  region?: string;
}

export interface TestRelease {
  release: Release;
  ctx: RunContext;
  config: Config;
  logger: RecordingLogger;
  /** The tracking issue's body as GitHub holds it now. */
  issueBody(): Promise<string>;
  /** The sticky PR comment's body, if the release has one. */
  commentBody(): Promise<string | undefined>;
}

let counter = 0;

/** A version no other call in this process uses. */
export function freshVersion(): string {
  counter += 1;
  return `9.${counter}.${Math.floor(Math.random() * 1e6)}`;
}

/** The sha main points at in the sandbox. */
export async function mainTip(sandbox: TestSandbox): Promise<string> {
  const { data } = await sandbox
    .octokit('admin')
    .rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' });
  return data.object.sha;
}

/** A fresh directory removed when the test that made it finishes. */
async function temporaryWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-workspace-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function testRunContext(options: Omit<TestReleaseOptions, 'configText'>): Promise<RunContext> {
  const { sandbox } = options;
  const logger = options.logger ?? new RecordingLogger();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const runId = options.runId ?? String(1000 + Math.floor(Math.random() * 1e6));
  return {
    owner: OWNER,
    repo: REPO,
    sha: options.sha ?? (await mainTip(sandbox)),
    environment: options.environment,
    actor: options.actor ?? 'wes',
    runId,
    runAttempt: options.runAttempt ?? 1,
    runUrl: `https://github.com/${OWNER}/${REPO}/actions/runs/${runId}`,
    serverUrl: 'https://github.com',
    ...(options.eventName ? { eventName: options.eventName } : {}),
    event: options.event ?? {},
    version: options.version ?? freshVersion(),
    ...(options.region ? { region: options.region } : {}),
    workspace: options.workspace ?? (await temporaryWorkspace()),
    env,
    clock: options.clock ?? systemClock,
    logger,
    octokit: sandbox.octokit(options.token ?? 'actions'),
    scrubber: new SecretScrubber(),
  };
}

/** Parses config text as the loader does; a mistake in a test's config names its lines. */
export function parseTestConfig(text: string): Config {
  try {
    return parseConfig(text, '.github/shipgate.yml').config;
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new Error(`${error.message}:\n${error.problems.map(formatProblem).join('\n')}`, {
        cause: error,
      });
    throw error;
  }
}

export async function openTestRelease(options: TestReleaseOptions): Promise<TestRelease> {
  const config = parseTestConfig(options.configText);
  const ctx = await testRunContext(options);
  for (const name of config.secrets) {
    const value = ctx.env[name];
    if (value !== undefined) ctx.scrubber.add(value);
  }
  const release = await openRelease(ctx, config, {
    ...(options.changedPaths ? { changedPaths: options.changedPaths } : {}),
  });
  const admin = options.sandbox.octokit('admin');
  return {
    release,
    ctx,
    config,
    logger: ctx.logger as RecordingLogger,
    async issueBody() {
      const issue = release.record.state.ids.issue;
      if (!issue) return '';
      const { data } = await admin.rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issue });
      return data.body ?? '';
    },
    async commentBody() {
      const comment = release.record.state.ids.comment;
      if (!comment) return undefined;
      const { data } = await admin.rest.issues.getComment({ owner: OWNER, repo: REPO, comment_id: comment });
      return data.body ?? '';
    },
  };
}

/** A config's item by id in the release record, for assertions. */
export function itemOf(release: Release, id: string) {
  const item = release.record.state.items.find((candidate) => candidate.id === id);
  if (!item)
    throw new Error(
      `no item '${id}' in the record (have: ${release.record.state.items.map((i) => i.id).join(', ')})`,
    );
  return item;
}
