import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as core from '@actions/core';
import { reportConfigurationError } from '../config/annotations.ts';
import { loadConfig } from '../config/load.ts';
import type { Config, PhaseName } from '../config/schema.ts';
import { PHASES } from '../config/schema.ts';
import { systemClock } from '../engine/clock.ts';
import { eventText, type RunContext, runnerFacts } from '../engine/context.ts';
import type { PhaseRequest } from '../engine/phases/index.ts';
import { openRelease } from '../engine/release.ts';
import { runPhases } from '../engine/release-run.ts';
import { ConfigurationError, errorMessage } from '../errors.ts';
import { adviceFor } from '../github/advice.ts';
import { createOctokit } from '../github/octokit.ts';
import { ActionsLogger, type Logger } from '../logger.ts';
import { renderPrComment } from '../report/pr-comment.ts';
import { SecretScrubber } from '../secrets.ts';
import { getInputs, getPhaseInput, type Inputs } from './inputs.ts';
import { setOutputs } from './outputs.ts';

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

export async function post(phase: ActionPhase | 'input'): Promise<void> {
  const logger = new ActionsLogger();
  try {
    const name = phase === 'input' ? getPhaseInput() : phase;
    logger.debug(`post step for ${name}: nothing to clean up in this build`);
  } catch (error) {
    fail(logger, error);
  }
}

async function runWith(inputs: Inputs, env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const facts = runnerFacts(env);
  const cwd = inputs.workingDirectory
    ? isAbsolute(inputs.workingDirectory)
      ? inputs.workingDirectory
      : join(facts.workspace, inputs.workingDirectory)
    : facts.workspace;
  const { config } = await loadConfig(isAbsolute(inputs.config) ? inputs.config : join(cwd, inputs.config));
  const scrubber = SecretScrubber.fromEnv(config.secrets, env, { mask: (value) => core.setSecret(value) });
  const event = readEvent(facts.eventPath);
  const text = eventText(event);
  if (text.prTitle !== undefined) logger.untrusted('pull request title', text.prTitle);
  if (text.branch !== undefined) logger.untrusted('branch', text.branch);

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
      log: {
        debug: (m) => logger.debug(m),
        info: (m) => logger.info(m),
        warn: (m) => logger.warning(m),
        error: (m) => logger.error(m),
      },
    }),
    ...(inputs.version ? { version: inputs.version } : {}),
    ...(inputs.issue ? { issue: inputs.issue } : {}),
    ...(inputs.region ? { region: inputs.region } : {}),
  };

  const release = await openRelease(ctx, config);
  const phases = inputs.phase === 'all' ? [...PHASES] : [inputs.phase];
  const outcome = await runPhases(release, phases, phaseRequest(inputs, config));
  const state = release.record.state;
  const last = outcome.results.at(-1)?.result;
  setOutputs({
    outcome: outcome.outcome,
    version: state.release.version,
    rollbackRequired:
      outcome.results.some(({ result }) => result.rollbackRequired === true) && !outcome.rolledBack,
    ...(state.ids.issue ? { issue: state.ids.issue } : {}),
    ...(state.ids.comment ? { commentId: state.ids.comment } : {}),
    ...(state.ids.deployment ? { deploymentId: state.ids.deployment } : {}),
    ...(state.release.previousVersion ? { previousVersion: state.release.previousVersion } : {}),
  });
  if (config.reporting.summary) {
    await core.summary.addRaw(renderPrComment(state, release.record.key)).write();
  }
  if (outcome.outcome === 'failed') core.setFailed(scrubber.scrub(last?.summary ?? 'the release failed'));
  else
    logger.info(
      `shipgate ${inputs.phase}: ${outcome.outcome}${last ? `: ${scrubber.scrub(last.summary)}` : ''}`,
    );
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
  if (inputs.phase !== 'rollback') return {};
  const { targetVersion, severity, reason, drill, strategy } = inputs.rollback;
  const trigger = drill ? 'drill' : reason || severity || targetVersion ? 'manual' : 'automatic';
  return {
    rollback: {
      trigger,
      ...(targetVersion ? { targetVersion } : {}),
      ...(severity ? { severity } : {}),
      ...(reason ? { reason } : {}),
      ...((strategy ?? config.rollback?.strategy) ? { strategy: strategy ?? config.rollback!.strategy } : {}),
    },
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
