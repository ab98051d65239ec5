import { finite, stronger, strongestAction, trackBreaches } from './breach.ts';
import { decideAtEnd, decideEarly, resolveLimits, statusFor } from './decision.ts';
import { formatDuration, formatThreshold, formatValue } from './format.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import { recordTick } from './series.ts';
import { breaches } from './threshold.ts';
import type {
  AnalysisLimits,
  Baseline,
  BaselineComparison,
  Decision,
  EpochMs,
  Measurement,
  MeasurementPhase,
  MonitorEvent,
  MonitorSpec,
  MonitorState,
  RuleEvaluation,
  RuleSpec,
  RuleState,
  Severity,
} from './types.ts';

/**
 * The rule evaluator: a pure function from (spec, state, measurements taken at `at`) to a new
 * state, the rule evaluations, the events and, when the watch is over, the decision. No clock,
 * no I/O: a 10-minute `for:` is tested by passing timestamps. See README.md for the semantics.
 */

export interface TickResult {
  state: MonitorState;
  evaluations: RuleEvaluation[];
  events: MonitorEvent[];
  decision?: Decision;
}

const MAX_STORED_EVENTS = 100;
const MAX_RECENT_VALUES = 30;

export function createMonitorState(
  spec: MonitorSpec,
  options: { startedAt: EpochMs; baselines?: Baseline[] },
): MonitorState {
  const rules: Record<string, RuleState> = {};
  for (const rule of spec.rules) {
    if (rules[rule.id]) throw new Error(`duplicate rule id ${JSON.stringify(rule.id)}`);
    rules[rule.id] = {
      id: rule.id,
      status: 'running',
      counts: {
        measurements: 0,
        successful: 0,
        failed: 0,
        inconclusive: 0,
        errors: 0,
        consecutiveErrors: 0,
        consecutiveSuccesses: 0,
        successLimitReached: false,
      },
      recent: [],
    };
  }
  const baselines: Record<string, Baseline> = {};
  for (const baseline of options.baselines ?? []) baselines[baseline.metric] = baseline;
  return {
    schema: 1,
    startedAt: options.startedAt,
    endsAt: options.startedAt + spec.durationMs,
    status: 'running',
    rules,
    baselines,
    series: { t: [], values: {}, bucketTicks: 1, lastBucketTicks: 0 },
    events: [],
    slices: 0,
  };
}

/**
 * Judges the measurements taken at `at` (keyed by `source.metric`). A rule whose metric is absent
 * is not measured this tick (its counters do not move). Once the state is no longer running the
 * function returns it unchanged.
 */
export function evaluateTick(
  spec: MonitorSpec,
  previous: MonitorState,
  measurements: Readonly<Record<string, Measurement>>,
  at: EpochMs,
): TickResult {
  if (previous.status !== 'running') return { state: previous, evaluations: [], events: [] };
  // Copy what a tick changes; baselines are never written after creation, so they are shared.
  const state: MonitorState = {
    ...previous,
    rules: Object.fromEntries(Object.entries(previous.rules).map(([id, rule]) => [id, cloneRuleState(rule)])),
    series: {
      ...previous.series,
      t: [...previous.series.t],
      values: Object.fromEntries(Object.entries(previous.series.values).map(([k, v]) => [k, [...v]])),
    },
    events: [...previous.events],
  };
  const events: MonitorEvent[] = [];
  const evaluations: RuleEvaluation[] = [];

  for (const rule of spec.rules) {
    const ruleState = state.rules[rule.id];
    if (ruleState?.status !== 'running') continue;
    const measurement = measurements[rule.metric];
    if (!measurement) continue;
    const evaluation = evaluateRule(
      rule,
      resolveLimits(spec, rule),
      ruleState,
      measurement,
      state,
      at,
      events,
    );
    evaluations.push(evaluation);
  }

  const chartValues: Record<string, number | null> = {};
  for (const [metric, m] of Object.entries(measurements))
    chartValues[metric] = m.kind === 'value' ? m.value : null;
  recordTick(state.series, at, chartValues);
  state.lastTickAt = at;

  let decision = decideEarly(spec, state, at);
  if (!decision && at >= state.endsAt) decision = decideAtEnd(spec, state, at, events);
  if (decision) {
    state.decision = decision;
    state.status = statusFor(decision.action);
    events.push({ type: 'decision', decision });
  }

  for (const event of events) if (event.type !== 'measurement-error') state.events.push(event);
  if (state.events.length > MAX_STORED_EVENTS)
    state.events.splice(0, state.events.length - MAX_STORED_EVENTS);
  return { state, evaluations, events, decision };
}

function cloneRuleState(rule: RuleState): RuleState {
  const copy: RuleState = { ...rule, counts: { ...rule.counts }, recent: [...rule.recent] };
  if (rule.warning) copy.warning = { ...rule.warning };
  if (rule.critical) copy.critical = { ...rule.critical };
  return copy; // `last` is replaced, never mutated
}

