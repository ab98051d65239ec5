import type { Decision, MonitorState } from '../metrics/types.ts';
import { type Mutation, type ReleaseState, recordEvent, setOutcome, updatePhase } from './release-state.ts';

/**
 * People's answer to an inconclusive watch (`inconclusive: ask`): `/shipgate promote` accepts
 * the release as stable, `/shipgate rollback <reason>` sends it back. This module only applies
 * the answer to the record; who may answer (`rollback.authorize` audiences, via `Authority`) is
 * checked by the caller (`people.ts`) before it gets here. After a promote the caller moves the
 * stable marker (`StableMarker.mark`); after a rollback it starts the rollback (the workflow's
 * rollback job reads `rollbackRequired`).
 */

export interface WatchVerdict {
  verb: 'promote' | 'rollback';
  /** Login of the person who answered. */
  by: string;
  at: Date;
  /** Their note; a rollback needs one. */
  reason: string;
}

export type VerdictOutcome =
  | { applied: true; mutation: Mutation; stable: boolean; rollbackRequired: boolean; message: string }
  | { applied: false; reason: string };

/** Why a verdict does not apply to this record now, or undefined when it does. */
export function verdictRefusal(state: ReleaseState, verdict: WatchVerdict): string | undefined {
  const watch = state.monitor?.state;
  if (!watch) return 'there is no watch in this release to answer';
  if (watch.status === 'running') return 'the watch is still running: it has not asked anyone yet';
  if (watch.status !== 'inconclusive' || watch.decision?.action !== 'ask') {
    return `the watch already decided (${watch.decision?.message ?? watch.status}); nothing is waiting for an answer`;
  }
  if (verdict.verb === 'rollback' && verdict.reason.trim() === '') {
    return 'a rollback needs a reason, e.g. `/shipgate rollback p95 doubled after the deploy`';
  }
  return undefined;
}

/**
 * Applies a promote or rollback verdict. The returned mutation checks again when applied (it
 * may run on a newer record after a concurrent write) and then does nothing if the watch is no
 * longer waiting, so two people answering at once cannot both win.
 */
export function applyWatchVerdict(state: ReleaseState, verdict: WatchVerdict): VerdictOutcome {
  const refusal = verdictRefusal(state, verdict);
  if (refusal) return { applied: false, reason: refusal };
  const promote = verdict.verb === 'promote';
  const note = verdict.reason.trim();
  const message = promote
    ? `promoted by @${verdict.by} after an inconclusive watch${note ? `: ${note}` : ''}`
    : `rollback chosen by @${verdict.by} after an inconclusive watch: ${note}`;
  const mutation: Mutation = (current) => {
    if (verdictRefusal(current, verdict) !== undefined || !current.monitor) return current;
    const watch = decide(current.monitor.state, verdict, message);
    let next: ReleaseState = { ...current, monitor: { ...current.monitor, state: watch, continues: false } };
    next = recordEvent({
      id: `monitor-verdict-${verdict.verb}-${verdict.at.getTime()}`,
      at: verdict.at.toISOString(),
      type: promote ? 'monitor promoted' : 'monitor rollback chosen',
      message,
      data: { by: verdict.by },
    })(next);
    next = updatePhase('monitor', {
      status: promote ? 'passed' : 'failed',
      finishedAt: verdict.at.toISOString(),
    })(next);
    return promote ? setOutcome('success', true)(next) : setOutcome('failure')(next);
  };
  return { applied: true, mutation, stable: promote, rollbackRequired: !promote, message };
}

function decide(watch: MonitorState, verdict: WatchVerdict, message: string): MonitorState {
  const promote = verdict.verb === 'promote';
  const decision: Decision = {
    outcome: promote ? 'passed' : 'failed',
    action: promote ? 'promote' : 'rollback',
    decidedAt: verdict.at.getTime(),
    values: [],
    message,
  };
  return {
    ...watch,
    status: promote ? 'stable' : 'rollback',
    decision,
    events: [...watch.events, { type: 'decision', decision }],
  };
}
