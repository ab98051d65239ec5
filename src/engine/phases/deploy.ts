import { saveState as saveActionState, type SavedState } from '../../actions/outputs.ts';
import type { Step } from '../../config/schema.ts';
import { errorMessage } from '../../errors.ts';
import { statusOf } from '../../github/authority.ts';
import {
  createDeployment,
  DeploymentError,
  type DeploymentState,
  setDeploymentStatus,
} from '../../github/deployments.ts';
import { itemResult, type Phase, type PhaseResult } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import { type Approval, type Mutation, recordApprovals, recordEvent, setIds } from '../release-state.ts';
import { interpolate } from '../template.ts';
import { healthResult, waitHealthy } from './health-wait.ts';
import { markRunning, notRun, result } from './items.ts';
import { LOCK_ITEM, lockItem, lockRefName, lockScope, releaseLock, takeLock } from './lock.ts';
import { logEventText, runEnvironment } from './run-environment.ts';
import { runStep, runSteps } from './step.ts';

/**
 * Deploy: under the environment lock, inside a GitHub deployment, with maintenance mode around
 * it: the migrations and the deploy steps in order, then a wait until the health endpoint answers.
 *
 * Leaving the world as it was found: a phase that cannot take the lock or create the deployment
 * stops before it touches anything. Once steps have run, a failure cannot be undone here; the
 * result says `rollbackRequired` and the rollback phase restores the previous version. Whatever
 * happens, maintenance mode is turned off and the lock released before the phase returns, and the
 * post step (deploy-post.ts) does both again from saved state when the job was cancelled midway.
 */

export interface DeployOptions {
  /** Saves state for the post step: `core.saveState` in Actions; tests pass a recorder. */
  save?: (name: string, value: string) => void;
  fetch?: typeof fetch;
}

