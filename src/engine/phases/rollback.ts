import { type SavedState, saveState as saveActionState } from '../../actions/outputs.ts';
import { restore, takeBackup } from '../../backup/index.ts';
import type { ChecksContext } from '../../checks/runner.ts';
import { runChecks } from '../../checks/runner.ts';
import type { Config, Step } from '../../config/schema.ts';
import { formatDuration } from '../../config/units.ts';
import { errorMessage } from '../../errors.ts';
import { createIssueOnce } from '../../github/create-once.ts';
import { createDeployment, setDeploymentStatus } from '../../github/deployments.ts';
import { EnvironmentLocks, type LockHolder } from '../../github/environment-lock.ts';
import type { Versioned } from '../../github/ref-document.ts';
import { StableMarker } from '../../github/stable-marker.ts';
import { createAnnotatedTag } from '../../github/tags.ts';
import { buildChecklist, checklistItems } from '../../report/checklist.ts';
import { formatMs } from '../../report/format.ts';
import { sendNotification } from '../../report/notification.ts';
import { renderRollbackIssue, type RollbackReport, rollbackMarker } from '../../report/rollback-issue.ts';
import { eventEnvironment } from '../event-env.ts';
import { healthResult, waitHealthy } from './health-wait.ts';
import { checksContext, runEnvironment } from './run-environment.ts';
import { runStep } from './step.ts';
import type { RunContext } from '../context.ts';
import { itemResult, type Phase, type PhaseResult, runPhase } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import {
  addItems,
  type Evidence,
  type ItemState,
  type ItemStatus,
  type Mutation,
  pendingItem,
  recordEvent,
  releaseKey,
  type RollbackState,
  setOutcome,
  startRollback,
  updateRollback,
} from '../release-state.ts';
import {
  finishedRollback,
  planRollback,
  prepareRollback,
  type RollbackPlan,
  type RollbackRequest,
  rollbackTagName,
} from '../rollback-plan.ts';
import { interpolate, type TemplateValues } from '../template.ts';

/**
 * The rollback phase: returns the environment to the planned version and proves it.
 *
 *   lock → record the decision, open the incident issue → mark the failed deployment →
 *   strategy (app: rollback steps; full: safety backup, database restore or downgrade, then the
 *   app; flag: the flag step) → verify (health wait, smoke checks against the target) →
 *   passed: deployment of the target, stable marker, rollback tag, re-deploy issue, outcome
 *   rolled back; failed: escalation issue (P0) and notification, never another rollback →
 *   incident issue final, lock released.
 *
 * The work that makes the environment safe comes first and never waits on GitHub: every report
 * (record, issues, deployments, tag, marker) is attempted, logged when GitHub does not answer, and
 * the rollback goes on (DESIGN 9). A re-run reuses the tag name, issues and deployment recorded
 * by the first attempt; a finished, verified rollback is not run again. A drill runs the same
 * procedure on a non-production environment and leaves deployments, the stable marker, tags and
 * the release's outcome alone.
 */

export interface RollbackDeps {
  /** Saves state for the post step (the Actions runner's `saveState` by default). */
  saveState?: (values: Partial<SavedState>) => void;
  /** For the webhook notification. */
  fetch?: typeof fetch;
}

/**
 * The whole rollback job in one call: decide (reads only; a refusal throws RollbackRefused with
 * nothing changed), open the release, run the phase through the phase runner.
 */
export async function runRollback(
  ctx: RunContext,
  config: Config,
  request: RollbackRequest,
  deps: RollbackDeps = {},
): Promise<{ plan: RollbackPlan; release: Release; result: PhaseResult }> {
  const { plan, release } = await prepareRollback(ctx, config, request);
  const result = await runPhase(rollbackPhase(plan, deps), release);
  return { plan, release, result };
}

/**
 * The rollback phase for a run that already opened its release (the root action's `phase: all`,
 * the rehearsal: a failed smoke check rolls back in the same job). It decides inside the phase,
 * for the release it is given; a refusal then fails the phase. A dispatched rollback job uses
 * `runRollback`, which refuses before anything is written.
 */
export function createRollbackPhase(request: RollbackRequest, deps: RollbackDeps = {}): Phase {
  return {
    name: 'rollback',
    holdsForPeople: false,
    async run(release) {
      const ctx = { ...release.ctx, version: release.record.state.release.version };
      const plan = await planRollback(ctx, release.config, request);
      return new RollbackRun(plan, release, deps).run();
    },
  };
}