type Reading =
  | { kind: 'value'; value: number; severity: Severity; baseline?: BaselineComparison; reason?: string }
  | { kind: 'inconclusive'; reason: string }
  | { kind: 'error'; reason: string };

function evaluateRule(
  rule: RuleSpec,
  limits: AnalysisLimits,
  ruleState: RuleState,
  measurement: Measurement,
  state: MonitorState,
  at: EpochMs,
  events: MonitorEvent[],
): RuleEvaluation {
  const reading = read(rule, limits, measurement, state.baselines[rule.metric]);
  const counts = ruleState.counts;
  let phase: MeasurementPhase;

  if (reading.kind === 'error') {
    phase = 'error';
    counts.errors += 1;
    counts.consecutiveErrors += 1;
    events.push({
      type: 'measurement-error',
      ruleId: rule.id,
      at,
      reason: reading.reason,
      consecutive: counts.consecutiveErrors,
    });
  } else if (reading.kind === 'inconclusive') {
    phase = 'inconclusive';
    counts.measurements += 1;
    counts.inconclusive += 1;
    counts.consecutiveErrors = 0;
    counts.consecutiveSuccesses = 0;
  } else {
    trackBreaches(rule, ruleState, reading.value, reading.severity, at, events);
    ruleState.recent.push({ at, value: finite(reading.value) });
    if (ruleState.recent.length > MAX_RECENT_VALUES) ruleState.recent.shift();
    counts.measurements += 1;
    counts.consecutiveErrors = 0;
    const firing = strongestAction(rule, ruleState, true);
    const pending = strongestAction(rule, ruleState, false);
    if (firing === 'fail' || firing === 'rollback') {
      phase = 'failed';
      counts.failed += 1;
      counts.consecutiveSuccesses = 0;
      ruleState.action = stronger(ruleState.action, firing);
    } else if (pending === 'fail' || pending === 'rollback') {
      phase = 'pending';
      counts.consecutiveSuccesses = 0;
    } else {
      phase = 'successful';
      counts.successful += 1;
      counts.consecutiveSuccesses += 1;
      if (
        limits.consecutiveSuccessLimit > 0 &&
        counts.consecutiveSuccesses >= limits.consecutiveSuccessLimit
      ) {
        counts.successLimitReached = true;
      }
    }
  }

  assessRule(rule, limits, ruleState, reading, at, events);

  const evaluation: RuleEvaluation = {
    ruleId: rule.id,
    at,
    measurement: compact(measurement),
    severity: reading.kind === 'value' ? reading.severity : 'normal',
    phase,
    outcome:
      phase === 'failed'
        ? 'failed'
        : phase === 'error' || phase === 'inconclusive'
          ? 'inconclusive'
          : 'passed',
  };
  if (reading.kind === 'value' && reading.baseline) evaluation.baseline = reading.baseline;
  const reason = reading.kind === 'value' ? reading.reason : reading.reason;
  if (reason) evaluation.reason = reason;
  if (phase === 'pending') {
    const breach = ruleState.critical ?? ruleState.warning;
    if (breach)
      evaluation.reason = `breach pending for ${Math.round((at - breach.since) / 1000)}s of ${rule.forMs / 1000}s`;
  }
  ruleState.last = evaluation;
  return evaluation;
}

/** Turns a measurement into what the rule judges: a value with a severity, inconclusive, or error. */
function read(
  rule: RuleSpec,
  limits: AnalysisLimits,
  m: Measurement,
  baseline: Baseline | undefined,
): Reading {
  if (m.kind === 'error') return { kind: 'error', reason: m.reason };
  let noData: string | undefined;
  if (m.kind === 'no-data') noData = m.reason;
  else if (m.sampleCount !== undefined && m.sampleCount < limits.minSamples) {
    noData = `only ${m.sampleCount} sample(s), minSamples is ${limits.minSamples}`;
  }
  if (noData !== undefined) {
    switch (limits.noData) {
      case 'inconclusive':
        return { kind: 'inconclusive', reason: `no data: ${noData}` };
      case 'error':
        return { kind: 'error', reason: `no data: ${noData}` };
      case 'ok':
        return { kind: 'value', value: 0, severity: 'normal', reason: `no data (counted as ok): ${noData}` };
      case 'breach':
        return {
          kind: 'value',
          value: Number.MAX_VALUE,
          severity: rule.critical || rule.baseline ? 'critical' : 'warning',
          reason: `no data (counted as a breach): ${noData}`,
        };
    }
  }
  if (m.kind !== 'value') return { kind: 'inconclusive', reason: 'no value' };

  let severity: Severity = 'normal';
  if (rule.warn && breaches(m.value, rule.warn)) severity = 'warning';
  if (rule.critical && breaches(m.value, rule.critical)) severity = 'critical';
  if (!rule.baseline) return { kind: 'value', value: m.value, severity };

  let missing: string | undefined;
  const current = m.samples ?? [];
  if (!baseline) missing = `no baseline captured for ${rule.metric}`;
  else if (
    current.length === 0 ||
    current.length < limits.minSamples ||
    baseline.samples.length < limits.minSamples
  ) {
    missing = `baseline comparison needs ${Math.max(1, limits.minSamples)} samples on each side (have ${current.length} now, ${baseline.samples.length} before)`;
  }
  if (missing !== undefined || !baseline) {
    // A threshold breach still counts; otherwise the rule cannot judge this measurement.
    if (severity === 'critical') return { kind: 'value', value: m.value, severity, reason: missing };
    return { kind: 'inconclusive', reason: missing ?? 'no baseline' };
  }
  const comparison = compareWithBaseline(
    m.value,
    current,
    baseline,
    rule.baseline.ratio,
    rule.baseline.alpha ?? 0.05,
  );
  if (comparison.breach) severity = 'critical';
  return {
    kind: 'value',
    value: m.value,
    severity,
    baseline: comparison,
    reason: `${round(comparison.ratio)}x baseline, p=${comparison.pValue.toPrecision(3)}, effect=${round(comparison.effect)}`,
  };
}