export function createDeployPhase(options: DeployOptions = {}): Phase {
  const save = (values: Partial<SavedState>) =>
    options.save ? saveActionState(values, options.save) : saveActionState(values);
  return {
    name: 'deploy',
    async run(release: Release): Promise<PhaseResult> {
      const { ctx, config } = release;
      const deploy = config.deploy;
      const state = release.record.state;
      const version = state.release.version;
      const previousVersion = state.release.previousVersion;
      logEventText(release);
      const env = runEnvironment(release);
      const maintenance = deploy.maintenance;
      const work: Step[] = [...deploy.migrations, ...deploy.steps];
      const later = [
        ...(maintenance ? [maintenance.enable.id] : []),
        ...work.map((step) => step.id),
        ...(deploy.health ? ['deploy:health'] : []),
        ...(maintenance ? [maintenance.disable.id] : []),
      ];
      const outputs = { version, ...(previousVersion ? { previousVersion } : {}) };

      // Results wait here and go out with the next write: a write is a handful of API calls (DESIGN 4).
      let pending: Mutation[] = [lockItem(release), ...(await approvalItems(release))];
      const send = async (...mutations: Mutation[]) => {
        const all = [...pending, ...mutations];
        pending = [];
        if (all.length > 0) await release.report(...all);
      };
      const disable = async (step: Step): Promise<boolean> => {
        await send(...markRunning(release, [step.id]));
        const disabled = await runStep(release, step, env, 'deploy.maintenance');
        pending.push(...result(release, step.id, disabled));
        if (disabled.status === 'passed') save({ maintenanceEnabled: false });
        return disabled.status === 'passed';
      };

      // 1. The lock: nothing is touched without it.
      const taken = await takeLock(release, 'deploy');
      if (!taken.held) {
        await send(
          lockResult(release, { status: 'failed', summary: taken.summary }),
          ...notRun(release, later, 'the environment is locked'),
        );
        return { outcome: 'failed', summary: taken.summary, outputs };
      }
      const lock = taken.lock;
      save({ lockRef: lockRefName(lockScope(ctx)), lockOwner: `${ctx.runId}/${ctx.runAttempt}` });
      pending.push(lockResult(release, { status: 'passed', summary: taken.summary }));

      let maintenanceOn = false;
      try {
        // 2. The GitHub deployment (reused on a re-run).
        const deployment = await ensureDeployment(release);
        if ('refused' in deployment) {
          pending.push(...notRun(release, later, 'GitHub refused the deployment'));
          return { outcome: 'failed', summary: deployment.refused, outputs };
        }
        const deploymentId = deployment.id;
        if (deploymentId !== undefined) pending.push(setIds({ deployment: deploymentId }));
        const ids: Record<string, number> = deploymentId ? { deploymentId } : {};
        const status = (state: DeploymentState, description: string) =>
          deploymentId === undefined
            ? Promise.resolve()
            : setStatus(release, deploymentId, state, description);
        await status('in_progress', `deploying ${version}`);

        // 3. Maintenance on.
        if (maintenance) {
          await send(...markRunning(release, [maintenance.enable.id]));
          // Saved before the step runs: a job cancelled during the step still turns it off.
          save({ maintenanceEnabled: true });
          maintenanceOn = true;
          const enabled = await runStep(release, maintenance.enable, env, 'deploy.maintenance');
          pending.push(...result(release, maintenance.enable.id, enabled));
          if (enabled.blocking) {
            const rest = [...work.map((step) => step.id), ...(deploy.health ? ['deploy:health'] : [])];
            pending.push(...notRun(release, rest, `${maintenance.enable.id} failed`));
            await status('failure', 'maintenance mode could not be enabled');
            return {
              outcome: 'failed',
              summary: `could not enable maintenance mode (${enabled.summary}); nothing was deployed`,
              outputs: { ...outputs, ...ids },
            };
          }
        }

        // 4. Migrations and deploy steps, in order.
        const steps = await runSteps(release, work, env, 'deploy.steps', pending);
        pending = steps.pending;
        const { failed } = steps;
        const changed = steps.outcomes.length > 0;

        // 5. Health.
        let healthFailure: string | undefined;
        if (deploy.health && !failed) {
          await send(...markRunning(release, ['deploy:health']));
          const url = interpolate(deploy.health.url, release.template, 'deploy.health.url');
          const health = await waitHealthy(deploy.health, url, ctx.clock, options.fetch);
          const line = `${health.healthy ? '✓' : '✗'} deploy:health: ${health.summary}`;
          if (health.healthy) ctx.logger.info(line);
          else ctx.logger.error(line);
          pending.push(...result(release, 'deploy:health', healthResult(health, url)));
          if (!health.healthy) healthFailure = health.summary;
        } else if (deploy.health) {
          pending.push(...notRun(release, ['deploy:health'], `${failed?.id} failed`));
        }

        // 6. Maintenance off (also after a failure: the site must not stay in maintenance).
        let stillInMaintenance: string | undefined;
        if (maintenance) {
          // One attempt here; the post step tries again from the saved state if it failed.
          maintenanceOn = false;
          if (!(await disable(maintenance.disable)))
            stillInMaintenance = `${maintenance.disable.id} failed: the site is still in maintenance mode`;
        }

        const problem = failed
          ? `${failed.id} failed: ${failed.summary}`
          : (healthFailure ?? stillInMaintenance);
        if (problem) {
          await status('failure', problem);
          return {
            outcome: 'failed',
            summary: `deploy of ${version} failed: ${problem}${changed ? `; roll back to ${previousVersion ?? 'the previous version'}` : ''}`,
            rollbackRequired: changed,
            outputs: { ...outputs, ...ids, rollbackRequired: changed },
          };
        }
        await status('success', `${version} deployed`);
        const deployed = `${version} deployed to ${ctx.environment}${previousVersion ? ` (previous: ${previousVersion})` : ''}`;
        pending.push(
          recordEvent({
            id: `deployed-${ctx.runId}-${ctx.runAttempt}`,
            at: ctx.clock.now().toISOString(),
            type: 'deployed',
            message: deployed,
            data: { version, ...(previousVersion ? { previousVersion } : {}) },
          }),
        );
        return {
          outcome: 'passed',
          summary: deployed,
          outputs: { ...outputs, ...ids, rollbackRequired: false },
        };
      } finally {
        // Whatever went wrong above, the site leaves maintenance and the lock is given back.
        if (maintenanceOn && maintenance) {
          await disable(maintenance.disable).catch((error: unknown) =>
            ctx.logger.error(`could not turn maintenance mode off: ${errorMessage(error)}`),
          );
        }
        await releaseLock(release, lock);
        await send();
      }
    },
  };
}