/** The rollback phase for a decided plan (see `prepareRollback`). */
export function rollbackPhase(plan: RollbackPlan, deps: RollbackDeps = {}): Phase {
  return {
    name: 'rollback',
    holdsForPeople: false,
    run: (release) => new RollbackRun(plan, release, deps).run(),
  };
}

export const SAFETY_BACKUP_ITEM = 'rollback:safety-backup';
export const RESTORE_ITEM = 'rollback:restore-backup';
export const HEALTH_ITEM = 'rollback:verify-health';
export const SMOKE_ITEM = 'rollback:verify-smoke';
export const TAG_ITEM = 'rollback:tag';

interface ItemOutcome {
  status: ItemStatus;
  summary?: string;
  durationMs?: number;
  evidence?: Readonly<Record<string, unknown>>;
}

interface StepOutcome {
  ok: boolean;
  /** What failed, for the summary and the escalation. */
  failure?: string;
}

class RollbackRun {
  private readonly plan: RollbackPlan;
  private readonly release: Release;
  private readonly deps: RollbackDeps;
  private readonly drill: boolean;
  private readonly attemptId: string;
  /** Things GitHub did not take; said in the summary, the report catches up on a re-run. */
  private readonly unreported: string[] = [];
  /** Why the tag could not be named, when it could not. */
  private tagProblem: string | undefined;

  constructor(plan: RollbackPlan, release: Release, deps: RollbackDeps) {
    this.plan = plan;
    this.release = release;
    this.deps = deps;
    this.drill = plan.kind === 'drill';
    this.attemptId = `${release.ctx.runId}-${release.ctx.runAttempt}`;
  }

  private get ctx() {
    return this.release.ctx;
  }
  private get rollback() {
    return this.release.config.rollback!;
  }
  private get state(): RollbackState {
    return this.release.record.state.rollback!;
  }
  /** flag turns a feature off: the version that runs stays, and is what is verified and tagged. */
  private get changesVersion(): boolean {
    return this.plan.strategy !== 'flag';
  }
  private get running(): { version: string; sha: string } {
    return this.changesVersion
      ? this.plan.target
      : { version: this.plan.fromVersion, sha: this.release.record.state.release.sha };
  }

  async run(): Promise<PhaseResult> {
    const { plan } = this;
    if (finishedRollback(this.release.record.state, plan.kind)) {
      const done = this.release.record.state.rollback!;
      if (done.unreported?.length) return this.catchUp(done);
      return {
        outcome: 'passed',
        summary: `already rolled back to ${done.toVersion} (took ${formatMs(done.durationMs ?? 0)}); nothing to do`,
        outputs: this.outputs(done),
      };
    }
    const lock = await this.claimLock();
    if (typeof lock === 'string') return { outcome: 'failed', summary: lock };
    try {
      return await this.procedure();
    } finally {
      if (lock) await this.attempt('release the environment lock', () => this.locks().release(lock));
    }
  }

  /** What the rollback did, in words. */
  private done(): string {
    const { plan } = this;
    return this.changesVersion
      ? `rolled back from ${plan.fromVersion} to ${plan.target.version}`
      : `turned the feature flag of ${plan.fromVersion} off (it still runs)`;
  }

  /** A verified rollback whose reports GitHub did not all take: report, do nothing else again. */
  private async catchUp(done: RollbackState): Promise<PhaseResult> {
    const { plan, release, ctx } = this;
    await this.openIncidentIssue();
    if (!this.drill) {
      if (this.changesVersion) await this.markFailedDeployment();
      await this.recordRolledBack();
    }
    await release.report(
      updateRollback({ unreported: this.reportsLeft() }),
      recordEvent({
        id: `rollback-reported-${this.attemptId}`,
        at: ctx.clock.now().toISOString(),
        type: 'rollback reported',
        message: `caught up on: ${done.unreported!.join(', ')}`,
      }),
    );
    await this.updateIncidentIssue();
    const left = this.reportsLeft();
    return {
      outcome: 'passed',
      summary: `already rolled back to ${plan.target.version}; caught up on GitHub: ${done.unreported!.join(', ')}${left.length > 0 ? `; still not on GitHub: ${left.join(', ')}` : ''}`,
      outputs: this.outputs(this.state),
    };
  }

  /** What a re-run must still report (the lock is not a report: it is gone with this run). */
  private reportsLeft(): string[] {
    return this.unreported.filter((what) => !what.includes('lock'));
  }

