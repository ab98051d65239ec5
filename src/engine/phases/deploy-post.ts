import { type SavedState, saveState as saveActionState } from '../../actions/outputs.ts';
import type { EnvironmentConfig } from '../../config/environment.ts';
import { errorMessage } from '../../errors.ts';
import type { RunContext } from '../context.ts';
import { type Release, releaseTemplate } from '../release.ts';
import { type Mutation, recordEvent } from '../release-state.ts';
import type { TemplateValues } from '../template.ts';
import { releaseSavedLock } from './lock.ts';
import { runEnvironment } from './run-environment.ts';
import { runStep } from './step.ts';

/**
 * What the deploy action's post step does, from the state its main step saved. The runner runs
 * post steps also when the job failed or was cancelled, so this is where a deploy cut short is made
 * safe: maintenance mode goes off if the main step turned it on and did not turn it off, and the
 * environment lock is released if this run still holds it. It needs nothing from GitHub to turn
 * maintenance off (that comes first, GitHub may be why the job failed), and never throws.
 */

export interface DeployPostInput {
  ctx: RunContext;
  config: EnvironmentConfig;
  /** What the main step saved (`readState()` in Actions). */
  saved: Partial<SavedState>;
  /** Placeholder values for the disable step; the environment's own by default. */
  template?: TemplateValues;
  /** Saves state (`core.saveState` in Actions; tests capture it). */
  save?: (name: string, value: string) => void;
  /** Writes to the release record when the post step has it open. */
  report?: Release['report'];
}

export interface DeployPostResult {
  maintenance: 'disabled' | 'not enabled' | 'failed';
  lock: 'released' | 'not held' | 'held by another run' | 'failed';
  summary: string;
}

export async function deployPost(input: DeployPostInput): Promise<DeployPostResult> {
  const { ctx, config, saved } = input;
  const template = input.template ?? releaseTemplate(ctx, config, { version: ctx.version });
  const save = (values: Partial<SavedState>) =>
    input.save ? saveActionState(values, input.save) : saveActionState(values);

  let maintenance: DeployPostResult['maintenance'] = 'not enabled';
  const disable = config.deploy.maintenance?.disable;
  if (saved.maintenanceEnabled === true && disable) {
    ctx.logger.info('maintenance mode was left on by the main step: turning it off');
    const env = runEnvironment({ ctx, template });
    const outcome = await runStep({ ctx, template }, disable, env, 'deploy.maintenance').catch(
      (error: unknown) => ({ status: 'failed' as const, summary: errorMessage(error) }),
    );
    maintenance = outcome.status === 'passed' ? 'disabled' : 'failed';
    if (maintenance === 'disabled') save({ maintenanceEnabled: false });
    else ctx.logger.error(`could not turn maintenance mode off: ${outcome.summary}; turn it off by hand`);
  }

  let lock: DeployPostResult['lock'] = 'not held';
  if (saved.lockRef) lock = await releaseSavedLock(ctx, saved);

  const summary = `post: maintenance ${maintenance}, lock ${lock}`;
  ctx.logger.info(summary);
  if (input.report && (maintenance !== 'not enabled' || lock === 'released' || lock === 'failed')) {
    const events: Mutation[] = [
      recordEvent({
        id: `deploy-post-${ctx.runId}-${ctx.runAttempt}`,
        at: ctx.clock.now().toISOString(),
        type: 'deploy cleaned up',
        message: summary,
      }),
    ];
    await input.report(...events);
  }
  return { maintenance, lock, summary };
}
