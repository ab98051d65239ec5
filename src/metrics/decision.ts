import { actionFor, isActing, stronger } from './breach.ts';
import { formatDuration } from './format.ts';
import {
  type AnalysisLimits,
  DEFAULT_ANALYSIS,
  type Decision,
  type DecisionAction,
  type EpochMs,
  type MonitorEvent,
  type MonitorSpec,
  type MonitorState,
  type MonitorStatus,
  type RuleSpec,
  type RuleState,
} from './types.ts';

// From rule verdicts to the watch's decision: early (a failed or inconclusive rule ends the watch
// at once) or at the end of the window (every rule judged; stable only if all passed).

/** A non-dry-run rule that failed or became inconclusive ends the watch now, not at its end. */
export function decideEarly(spec: MonitorSpec, state: MonitorState, at: EpochMs): Decision | undefined {
  const acting = spec.rules.filter((rule) => !rule.dryRun);
  const failed = acting.filter((rule) => state.rules[rule.id]?.status === 'failed');
  if (failed.length > 0) {
    const rule = failed.find((r) => state.rules[r.id]?.action === 'rollback') ?? failed[0];
    if (rule) return failureDecision(rule, state, at);
  }
  const inconclusive = acting.find((rule) => state.rules[rule.id]?.status === 'inconclusive');
  if (inconclusive) return inconclusiveDecision(spec, inconclusive, state, at);
  return undefined;
}

export function decideAtEnd(
  spec: MonitorSpec,
  state: MonitorState,
  at: EpochMs,
  events: MonitorEvent[],
): Decision {
  for (const rule of spec.rules) {
    const ruleState = state.rules[rule.id];
    if (ruleState?.status !== 'running') continue;
    const limits = resolveLimits(spec, rule);
    const c = ruleState.counts;
    let status: RuleState['status'] = 'passed';
    let message = `passed: ${c.successful} successful of ${c.measurements} measurement(s); ${c.errors} error(s)`;
    const pending = [ruleState.critical, ruleState.warning].find(
      (b) => b && !b.firing && isActing(actionFor(rule, b.severity)),
    );
    if (limits.consecutiveSuccessLimit > 0 && !c.successLimitReached) {
      status = limits.failureLimit < 0 ? 'failed' : 'inconclusive';
      message = `consecutiveSuccessLimit (${limits.consecutiveSuccessLimit}) not reached by the end of the window`;
      if (status === 'failed') ruleState.action = stronger(ruleState.action, actionFor(rule, 'critical'));
    } else if (c.successful === 0) {
      status = 'inconclusive';
      message = 'no successful measurement in the whole window';
    } else if (pending) {
      status = 'inconclusive';
      message = `a ${pending.severity} breach that began ${formatDuration(at - pending.since)} ago was still in progress at the end of the window`;
    }
    ruleState.status = status;
    ruleState.message = message;
    events.push({ type: 'rule-completed', ruleId: rule.id, status, at, message, dryRun: rule.dryRun });
  }
  const early = decideEarly(spec, state, at);
  if (early) return early;
  const dryRunFindings = spec.rules
    .filter((rule) => rule.dryRun && state.rules[rule.id]?.status !== 'passed')
    .map((rule) => `${rule.id} (dry run) ${state.rules[rule.id]?.status}`);
  return {
    outcome: 'passed',
    action: 'promote',
    decidedAt: at,
    values: [],
    message:
      `stable: every rule passed over the whole ${formatDuration(spec.durationMs)} window` +
      (dryRunFindings.length > 0 ? `; not acted on: ${dryRunFindings.join(', ')}` : ''),
  };
}

function failureDecision(rule: RuleSpec, state: MonitorState, at: EpochMs): Decision {
  const ruleState = state.rules[rule.id];
  const breach = ruleState?.critical?.firing ? ruleState.critical : ruleState?.warning;
  const action: DecisionAction = ruleState?.action === 'rollback' ? 'rollback' : 'fail';
  const threshold = breach?.severity === 'warning' ? rule.warn : rule.critical;
  const since = breach?.since;
  const decision: Decision = {
    outcome: 'failed',
    action,
    decidedAt: at,
    ruleId: rule.id,
    metric: rule.metric,
    severity: breach?.severity ?? 'critical',
    values: (ruleState?.recent ?? []).filter((v) => since === undefined || v.at >= since),
    message: `${action === 'rollback' ? 'rollback required' : 'release failed'}: rule ${rule.id}: ${ruleState?.message ?? ''}`,
  };
  if (since !== undefined) decision.breachStartedAt = since;
  if (threshold) decision.threshold = threshold;
  return decision;
}

function inconclusiveDecision(spec: MonitorSpec, rule: RuleSpec, state: MonitorState, at: EpochMs): Decision {
  const ruleState = state.rules[rule.id];
  const verb = { ask: 'people must decide', rollback: 'rolling back', fail: 'release failed' }[
    spec.inconclusive
  ];
  return {
    outcome: 'inconclusive',
    action: spec.inconclusive,
    decidedAt: at,
    ruleId: rule.id,
    metric: rule.metric,
    values: (ruleState?.recent ?? []).slice(-10),
    message: `inconclusive (${verb}): rule ${rule.id}: ${ruleState?.message ?? ''}`,
  };
}

export function statusFor(action: DecisionAction): MonitorStatus {
  return { promote: 'stable', rollback: 'rollback', fail: 'failed', ask: 'inconclusive' }[
    action
  ] as MonitorStatus;
}

/** The monitor's analysis limits with the rule's overrides. */
export function resolveLimits(spec: MonitorSpec, rule: RuleSpec): AnalysisLimits {
  return { ...DEFAULT_ANALYSIS, ...spec.analysis, ...rule.analysis };
}

/**
 * People answered an `ask`: the data was inconclusive and they chose to keep watching. The watch
 * resumes where it stopped: inconclusive rules start counting afresh (inconclusive and error
 * counters at 0, breaches kept), failed and passed rules keep their verdicts. Only an
 * inconclusive watch can continue; anything else is returned unchanged.
 */
export function continueAfterInconclusive(
  state: MonitorState,
  answer: { at: EpochMs; by: string; reason: string },
): MonitorState {
  if (state.status !== 'inconclusive' || !state.decision) return state;
  const rules: MonitorState['rules'] = {};
  for (const [id, rule] of Object.entries(state.rules)) {
    if (rule.status !== 'inconclusive') {
      rules[id] = rule;
      continue;
    }
    const { message: _message, ...rest } = rule;
    rules[id] = {
      ...rest,
      status: 'running',
      counts: { ...rule.counts, inconclusive: 0, consecutiveErrors: 0 },
    };
  }
  const { decision: previous, ...rest } = state;
  const event: MonitorEvent = { type: 'continued', ...answer, previous };
  return { ...rest, status: 'running', rules, events: [...state.events, event] };
}