  private async procedure(): Promise<PhaseResult> {
    const { plan, release, ctx } = this;
    const started = ctx.clock.now();
    await this.begin(started);
    await this.openIncidentIssue();
    if (!this.drill && this.changesVersion) await this.markFailedDeployment();

    const changed = await this.applyStrategy();
    const verified = changed.ok ? await this.verify() : { ok: false };
    const finished = ctx.clock.now();
    const durationMs = finished.getTime() - started.getTime();
    const took = formatMs(durationMs);

    if (changed.ok && verified.ok) {
      if (!this.drill) await this.recordRolledBack();
      await release.report(
        updateRollback({
          finishedAt: finished.toISOString(),
          durationMs,
          verified: true,
          unreported: this.reportsLeft(),
        }),
        recordEvent({
          id: `rollback-done-${this.attemptId}`,
          at: finished.toISOString(),
          type: this.drill ? 'drill finished' : 'rolled back',
          message: `${this.done()} in ${plan.environment}, verified; took ${took}`,
        }),
        ...(this.drill ? [] : [setOutcome('rolled-back')]),
      );
      await this.updateIncidentIssue();
      if (!this.drill) await this.notify('rollback', `${this.done()}, verified, in ${took}`);
      const left = this.unreported.length > 0 ? `; not yet on GitHub: ${this.unreported.join(', ')}` : '';
      return {
        outcome: 'passed',
        summary: `${this.drill ? 'drill: ' : ''}${this.done()} and verified in ${took}${left}`,
        outputs: this.outputs(this.state),
      };
    }

    const failure = changed.failure ?? verified.failure ?? 'unknown';
    await release.report(
      updateRollback({ finishedAt: finished.toISOString(), durationMs, verified: false }),
      recordEvent({
        id: `rollback-failed-${this.attemptId}`,
        at: finished.toISOString(),
        type: this.drill ? 'drill failed' : 'rollback failed',
        message: `${plan.fromVersion} → ${plan.target.version}: ${failure}`,
      }),
    );
    const escalation = this.drill ? undefined : await this.escalate(failure);
    await this.updateIncidentIssue();
    return {
      outcome: 'failed',
      summary:
        `${this.drill ? 'drill: ' : ''}rollback to ${plan.target.version} ${changed.ok ? 'failed verification' : 'failed'}: ${failure}` +
        (escalation ? `; escalated in #${escalation} (not retried)` : ''),
      rollbackRequired: false,
      outputs: this.outputs(this.state),
    };
  }

  // ── the lock ──────────────────────────────────────────────────────────────────────────────

  private locks(): EnvironmentLocks {
    const { release } = this;
    return new EnvironmentLocks(release.documents, this.ctx.clock, release.config.deploy.lock.staleAfter);
  }

  /** The lock, undefined when GitHub could not be asked (the rollback goes on), or why not. */
  private async claimLock(): Promise<Versioned<LockHolder> | undefined | string> {
    const { ctx, plan } = this;
    const holder: Omit<LockHolder, 'at'> = {
      environment: plan.environment,
      purpose: this.drill ? 'drill' : 'rollback',
      actor: ctx.actor,
      runId: ctx.runId,
      version: plan.target.version,
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
    };
    let claim;
    try {
      claim = await this.locks().claim(holder);
      if (!claim.held && claim.stale) {
        ctx.logger.warning(
          `breaking the stale ${claim.holder.purpose} lock of @${claim.holder.actor} (run ${claim.holder.runId}, ${formatDuration(claim.ageMs)} old)`,
        );
        claim = await this.locks().breakStale(holder);
      }
    } catch (error) {
      ctx.logger.warning(
        `could not take the ${plan.environment} lock (${errorMessage(error)}); rolling back without it`,
      );
      this.unreported.push('lock');
      return undefined;
    }
    if (!claim.held) {
      const who = claim.holder;
      return `${plan.environment} is locked by a ${who.purpose} of ${who.version} by @${who.actor} (run ${who.runId}${who.runUrl ? `, ${who.runUrl}` : ''}) since ${who.at}; not rolling back over it`;
    }
    (this.deps.saveState ?? saveActionState)({
      lockRef: `refs/${EnvironmentLocks.refName(plan.environment)}`,
      lockOwner: ctx.runId,
      ...(this.release.record.state.ids.issue ? { issue: this.release.record.state.ids.issue } : {}),
    });
    return claim.lock;
  }

  // ── recording ─────────────────────────────────────────────────────────────────────────────

