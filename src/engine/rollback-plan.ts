import type { RollbackInputs, RollbackStrategy } from '../actions/inputs.ts';
import type { EnvironmentConfig } from '../config/environment.ts';
import { resolveEnvironment } from '../config/environment.ts';
import type { Config } from '../config/schema.ts';
import { ConfigurationError } from '../errors.ts';
import { type Audience, Authority, describeAudience, REPO_ROLES } from '../github/authority.ts';
import { RefDocuments } from '../github/ref-document.ts';
import { STATE_REF_PREFIX } from '../github/release-record.ts';
import { type StableEntry, StableMarker } from '../github/stable-marker.ts';
import { tagName, tagTarget } from '../github/tags.ts';
import { decodeStateBlock } from '../report/state-block.ts';
import type { RunContext } from './context.ts';
import { openRelease, type Release } from './release.ts';
import { type ReleaseState, releaseKey } from './release-state.ts';
import { interpolate, type TemplateValues } from './template.ts';

/**
 * Deciding a rollback before anything changes: who asked (the release workflow after a failure,
 * a person through workflow_dispatch, or a drill), whether they may, which release is rolled back
 * and which version it returns to. Everything here only reads; a refusal leaves GitHub exactly as
 * it was (no record, lock, tag or issue is written).
 */

/** What the coordinator fills from the rollback action's inputs. */
export interface RollbackRequest {
  /**
   * automatic: the release workflow's own rollback job; manual: a person dispatched it; drill: a
   * rehearsal on a non-production environment (the same as manual with `drill: true`).
   */
  trigger: 'automatic' | 'manual' | 'drill';
  drill?: boolean;
  /** Version to return to; absent: the last stable version. */
  targetVersion?: string;
  severity?: string;
  reason?: string;
  /** Overrides the config's rollback.strategy. */
  strategy?: RollbackStrategy;
}

export type RollbackKind = 'automatic' | 'manual' | 'drill';

/**
 * The request the inputs describe. A person's dispatch carries a reason, a severity or a target
 * and names no tracking issue; the release workflow's rollback job names the issue (`issue`), and
 * is automatic. An automatic
 * rollback still needs a failure in the record (see `automaticRefusal`), so leaving the inputs
 * empty does not get anyone past the authorisation check.
 */
export function requestFromInputs(inputs: RollbackInputs, issue?: number): RollbackRequest {
  // A job that names the release's tracking issue is the release (or watch) workflow's own
  // rollback job (rollback.yml has no such input): automatic, whatever severity and reason it
  // adds for the incident issue, so it is not refused because the person who pushed may not
  // roll back by hand. The automatic path still needs a failure in the record.
  const manual =
    issue === undefined &&
    (inputs.reason !== undefined || inputs.severity !== undefined || inputs.targetVersion !== undefined);
  return {
    trigger: manual || inputs.drill === true ? 'manual' : 'automatic',
    ...(inputs.drill === true ? { drill: true } : {}),
    ...(inputs.targetVersion !== undefined ? { targetVersion: inputs.targetVersion } : {}),
    ...(inputs.severity !== undefined ? { severity: inputs.severity } : {}),
    ...(inputs.reason !== undefined ? { reason: inputs.reason } : {}),
    ...(inputs.strategy !== undefined ? { strategy: inputs.strategy } : {}),
  };
}

export function rollbackKind(request: RollbackRequest): RollbackKind {
  if (request.drill) return 'drill';
  return request.trigger;
}

/** Refused: a person may not, or the request makes no sense. Reported plainly; nothing changed. */
export class RollbackRefused extends ConfigurationError {}

/** With no `rollback.authorize` in the config, who may dispatch a rollback by hand. */
export const DEFAULT_AUDIENCE: Audience = { users: [], teams: [], minRole: 'maintain' };

type Authorize = NonNullable<Config['rollback']>['authorize'];

/**
 * Who may start this rollback: the entry for its severity. A drill without a severity may be
 * started by anyone who may roll back at some severity. A manual rollback must name a severity
 * the config lists (severities are not ranked against each other: P0 may well allow more people
 * than P3, so a missing entry is a refusal, not a fallback).
 */
export function rollbackAudience(
  authorize: Authorize,
  kind: RollbackKind,
  severity: string | undefined,
): Audience {
  const entries = Object.entries(authorize);
  if (entries.length === 0) return DEFAULT_AUDIENCE;
  const known = entries.map(([name]) => name).sort();
  if (severity === undefined) {
    if (kind === 'drill') return anyRollbackAudience(authorize);
    throw new RollbackRefused(
      `a manual rollback needs a severity (input 'severity': one of ${known.join(', ')}, as rollback.authorize lists)`,
    );
  }
  const who = Object.hasOwn(authorize, severity) ? authorize[severity] : undefined;
  if (!who) {
    throw new RollbackRefused(
      `nobody may dispatch a ${severity} rollback: rollback.authorize lists ${known.join(', ')} ` +
        `(${entries.map(([name, audience]) => `${name}: ${describeAudience(audience)}`).join('; ')})`,
    );
  }
  return who;
}

