import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as core from '@actions/core';
import { reportConfigurationError } from '../config/annotations.ts';
import { loadConfig } from '../config/load.ts';
import { resolveEnvironment } from '../config/environment.ts';
import type { Config, PhaseName } from '../config/schema.ts';
import { PHASES } from '../config/schema.ts';
import { systemClock } from '../engine/clock.ts';
import { eventText, type RunContext, runnerFacts } from '../engine/context.ts';
import { handlePeopleEvent, type PeopleEvent } from '../engine/people.ts';
import { deployPost } from '../engine/phases/deploy-post.ts';
import type { PhaseRequest } from '../engine/phases/index.ts';
import { runRollback } from '../engine/phases/rollback.ts';
import { rollbackPost } from '../engine/phases/rollback-post.ts';
import { openRelease, type Release } from '../engine/release.ts';
import { type RunOutcome, runPhases } from '../engine/release-run.ts';
import { requestFromInputs } from '../engine/rollback-plan.ts';
import { ConfigurationError, errorMessage } from '../errors.ts';
import { adviceFor } from '../github/advice.ts';
import { createOctokit } from '../github/octokit.ts';
import { ReleaseRecord } from '../github/release-record.ts';
import { ActionsLogger, type Logger } from '../logger.ts';
import { releaseOutputs, writeJobSummary } from '../report/job-summary.ts';
import { SecretScrubber } from '../secrets.ts';
import { getInputs, getPhaseInput, type Inputs } from './inputs.ts';
import { readState, setOutputs } from './outputs.ts';

/**
 * The one function every action entry calls. Entries hold no logic (STYLE 1): each
 * `src/actions/entries/<phase>.ts` is `await run('<phase>')`, and the post steps call `post`.
 * This reads the inputs and the runner's environment once, opens the release, runs the engine,
 * and turns the outcome into outputs, a job summary and the step's status. It has the one
 * top-level catch (STYLE 5): a user's mistake is reported plainly on its line; anything else is
 * ours and is reported with detail.
 */
export type ActionPhase = PhaseName | 'all';

/** `phase` is a phase name, or `input` for the root action, which reads it from its `phase` input. */
export async function run(phase: ActionPhase | 'input'): Promise<void> {
  const logger = new ActionsLogger();
  try {
    const inputs = getInputs(phase === 'input' ? getPhaseInput() : phase);
    await runWith(inputs, process.env, logger);
  } catch (error) {
    fail(logger, error);
  }
}

/**
 * The post step (`post-if: always()`): turns maintenance mode off if the main step left it on,
 * and releases the environment lock if this run still holds it. It never fails the job for
 * something it could not clean up; it says what is left to do by hand.
 */
export async function post(phase: ActionPhase | 'input'): Promise<void> {
  const logger = new ActionsLogger();
  try {
    const inputs = getInputs(phase === 'input' ? getPhaseInput() : phase);
    const saved = readState();
    if (!saved.lockRef && !saved.maintenanceEnabled) return;
    const { ctx, config } = await prepare(inputs, process.env, logger);
    if (inputs.phase === 'rollback') {
      const released = await rollbackPost(ctx, saved);
      logger.info(`post: ${released ? 'released the environment lock' : 'no lock of this run to release'}`);
    } else {
      // deploy, or the root action: maintenance off first, then the lock this run holds.
      const result = await deployPost({ ctx, config: resolveEnvironment(config, inputs.environment), saved });
      logger.info(`post: ${result.summary}`);
    }
  } catch (error) {
    logger.warning(`post step: ${errorMessage(error)}`);
  }
}

interface Prepared {
  ctx: RunContext;
  config: Config;
}

/** Reads the config and the runner's environment into a RunContext: everything below takes it. */
async function prepare(inputs: Inputs, env: NodeJS.ProcessEnv, logger: Logger): Promise<Prepared> {
  const facts = runnerFacts(env);
  const cwd = inputs.workingDirectory
    ? isAbsolute(inputs.workingDirectory)
      ? inputs.workingDirectory
      : join(facts.workspace, inputs.workingDirectory)
    : facts.workspace;
  const { config } = await loadConfig(isAbsolute(inputs.config) ? inputs.config : join(cwd, inputs.config));
  const scrubber = SecretScrubber.fromEnv(config.secrets, env, { mask: (value) => core.setSecret(value) });
  const event = readEvent(facts.eventPath);
  const ctx: RunContext = {
    ...facts,
    environment: inputs.environment,
    event,
    workspace: cwd,
    env,
    clock: systemClock,
    logger,
    scrubber,
    octokit: createOctokit({
      auth: inputs.githubToken,
      env,
      // Octokit's request log says `info` for every answer and `error` for every 4xx, also the
      // 404s shipgate expects (a record or marker not written yet): debug lines, not annotations.
      log: {
        debug: (m) => logger.debug(m),
        info: (m) => logger.debug(m),
        warn: (m) => logger.warning(m),
        error: (m) => logger.debug(m),
      },
    }),
    ...(inputs.version ? { version: inputs.version } : {}),
    ...(inputs.issue ? { issue: inputs.issue } : {}),
    ...(inputs.region ? { region: inputs.region } : {}),
  };
  return { ctx, config };
}

