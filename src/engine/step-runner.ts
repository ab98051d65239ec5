import { resolve } from 'node:path';
import type { Step } from '../config/schema.ts';
import { formatDuration } from '../config/units.ts';
import type { Logger } from '../logger.ts';
import type { SecretScrubber } from '../secrets.ts';
import { describeEnd, runCommand, succeeded } from './command.ts';
import { interpolateRecord, interpolateRun, type TemplateValues, templateEnvironment } from './template.ts';

/**
 * Runs one configured step (a thing that changes the world): placeholders filled in argv
 * elements and env values, never in a bash line (DESIGN 5); the placeholder values and any
 * event values as SHIPGATE_* variables; the step's timeout; output scrubbed and streamed.
 */

export interface StepContext {
  logger: Logger;
  scrubber: SecretScrubber;
  /** The runner's environment (secrets in it). */
  env: Readonly<Record<string, string | undefined>>;
  /** Working directories are relative to this. */
  cwd: string;
  template: TemplateValues;
  /** SHIPGATE_* values from outside the config (target version, reason, ...), as env only. */
  eventEnv?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

export interface StepResult {
  status: 'passed' | 'failed';
  /** One line, scrubbed. */
  summary: string;
  durationMs: number;
  evidence: Record<string, string | number>;
}

export async function runStep(step: Step, ctx: StepContext, where = `steps.${step.id}`): Promise<StepResult> {
  const run = interpolateRun(step.run, ctx.template, `${where}.run`);
  const env = {
    ...templateEnvironment(ctx.template),
    ...ctx.eventEnv,
    ...interpolateRecord(step.env, ctx.template, `${where}.env`),
  };
  const result = await runCommand(
    {
      run,
      env,
      cwd: resolve(ctx.cwd, step.workingDirectory ?? '.'),
      timeoutMs: step.timeout,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
    { logger: ctx.logger, scrubber: ctx.scrubber, baseEnv: ctx.env, label: step.id },
  );
  const ok = succeeded(result);
  const last = result.output.trim().split('\n').pop()?.trim() ?? '';
  const summary = ok
    ? `done in ${formatDuration(Math.round(result.durationMs))}`
    : `${describeEnd(result)}${last ? `: ${last}` : ''}`;
  return {
    status: ok || step.continueOnError ? 'passed' : 'failed',
    summary: ctx.scrubber.scrub(ok || !step.continueOnError ? summary : `${summary} (continueOnError)`),
    durationMs: Math.round(result.durationMs),
    evidence: {
      command: result.command,
      ...(result.exitCode === null ? {} : { exitCode: result.exitCode }),
    },
  };
}
