import { formatDuration, formatThreshold, formatValue } from './format.ts';
import type { EpochMs, MonitorEvent, MonitorSpec, MonitorState, RuleSpec } from './types.ts';

/**
 * The watch as a person reads it: one Markdown line per notable event (breach started, fired,
 * blip, resolved, rule verdicts, replayed gaps, the decision), in time order, UTC. Used for the
 * tracking issue's notes ("a blip is not an incident") and the rollback issue's timeline.
 */
export function renderTimeline(spec: MonitorSpec, state: MonitorState): string {
  const rules = new Map(spec.rules.map((rule) => [rule.id, rule]));
  return state.events
    .map((event) => describeEvent(event, rules))
    .filter((line): line is string => line !== undefined)
    .map((line) => `- ${line}`)
    .join('\n');
}

export function describeEvent(event: MonitorEvent, rules: ReadonlyMap<string, RuleSpec>): string | undefined {
  const dry = (flag: boolean) => (flag ? ' _(dry run: not acted on)_' : '');
  switch (event.type) {
    case 'breach-started': {
      const rule = rules.get(event.ruleId);
      return `\`${time(event.at)}\` **${event.ruleId}**: ${event.severity} breach started: ${value(rule, event.value)}${threshold(rule, event.severity)}${dry(event.dryRun)}`;
    }
    case 'breach-firing': {
      const rule = rules.get(event.ruleId);
      return `\`${time(event.at)}\` **${event.ruleId}**: ${event.severity} breach lasted ${formatDuration(event.at - event.since)} (for: ${formatDuration(rule?.forMs ?? 0)}), now ${value(rule, event.value)} → ${event.action}${dry(event.dryRun)}`;
    }
    case 'blip': {
      const rule = rules.get(event.ruleId);
      return `\`${time(event.since)}\`–\`${time(event.until)}\` **${event.ruleId}**: blip, ${event.severity} for ${formatDuration(event.durationMs)} (shorter than for: ${formatDuration(rule?.forMs ?? 0)}), peak ${value(rule, event.peak)}; not acted on${dry(event.dryRun)}`;
    }
    case 'breach-resolved': {
      const rule = rules.get(event.ruleId);
      return `\`${time(event.until)}\` **${event.ruleId}**: ${event.severity} breach since \`${time(event.since)}\` resolved, peak ${value(rule, event.peak)}${dry(event.dryRun)}`;
    }
    case 'rule-completed':
      return `\`${time(event.at)}\` **${event.ruleId}**: ${event.status}: ${event.message}${dry(event.dryRun)}`;
    case 'backfilled':
      return `\`${time(event.from)}\`–\`${time(event.to)}\` replayed ${event.points} point(s) of the gap between slices from history${event.skippedMetrics.length > 0 ? `; not replayed: ${event.skippedMetrics.join(', ')}` : ''}`;
    case 'decision': {
      const d = event.decision;
      const verdict = {
        promote: 'stable',
        rollback: 'rollback required',
        fail: 'release failed',
        ask: 'people must decide',
      }[d.action];
      const since = d.breachStartedAt !== undefined ? ` (breach since \`${time(d.breachStartedAt)}\`)` : '';
      return `\`${time(d.decidedAt)}\` **decision: ${verdict}**${since}: ${d.message}`;
    }
    case 'continued':
      return `\`${time(event.at)}\` **watch continued** by ${event.by} after "${event.previous.message}": ${event.reason}`;
    case 'measurement-error':
      return undefined; // counted in the verdicts; one line per failed poll would drown the timeline
  }
}

function time(at: EpochMs): string {
  return new Date(at).toISOString().slice(11, 19);
}

function value(rule: RuleSpec | undefined, v: number): string {
  return `${rule?.metric ?? ''} ${formatValue(v, rule?.metric ?? '')}`.trim();
}

function threshold(rule: RuleSpec | undefined, severity: 'warning' | 'critical'): string {
  const t = severity === 'critical' ? rule?.critical : rule?.warn;
  if (t && rule) return ` (${formatThreshold(t, rule.metric)})`;
  if (severity === 'critical' && rule?.baseline) return ` (over ${rule.baseline.ratio}x baseline)`;
  return '';
}
