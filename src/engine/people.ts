import type { Octokit } from '@octokit/rest';
import { type Config, PHASES, type PhaseName, type Role } from '../config/schema.ts';
import { ConfigurationError } from '../errors.ts';
import { type Audience, Authority, statusOf } from '../github/authority.ts';
import { RefDocuments } from '../github/ref-document.ts';
import type { ReleaseRecord } from '../github/release-record.ts';
import { StableMarker } from '../github/stable-marker.ts';
import type { Logger } from '../logger.ts';
import { formatMs, formatTime } from '../report/format.ts';
import { diffTicks } from '../report/ticks.ts';
import { renderedItemLines } from '../report/tracking-issue.ts';
import { systemClock } from './clock.ts';
import { parseCommentCommand } from './comment-command.ts';
import { missingPeopleItems } from './phase-runner.ts';
import {
  importTicks,
  type ItemState,
  type Mutation,
  recordEvent,
  setOutcome,
  updateItem,
  updatePhase,
} from './release-state.ts';
import { anyRollbackAudience } from './rollback-plan.ts';
import { deny, gateStatus, openSignoff, refuseSignature, roleOfSignoff, sign } from './signoffs.ts';
import { applyWatchVerdict, verdictRefusal } from './watch-verdict.ts';

/**
 * What people do on the tracking issue, as GitHub delivers it to the small `issues` /
 * `issue_comment` workflow: ticks and comment commands. Every act is checked against the config
 * before it counts; an act that does not count is undone in the checklist and answered with a
 * reply that says why. Afterwards the gates are reviewed: a gate whose people are all in starts
 * the next stage (`workflow_dispatch`), a sign-off past its expiry closes the gate as timed out.
 */

/** The workflow to dispatch when a gate completes (the action input `next-workflow`). */
export interface NextStage {
  /** Workflow file name or id, e.g. `release.yml`. */
  workflow: string;
  /** Branch or tag to run it on (a workflow_dispatch needs one; the gates workflow's GITHUB_REF). */
  ref: string;
}

export interface PeopleContext {
  octokit: Octokit;
  owner: string;
  repo: string;
  config: Config;
  record: ReleaseRecord;
  logger: Logger;
  clock?: () => Date;
  /** Logins whose edits are shipgate's own (the token's bot user). */
  selfLogins?: readonly string[];
  /** Dispatched once when a waiting phase's people items are all complete; absent: nothing starts. */
  next?: NextStage;
}

export interface PeopleEvent {
  name: 'issues' | 'issue_comment';
  payload: {
    action: string;
    sender: { login: string };
    issue: { number: number; body?: string | null };
    comment?: { id: number; body?: string | null };
    changes?: { body?: { from: string } };
  };
}

export interface PeopleOutcome {
  accepted: string[];
  refused: string[];
  /** Phases whose gate completed with this event (the next stage was dispatched when configured). */
  completed: PhaseName[];
  /** Sign-offs whose gate closed as timed out. */
  expired: string[];
}

export async function handlePeopleEvent(event: PeopleEvent, ctx: PeopleContext): Promise<PeopleOutcome> {
  const sender = event.payload.sender.login;
  const outcome: PeopleOutcome = { accepted: [], refused: [], completed: [], expired: [] };
  if ((ctx.selfLogins ?? ['github-actions[bot]']).includes(sender)) return outcome;
  await ctx.record.refresh();
  if (event.name === 'issue_comment' && event.payload.action === 'created') {
    await handleComment(event.payload.comment?.body ?? '', sender, ctx, outcome);
  } else if (event.name === 'issues' && event.payload.action === 'edited' && event.payload.changes?.body) {
    await handleEdit(event.payload.changes.body.from, event.payload.issue.body ?? '', sender, ctx, outcome);
  }
  await reviewGates(ctx, outcome);
  return outcome;
}

async function handleComment(
  body: string,
  sender: string,
  ctx: PeopleContext,
  outcome: PeopleOutcome,
): Promise<void> {
  const command = parseCommentCommand(body);
  if (!command) return;
  if (command.verb === 'invalid') return refuse(ctx, outcome, sender, command.message);
  if (command.verb === 'promote' || command.verb === 'rollback') {
    return answerWatch(command.verb, command.note, sender, ctx, outcome);
  }
  const mutations = await signature(command.role, sender, command.verb, command.note, ctx, outcome);
  if (mutations.length > 0) await ctx.record.update(...mutations);
}

