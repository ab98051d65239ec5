import { resolve } from 'node:path';
import type { Check } from '../config/schema.ts';
import { describeEnd, runCommand } from '../engine/command.ts';
import { interpolateRecord, interpolateRun, templateEnvironment } from '../engine/template.ts';
import type { CheckContext, CheckVerdict } from './context.ts';
import { excerpt } from './excerpt.ts';
import { compilePattern } from './pattern.ts';

type CommandCheck = Extract<Check, { kind: 'command' }>;

/**
 * `command`: runs the configured command (argv or bash string) and passes when it exits with
 * `expectExitCode` and, if given, its output (stdout and stderr) matches `outputMatches`.
 * A command that hangs is killed at the check's timeout and the check fails (the runner words
 * it "timed out after 30s"): the command is ours to run, so a hang is an answer, not a doubt.
 *
 * Placeholders are filled in argv elements and `env` values; a bash string reads the same values
 * from SHIPGATE_VERSION, SHIPGATE_ENVIRONMENT, SHIPGATE_ENVIRONMENT_URL, SHIPGATE_VAR_<NAME>.
 */
export async function commandCheck(check: CommandCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const where = `checks.${check.id}`;
  const run = interpolateRun(check.run, ctx.template, `${where}.run`);
  const env = {
    ...templateEnvironment(ctx.template),
    ...interpolateRecord(check.env, ctx.template, `${where}.env`),
  };
  const pattern =
    check.outputMatches === undefined
      ? undefined
      : compilePattern(check.outputMatches, `${where}.outputMatches`, 'm');
  const result = await runCommand(
    { run, env, cwd: resolve(ctx.cwd, check.workingDirectory ?? '.'), signal: ctx.signal },
    { logger: ctx.logger, scrubber: ctx.scrubber, baseEnv: ctx.env, label: check.id },
  );
  const evidence = {
    exitCode: result.exitCode,
    durationMs: Math.round(result.durationMs),
    excerpt: excerpt(result.output, 500, 'tail'),
  };
  if (result.error !== undefined) return { status: 'failed', summary: result.error, evidence };
  if (result.exitCode !== check.expectExitCode) {
    return {
      status: 'failed',
      summary: `${describeEnd(result)} (expected ${check.expectExitCode})`,
      evidence,
    };
  }
  if (pattern && !pattern.test(result.output)) {
    return { status: 'failed', summary: `output does not match /${check.outputMatches}/`, evidence };
  }
  return { status: 'passed', summary: describeEnd(result), evidence };
}