async function runWith(inputs: Inputs, env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const { ctx, config } = await prepare(inputs, env, logger);
  const text = eventText(ctx.event);
  if (text.prTitle !== undefined) logger.untrusted('pull request title', text.prTitle);
  if (text.branch !== undefined) logger.untrusted('branch', text.branch);

  if (ctx.eventName === 'issues' || ctx.eventName === 'issue_comment') {
    await reviewPeople(ctx, config, inputs, env);
    return;
  }

  const request = phaseRequest(inputs, config);
  if (inputs.phase === 'rollback') {
    // A dispatched rollback decides (who asks, what to return to) before anything is written.
    const { release, result } = await runRollback(ctx, config, request.rollback ?? { trigger: 'automatic' });
    await finish(
      release,
      { outcome: result.outcome, results: [{ phase: 'rollback', result }], rolledBack: false },
      config,
    );
    return;
  }
  const release = await openRelease(ctx, config, { listChangedPaths: true });
  const phases = inputs.phase === 'all' ? [...PHASES] : [inputs.phase];
  await finish(release, await runPhases(release, phases, request), config);
}

/** The gates workflow: a person ticked a box or wrote a /shipgate command on a tracking issue. */
async function reviewPeople(
  ctx: RunContext,
  config: Config,
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const issue = (ctx.event.issue as { number?: number } | undefined)?.number ?? inputs.issue;
  if (!issue) throw new ConfigurationError('an issues or issue_comment event without an issue number');
  const record = await ReleaseRecord.fromIssue(
    {
      octokit: ctx.octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      logger: ctx.logger,
      clock: () => ctx.clock.now(),
    },
    issue,
  );
  const outcome = await handlePeopleEvent(
    {
      name: ctx.eventName as 'issues' | 'issue_comment',
      payload: ctx.event as unknown as PeopleEvent['payload'],
    },
    {
      octokit: ctx.octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      config: resolveEnvironment(config, record.state.release.environment),
      record,
      logger: ctx.logger,
      clock: () => ctx.clock.now(),
      ...(inputs.nextWorkflow
        ? { next: { workflow: inputs.nextWorkflow, ref: env.GITHUB_REF ?? 'main' } }
        : {}),
    },
  );
  for (const line of outcome.accepted) ctx.logger.info(`accepted: ${line}`);
  for (const line of outcome.refused) ctx.logger.info(`refused: ${line}`);
  setOutputs({
    ...releaseOutputs(record.state),
    outcome: outcome.completed.length > 0 ? 'passed' : 'waiting',
  });
}

async function finish(release: Release, outcome: RunOutcome, config: Config): Promise<void> {
  const state = release.record.state;
  const last = outcome.results.at(-1)?.result;
  const rollback = state.rollback;
  setOutputs({
    ...releaseOutputs(state),
    outcome: outcome.outcome,
    rollbackRequired:
      outcome.results.some(({ result }) => result.rollbackRequired === true) && !outcome.rolledBack,
    ...(rollback?.tag ? { rollbackTag: rollback.tag } : {}),
    ...(rollback?.issue ? { rollbackIssue: rollback.issue } : {}),
  });
  if (config.reporting.summary) {
    await writeJobSummary(state, release.record.key, {
      ...(release.ctx.runUrl ? { runUrl: release.ctx.runUrl } : {}),
      ...(state.ids.issue ? { issueUrl: release.record.issueUrl } : {}),
    });
  }
  const summary = release.ctx.scrubber.scrub(last?.summary ?? '');
  if (outcome.outcome === 'failed') core.setFailed(summary || 'the release failed');
  else release.ctx.logger.info(`shipgate: ${outcome.outcome}${summary ? `: ${summary}` : ''}`);
}

function phaseRequest(inputs: Inputs, config: Config): PhaseRequest {
  if (inputs.phase === 'monitor') {
    return {
      monitor: {
        ...(inputs.monitor.resume !== undefined ? { resume: inputs.monitor.resume } : {}),
        ...(inputs.monitor.sliceMs !== undefined ? { sliceMs: inputs.monitor.sliceMs } : {}),
      },
    };
  }
  if (inputs.phase !== 'rollback') return { save: (name, value) => core.saveState(name, value) };
  const request = requestFromInputs(inputs.rollback, inputs.issue);
  return {
    rollback:
      request.strategy || !config.rollback ? request : { ...request, strategy: config.rollback.strategy },
  };
}

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function fail(logger: Logger, error: unknown): void {
  if (error instanceof ConfigurationError) {
    reportConfigurationError(logger, error);
    core.setFailed(error.message);
    return;
  }
  const advice = adviceFor(error);
  if (advice) logger.error(advice);
  if (error instanceof Error && error.stack) logger.debug(error.stack);
  core.setFailed(`shipgate: ${errorMessage(error)}`);
}