/**
 * A shift counts only when it is both significant (one-sided Mann-Whitney U, new > baseline,
 * p < alpha) and large (value / baseline value > ratio): noise fails the first, a tiny but
 * consistent slowdown fails the second.
 */
export function compareWithBaseline(
  value: number,
  samples: readonly number[],
  baseline: Baseline,
  ratio: number,
  alpha: number,
): BaselineComparison {
  const observedRatio =
    baseline.value > 0 ? value / baseline.value : value > 0 ? Number.POSITIVE_INFINITY : 1;
  const test = mannWhitneyU(samples, baseline.samples, { alternative: 'greater' });
  const significant = test.pValue < alpha;
  return {
    ratio: finite(observedRatio),
    pValue: test.pValue,
    effect: test.rankBiserial,
    significant,
    breach: significant && observedRatio > ratio,
  };
}

/** Argo Rollouts' metric assessment, in its order: failed, then inconclusive, then errors. */
function assessRule(
  rule: RuleSpec,
  limits: AnalysisLimits,
  ruleState: RuleState,
  reading: Reading,
  at: EpochMs,
  events: MonitorEvent[],
): void {
  const c = ruleState.counts;
  let status: RuleState['status'] | undefined;
  let message = '';
  if (limits.failureLimit >= 0 && c.failed > limits.failureLimit) {
    status = 'failed';
    const breach = ruleState.critical?.firing ? ruleState.critical : ruleState.warning;
    const threshold = breach?.severity === 'critical' ? rule.critical : rule.warn;
    message =
      `failed (${c.failed}) > failureLimit (${limits.failureLimit}): ${rule.metric} ` +
      `${reading.kind === 'value' ? formatValue(reading.value, rule.metric) : ''}` +
      `${why(rule, reading, threshold)}` +
      `${breach ? ` for ${formatDuration(at - breach.since)} (for: ${formatDuration(rule.forMs)})` : ''}`;
  } else if (c.inconclusive > limits.inconclusiveLimit) {
    status = 'inconclusive';
    message = `inconclusive (${c.inconclusive}) > inconclusiveLimit (${limits.inconclusiveLimit})${reading.kind === 'inconclusive' ? `: ${reading.reason}` : ''}`;
  } else if (c.consecutiveErrors > limits.consecutiveErrorLimit) {
    status = 'inconclusive';
    message = `consecutive errors (${c.consecutiveErrors}) > consecutiveErrorLimit (${limits.consecutiveErrorLimit})${reading.kind === 'error' ? `: ${reading.reason}` : ''}`;
  }
  if (!status) return;
  ruleState.status = status;
  ruleState.message = message.trim();
  events.push({
    type: 'rule-completed',
    ruleId: rule.id,
    status,
    at,
    message: ruleState.message,
    dryRun: rule.dryRun,
  });
}

/** What the breaching value broke: its threshold, or the baseline (with the test's figures). */
function why(rule: RuleSpec, reading: Reading, threshold: RuleSpec['critical']): string {
  const value = reading.kind === 'value' ? reading.value : Number.NaN;
  if (threshold && breaches(value, threshold)) return ` ${formatThreshold(threshold, rule.metric)}`;
  if (rule.baseline && reading.kind === 'value' && reading.baseline?.breach) {
    return ` over ${rule.baseline.ratio}x baseline (${reading.reason})`;
  }
  return threshold ? ` ${formatThreshold(threshold, rule.metric)}` : '';
}

/** Keeps the recorded measurement small: raw samples stay out of the saved state. */
function compact(m: Measurement): Measurement {
  if (m.kind !== 'value') return m;
  const { samples: _samples, ...rest } = m;
  return { ...rest, value: finite(m.value) };
}

function round(value: number): number {
  return Number(value.toPrecision(3));
}
