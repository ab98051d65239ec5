import { errorMessage } from '../../errors.ts';
import { StableMarker } from '../../github/stable-marker.ts';
import { renderMonitorCharts } from '../../metrics/chart.ts';
import { createMonitorState, type TickResult } from '../../metrics/evaluator.ts';
import { formatDuration, formatThreshold, formatValue } from '../../metrics/format.ts';
import { runMonitor } from '../../metrics/monitor.ts';
import { createSources } from '../../metrics/sources.ts';
import { describeEvent } from '../../metrics/timeline.ts';
import type {
  Baseline,
  MonitorEvent,
  MonitorSpec,
  MonitorState,
  RuleSpec,
  RuleState,
} from '../../metrics/types.ts';
import { metricsTime, monitorSpec, sourceSpecs } from '../monitor-spec.ts';
import type { Phase, PhaseResult } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import {
  type BaselineSnapshot,
  type Evidence,
  type ItemStatus,
  type Mutation,
  recordEvent,
  setOutcome,
  type TimelineEvent,
  updateItem,
} from '../release-state.ts';

/**
 * Monitor: the post-deploy watch. Builds the MonitorSpec from the config, polls the sources with
 * the injected clock, and ends as soon as there is a decision:
 *
 * | watch                                    | phase outcome  | also                               |
 * | ---------------------------------------- | -------------- | ---------------------------------- |
 * | a critical breach lasted its `for:`      | `failed`       | `rollbackRequired` (action rollback) |
 * | a rule failed with action `fail`         | `failed`       |                                    |
 * | inconclusive, `inconclusive: ask`        | `inconclusive` | people answer `/shipgate promote` or `/shipgate rollback` |
 * | inconclusive, `inconclusive: rollback`   | `failed`       | `rollbackRequired`                 |
 * | inconclusive, `inconclusive: fail`       | `failed`       |                                    |
 * | the whole window passed                  | `passed`       | release stable, stable marker moved |
 * | the slice ended, the window has not      | `passed`       | `continues`, output `resume: true` |
 *
 * A watch longer than `monitor.slice` (or the `slice` input) runs in slices: this run watches at
 * most one, saves the monitor state in the record (`ReleaseState.monitor`) and ends `passed` with
 * `continues` (the phase stays running, not yet held for people) and `outputs.resume = true`;
 * the scheduled `watch.yml` runs the phase again with `resume: true`
 * and it continues from the record, replaying the gap from Prometheus history. A run on a watch
 * that already decided returns that decision again without watching (re-runs are idempotent).
 *
 * Breaches, blips, verdicts and the decision go into the release timeline as they happen; each
 * rule's checklist item (the rule's config id) shows its measured values against its
 * thresholds; the tracking issue shows the chart of error rate and latency.
 */

export interface MonitorPhaseOptions {
  /** Continue a saved watch only: with none saved the phase ends at once (the scheduled run). */
  resume?: boolean;
  /** Longest stretch this run watches (the `slice` input); `monitor.slice` unless set. */
  sliceMs?: number;
  /** How sources reach the network; the global fetch unless set. */
  fetch?: typeof fetch;
  /** Awaited after every tick (tests change the world between ticks). */
  onTick?: (tick: TickResult) => void | Promise<void>;
}

export function createMonitorPhase(options: MonitorPhaseOptions = {}): Phase {
  return { name: 'monitor', run: (release) => watch(release, options) };
}

export const monitorPhase: Phase = createMonitorPhase();

async function watch(release: Release, options: MonitorPhaseOptions): Promise<PhaseResult> {
  const monitor = release.config.monitor;
  if (!monitor) return { outcome: 'passed', summary: 'no monitor configured', outputs: { resume: false } };
  const { ctx, record } = release;
  const spec = monitorSpec(monitor);
  const saved = record.state.monitor?.state;
  if (!saved && options.resume) {
    return {
      outcome: 'passed',
      summary: 'no watch under way for this release: nothing to continue',
      outputs: { resume: false },
    };
  }
  if (saved && saved.status !== 'running') return finish(release, spec, saved);

  const time = metricsTime(ctx.clock);
  const state =
    saved ??
    createMonitorState(spec, {
      startedAt: time.clock.now(),
      baselines: baselinesFor(spec, record.state.baseline),
    });
  const sources = createSources(sourceSpecs(monitor, release.template), {
    ...time,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (saved) {
    ctx.logger.info(
      `continuing the watch from the record: slice ${saved.slices + 1}, ${formatDuration(Math.max(0, saved.endsAt - time.clock.now()))} to go`,
    );
  } else {
    ctx.logger.info(
      `watching for ${formatDuration(spec.durationMs)}, every ${formatDuration(spec.intervalMs)}: ${spec.rules.map((r) => r.id).join(', ')}`,
    );
    await release.report(
      saveWatch(spec, ctx.scrubber.scrubValue(state), false),
      ...ruleItems(release, spec, state, 'running'),
    );
  }

  // Notable events reach the timeline as they happen: one write at a time, each taking every
  // event that arrived meanwhile (a firing breach, its verdict and the decision are one write).
  const rules = new Map(spec.rules.map((rule) => [rule.id, rule]));
  let pending: TimelineEvent[] = [];
  let writes: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) await release.report(...batch.map((entry) => recordEvent(entry)));
  };
  const onEvent = (event: MonitorEvent) => {
    const entry = timelineEvent(event, rules);
    if (!entry) return;
    ctx.logger.info(`${entry.type}: ${entry.message}`);
    pending.push({ ...entry, message: ctx.scrubber.scrub(entry.message) });
    writes = writes.then(flush);
  };

  const sliceMs = options.sliceMs ?? monitor.slice;
  const run = await runMonitor({
    spec,
    sources,
    state,
    ...time,
    sliceMs,
    onEvent,
    ...(options.onTick ? { onTick: options.onTick } : {}),
  });
  await writes;
  return finish(release, spec, run.state);
}