  private async begin(started: Date): Promise<void> {
    const { plan, release, ctx } = this;
    const previous = release.record.state.rollback;
    const same =
      previous &&
      previous.fromVersion === plan.fromVersion &&
      (previous.trigger === 'drill') === this.drill &&
      !finishedBeforeRedeploy(release.record.state);
    const carried = same ? previous : undefined;
    const tag = carried?.tag ?? (this.drill ? undefined : this.tagName(started));
    const state: RollbackState = {
      trigger: plan.kind,
      strategy: plan.strategy,
      fromVersion: plan.fromVersion,
      toVersion: plan.target.version,
      toSha: plan.target.sha,
      by: plan.actor,
      reason: plan.reason,
      ...(plan.severity ? { severity: plan.severity } : {}),
      startedAt: started.toISOString(),
      firstStartedAt: carried?.firstStartedAt ?? started.toISOString(),
      attempts: (carried?.attempts ?? 0) + 1,
      ...(tag ? { tag } : {}),
      ...(carried?.issue ? { issue: carried.issue } : {}),
      ...(carried?.redeployIssue ? { redeployIssue: carried.redeployIssue } : {}),
      ...(carried?.escalationIssue ? { escalationIssue: carried.escalationIssue } : {}),
      ...(carried?.deployment ? { deployment: carried.deployment } : {}),
    };
    const who =
      plan.kind === 'automatic'
        ? 'automatically'
        : `by @${plan.actor}${plan.severity ? ` (${plan.severity})` : ''}`;
    await release.report(
      startRollback(state),
      addItems(this.items()),
      recordEvent({
        id: `rollback-decided-${this.attemptId}`,
        at: started.toISOString(),
        type: this.drill ? 'drill started' : 'rollback decided',
        message: `${plan.fromVersion} → ${plan.target.version} (strategy ${plan.strategy}) ${who}: ${plan.reason}`,
      }),
    );
    ctx.logger.info(`rolling back ${plan.fromVersion} → ${plan.target.version}${tag ? `; tag ${tag}` : ''}`);
  }

  /** The rollback tag's name; a pattern that cannot be filled never stops the rollback itself. */
  private tagName(now: Date): string | undefined {
    try {
      return rollbackTagName(this.rollback.tag.pattern, {
        ...this.release.template,
        previousVersion: this.plan.target.version,
        now,
      });
    } catch (error) {
      this.tagProblem = errorMessage(error);
      this.ctx.logger.warning(`no rollback tag: ${this.tagProblem}`);
      return undefined;
    }
  }

  /** The items this strategy ticks, as the checklist names them (also when the input overrode the strategy). */
  private items(): ItemState[] {
    const { release, plan } = this;
    const config = { ...release.config, rollback: { ...this.rollback, strategy: plan.strategy } };
    const listed = checklistItems(
      buildChecklist(config, plan.environment, { version: plan.fromVersion }),
    ).filter((item) => item.phase === 'rollback');
    const extra =
      plan.strategy === 'full'
        ? [
            { id: SAFETY_BACKUP_ITEM, text: 'Safety backup of the database as it is now' },
            ...(this.restoreMode() === 'backup'
              ? [{ id: RESTORE_ITEM, text: 'Database restored from the release backup' }]
              : []),
          ]
        : [];
    return [
      ...extra.map((item): ItemState => ({
        ...item,
        phase: 'rollback',
        kind: 'step',
        required: true,
        status: 'pending',
        section: 'Rollback',
      })),
      ...listed.map(pendingItem),
    ];
  }

  private restoreMode(): 'backup' | 'migrations' {
    return this.rollback.database?.restore ?? 'backup';
  }

  private async item(id: string, result: ItemOutcome): Promise<void> {
    await this.release.report(this.itemMutation(id, result));
  }

