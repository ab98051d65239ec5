import { runChecks } from '../../checks/runner.ts';
import type { CheckResult } from '../../checks/context.ts';
import type { Phase, PhaseResult } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import { checkResult, markRunning, notRun } from './items.ts';
import { checksContext, logEventText, runEnvironment } from './run-environment.ts';
import { runSteps } from './step.ts';

/**
 * Preflight: is it safe to start? The configured checks run concurrently (at most
 * `preflight.concurrency` at once, each under its own timeout) and each is reported as an item
 * with its evidence; then the preflight steps run in order. Preflight changes nothing the release
 * depends on, so a failed check simply stops here: the steps do not run and nothing is deployed.
 *
 * Checks limited to other environments (`environments:`) and items the environment skips are
 * already gone from `release.config` (resolveEnvironment drops them).
 */

/**
 * Records the pre-deploy metrics the monitor's baseline rules compare against
 * (`preflight.baseline`). It lives with the monitor (src/engine/baseline.ts); preflight only calls
 * it, after its checks passed, and reports what it says.
 */
export type BaselineRecorder = (release: Release) => Promise<{ ok: boolean; summary: string }>;

export interface PreflightOptions {
  /** Absent: a configured baseline is left to the monitor phase, and the log says so. */
  baseline?: BaselineRecorder;
}

export function createPreflightPhase(options: PreflightOptions = {}): Phase {
  return {
    name: 'preflight',
    async run(release: Release): Promise<PhaseResult> {
      const { ctx } = release;
      const preflight = release.config.preflight;
      logEventText(release);
      if (!preflight) return { outcome: 'passed', summary: 'no preflight configured' };
      const env = runEnvironment(release);
      const { checks, steps } = preflight;

      await release.report(
        ...markRunning(
          release,
          checks.map((check) => check.id),
        ),
      );
      const results = await runChecks(checks, checksContext(release, { env }), {
        concurrency: preflight.concurrency,
      });
      // One write for all checks (they finish within moments of each other), with the first step.
      const reported = results.flatMap((check) => checkResult(release, check));
      const blocking = results.filter((check) => check.outcome === 'blocking');
      if (blocking.length > 0) {
        await release.report(
          ...reported,
          ...notRun(
            release,
            steps.map((step) => step.id),
            'preflight checks failed',
          ),
        );
        return { outcome: 'failed', summary: describeBlocking(blocking) };
      }

      const { failed, pending } = await runSteps(release, steps, env, 'preflight.steps', reported);
      await release.report(...pending);
      if (failed)
        return { outcome: 'failed', summary: `preflight step ${failed.id} failed: ${failed.summary}` };

      if (preflight.baseline) {
        if (options.baseline) {
          const baseline = await options.baseline(release);
          if (!baseline.ok) return { outcome: 'failed', summary: `baseline: ${baseline.summary}` };
        } else {
          ctx.logger.info(
            'preflight.baseline is configured: the monitor records it (no recorder passed here)',
          );
        }
      }
      const warnings = results.filter((check) => check.outcome === 'warning').length;
      return {
        outcome: 'passed',
        summary:
          `${results.length} check${results.length === 1 ? '' : 's'} passed` +
          (warnings > 0 ? ` (${warnings} not required did not)` : '') +
          (steps.length > 0 ? `, ${steps.length} step${steps.length === 1 ? '' : 's'} ran` : ''),
      };
    },
  };
}

export const preflightPhase: Phase = createPreflightPhase();

function describeBlocking(blocking: readonly CheckResult[]): string {
  const shown = blocking.slice(0, 5).map((check) => `${check.id} (${check.status}: ${check.summary})`);
  const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : '';
  return `${blocking.length} required check${blocking.length === 1 ? '' : 's'} did not pass: ${shown.join('; ')}${more}`;
}
