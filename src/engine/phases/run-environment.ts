import type { ChecksContext } from '../../checks/runner.ts';
import type { Release } from '../release.ts';
import { eventPullRequest, eventText } from '../context.ts';
import { EVENT_ENV, eventEnvironment } from '../event-env.ts';
import { templateEnvironment } from '../template.ts';

/**
 * The environment every command of a phase runs with: the runner's (secrets included, under
 * their own names), the placeholder values (SHIPGATE_VERSION, SHIPGATE_ENVIRONMENT_URL,
 * SHIPGATE_VAR_<NAME>, ...) and the facts of the event (SHIPGATE_SHA, SHIPGATE_PR_TITLE,
 * SHIPGATE_BRANCH, ...). This is the only road event text takes into a command (DESIGN 5): as a
 * variable's value, never as part of a command line.
 */
export function runEnvironment(
  release: Pick<Release, 'ctx' | 'template'> & { record?: Release['record'] },
): Record<string, string | undefined> {
  const { ctx } = release;
  const text = eventText(ctx.event);
  const pullRequest = eventPullRequest(ctx.event) ?? release.record?.state.release.pullRequest;
  return {
    ...ctx.env,
    ...templateEnvironment(release.template),
    ...eventEnvironment({
      sha: ctx.sha,
      actor: ctx.actor,
      ...(pullRequest === undefined ? {} : { prNumber: pullRequest }),
      ...(text.prTitle === undefined ? {} : { prTitle: text.prTitle }),
      ...(text.branch === undefined ? {} : { branch: text.branch }),
      ...(ctx.region === undefined ? {} : { region: ctx.region }),
    }),
  };
}

/**
 * Shows what the event says about the release (PR title, branch) in the log. That text belongs to
 * whoever opened the pull request, so it goes through the logger's untrusted path: a title such as
 * `::add-mask::x` or `::warning::` is shown as text and never acts as a workflow command.
 */
export function logEventText(release: Pick<Release, 'ctx'>): void {
  const { ctx } = release;
  const text = eventText(ctx.event);
  if (text.prTitle !== undefined) ctx.logger.untrusted('pull request title', text.prTitle);
  if (text.branch !== undefined) ctx.logger.untrusted('branch', text.branch);
}

/**
 * What a check needs from this run, built in one place for every phase that runs checks.
 * Preflight passes its run environment; the rollback verifies the version it returned to (its
 * template and commit); smoke takes the defaults (the runner's environment, plus the region).
 */
export function checksContext(
  release: Pick<Release, 'ctx' | 'template'>,
  overrides: { env?: ChecksContext['env']; template?: ChecksContext['template']; sha?: string } = {},
): ChecksContext {
  const { ctx } = release;
  return {
    clock: ctx.clock,
    logger: ctx.logger,
    env: overrides.env ?? { ...ctx.env, ...(ctx.region ? { [EVENT_ENV.region]: ctx.region } : {}) },
    cwd: ctx.workspace,
    scrubber: ctx.scrubber,
    template: overrides.template ?? release.template,
    github: { octokit: ctx.octokit, owner: ctx.owner, repo: ctx.repo, sha: overrides.sha ?? ctx.sha },
  };
}
