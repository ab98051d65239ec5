import { higherIsWorse } from './threshold.ts';
import type { Breach, EpochMs, MonitorEvent, RuleAction, RuleSpec, RuleState, Severity } from './types.ts';

/**
 * Breaches of one rule, Prometheus `for:` style: a breach of a level starts at the first
 * measurement over its threshold and fires at the first one at least `for:` later; a breach that
 * ends before firing is a blip. Mutates the rule state it is given (the evaluator's own copy).
 */
export function trackBreaches(
  rule: RuleSpec,
  ruleState: RuleState,
  value: number,
  severity: Severity,
  at: EpochMs,
  events: MonitorEvent[],
): void {
  const levels: ('warning' | 'critical')[] = [];
  if (rule.warn) levels.push('warning');
  if (rule.critical || rule.baseline) levels.push('critical');
  for (const level of levels) {
    const breaching = level === 'critical' ? severity === 'critical' : severity !== 'normal';
    const current = ruleState[level];
    const worseIsHigher = higherIsWorse((level === 'critical' ? rule.critical : rule.warn)?.op ?? '>');
    if (breaching) {
      const stored = finite(value);
      const breach: Breach = current ?? {
        severity: level,
        since: at,
        lastAt: at,
        peak: stored,
        firing: false,
      };
      if (!current) {
        events.push({
          type: 'breach-started',
          ruleId: rule.id,
          severity: level,
          at,
          value: stored,
          dryRun: rule.dryRun,
        });
      }
      breach.lastAt = at;
      breach.peak = worseIsHigher ? Math.max(breach.peak, stored) : Math.min(breach.peak, stored);
      if (!breach.firing && at - breach.since >= rule.forMs) {
        breach.firing = true;
        breach.firedAt = at;
        events.push({
          type: 'breach-firing',
          ruleId: rule.id,
          severity: level,
          since: breach.since,
          at,
          value: stored,
          action: actionFor(rule, level),
          dryRun: rule.dryRun,
        });
      }
      ruleState[level] = breach;
    } else if (current) {
      const common = {
        ruleId: rule.id,
        severity: level,
        since: current.since,
        until: at,
        peak: current.peak,
      };
      events.push(
        current.firing
          ? { type: 'breach-resolved', ...common, dryRun: rule.dryRun }
          : { type: 'blip', ...common, durationMs: at - current.since, dryRun: rule.dryRun },
      );
      delete ruleState[level];
    }
  }
}

export function actionFor(rule: RuleSpec, level: 'warning' | 'critical'): RuleAction {
  return level === 'critical' ? rule.actions.critical : rule.actions.warn;
}

export function isActing(action: RuleAction): boolean {
  return action === 'fail' || action === 'rollback';
}

/** The strongest action among firing (or, with firing=false, pending) breaches of the rule. */
export function strongestAction(
  rule: RuleSpec,
  ruleState: RuleState,
  firing: boolean,
): RuleAction | undefined {
  let result: RuleAction | undefined;
  for (const breach of [ruleState.warning, ruleState.critical]) {
    if (!breach || breach.firing !== firing) continue;
    result = stronger(result, actionFor(rule, breach.severity));
  }
  return result;
}

const ACTION_RANK: Record<RuleAction, number> = { note: 0, notify: 1, fail: 2, rollback: 3 };

export function stronger(a: RuleAction | undefined, b: RuleAction): RuleAction {
  return a === undefined || ACTION_RANK[b] > ACTION_RANK[a] ? b : a;
}

/** JSON has no Infinity or NaN: store +Inf as Number.MAX_VALUE, NaN as 0. */
export function finite(value: number): number {
  if (Number.isNaN(value)) return 0;
  if (value === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (value === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  return value;
}