  private itemMutation(id: string, result: ItemOutcome): Mutation {
    const evidence = flatEvidence(result.evidence);
    return itemResult(
      id,
      {
        status: result.status,
        ...(result.summary !== undefined ? { summary: result.summary } : {}),
        ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}),
        ...(evidence ? { evidence } : {}),
      },
      this.ctx.clock.now(),
    );
  }

  // ── the strategy ──────────────────────────────────────────────────────────────────────────

  private async applyStrategy(): Promise<StepOutcome> {
    const { plan } = this;
    if (plan.strategy === 'flag') return this.runSteps([this.rollback.flag!]);
    if (plan.strategy === 'full') {
      const database = await this.rollbackDatabase();
      if (!database.ok) return database;
    }
    return this.runSteps(this.rollback.steps);
  }

  private stepTemplate(): TemplateValues {
    return { ...this.release.template, previousVersion: this.plan.target.version, now: this.ctx.clock.now() };
  }

  private async runSteps(steps: readonly Step[]): Promise<StepOutcome> {
    const { ctx, plan } = this;
    const eventEnv = eventEnvironment({
      targetVersion: plan.target.version,
      reason: plan.reason,
      drill: String(this.drill),
      actor: plan.actor,
      ...(plan.severity ? { severity: plan.severity } : {}),
    });
    const stepRelease = { ctx, template: this.stepTemplate(), record: this.release.record };
    for (const step of steps) {
      const result = await runStep(
        stepRelease,
        step,
        runEnvironment(stepRelease),
        'rollback.steps',
        eventEnv,
      );
      await this.item(step.id, result);
      if (result.blocking) return { ok: false, failure: `step ${step.id} ${result.summary}` };
    }
    return { ok: true };
  }

  private backupContext() {
    const { ctx, plan } = this;
    return {
      clock: ctx.clock,
      logger: ctx.logger,
      env: ctx.env,
      cwd: ctx.workspace,
      scrubber: ctx.scrubber,
      label: `before-rollback-${plan.fromVersion}`,
    };
  }

  /** full: a safety backup of the database as it is, then the restore or the downgrade. */
  private async rollbackDatabase(): Promise<StepOutcome> {
    const { release } = this;
    const database =
      this.restoreMode() === 'backup' ? [RESTORE_ITEM] : this.rollback.database!.downgrade.map((s) => s.id);
    if (database.every((id) => this.passedEarlier(id))) {
      this.ctx.logger.info('the database was rolled back by an earlier attempt of this rollback; not again');
      return { ok: true };
    }
    const safety = await takeBackup(release.config.backup!, this.backupContext());
    await this.item(SAFETY_BACKUP_ITEM, safety);
    if (safety.status !== 'passed') {
      return {
        ok: false,
        failure: `the safety backup failed, so the database was left as it is: ${safety.summary}`,
      };
    }
    if (this.restoreMode() === 'migrations') return this.runSteps(this.rollback.database!.downgrade);

    const backup = release.record.state.backup;
    if (!backup) {
      const summary = 'no backup in the release record (the backup phase records it); nothing to restore';
      await this.item(RESTORE_ITEM, { status: 'failed', summary });
      return { ok: false, failure: summary };
    }
    const url = this.ctx.env[backup.databaseUrlEnv];
    if (!url) {
      const summary = `${backup.databaseUrlEnv} is not set; cannot restore ${backup.file}`;
      await this.item(RESTORE_ITEM, { status: 'failed', summary });
      return { ok: false, failure: summary };
    }
    const restored = await restore(backup, { databaseUrl: url }, this.backupContext());
    await this.item(RESTORE_ITEM, {
      status: restored.status,
      summary: restored.summary,
      durationMs: restored.durationMs,
      evidence: { command: restored.command, backup: backup.file, safetyBackup: safety.backup?.file ?? '' },
    });
    return restored.status === 'passed'
      ? { ok: true }
      : { ok: false, failure: `database restore: ${restored.summary}` };
  }

  /** Whether an item passed in an earlier attempt of this same rollback. */
  private passedEarlier(id: string): boolean {
    const item = this.release.record.state.items.find((candidate) => candidate.id === id);
    return (
      this.state.attempts > 1 &&
      item?.status === 'passed' &&
      item.finishedAt !== undefined &&
      item.finishedAt >= this.state.firstStartedAt &&
      item.finishedAt < this.state.startedAt
    );
  }

  // ── verification ──────────────────────────────────────────────────────────────────────────

  /** Checks run against the version the rollback returned to. */
  private checksContext(): ChecksContext {
    return checksContext(this.release, {
      env: this.ctx.env,
      template: {
        ...this.release.template,
        version: this.running.version,
        previousVersion: this.plan.fromVersion,
      },
      sha: this.running.sha,
    });
  }

  private async verify(): Promise<StepOutcome> {
    const { config } = this.release;
    const verify = this.rollback.verify;
    const failures: string[] = [];
    const results: Mutation[] = [];
    if (verify.health) {
      if (!config.deploy.health) {
        results.push(
          this.itemMutation(HEALTH_ITEM, { status: 'skipped', summary: 'no deploy.health in the config' }),
        );
      } else {
        const url = interpolate(config.deploy.health.url, this.release.template, 'deploy.health.url');
        const health = await waitHealthy(config.deploy.health, url, this.ctx.clock, this.deps.fetch);
        results.push(this.itemMutation(HEALTH_ITEM, healthResult(health, url)));
        if (!health.healthy) failures.push(`health: ${health.summary}`);
      }
    }
    if (verify.smoke) {
      const checks = config.smoke?.checks ?? [];
      if (checks.length === 0) {
        results.push(
          this.itemMutation(SMOKE_ITEM, { status: 'skipped', summary: 'no smoke checks in the config' }),
        );
      } else {
        const checked = await runChecks(checks, this.checksContext(), {
          concurrency: config.smoke!.concurrency,
        });
        const blocking = checked.filter((r) => r.outcome === 'blocking');
        const durationMs = Math.max(...checked.map((r) => r.durationMs));
        results.push(
          this.itemMutation(SMOKE_ITEM, {
            status: blocking.length === 0 ? 'passed' : 'failed',
            summary:
              blocking.length === 0
                ? `${checked.length} of ${checked.length} passed against ${this.plan.target.version}`
                : blocking.map((r) => `${r.id}: ${r.summary}`).join('; '),
            durationMs,
            evidence: Object.fromEntries(checked.map((r) => [r.id, `${r.status}: ${r.summary}`])),
          }),
        );
        failures.push(...blocking.map((r) => `smoke ${r.id}: ${r.summary}`));
      }
    }
    await this.release.report(...results);
    return failures.length === 0 ? { ok: true } : { ok: false, failure: failures.join('; ') };
  }

  // ── what a verified rollback leaves on GitHub ─────────────────────────────────────────────

  private async markFailedDeployment(): Promise<void> {
    const id = this.release.record.state.ids.deployment;
    if (!id) return;
    await this.attempt('mark the failed deployment', async () => {
      const latest = await this.latestDeploymentState(id);
      if (latest === 'failure' || latest === 'inactive') return;
      await setDeploymentStatus(this.ctx.octokit, {
        owner: this.ctx.owner,
        repo: this.ctx.repo,
        deploymentId: id,
        state: 'failure',
        description: `rolled back to ${this.plan.target.version}: ${this.plan.reason}`,
        ...(this.ctx.runUrl ? { logUrl: this.ctx.runUrl } : {}),
      });
    });
  }

  private async latestDeploymentState(id: number): Promise<string | undefined> {
    const { data } = await this.ctx.octokit.rest.repos.listDeploymentStatuses({
      owner: this.ctx.owner,
      repo: this.ctx.repo,
      deployment_id: id,
      per_page: 1,
    });
    return data[0]?.state;
  }

  private async recordRolledBack(): Promise<void> {
    if (!this.changesVersion) {
      // The feature is off; the same version runs: no new deployment, the marker stays.
      await this.tag();
      return this.openRedeployIssue();
    }
    const { ctx, plan, release } = this;
    const { owner, repo, octokit } = ctx;
    await this.attempt('record the deployment of the target', async () => {
      let id = this.state.deployment;
      if (!id) {
        id = await createDeployment(octokit, {
          owner,
          repo,
          sha: plan.target.sha,
          environment: plan.environment,
          version: plan.target.version,
          key: releaseKey({ environment: plan.environment, version: plan.target.version }),
          production: release.config.environment.production,
          description: `shipgate rollback from ${plan.fromVersion} to ${plan.target.version}`,
        });
        await release.report(updateRollback({ deployment: id }));
      }
      if ((await this.latestDeploymentState(id)) !== 'success') {
        await setDeploymentStatus(octokit, {
          owner,
          repo,
          deploymentId: id,
          state: 'success',
          description: `rolled back from ${plan.fromVersion}`,
          ...(release.template.url ? { environmentUrl: release.template.url } : {}),
          ...(ctx.runUrl ? { logUrl: ctx.runUrl } : {}),
        });
      }
      const failed = release.record.state.ids.deployment;
      if (failed && (await this.latestDeploymentState(failed)) !== 'inactive') {
        await setDeploymentStatus(octokit, {
          owner,
          repo,
          deploymentId: failed,
          state: 'inactive',
          description: `replaced by ${plan.target.version} (rollback)`,
        });
      }
    });
    const marker = new StableMarker(release.documents, ctx.clock);
    await this.attempt('move the stable marker', async () => {
      const current = await marker.current(plan.environment);
      if (current?.version === plan.target.version && current.rolledBackFrom.includes(plan.fromVersion))
        return;
      await marker.mark(
        {
          environment: plan.environment,
          version: plan.target.version,
          sha: plan.target.sha,
          releaseKey: releaseKey({ environment: plan.environment, version: plan.target.version }),
        },
        plan.fromVersion,
      );
    });
    await this.tag();
    await this.openRedeployIssue();
  }

  private async tag(): Promise<void> {
    const { ctx, plan } = this;
    const name = this.state.tag;
    if (!name) {
      await this.item(TAG_ITEM, { status: 'failed', summary: this.tagProblem ?? 'no tag name' });
      return;
    }
    const { sha } = this.running;
    const what = this.changesVersion
      ? `Rollback of ${plan.fromVersion} to ${plan.target.version}`
      : `Rollback of ${plan.fromVersion} by turning its feature flag off`;
    const message =
      `${what} in ${plan.environment}\n\n` +
      `Reason: ${ctx.scrubber.scrub(plan.reason)}\nBy: @${plan.actor} (${plan.kind})` +
      `${plan.severity ? `\nSeverity: ${plan.severity}` : ''}${ctx.runUrl ? `\nRun: ${ctx.runUrl}` : ''}\n`;
    try {
      const tag = await createAnnotatedTag(ctx.octokit, {
        owner: ctx.owner,
        repo: ctx.repo,
        name,
        sha,
        message,
      });
      await this.item(TAG_ITEM, {
        status: 'passed',
        summary: `${name} at ${sha.slice(0, 12)}${tag.created ? '' : ' (already there)'}`,
      });
    } catch (error) {
      const summary = errorMessage(error);
      ctx.logger.warning(`rollback tag ${name}: ${summary}`);
      this.unreported.push(`tag ${name}`);
      await this.item(TAG_ITEM, { status: 'failed', summary: ctx.scrubber.scrub(summary) });
    }
  }

  // ── issues and notifications ──────────────────────────────────────────────────────────────

  private issueKey(): string {
    return this.drill ? `${this.release.record.key} drill` : this.release.record.key;
  }

  private report(): RollbackReport {
    const { plan, ctx, release } = this;
    const state = this.state;
    return {
      trigger: plan.kind,
      ...(plan.severity ? { severity: plan.severity } : {}),
      reason: plan.reason,
      triggeredBy: plan.actor,
      fromVersion: plan.fromVersion,
      toVersion: plan.target.version,
      strategy: plan.strategy,
      startedAt: state.startedAt,
      ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
      ...(state.verified !== undefined ? { verified: state.verified } : {}),
      ...(state.tag ? { tag: state.tag } : {}),
      ...(release.record.state.ids.issue ? { trackingIssue: release.record.state.ids.issue } : {}),
      ...(state.redeployIssue ? { redeployIssue: state.redeployIssue } : {}),
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
      ...(release.record.state.monitor?.chart ? { chart: release.record.state.monitor.chart } : {}),
      actionItems: this.rollback.manual.map((item) => ({ id: item.id, text: item.text })),
    };
  }

  private incidentBody(): string {
    const body = renderRollbackIssue(this.release.record.state, this.issueKey(), this.report());
    const escalation = this.state.escalationIssue;
    return this.ctx.scrubber.scrub(
      escalation ? `${body}\n> 🚨 The rollback did not verify; escalated in #${escalation}.\n` : body,
    );
  }

  private async openIncidentIssue(): Promise<void> {
    if (this.state.issue) return;
    const { ctx, release } = this;
    await this.attempt('open the rollback issue', async () => {
      const title = interpolate(this.rollback.issue.title, release.template, 'rollback.issue.title');
      const labels = this.drill
        ? [...this.rollback.issue.labels.filter((label) => label !== 'incident'), 'drill']
        : this.rollback.issue.labels;
      const number = await createIssueOnce(ctx.octokit, {
        owner: ctx.owner,
        repo: ctx.repo,
        title: this.drill ? `Drill: ${title}` : title,
        body: this.incidentBody(),
        labels,
        marker: rollbackMarker(this.issueKey()),
      });
      await release.report(updateRollback({ issue: number }));
    });
  }

  private async updateIncidentIssue(): Promise<void> {
    const number = this.state.issue;
    if (!number) return this.openIncidentIssue();
    await this.attempt('update the rollback issue', () =>
      this.ctx.octokit.rest.issues.update({
        owner: this.ctx.owner,
        repo: this.ctx.repo,
        issue_number: number,
        body: this.incidentBody(),
      }),
    );
  }

  private async openRedeployIssue(): Promise<void> {
    if (this.state.redeployIssue) return;
    const { ctx, plan, release } = this;
    const key = release.record.key;
    const marker = `<!-- shipgate:redeploy-issue ${key} -->`;
    const tracking = release.record.state.ids.issue;
    const body = [
      marker,
      `${plan.fromVersion} was rolled back in **${plan.environment}** to \`${plan.target.version}\`.`,
      '',
      `- Incident: ${this.state.issue ? `#${this.state.issue}` : '—'}`,
      `- Release: ${tracking ? `#${tracking}` : '—'}`,
      '',
      '- [ ] The cause is understood and fixed',
      `- [ ] ${plan.fromVersion} (or its successor) released again through the release workflow`,
      '',
    ].join('\n');
    await this.attempt('open the re-deploy issue', async () => {
      const number = await createIssueOnce(ctx.octokit, {
        owner: ctx.owner,
        repo: ctx.repo,
        title: `Re-deploy ${plan.fromVersion} after the fix`,
        body,
        labels: [],
        marker,
      });
      await release.report(updateRollback({ redeployIssue: number }));
    });
  }

  /** A rollback that did not verify: a P0 issue and a notification; nothing is retried. */
  private async escalate(failure: string): Promise<number | undefined> {
    const { ctx, plan, release } = this;
    let number = this.state.escalationIssue;
    if (!number) {
      const marker = `<!-- shipgate:rollback-escalation ${release.record.key} -->`;
      const body = [
        marker,
        `## 🚨 P0: the rollback of \`${plan.fromVersion}\` in **${plan.environment}** did not verify`,
        '',
        `shipgate rolled back to \`${plan.target.version}\` (strategy ${plan.strategy}) and the environment still fails:`,
        '',
        `> ${ctx.scrubber.scrub(failure).replaceAll('\n', ' ')}`,
        '',
        'shipgate does not retry a failed rollback: a person must decide what runs now.',
        '',
        `- Rollback issue: ${this.state.issue ? `#${this.state.issue}` : '—'}`,
        `- Release: ${release.record.state.ids.issue ? `#${release.record.state.ids.issue}` : '—'}`,
        `- Run: ${ctx.runUrl ?? '—'}`,
        '',
      ].join('\n');
      await this.attempt('open the escalation issue', async () => {
        number = await createIssueOnce(ctx.octokit, {
          owner: ctx.owner,
          repo: ctx.repo,
          title: `P0: rollback of ${plan.fromVersion} in ${plan.environment} failed verification`,
          body,
          labels: [...new Set([...this.rollback.issue.labels, 'P0'])],
          marker,
        });
        await release.report(updateRollback({ escalationIssue: number }));
      });
    }
    await this.notify(
      'failure',
      `🚨 P0: the rollback of ${plan.fromVersion} to ${plan.target.version} did not verify: ${failure}${number ? ` (#${number})` : ''}`,
    );
    return number;
  }

  private async notify(event: 'rollback' | 'failure', text: string): Promise<void> {
    const { ctx, plan, release } = this;
    await sendNotification(
      release.config.reporting.notify,
      {
        event,
        text: `${release.config.release.name} in ${plan.environment}: ${text}`,
        fields: {
          environment: plan.environment,
          fromVersion: plan.fromVersion,
          toVersion: plan.target.version,
          trigger: plan.kind,
          reason: plan.reason,
          ...(plan.severity ? { severity: plan.severity } : {}),
          ...(this.state.issue ? { issue: this.state.issue } : {}),
          ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
        },
      },
      {
        env: ctx.env,
        logger: ctx.logger,
        scrubber: ctx.scrubber,
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      },
    );
  }

  private outputs(state: RollbackState): Record<string, string | number> {
    return {
      version: state.strategy === 'flag' ? state.fromVersion : state.toVersion,
      previousVersion: state.fromVersion,
      ...(state.deployment ? { deploymentId: state.deployment } : {}),
      ...(state.tag && !this.drill ? { rollbackTag: state.tag } : {}),
      ...(state.issue ? { rollbackIssue: state.issue } : {}),
      ...(this.release.record.state.ids.issue ? { issue: this.release.record.state.ids.issue } : {}),
    };
  }

  /** Runs one report to GitHub; when GitHub does not take it, says so and goes on (DESIGN 9). */
  private async attempt(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.ctx.logger.warning(`could not ${what}: ${this.ctx.scrubber.scrub(errorMessage(error))}`);
      this.unreported.push(what.replace(/^(open|record|move|mark|update|release) (the )?/, ''));
    }
  }
}

/** Evidence as the record keeps it: flat strings, numbers and booleans. */
function flatEvidence(evidence: Readonly<Record<string, unknown>> | undefined): Evidence | undefined {
  if (!evidence) return undefined;
  const flat: Evidence = {};
  for (const [key, value] of Object.entries(evidence)) {
    if (value === null || value === undefined) continue;
    flat[key] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : Array.isArray(value)
          ? value.join(', ')
          : JSON.stringify(value);
  }
  return flat;
}

/** A finished rollback that a re-deploy came after: the next rollback is a new one. */
function finishedBeforeRedeploy(state: {
  rollback?: RollbackState;
  phases: { deploy?: { startedAt?: string } };
}): boolean {
  const { rollback } = state;
  const redeployed = state.phases.deploy?.startedAt;
  return Boolean(rollback?.finishedAt && redeployed && redeployed > rollback.startedAt);
}