async function handleEdit(
  before: string,
  after: string,
  sender: string,
  ctx: PeopleContext,
  outcome: PeopleOutcome,
): Promise<void> {
  const mutations: Mutation[] = [];
  const now = currentTime(ctx);
  const state = ctx.record.state;
  for (const change of diffTicks(before, after, renderedItemLines(state))) {
    const item = state.items.find((candidate) => candidate.id === change.id);
    if (!item) continue;
    // A save of a stale copy: nobody meant it. The view is put back below, without a reply.
    if (!change.deliberate) continue;
    if (item.kind === 'manual') {
      const audience = ownerAudience(item, ctx.config);
      const verdict = audience ? await new Authority(ctx).check(sender, audience) : undefined;
      if (verdict && !verdict.allowed) {
        await refuse(
          ctx,
          outcome,
          sender,
          `only ${item.owner} may tick “${item.text}”: ${verdict.reason}`,
          UNTICKED,
        );
        continue;
      }
      mutations.push(importTicks(new Map([[item.id, change.ticked]]), sender, now.toISOString()));
      outcome.accepted.push(`${change.ticked ? 'ticked' : 'unticked'} ${item.id}`);
    } else if (item.kind === 'signoff' && change.ticked) {
      const signed = await signature(
        roleOfSignoff(item) ?? '',
        sender,
        'sign-off',
        '',
        ctx,
        outcome,
        UNTICKED,
      );
      mutations.push(...signed);
    } else if (item.kind === 'signoff') {
      await refuse(
        ctx,
        outcome,
        sender,
        `a sign-off stands once given; \`/shipgate deny ${roleOfSignoff(item) ?? 'ROLE'} <reason>\` stops the release`,
        ' The box is ticked again.',
      );
    } else {
      await refuse(
        ctx,
        outcome,
        sender,
        `“${item.text}” is ticked by shipgate when it passes, not by hand`,
        UNTICKED,
      );
    }
  }
  // Whatever the edit did to the rest of the body (a stale copy saved over newer text), the view
  // is put back to the record's: a write happens only when the text differs.
  if (mutations.length > 0) await ctx.record.update(...mutations);
  else await ctx.record.syncViews();
}

const UNTICKED = ' The box is unticked again.';

/** Who may tick a manual item with an owner: `@login`, or the users and teams of a role. */
function ownerAudience(item: ItemState, config: Config): Audience | undefined {
  if (!item.owner) return undefined;
  if (item.owner.startsWith('@')) return { users: [item.owner.slice(1)], teams: [] };
  const role = config.roles[item.owner];
  return role ? { users: role.users, teams: role.teams } : undefined;
}

async function signature(
  role: string,
  sender: string,
  verb: 'sign-off' | 'deny',
  note: string,
  ctx: PeopleContext,
  outcome: PeopleOutcome,
  undone = '',
): Promise<Mutation[]> {
  const config = ctx.config.roles[role];
  const item = openSignoff(ctx.record.state, role);
  if (!config || !item) {
    const known = [...new Set(ctx.record.state.items.map(roleOfSignoff).filter((r) => r !== undefined))];
    await refuse(
      ctx,
      outcome,
      sender,
      `this release has no ${role} sign-off; it asks for: ${known.join(', ') || 'none'}`,
      undone,
    );
    return [];
  }
  const verdict = await new Authority(ctx).check(sender, { users: config.users, teams: config.teams });
  if (!verdict.allowed) {
    await refuse(
      ctx,
      outcome,
      sender,
      `only the ${config.title} may ${verb} here: ${verdict.reason}`,
      undone,
    );
    return [];
  }
  // The author rule is about signing: anyone with the role may stop a release, its author too.
  const refusal =
    (verb === 'sign-off'
      ? refuseSignature(item, config, sender, ctx.record.state.release.startedBy)?.reason
      : undefined) ?? expiredRefusal(item, config, ctx);
  if (refusal) {
    await refuse(ctx, outcome, sender, refusal, undone);
    return [];
  }
  const at = currentTime(ctx).toISOString();
  const signed = { login: sender, at, ...(note ? { note } : {}) };
  outcome.accepted.push(`${verb} ${role} by ${sender}`);
  const event = recordEvent({
    id: `${verb}-${item.id}-${sender}`,
    at,
    type: verb,
    message: `${config.title}: @${sender} (${verdict.via})${note ? `: ${note}` : ''}`,
  });
  return verb === 'deny'
    ? [deny(item.id, signed), event, updatePhase(item.phase, { status: 'failed' }), setOutcome('failure')]
    : [sign(item.id, signed, config.quorum), event];
}