/** Saves the watch, updates the rule items and says how the phase ended. */
async function finish(release: Release, spec: MonitorSpec, state: MonitorState): Promise<PhaseResult> {
  const { ctx } = release;
  const continues = state.status === 'running';
  const mutations: Mutation[] = [
    saveWatch(spec, ctx.scrubber.scrubValue(state), continues),
    ...ruleItems(release, spec, state),
  ];
  const result = resultOf(spec, state, ctx.clock.now().getTime());
  if (state.status === 'stable') {
    mutations.push(setOutcome('success', true));
    await markStable(release);
  }
  await release.report(...mutations);
  return result;
}

function resultOf(spec: MonitorSpec, state: MonitorState, now: number): PhaseResult {
  const decision = state.decision;
  switch (state.status) {
    case 'running': {
      const watched = Math.max(0, Math.min(now, state.endsAt) - state.startedAt);
      return {
        outcome: 'passed',
        continues: true,
        summary: `watching: ${formatDuration(watched)} of ${formatDuration(spec.durationMs)} without a decision; the watch continues from the record (slice ${state.slices} done)`,
        outputs: { resume: true, watchEndsAt: new Date(state.endsAt).toISOString() },
      };
    }
    case 'stable':
      return {
        outcome: 'passed',
        summary: decision?.message ?? 'stable',
        outputs: { resume: false, stable: true },
      };
    case 'rollback':
      return {
        outcome: 'failed',
        rollbackRequired: true,
        summary: decision?.message ?? 'rollback required',
        outputs: { resume: false },
      };
    case 'failed':
      return {
        outcome: 'failed',
        summary: decision?.message ?? 'release failed',
        outputs: { resume: false },
      };
    case 'inconclusive':
      return {
        outcome: 'inconclusive',
        summary: `${decision?.message ?? 'inconclusive'}; comment \`/shipgate promote\` or \`/shipgate rollback <reason>\` on the tracking issue`,
        outputs: { resume: false },
      };
  }
}

/** Moves the environment's stable marker to this release; a failure to do so is logged, not fatal. */
async function markStable(release: Release): Promise<void> {
  const { ctx, record, documents } = release;
  const { version, sha, environment } = record.state.release;
  const marker = new StableMarker(documents, ctx.clock);
  try {
    if ((await marker.current(environment))?.version === version) return;
    await marker.mark({ environment, version, sha, releaseKey: record.key });
    ctx.logger.info(`marked ${version} stable in ${environment}`);
  } catch (error) {
    ctx.logger.error(`could not mark ${version} stable in ${environment}: ${errorMessage(error)}`);
  }
}

/** The baselines the preflight captured for this watch's baseline rules. */
function baselinesFor(spec: MonitorSpec, snapshot: BaselineSnapshot | undefined): Baseline[] {
  if (!snapshot) return [];
  const wanted = new Set(spec.rules.filter((rule) => rule.baseline).map((rule) => rule.metric));
  return Object.values(snapshot.metrics).filter((baseline) => wanted.has(baseline.metric));
}

export function saveWatch(spec: MonitorSpec, state: MonitorState, continues: boolean): Mutation {
  const chart = renderMonitorCharts(spec, state);
  return (record) => ({ ...record, monitor: { state, chart, continues } });
}

const EVENT_TYPES: Partial<Record<MonitorEvent['type'], string>> = {
  'breach-started': 'monitor breach started',
  'breach-firing': 'monitor breach firing',
  blip: 'monitor blip',
  'breach-resolved': 'monitor breach resolved',
  'rule-completed': 'monitor rule verdict',
  backfilled: 'monitor gap replayed',
  decision: 'monitor decision',
  continued: 'monitor continued',
};