export const deployPhase: Phase = createDeployPhase();

/** The lock item's result; the item itself is added in the same write (`lockItem`), so no check that the record has it. */
function lockResult(release: Release, outcome: { status: 'passed' | 'failed'; summary: string }): Mutation {
  return itemResult(
    LOCK_ITEM,
    { ...outcome, summary: release.ctx.scrubber.scrub(outcome.summary) },
    release.ctx.clock.now(),
  );
}

/**
 * The deployment of this release: the one the record names (a re-run), or a new one. A refusal
 * (202: GitHub wants to merge first; 409: required contexts; 403: permissions) stops the phase
 * before anything changes. GitHub not answering (5xx after the client's retries) does not stop a
 * deploy: it goes on without a deployment object and says so.
 */
async function ensureDeployment(release: Release): Promise<{ id?: number } | { refused: string }> {
  const { ctx, config, record } = release;
  const known = record.state.ids.deployment;
  if (known) {
    ctx.logger.info(`reusing deployment ${known} from the release record`);
    return { id: known };
  }
  try {
    const id = await createDeployment(ctx.octokit, {
      owner: ctx.owner,
      repo: ctx.repo,
      sha: ctx.sha,
      environment: ctx.environment,
      version: record.state.release.version,
      key: record.key,
      production: config.environment.production,
    });
    return { id };
  } catch (error) {
    if (error instanceof DeploymentError) return { refused: error.message };
    const status = statusOf(error);
    if (status === 403) {
      return {
        refused: `GitHub refused to create a deployment (${errorMessage(error)}): give the workflow 'permissions: deployments: write'`,
      };
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return { refused: `GitHub refused to create a deployment: ${errorMessage(error)}` };
    }
    ctx.logger.warning(
      `could not create a GitHub deployment (${errorMessage(error)}); deploying without one`,
    );
    return {};
  }
}

async function setStatus(
  release: Release,
  deploymentId: number,
  state: DeploymentState,
  description: string,
) {
  const { ctx, config } = release;
  try {
    await setDeploymentStatus(ctx.octokit, {
      owner: ctx.owner,
      repo: ctx.repo,
      deploymentId,
      state,
      description: ctx.scrubber.scrub(description),
      ...(config.environment.url ? { environmentUrl: config.environment.url } : {}),
      ...(ctx.runUrl ? { logUrl: ctx.runUrl } : {}),
    });
  } catch (error) {
    ctx.logger.warning(`could not set deployment ${deploymentId} to ${state}: ${errorMessage(error)}`);
  }
}

/**
 * The environment gate: the job runs, so the environment's reviewers (if any) approved it. Who
 * did, with their comment, comes from the run's approvals; a run GitHub does not know (or a
 * token that may not read it) just leaves the names out.
 */
async function approvalItems(release: Release): Promise<Mutation[]> {
  const { ctx } = release;
  let approvals: Approval[] = [];
  try {
    const { data } = await ctx.octokit.rest.actions.getReviewsForRun({
      owner: ctx.owner,
      repo: ctx.repo,
      run_id: Number(ctx.runId),
    });
    const at = ctx.clock.now().toISOString();
    approvals = data
      .filter((review) => review.environments.some((environment) => environment.name === ctx.environment))
      .map((review) => ({
        user: review.user.login,
        state: review.state === 'approved' ? 'approved' : 'rejected',
        comment: review.comment,
        environments: review.environments.flatMap((environment) =>
          environment.name ? [environment.name] : [],
        ),
        at,
      }));
  } catch (error) {
    ctx.logger.debug(`no approvals read for run ${ctx.runId}: ${errorMessage(error)}`);
  }
  const approved = approvals.filter((approval) => approval.state === 'approved');
  const summary =
    approved.length > 0
      ? `approved by ${approved.map((approval) => `@${approval.user}${approval.comment ? `: “${approval.comment}”` : ''}`).join('; ')}`
      : 'the job started (no reviewer approval recorded for this run)';
  return [
    ...(approvals.length > 0 ? [recordApprovals(approvals)] : []),
    ...result(release, 'deploy:approval', { status: 'passed', summary }),
  ];
}