function expiredRefusal(item: ItemState, role: Role, ctx: PeopleContext): string | undefined {
  if (item.status === 'failed') return `the ${role.title} sign-off is closed`;
  const status = gateStatus(item, role, gateOpenedAt(ctx, item.phase), currentTime(ctx));
  return status.state === 'expired'
    ? `the ${role.title} sign-off timed out at ${formatTime(status.since)}; the release stopped`
    : undefined;
}

/** When a phase's gate opened: when the phase ended its automated work and began to wait. */
function gateOpenedAt(ctx: PeopleContext, phase: PhaseName): string {
  const state = ctx.record.state;
  const phaseState = state.phases[phase];
  return phaseState?.finishedAt ?? phaseState?.startedAt ?? state.updatedAt;
}

/**
 * Looks at every waiting phase: a sign-off past its expiry closes the gate as timed out (the
 * release stops, and the issue says so); a phase whose people items are all complete passes, and
 * the next stage is dispatched exactly once, whichever run of the gates workflow sees it first.
 * Also for a scheduled workflow, so an expiry nobody reacts to still closes the gate.
 */
export async function reviewGates(ctx: PeopleContext, outcome?: PeopleOutcome): Promise<PeopleOutcome> {
  const result = outcome ?? { accepted: [], refused: [], completed: [], expired: [] };
  const now = currentTime(ctx);
  for (const phase of PHASES) {
    const state = ctx.record.state;
    if (state.outcome === 'failure' || state.outcome === 'rolled-back') return result;
    if (state.phases[phase]?.status !== 'waiting') continue;
    const expired = expiredSignoffs(ctx, phase, now);
    if (expired.length > 0) {
      await closeExpired(ctx, phase, expired, now, result);
      continue;
    }
    if (missingPeopleItems(state.items, phase).length > 0) continue;
    await completeGate(ctx, phase, now, result);
  }
  return result;
}

interface Expired {
  item: ItemState;
  role: Role;
  since: string;
}

function expiredSignoffs(ctx: PeopleContext, phase: PhaseName, now: Date): Expired[] {
  const expired: Expired[] = [];
  for (const item of ctx.record.state.items) {
    if (item.phase !== phase || item.kind !== 'signoff' || item.status === 'passed') continue;
    const role = ctx.config.roles[roleOfSignoff(item) ?? ''];
    if (!role) continue;
    const status = gateStatus(item, role, gateOpenedAt(ctx, phase), now);
    if (status.state === 'expired') expired.push({ item, role, since: status.since });
  }
  return expired;
}

async function closeExpired(
  ctx: PeopleContext,
  phase: PhaseName,
  expired: Expired[],
  now: Date,
  outcome: PeopleOutcome,
): Promise<void> {
  const at = now.toISOString();
  const lines = expired.map(
    ({ role, since }) =>
      `${role.title} sign-off timed out at ${formatTime(since)} (no sign-off within ${formatMs(role.expires)})`,
  );
  await ctx.record.update(
    ...expired.map(({ item, since }) =>
      updateItem(item.id, { status: 'failed', summary: `timed out at ${formatTime(since)}`, finishedAt: at }),
    ),
    updatePhase(phase, { status: 'failed', finishedAt: at }),
    recordEvent({
      id: `${phase}-gate-expired`,
      at,
      type: `${phase} gate timed out`,
      message: lines.join('; '),
    }),
    setOutcome('failure'),
  );
  outcome.expired.push(...expired.map(({ item }) => item.id));
  await comment(ctx, `⏱️ ${lines.join('. ')}. The release stopped; start a new release to try again.`);
}

