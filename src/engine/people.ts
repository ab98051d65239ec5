import type { Octokit } from '@octokit/rest';
import type { Config } from '../config/schema.ts';
import { Authority } from '../github/authority.ts';
import type { ReleaseRecord } from '../github/release-record.ts';
import type { Logger } from '../logger.ts';
import { diffTicks } from '../report/ticks.ts';
import { parseCommentCommand } from './comment-command.ts';
import { importTicks, type Mutation, recordEvent, setOutcome } from './release-state.ts';
import { deny, openSignoff, refuseSignature, roleOfSignoff, sign } from './signoffs.ts';

/**
 * What people do on the tracking issue, as GitHub delivers it to the small `issues` /
 * `issue_comment` workflow: ticks and comment commands. Every act is checked against the config
 * before it counts; an act that does not count is undone in the checklist and answered with a
 * reply that says why.
 */

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
}

export async function handlePeopleEvent(event: PeopleEvent, ctx: PeopleContext): Promise<PeopleOutcome> {
  const sender = event.payload.sender.login;
  const outcome: PeopleOutcome = { accepted: [], refused: [] };
  if ((ctx.selfLogins ?? ['github-actions[bot]']).includes(sender)) return outcome;
  await ctx.record.refresh();
  if (event.name === 'issue_comment' && event.payload.action === 'created') {
    await handleComment(event.payload.comment?.body ?? '', sender, ctx, outcome);
  } else if (event.name === 'issues' && event.payload.action === 'edited' && event.payload.changes?.body) {
    await handleEdit(event.payload.changes.body.from, event.payload.issue.body ?? '', sender, ctx, outcome);
  }
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
    return refuse(
      ctx,
      outcome,
      sender,
      `\`/shipgate ${command.verb}\` applies only while a watch is inconclusive`,
    );
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
) {
  const mutations: Mutation[] = [];
  let revert = false;
  const now = currentTime(ctx);
  for (const change of diffTicks(before, after)) {
    const item = ctx.record.state.items.find((candidate) => candidate.id === change.id);
    if (!item) continue;
    if (item.kind === 'manual') {
      mutations.push(importTicks(new Map([[item.id, change.ticked]]), sender, now.toISOString()));
      outcome.accepted.push(`${change.ticked ? 'ticked' : 'unticked'} ${item.id}`);
    } else if (item.kind === 'signoff' && change.ticked) {
      const signed = await signature(roleOfSignoff(item) ?? '', sender, 'sign-off', '', ctx, outcome);
      if (signed.length === 0) revert = true;
      mutations.push(...signed);
    } else {
      revert = true;
      await refuse(ctx, outcome, sender, `“${item.text}” is ticked by shipgate when it passes, not by hand`);
    }
  }
  if (mutations.length > 0) await ctx.record.update(...mutations);
  else if (revert) await ctx.record.syncViews();
}

async function signature(
  role: string,
  sender: string,
  verb: 'sign-off' | 'deny',
  note: string,
  ctx: PeopleContext,
  outcome: PeopleOutcome,
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
    );
    return [];
  }
  const verdict = await new Authority(ctx).check(sender, { users: config.users, teams: config.teams });
  if (!verdict.allowed) {
    await refuse(ctx, outcome, sender, `only the ${config.title} may ${verb} here: ${verdict.reason}`);
    return [];
  }
  const refusal = refuseSignature(item, config, sender, ctx.record.state.release.startedBy);
  if (refusal) {
    await refuse(ctx, outcome, sender, refusal.reason);
    return [];
  }
  const at = currentTime(ctx).toISOString();
  const signed = { login: sender, at, ...(note ? { note } : {}) };
  outcome.accepted.push(`${verb} ${role} by ${sender}`);
  const event = recordEvent({
    id: `${verb}-${role}-${sender}`,
    at,
    type: verb,
    message: `${config.title}: @${sender} (${verdict.via})${note ? `: ${note}` : ''}`,
  });
  return verb === 'deny'
    ? [deny(item.id, signed), event, setOutcome('failure')]
    : [sign(item.id, signed, config.quorum), event];
}

async function refuse(
  ctx: PeopleContext,
  outcome: PeopleOutcome,
  sender: string,
  reason: string,
): Promise<void> {
  outcome.refused.push(reason);
  ctx.logger.info(`refused an act by @${sender}: ${reason}`);
  const issue = ctx.record.state.ids.issue;
  if (!issue) return;
  await ctx.octokit.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issue,
    body: `@${sender} ${reason}. The checklist is unchanged.`,
  });
}

function currentTime(ctx: PeopleContext): Date {
  return (ctx.clock ?? (() => new Date()))();
}