/** A monitor event as a release timeline entry; its id is stable, so a re-run never records it twice. */
export function timelineEvent(
  event: MonitorEvent,
  rules: ReadonlyMap<string, RuleSpec>,
): TimelineEvent | undefined {
  const type = EVENT_TYPES[event.type];
  const line = describeEvent(event, rules);
  if (!type || !line) return undefined;
  const at = eventTime(event);
  const ruleId = 'ruleId' in event ? event.ruleId : undefined;
  const data: Evidence = {};
  if (ruleId) data.rule = ruleId;
  if (event.type === 'decision') {
    data.action = event.decision.action;
    if (event.decision.ruleId) data.rule = event.decision.ruleId;
    if (event.decision.breachStartedAt !== undefined)
      data.breachStartedAt = new Date(event.decision.breachStartedAt).toISOString();
  }
  return {
    id: `monitor-${event.type}-${ruleId ?? ''}-${at}`,
    at: new Date(at).toISOString(),
    type,
    // The timeline has its own time column: drop the line's leading `HH:MM:SS`.
    message: line.replace(/^`\d\d:\d\d:\d\d`(?:–`\d\d:\d\d:\d\d`)?\s*/, ''),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}

function eventTime(event: MonitorEvent): number {
  switch (event.type) {
    case 'blip':
    case 'breach-resolved':
      return event.until;
    case 'backfilled':
      return event.to;
    case 'decision':
      return event.decision.decidedAt;
    default:
      return event.at;
  }
}

/**
 * Each rule's item: its verdict and what was measured against its thresholds. Only items the
 * record has are touched (a rule skipped in this environment has none).
 */
function ruleItems(release: Release, spec: MonitorSpec, state: MonitorState, force?: ItemStatus): Mutation[] {
  const { scrubber } = release.ctx;
  const known = new Set(release.record.state.items.map((item) => item.id));
  return spec.rules
    .filter((rule) => known.has(rule.id))
    .map((rule) => {
      const ruleState = state.rules[rule.id];
      const status = force ?? itemStatus(ruleState, state);
      const report = ruleReport(rule, ruleState, state);
      return updateItem(rule.id, {
        status,
        // Source errors can quote URLs and answers: no secret reaches GitHub.
        summary: scrubber.scrub(report.summary),
        evidence: scrubber.scrubValue(report.evidence),
        ...(status !== 'running' && status !== 'pending'
          ? { finishedAt: new Date(state.lastTickAt ?? state.startedAt).toISOString() }
          : {}),
      });
    });
}

function itemStatus(rule: RuleState | undefined, state: MonitorState): ItemStatus {
  switch (rule?.status) {
    case 'passed':
    case 'failed':
    case 'inconclusive':
      return rule.status;
    default:
      // Still running: the watch goes on, or it ended on another rule before this one was judged.
      return state.status === 'running' ? 'running' : 'skipped';
  }
}

function ruleReport(
  rule: RuleSpec,
  ruleState: RuleState | undefined,
  state: MonitorState,
): { summary: string; evidence: Evidence } {
  const evidence: Evidence = {};
  const facts: string[] = [];
  const limits = [
    rule.critical ? `critical ${formatThreshold(rule.critical, rule.metric)}` : undefined,
    rule.warn ? `warn ${formatThreshold(rule.warn, rule.metric)}` : undefined,
    rule.baseline ? `baseline ×${rule.baseline.ratio}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const last = ruleState?.recent.at(-1);
  if (last) {
    facts.push(`last ${formatValue(last.value, rule.metric)} (${limits.join(', ')})`);
    evidence.last = formatValue(last.value, rule.metric);
  } else {
    facts.push(`no value yet (${limits.join(', ')})`);
  }
  if (rule.critical) evidence.critical = formatThreshold(rule.critical, rule.metric);
  if (rule.warn) evidence.warn = formatThreshold(rule.warn, rule.metric);
  if (ruleState) {
    const c = ruleState.counts;
    evidence.measurements = c.measurements;
    evidence.errors = c.errors;
    const values = ruleState.recent.map((v) => v.value);
    if (values.length > 0) evidence.peak = formatValue(Math.max(...values), rule.metric);
    facts.push(`${c.measurements} measurement(s)${c.errors > 0 ? `, ${c.errors} error(s)` : ''}`);
    const breach = ruleState.critical ?? ruleState.warning;
    if (breach) {
      evidence.breachStartedAt = new Date(breach.since).toISOString();
      facts.push(
        `${breach.severity} breach since ${new Date(breach.since).toISOString().slice(11, 19)}${breach.firing ? ' (firing)' : ''}`,
      );
    }
  }
  const blips = state.events.filter(
    (e): e is Extract<MonitorEvent, { type: 'blip' }> => e.type === 'blip' && e.ruleId === rule.id,
  );
  if (blips.length > 0) {
    const worst = blips.reduce((a, b) => (b.peak > a.peak ? b : a));
    evidence.blips = blips.length;
    facts.push(
      `${blips.length} blip(s) not acted on (peak ${formatValue(worst.peak, rule.metric)} for ${formatDuration(worst.durationMs)}, shorter than for: ${formatDuration(rule.forMs)})`,
    );
  }
  if (ruleState?.message) {
    evidence.verdict = ruleState.message;
    facts.push(ruleState.message);
  }
  if (rule.dryRun) facts.push('dry run: not acted on');
  return { summary: facts.join(' · '), evidence };
}
