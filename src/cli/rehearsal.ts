import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { type Clock, systemClock } from '../engine/clock.ts';
import type { RunContext } from '../engine/context.ts';
import { openRelease } from '../engine/release.ts';
import { type RunOutcome, runPhases } from '../engine/release-run.ts';
import { createOctokit, SANDBOX_TIMING } from '../github/octokit.ts';
import type { Logger } from '../logger.ts';
import { SecretScrubber } from '../secrets.ts';
import { DEFAULT_WORLD, type Sandbox } from '../sandbox/index.ts';
import { PHASES } from '../config/schema.ts';

/**
 * A release run for real against the embedded GitHub sandbox: the same engine and the same
 * Octokit code as in Actions, so a team sees the exact issue, comment, tags and rollback a release
 * would produce before pushing a workflow. The release commit is pushed to a branch and opened as
 * a pull request in the sandbox, so the sticky PR comment appears too.
 */

export interface RehearsalOptions {
  config: Config;
  environment: string;
  version: string;
  sandbox: Sandbox;
  /** Where the rendered issue, comment and tags are written. */
  out: string;
  logger: Logger;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Title of the pull request the release comes from. */
  title?: string;
  /** Runs once the pull request exists, before the release starts (benchmarks seed comments here). */
  prepare?: (pullRequest: number) => Promise<void>;
  /** Runs when the release is over, before the views are read back (benchmarks count calls here). */
  finished?: () => Promise<void>;
}

export interface Rehearsal {
  outcome: RunOutcome;
  issue?: number;
  files: string[];
}

export async function rehearse(options: RehearsalOptions): Promise<Rehearsal> {
  const { sandbox, logger } = options;
  const repo = DEFAULT_WORLD.repo;
  const [owner, name] = repo.split('/') as [string, string];
  const octokit = createOctokit({
    baseUrl: sandbox.apiUrl,
    auth: sandbox.tokens.actions,
    timing: SANDBOX_TIMING,
    fetch: sandbox.fetch,
  });
  // The release commit, on its own branch, opened as a pull request by the admin user.
  const { data: main } = await octokit.rest.git.getRef({
    owner,
    repo: name,
    ref: `heads/${DEFAULT_WORLD.defaultBranch}`,
  });
  const branch = `release/${options.version}`;
  const commit = await sandbox.control.addCommit(repo, {
    message: `Release ${options.version}`,
    branch,
    parents: [main.object.sha],
    author: DEFAULT_WORLD.users.admin,
  });
  const pull = await sandbox.control.addPullRequest(repo, {
    title: options.title ?? `Release ${options.version}`,
    head: branch,
    user: DEFAULT_WORLD.users.admin,
  });
  logger.info(
    `rehearsal: ${options.version} to ${options.environment}, commit ${commit.sha.slice(0, 7)} in pull request #${pull.number}`,
  );

  await options.prepare?.(pull.number);

  const env = options.env ?? process.env;
  const ctx: RunContext = {
    owner,
    repo: name,
    sha: commit.sha,
    environment: options.environment,
    actor: DEFAULT_WORLD.users.admin,
    runId: String(Date.now()),
    runAttempt: 1,
    serverUrl: sandbox.url,
    runUrl: `${sandbox.url}/${repo}/actions/runs/rehearsal`,
    event: {},
    version: options.version,
    workspace: options.cwd,
    env,
    clock: options.clock ?? systemClock,
    logger,
    octokit,
    scrubber: SecretScrubber.fromEnv(options.config.secrets, env),
  };
  const release = await openRelease(ctx, options.config);
  // No runner here: state for post steps is not saved (the rehearsal cleans up in the same run).
  const outcome = await runPhases(release, PHASES, { save: () => undefined });
  await options.finished?.();
  const files = await writeViews(options, release.record.state.ids.issue, octokit, owner, name);
  return {
    outcome,
    files,
    ...(release.record.state.ids.issue ? { issue: release.record.state.ids.issue } : {}),
  };
}

/** Writes what a person would see on GitHub as Markdown files: the issues, the comment, the tags. */
async function writeViews(
  options: RehearsalOptions,
  issue: number | undefined,
  octokit: ReturnType<typeof createOctokit>,
  owner: string,
  repo: string,
): Promise<string[]> {
  const dir = join(options.out, `${options.environment}-${options.version}`);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const write = async (file: string, text: string) => {
    const path = join(dir, file);
    await writeFile(path, text);
    files.push(path);
  };
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'all',
    per_page: 100,
  });
  for (const found of issues) {
    if (found.pull_request || !found.body?.includes('<!-- shipgate:')) continue;
    const kind = found.body.includes('shipgate:rollback-issue')
      ? 'rollback-issue'
      : found.number === issue
        ? 'tracking-issue'
        : 'issue';
    if (kind === 'tracking-issue' || found.body.includes(options.version)) {
      await write(`${kind}-${found.number}.md`, `# #${found.number} ${found.title}\n\n${found.body}`);
    }
  }
  const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: (await octokit.rest.git.getRef({ owner, repo, ref: `heads/release/${options.version}` })).data
      .object.sha,
  });
  for (const pull of pulls.data) {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pull.number,
      per_page: 100,
    });
    const sticky = comments.find((comment) => comment.body?.includes('<!-- shipgate:pr-comment'));
    if (sticky?.body) await write(`pr-comment-${pull.number}.md`, sticky.body);
  }
  const tags = await octokit.paginate(octokit.rest.git.listMatchingRefs, {
    owner,
    repo,
    ref: 'tags/',
    per_page: 100,
  });
  await write(
    'tags.txt',
    `${tags.map((tag) => `${tag.ref.replace('refs/tags/', '')} ${tag.object.sha}`).join('\n')}\n`,
  );
  return files;
}
