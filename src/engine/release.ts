import type { EnvironmentConfig } from '../config/environment.ts';
import { resolveEnvironment } from '../config/environment.ts';
import type { Config } from '../config/schema.ts';
import { errorMessage } from '../errors.ts';
import { RefDocuments } from '../github/ref-document.ts';
import { ReleaseRecord } from '../github/release-record.ts';
import { StableMarker } from '../github/stable-marker.ts';
import { buildChecklist, checklistItems } from '../report/checklist.ts';
import { releaseChangedPaths } from './changed-paths.ts';
import type { RunContext } from './context.ts';
import { eventPullRequest } from './context.ts';
import { type Mutation, newReleaseState, pendingItem } from './release-state.ts';
import type { TemplateValues } from './template.ts';
import { resolveVersion } from './version.ts';

/**
 * One release in one environment, as every phase sees it: the effective config, the checklist,
 * the record on GitHub and the values placeholders fill from.
 */
export interface Release {
  ctx: RunContext;
  config: EnvironmentConfig;
  record: ReleaseRecord;
  documents: RefDocuments;
  template: TemplateValues;
  /**
   * Writes to the record. Never throws (DESIGN 9: reporting never blocks safety): when GitHub
   * does not answer, the mutations wait and go out with the next write that succeeds.
   */
  report(...mutations: Mutation[]): Promise<boolean>;
}

export interface OpenOptions {
  /** Files the release changes, for path-based sign-offs; undefined when unknown. */
  changedPaths?: readonly string[];
  /** Ask GitHub which files the release changes (against the last stable version) when the record is new. */
  listChangedPaths?: boolean;
}

export async function openRelease(
  ctx: RunContext,
  base: Config,
  options: OpenOptions = {},
): Promise<Release> {
  const config = resolveEnvironment(base, ctx.environment);
  const { octokit, owner, repo, sha } = ctx;
  const version = await resolveVersion(octokit, { owner, repo, sha }, config.release.version, ctx.version);
  const documents = new RefDocuments({ octokit, owner, repo, baseCommit: sha });
  // Only the job that creates the record pays for what its first state needs.
  const build = async () => {
    const stable = await new StableMarker(documents, ctx.clock).current(ctx.environment);
    const previousVersion = stable && stable.version !== version ? stable.version : undefined;
    const changedPaths =
      options.changedPaths ??
      (options.listChangedPaths ? await releaseChangedPaths(ctx, stable ?? null) : undefined);
    const checklist = buildChecklist(config, ctx.environment, {
      version,
      ...(changedPaths ? { changedPaths } : {}),
    });
    const pullRequest = eventPullRequest(ctx.event) ?? (await pullRequestOf(ctx));
    return newReleaseState(
      {
        repo: `${owner}/${repo}`,
        name: config.release.name,
        environment: ctx.environment,
        version,
        sha,
        startedBy: ctx.actor,
        ...(previousVersion ? { previousVersion } : {}),
        ...(pullRequest ? { pullRequest } : {}),
      },
      checklistItems(checklist).map(pendingItem),
      ctx.clock.now(),
    );
  };
  const record = await ReleaseRecord.open(
    {
      octokit,
      owner,
      repo,
      logger: ctx.logger,
      clock: () => ctx.clock.now(),
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
      labels: config.reporting.issue.labels,
      title: config.reporting.issue.title,
      prComment: config.reporting.prComment,
    },
    { release: { environment: ctx.environment, version, sha }, build },
  );
  const state = record.state;
  const template = releaseTemplate(ctx, config, state.release);

  let pending: Mutation[] = [];
  const report = async (...mutations: Mutation[]): Promise<boolean> => {
    pending = [...pending, ...mutations];
    try {
      await record.update(...pending);
      pending = [];
      return true;
    } catch (error) {
      ctx.logger.warning(
        `could not update the release record on GitHub (${errorMessage(error)}); it will catch up`,
      );
      return false;
    }
  };
  return { ctx, config, record, documents, template, report };
}

/** The values placeholders fill from in one run (also for post steps, which open no release). */
export function releaseTemplate(
  ctx: RunContext,
  config: EnvironmentConfig,
  release: { version?: string | undefined; previousVersion?: string | undefined },
): TemplateValues {
  return {
    environment: ctx.environment,
    name: config.release.name,
    now: ctx.clock.now(),
    vars: config.environment.vars,
    secrets: Object.fromEntries(config.secrets.map((name) => [name, ctx.env[name]])),
    ...(release.version ? { version: release.version } : {}),
    ...(release.previousVersion ? { previousVersion: release.previousVersion } : {}),
    ...(config.environment.url ? { url: config.environment.url } : {}),
  };
}

/** The pull request that produced the commit, if any (none for a direct push). */
async function pullRequestOf(ctx: RunContext): Promise<number | undefined> {
  try {
    const { data } = await ctx.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: ctx.owner,
      repo: ctx.repo,
      commit_sha: ctx.sha,
      per_page: 10,
    });
    return (data.find((pr) => pr.merged_at) ?? data[0])?.number;
  } catch (error) {
    ctx.logger.debug(`no pull request found for ${ctx.sha}: ${errorMessage(error)}`);
    return undefined;
  }
}