async function completeGate(
  ctx: PeopleContext,
  phase: PhaseName,
  now: Date,
  outcome: PeopleOutcome,
): Promise<void> {
  const id = `${phase}-gate-complete`;
  const at = now.toISOString();
  // Whether this run is the one that completed the gate: decided by the compare-and-swap, so two
  // gates runs seeing the last sign-off at once dispatch the next stage once.
  let first = false;
  const complete: Mutation = (state) => {
    first = !state.events.some((event) => event.id === id);
    return recordEvent({
      id,
      at,
      type: `${phase} gate complete`,
      message: ctx.next ? `starting ${ctx.next.workflow} on ${ctx.next.ref}` : 'all people items are in',
    })(state);
  };
  await ctx.record.update(complete, updatePhase(phase, { status: 'passed' }), setOutcome('in-progress'));
  if (!first) return;
  outcome.completed.push(phase);
  if (ctx.next) await dispatchNext(ctx, ctx.next);
}

async function dispatchNext(ctx: PeopleContext, next: NextStage): Promise<void> {
  const issue = ctx.record.state.ids.issue;
  try {
    await ctx.octokit.rest.actions.createWorkflowDispatch({
      owner: ctx.owner,
      repo: ctx.repo,
      workflow_id: next.workflow,
      ref: next.ref,
      inputs: issue ? { issue: String(issue) } : {},
    });
  } catch (error) {
    throw dispatchAdvice(next, error);
  }
  ctx.logger.info(`started ${next.workflow} on ${next.ref} for tracking issue #${issue ?? '?'}`);
}

function dispatchAdvice(next: NextStage, error: unknown): Error {
  const status = statusOf(error);
  const where = `next-workflow: cannot start ${next.workflow} on ${next.ref}`;
  if (status === 404)
    return new ConfigurationError(`${where}: no such workflow file in .github/workflows (or no such ref)`);
  if (status === 403)
    return new ConfigurationError(
      `${where}: the token may not dispatch workflows (add \`permissions: actions: write\`)`,
    );
  if (status === 422)
    return new ConfigurationError(
      `${where}: GitHub refused it (the workflow needs \`on: workflow_dispatch\` with an \`issue\` input)`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

async function refuse(
  ctx: PeopleContext,
  outcome: PeopleOutcome,
  sender: string,
  reason: string,
  undone = '',
): Promise<void> {
  outcome.refused.push(reason);
  ctx.logger.info(`refused an act by @${sender}: ${reason}`);
  await comment(ctx, `@${sender} ${reason}.${undone || ' The checklist is unchanged.'}`);
}

async function comment(ctx: PeopleContext, body: string): Promise<void> {
  const issue = ctx.record.state.ids.issue;
  if (!issue) return;
  await ctx.octokit.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issue,
    body,
  });
}

function currentTime(ctx: PeopleContext): Date {
  return (ctx.clock ?? (() => new Date()))();
}

/**
 * `/shipgate promote` or `/shipgate rollback <reason>` while a watch asks people (`inconclusive:
 * ask`). Only people who may roll back (at some severity in `rollback.authorize`) may answer.
 * A promote marks the release stable and moves the stable marker; a rollback records the
 * decision, and the next run of the watch (the scheduled watch workflow) ends failed with
 * "rollback required", which starts its rollback job.
 */
async function answerWatch(
  verb: 'promote' | 'rollback',
  note: string,
  sender: string,
  ctx: PeopleContext,
  outcome: PeopleOutcome,
): Promise<void> {
  const verdict = { verb, by: sender, at: currentTime(ctx), reason: note };
  const refusal = verdictRefusal(ctx.record.state, verdict);
  if (refusal) return refuse(ctx, outcome, sender, refusal);
  const allowed = await new Authority(ctx).check(
    sender,
    anyRollbackAudience(ctx.config.rollback?.authorize ?? {}),
  );
  if (!allowed.allowed) {
    return refuse(
      ctx,
      outcome,
      sender,
      `only people who may roll back may answer the watch: ${allowed.reason}`,
    );
  }
  const applied = applyWatchVerdict(ctx.record.state, verdict);
  if (!applied.applied) return refuse(ctx, outcome, sender, applied.reason);
  const state = await ctx.record.update(applied.mutation);
  outcome.accepted.push(applied.message);
  if (applied.stable && state.stable) {
    const { release } = state;
    const documents = new RefDocuments({
      octokit: ctx.octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      baseCommit: release.sha,
    });
    await new StableMarker(documents, {
      now: () => currentTime(ctx),
      sleep: (ms, signal) => systemClock.sleep(ms, signal),
    }).mark({
      environment: release.environment,
      version: release.version,
      sha: release.sha,
      releaseKey: ctx.record.key,
    });
  }
}