/** Everyone who may roll back at some severity (the config's default when it names no one). */
export function anyRollbackAudience(authorize: Authorize): Audience {
  const entries = Object.values(authorize);
  return entries.length === 0 ? DEFAULT_AUDIENCE : unionOf(entries);
}

function unionOf(audiences: readonly Audience[]): Audience {
  const roles = audiences
    .map((a) => a.minRole)
    .filter((role) => role !== undefined)
    .sort((a, b) => REPO_ROLES.indexOf(a) - REPO_ROLES.indexOf(b));
  return {
    users: [...new Set(audiences.flatMap((a) => a.users))],
    teams: [...new Set(audiences.flatMap((a) => a.teams))],
    ...(roles[0] ? { minRole: roles[0] } : {}),
  };
}

/** Why the record says this release must be rolled back; undefined when it says nothing of the kind. */
export function failureReason(state: ReleaseState): string | undefined {
  const failing = state.items.filter(
    (item) =>
      item.required &&
      (item.status === 'failed' || item.status === 'inconclusive') &&
      item.phase !== 'preflight' &&
      item.phase !== 'rollback',
  );
  const required = [...state.events].reverse().find((event) => /rollback required/i.test(event.type));
  const failedPhases = (['deploy', 'smoke', 'monitor'] as const).filter(
    (phase) => state.phases[phase]?.status === 'failed',
  );
  const parts: string[] = [];
  if (required) parts.push(required.message);
  for (const item of failing.slice(0, 3)) {
    parts.push(`${item.phase}: ${item.text}${item.summary ? `: ${item.summary}` : ''}`);
  }
  if (failing.length > 3) parts.push(`and ${failing.length - 3} more failing items`);
  if (parts.length === 0 && failedPhases.length > 0) parts.push(`${failedPhases.join(', ')} failed`);
  if (parts.length === 0 && state.outcome === 'failure') parts.push('the release failed');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Whether a finished rollback in the record is this one (a re-run), not one before a re-deploy. */
export function finishedRollback(state: ReleaseState, kind: RollbackKind): boolean {
  const rollback = state.rollback;
  if (!rollback?.finishedAt || !rollback.verified) return false;
  if ((rollback.trigger === 'drill') !== (kind === 'drill')) return false;
  const redeployed = state.phases.deploy?.startedAt;
  return !redeployed || redeployed <= rollback.startedAt;
}

/** A target a person asked for that must not be used, with why; undefined when it may be. */
export function refusedTarget(
  requested: string,
  from: string,
  rolledBackFrom: readonly string[],
): string | undefined {
  if (requested === from) return `${requested} is the version being rolled back`;
  if (rolledBackFrom.includes(requested)) {
    return `${requested} was itself rolled back from; name another version, or release it again once fixed`;
  }
  return undefined;
}

/** The name of the rollback tag: the config's pattern with every placeholder, made safe for git. */
export function rollbackTagName(pattern: string, values: TemplateValues & { now: Date }): string {
  const filled = interpolate(pattern, values, 'rollback.tag.pattern');
  return tagName(filled, {
    environment: values.environment ?? '',
    version: values.version ?? '',
    now: values.now,
  });
}

export interface RollbackTarget {
  version: string;
  sha: string;
  /** Where the version and commit came from, for the log and the issue. */
  source: string;
}

/** A rollback decided: everything the phase needs, settled before anything was written. */
export interface RollbackPlan {
  kind: RollbackKind;
  environment: string;
  fromVersion: string;
  target: RollbackTarget;
  strategy: RollbackStrategy;
  /** A person's words, or what the record says failed. */
  reason: string;
  severity?: string;
  actor: string;
  /** How the actor was found to be authorised (manual rollbacks and drills). */
  authorisedVia?: string;
}

/**
 * Decides the rollback (reads only) and opens the release it rolls back. A refusal throws a
 * RollbackRefused before anything on GitHub changed.
 */
export async function prepareRollback(
  ctx: RunContext,
  base: Config,
  request: RollbackRequest,
): Promise<{ plan: RollbackPlan; release: Release }> {
  const plan = await planRollback(ctx, base, request);
  const release = await openRelease({ ...ctx, version: plan.fromVersion }, base);
  return { plan, release };
}

/**
 * Decides the rollback, reading only: refusals (RollbackRefused) come from here. The release
 * rolled back is `ctx.version` when given (a run that already opened its release passes its
 * version), else found from the environment (see `currentVersion`).
 */
export async function planRollback(
  ctx: RunContext,
  base: Config,
  request: RollbackRequest,
): Promise<RollbackPlan> {
  const config = resolveEnvironment(base, ctx.environment);
  const rollback = config.rollback;
  if (!rollback)
    throw new ConfigurationError('the config has no rollback section: nothing to roll back with');
  const kind = rollbackKind(request);
  const strategy = request.strategy ?? rollback.strategy;
  checkStrategy(config, strategy);

  if (kind === 'drill' && config.environment.production) {
    throw new RollbackRefused(
      `a drill never touches a production environment, and ${ctx.environment} is marked production: true; drill on a staging environment`,
    );
  }
  let authorisedVia: string | undefined;
  if (kind !== 'automatic') {
    if (kind === 'manual' && !request.reason?.trim()) {
      throw new RollbackRefused("a manual rollback needs a reason (input 'reason'), for the incident issue");
    }
    const audience = rollbackAudience(rollback.authorize, kind, request.severity);
    const verdict = await new Authority(ctx).check(ctx.actor, audience);
    if (!verdict.allowed) {
      throw new RollbackRefused(
        `@${ctx.actor} may not ${kind === 'drill' ? 'run a rollback drill on' : 'roll back'} ${ctx.environment}` +
          `${request.severity ? ` at severity ${request.severity}` : ''}. Who may: ${describeAudience(audience)}. Nothing was changed.`,
      );
    }
    authorisedVia = verdict.via;
  }

  const documents = new RefDocuments({
    octokit: ctx.octokit,
    owner: ctx.owner,
    repo: ctx.repo,
    baseCommit: ctx.sha,
  });
  const fromVersion = await currentVersion(ctx, documents);
  const key = releaseKey({ environment: ctx.environment, version: fromVersion });
  const existing = (await documents.read<ReleaseState>(`${STATE_REF_PREFIX}${key}`))?.data;
  let reason = request.reason?.trim();
  if (kind === 'automatic') {
    // The engine itself (a failed phase in the same run) passes its reason: it knows, even when
    // GitHub did not take the failure into the record. A dispatch never passes one (see
    // requestFromInputs), so the record must show the failure.
    const why = existing ? failureReason(existing) : undefined;
    const known = reason !== undefined && reason !== '';
    if (!why && !known && !(existing && existing.rollback && existing.rollback.trigger !== 'drill')) {
      throw new RollbackRefused(
        `nothing in the release record of ${fromVersion} in ${ctx.environment} asks for a rollback ` +
          `(no failed deploy, smoke check or monitor rule). A rollback by hand needs a reason and a severity.`,
      );
    }
    reason ??= why ?? existing?.rollback?.reason ?? 'the release failed';
  }
  reason ??= kind === 'drill' ? 'rollback drill' : 'manual rollback';

  const previous = existing?.rollback;
  const rerunTarget =
    previous && previous.fromVersion === fromVersion && (previous.trigger === 'drill') === (kind === 'drill')
      ? previous
      : undefined;
  const target =
    rerunTarget && (!request.targetVersion || request.targetVersion === rerunTarget.toVersion)
      ? { version: rerunTarget.toVersion, sha: rerunTarget.toSha, source: 'the first attempt' }
      : await resolveTarget(ctx, documents, fromVersion, request.targetVersion);

  const plan: RollbackPlan = {
    kind,
    environment: ctx.environment,
    fromVersion,
    target,
    strategy,
    reason,
    actor: ctx.actor,
    ...(request.severity ? { severity: request.severity } : {}),
    ...(authorisedVia ? { authorisedVia } : {}),
  };
  ctx.logger.info(
    `rollback (${kind}) of ${fromVersion} in ${ctx.environment} to ${target.version} (${target.sha.slice(0, 12)}, from ${target.source}), strategy ${strategy}${authorisedVia ? `; @${ctx.actor} may: ${authorisedVia}` : ''}`,
  );
  return plan;
}

function checkStrategy(config: EnvironmentConfig, strategy: RollbackStrategy): void {
  const rollback = config.rollback!;
  if (strategy === 'flag' && !rollback.flag) {
    throw new ConfigurationError(
      'rollback strategy flag: the config has no rollback.flag step to turn the feature off',
    );
  }
  if (strategy !== 'flag' && rollback.steps.length === 0) {
    throw new ConfigurationError(`rollback strategy ${strategy}: the config has no rollback.steps`);
  }
  if (strategy === 'full') {
    const restore = rollback.database?.restore ?? 'backup';
    if (!config.backup) {
      throw new ConfigurationError(
        'rollback strategy full takes a safety backup first: the config needs a backup section',
      );
    }
    if (restore === 'migrations' && (rollback.database?.downgrade.length ?? 0) === 0) {
      throw new ConfigurationError(
        'rollback.database.restore is migrations, but rollback.database.downgrade has no steps',
      );
    }
  }
}

/**
 * The version running in the environment now, which the rollback leaves: the `version` input,
 * else the release of the tracking issue passed on (`issue`), else the newest deployment of the
 * environment that is not inactive, else the version marked stable.
 */
async function currentVersion(ctx: RunContext, documents: RefDocuments): Promise<string> {
  if (ctx.version) return ctx.version;
  if (ctx.issue) {
    const { data } = await ctx.octokit.rest.issues.get({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: ctx.issue,
    });
    const decoded = decodeStateBlock(data.body ?? '');
    if (decoded.found && decoded.state.release.environment === ctx.environment)
      return decoded.state.release.version;
  }
  const deployed = await deployedVersions(ctx);
  const running = deployed.find((d) => d.state !== 'inactive');
  if (running) return running.version;
  const stable = await new StableMarker(documents, ctx.clock).current(ctx.environment);
  if (stable) return stable.version;
  throw new ConfigurationError(
    `cannot tell which version runs in ${ctx.environment}: no deployment and no stable marker; give the input 'version'`,
  );
}

interface DeployedVersion {
  id: number;
  version: string;
  sha: string;
  /** The latest status, undefined when it has none. */
  state: string | undefined;
}

/** Deployments of the environment, newest first, with their latest status (a bounded look: 10). */
async function deployedVersions(ctx: RunContext): Promise<DeployedVersion[]> {
  const { data } = await ctx.octokit.rest.repos.listDeployments({
    owner: ctx.owner,
    repo: ctx.repo,
    environment: ctx.environment,
    per_page: 10,
  });
  const out: DeployedVersion[] = [];
  for (const deployment of data) {
    const { data: statuses } = await ctx.octokit.rest.repos.listDeploymentStatuses({
      owner: ctx.owner,
      repo: ctx.repo,
      deployment_id: deployment.id,
      per_page: 1,
    });
    out.push({
      id: deployment.id,
      version: deploymentVersion(deployment),
      sha: deployment.sha,
      state: statuses[0]?.state,
    });
  }
  return out;
}

/** The version a deployment is of: shipgate's payload, else the ref it was made from. */
export function deploymentVersion(deployment: { ref: string; payload: unknown }): string {
  const payload = (
    typeof deployment.payload === 'string' ? safeJson(deployment.payload) : deployment.payload
  ) as { shipgate?: { version?: unknown } } | undefined;
  const version = payload?.shipgate?.version;
  return typeof version === 'string' ? version : deployment.ref;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The version to return to and its commit. A named version must not be the one being left nor
 * one rolled back from, and must resolve to a commit: through the stable marker's history, its
 * release record, or a tag of that name. Without a name: the newest stable version that is
 * neither (`StableMarker.rollbackTarget`), else, for a repository new to shipgate, the newest
 * successful GitHub deployment of the environment that is neither.
 */
async function resolveTarget(
  ctx: RunContext,
  documents: RefDocuments,
  from: string,
  requested: string | undefined,
): Promise<RollbackTarget> {
  const marker = new StableMarker(documents, ctx.clock);
  if (requested) {
    const current = await marker.current(ctx.environment);
    const refusal = refusedTarget(requested, from, current?.rolledBackFrom ?? []);
    if (refusal) throw new RollbackRefused(`cannot roll back to ${requested}: ${refusal}`);
    const chain = await documents.history<StableEntry>(StableMarker.refName(ctx.environment), 50);
    const stable = chain.find((entry) => entry.data.version === requested);
    if (stable) return { version: requested, sha: stable.data.sha, source: 'the stable marker' };
    const record = await documents.read<ReleaseState>(
      `${STATE_REF_PREFIX}${releaseKey({ environment: ctx.environment, version: requested })}`,
    );
    if (record) return { version: requested, sha: record.data.release.sha, source: 'its release record' };
    const tagged = await tagTarget(ctx.octokit, ctx.owner, ctx.repo, requested);
    if (tagged) return { version: requested, sha: tagged, source: `tag ${requested}` };
    throw new RollbackRefused(
      `cannot roll back to ${requested}: no tag ${requested}, no release record and no stable entry names a commit for it`,
    );
  }
  const stable = await marker.rollbackTarget(ctx.environment, from);
  if (stable) return { version: stable.version, sha: stable.sha, source: 'the stable marker' };
  const rolledBack = new Set([from, ...((await marker.current(ctx.environment))?.rolledBackFrom ?? [])]);
  const deployed = (await deployedVersions(ctx)).find(
    (d) => !rolledBack.has(d.version) && (d.state === 'success' || d.state === 'inactive'),
  );
  if (deployed) return { version: deployed.version, sha: deployed.sha, source: `deployment ${deployed.id}` };
  throw new RollbackRefused(
    `no version to return to in ${ctx.environment}: nothing is marked stable except what is rolled back from; give the input 'target-version'`,
  );
}
