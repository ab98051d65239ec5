import { resolve } from 'node:path';
import type { Step } from '../../config/schema.ts';
import { formatDuration } from '../../config/units.ts';
import { excerpt } from '../../checks/excerpt.ts';
import { ConfigurationError } from '../../errors.ts';
import { describeEnd, runCommand, succeeded } from '../command.ts';
import type { Release } from '../release.ts';
import { markRunning, notRun, result } from './items.ts';
import type { Evidence, ItemStatus, Mutation } from '../release-state.ts';
import { interpolateRecord, interpolateRun } from '../template.ts';

/** How one step went, ready to become its item's result. */
export interface StepOutcome {
  id: string;
  status: Extract<ItemStatus, 'passed' | 'failed'>;
  /** A failed step that does not stop the phase (`continueOnError`). */
  blocking: boolean;
  summary: string;
  durationMs: number;
  evidence: Evidence;
}

/**
 * Runs one configured step: placeholders filled in argv elements and `env` values (never in a bash
 * string), the phase's run environment underneath, killed at its timeout. Output is streamed to the
 * log line by line, each line labelled with the step id, and scrubbed of secrets. (Actions cannot
 * nest log groups, and the phase already runs inside its own, so a step is a labelled stretch of
 * that group rather than a group of its own.)
 */
export async function runStep(
  release: Pick<Release, 'ctx' | 'template'>,
  step: Step,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<StepOutcome> {
  const { ctx, template } = release;
  const path = `${where}.${step.id}`;
  let run: string | string[];
  let stepEnv: Record<string, string>;
  try {
    run = interpolateRun(step.run, template, `${path}.run`);
    stepEnv = interpolateRecord(step.env, template, `${path}.env`);
  } catch (error) {
    // A placeholder with no value in this run (e.g. {url} without environments.<name>.url).
    if (!(error instanceof ConfigurationError)) throw error;
    ctx.logger.error(`✗ ${step.id}: ${error.message}`);
    return {
      id: step.id,
      status: 'failed',
      blocking: !step.continueOnError,
      summary: error.message,
      durationMs: 0,
      evidence: {},
    };
  }
  ctx.logger.info(
    `▶ ${step.id}${step.name ? ` (${step.name})` : ''}, timeout ${formatDuration(step.timeout)}`,
  );
  const result = await runCommand(
    {
      run,
      env: { ...stepEnv, ...extraEnv },
      cwd: resolve(ctx.workspace, step.workingDirectory ?? '.'),
      timeoutMs: step.timeout,
    },
    { logger: ctx.logger, scrubber: ctx.scrubber, baseEnv: env, label: step.id },
  );
  const ok = succeeded(result);
  const summary = ok
    ? `${describeEnd(result)} in ${formatDuration(Math.round(result.durationMs))}`
    : `${describeEnd(result)}${result.output.trim() ? `: ${lastLine(result.output)}` : ''}`;
  const line = `${ok ? '✓' : '✗'} ${step.id}: ${summary}`;
  if (ok) ctx.logger.info(line);
  else if (step.continueOnError) ctx.logger.warning(`${line} (continueOnError)`);
  else ctx.logger.error(line);
  return {
    id: step.id,
    status: ok ? 'passed' : 'failed',
    blocking: !ok && !step.continueOnError,
    summary: ctx.scrubber.scrub(summary),
    durationMs: Math.round(result.durationMs),
    evidence: {
      exitCode: result.exitCode ?? 'none',
      ...(result.output.trim() ? { excerpt: excerpt(result.output, 500, 'tail') } : {}),
    },
  };
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').pop()?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Runs steps in order. Each step is reported running in the same write as the result before it
 * (`carry`, then each step's result), so a run of N steps costs N writes (DESIGN 4: a write is a
 * handful of API calls). The first failure that blocks stops the run, and the steps after it are
 * reported as not run. The last results are returned unsent in `pending`, for the caller's next
 * write.
 */
export async function runSteps(
  release: Release,
  steps: readonly Step[],
  env: Readonly<Record<string, string | undefined>>,
  where: string,
  carry: readonly Mutation[] = [],
): Promise<{ outcomes: StepOutcome[]; failed?: StepOutcome; pending: Mutation[] }> {
  const outcomes: StepOutcome[] = [];
  let pending: Mutation[] = [...carry];
  for (const [index, step] of steps.entries()) {
    await release.report(...pending, ...markRunning(release, [step.id]));
    const outcome = await runStep(release, step, env, where);
    outcomes.push(outcome);
    pending = result(release, step.id, outcome);
    if (outcome.blocking) {
      const rest = steps.slice(index + 1).map((later) => later.id);
      return {
        outcomes,
        failed: outcome,
        pending: [...pending, ...notRun(release, rest, `${step.id} failed`)],
      };
    }
  }
  return { outcomes, pending };
}
