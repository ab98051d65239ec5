import type { PhaseName } from '../config/schema.ts';
import { ConfigurationError, errorMessage } from '../errors.ts';
import type { Release } from './release.ts';
import {
  type Evidence,
  type ItemState,
  type ItemStatus,
  type Mutation,
  type PhaseStatus,
  recordEvent,
  setOutcome,
  updateItem,
  updatePhase,
} from './release-state.ts';

/**
 * Runs one phase of a release: marks it running in the record, runs its work inside a log group,
 * holds it at its people items (manual items and sign-offs), and records how it ended. A phase's
 * own module only does the work and says how it went.
 */

export type PhaseOutcome = 'passed' | 'failed' | 'waiting' | 'inconclusive';

export interface PhaseResult {
  outcome: PhaseOutcome;
  /** One line for logs, the job summary and the timeline. */
  summary: string;
  /** A failure after the deploy that must be answered by rolling back. */
  rollbackRequired?: boolean;
  /**
   * The phase's work goes on in a later run (a watch longer than one slice): it stays running and
   * is not held for its people items yet.
   */
  continues?: boolean;
  /** Values for action outputs (deployment id, rollback tag, ...). */
  outputs?: Record<string, string | number | boolean>;
}

export interface Phase {
  name: PhaseName;
  run(release: Release): Promise<PhaseResult>;
  /**
   * false: the phase's people items are follow-ups, not a gate (a rollback never waits for its
   * incident to-dos). Default true.
   */
  holdsForPeople?: boolean;
}

export async function runPhase(phase: Phase, release: Release): Promise<PhaseResult> {
  const { ctx } = release;
  const startedAt = ctx.clock.now().toISOString();
  await release.report(
    updatePhase(phase.name, { status: 'running', startedAt, ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}) }),
    recordEvent({
      id: `${phase.name}-started-${ctx.runId}-${ctx.runAttempt}`,
      at: startedAt,
      type: `${phase.name} started`,
      message: `run ${ctx.runId} by @${ctx.actor}`,
    }),
  );
  let result: PhaseResult;
  try {
    result = await ctx.logger.group(`shipgate ${phase.name}`, () => phase.run(release));
  } catch (error) {
    const mistake = error instanceof ConfigurationError;
    ctx.logger.error(`${phase.name}: ${errorMessage(error)}`);
    if (!mistake && error instanceof Error && error.stack) ctx.logger.debug(error.stack);
    result = { outcome: 'failed', summary: `${mistake ? '' : 'internal error: '}${errorMessage(error)}` };
  }
  if (result.outcome === 'passed' && !result.continues && phase.holdsForPeople !== false)
    result = await holdForPeople(phase.name, release, result);
  const finishedAt = ctx.clock.now().toISOString();
  const mutations: Mutation[] = [
    result.continues
      ? updatePhase(phase.name, { status: 'running' })
      : updatePhase(phase.name, { status: PHASE_STATUS[result.outcome], finishedAt }),
    recordEvent({
      id: `${phase.name}-${result.outcome}-${ctx.runId}-${ctx.runAttempt}`,
      at: finishedAt,
      type: `${phase.name} ${result.outcome}`,
      message: ctx.scrubber.scrub(result.summary),
    }),
  ];
  if (result.outcome === 'failed') mutations.push(setOutcome('failure'));
  if (result.outcome === 'waiting') mutations.push(setOutcome('waiting'));
  await release.report(...mutations);
  return result;
}

const PHASE_STATUS: Record<PhaseOutcome, PhaseStatus> = {
  passed: 'passed',
  failed: 'failed',
  waiting: 'waiting',
  inconclusive: 'waiting',
};

/** What people still owe a phase: required manual items and sign-offs not yet complete. */
export function missingPeopleItems(items: readonly ItemState[], phase: PhaseName): ItemState[] {
  return items.filter(
    (item) =>
      item.phase === phase &&
      item.required &&
      (item.kind === 'manual' || item.kind === 'signoff') &&
      item.status !== 'passed' &&
      item.status !== 'skipped',
  );
}

/**
 * A phase whose automated work passed still waits for its people items. It does not hold a
 * runner for hours: without `wait:` it ends as waiting at once (the gates workflow starts the next
 * stage when people are done); with `wait:` it polls the record until then.
 */
async function holdForPeople(name: PhaseName, release: Release, result: PhaseResult): Promise<PhaseResult> {
  const { ctx, config, record } = release;
  const waitMs = (config[name] as { wait?: number } | undefined)?.wait ?? 0;
  const deadline = ctx.clock.now().getTime() + waitMs;
  for (;;) {
    const denied = record.state.items.find((item) => item.phase === name && item.denied);
    if (denied?.denied) {
      const note = denied.denied.note ? `: ${denied.denied.note}` : '';
      return { outcome: 'failed', summary: `${denied.text} denied by @${denied.denied.login}${note}` };
    }
    const missing = missingPeopleItems(record.state.items, name);
    if (missing.length === 0) return result;
    if (ctx.clock.now().getTime() >= deadline) {
      const who = missing.map((item) =>
        item.kind === 'signoff' ? (config.roles[item.owner ?? '']?.title ?? item.text) : item.text,
      );
      return { outcome: 'waiting', summary: `waiting for: ${who.join(', ')}` };
    }
    await ctx.clock.sleep(Math.min(15_000, Math.max(0, deadline - ctx.clock.now().getTime())));
    await record.refresh();
  }
}

/** The record update for one automated item's result. */
export function itemResult(
  id: string,
  result: { status: ItemStatus; summary?: string; durationMs?: number; evidence?: Evidence },
  at: Date,
): Mutation {
  return updateItem(id, {
    status: result.status,
    finishedAt: at.toISOString(),
    ...(result.summary !== undefined ? { summary: result.summary } : {}),
    ...(result.durationMs !== undefined ? { durationMs: Math.round(result.durationMs) } : {}),
    ...(result.evidence ? { evidence: result.evidence } : {}),
  });
}
