import type { Config, Rule } from '../config/schema.ts';
import type {
  AnalysisLimits,
  EpochMs,
  MonitorSpec,
  NoDataPolicy,
  RuleSpec,
  Sleep,
  SourceSpec,
  Threshold,
} from '../metrics/types.ts';
import type { Clock } from './clock.ts';
import { interpolate, interpolateRecord, type TemplateValues } from './template.ts';

/**
 * The adapter from the config's `monitor:` (already in base units, per-environment overrides
 * already applied by `resolveEnvironment`) to the metrics engine's vocabulary. Rule ids stay the
 * config ids, so a rule's verdict lands on its checklist item.
 */

export type MonitorConfig = NonNullable<Config['monitor']>;

/** The config writes what no data counts as from a person's side; the engine from the analysis'. */
const NO_DATA: Record<MonitorConfig['analysis']['noData'], NoDataPolicy> = {
  pass: 'ok',
  fail: 'breach',
  inconclusive: 'inconclusive',
};

export function analysisLimits(monitor: MonitorConfig): AnalysisLimits {
  const { noData, ...limits } = monitor.analysis;
  return { ...limits, noData: NO_DATA[noData] };
}

export function ruleSpec(rule: Rule): RuleSpec {
  const spec: RuleSpec = {
    id: rule.id,
    metric: rule.metric,
    forMs: rule.for,
    actions: { warn: rule.actions.warn, critical: rule.actions.critical },
    dryRun: rule.dryRun,
  };
  if (rule.warn) spec.warn = threshold(rule.warn);
  if (rule.critical) spec.critical = threshold(rule.critical);
  if (rule.baseline) spec.baseline = { ratio: rule.baseline.ratio, alpha: 1 - rule.baseline.confidence };
  return spec;
}

/** The config's threshold keeps its text for display; the engine needs only the comparison. */
function threshold(parsed: Threshold): Threshold {
  return { op: parsed.op, value: parsed.value };
}

export function monitorSpec(monitor: MonitorConfig, durationMs = monitor.duration): MonitorSpec {
  return {
    durationMs,
    intervalMs: monitor.interval,
    rules: monitor.rules.map(ruleSpec),
    analysis: analysisLimits(monitor),
    inconclusive: monitor.inconclusive,
  };
}

export interface SourceOptions {
  /**
   * The span of probes one measurement summarises. The config has no knob for it: the watch uses
   * one interval (each measurement judges the probes since the previous one), the preflight
   * baseline its whole capture.
   */
  probeWindowMs?: number;
}

/**
 * Source specs with placeholders filled (`{url}/health`, `{vars.PROMETHEUS_URL}`, a header
 * `Bearer {secrets.PROMETHEUS_TOKEN}`): a missing value is a ConfigurationError naming the key.
 */
export function sourceSpecs(
  monitor: MonitorConfig,
  template: TemplateValues,
  options: SourceOptions = {},
): Record<string, SourceSpec> {
  const specs: Record<string, SourceSpec> = {};
  for (const [name, source] of Object.entries(monitor.sources)) {
    const where = `monitor.sources.${name}`;
    const url = interpolate(source.url, template, `${where}.url`);
    if (source.kind === 'http-probe') {
      specs[name] = {
        kind: 'http-probe',
        url,
        ratePerSecond: source.rate,
        timeoutMs: source.timeout,
        windowMs: options.probeWindowMs ?? monitor.interval,
        okStatuses: [source.expectStatus],
      };
    } else {
      specs[name] = {
        kind: 'prometheus',
        url,
        timeoutMs: source.timeout,
        headers: interpolateRecord(source.headers, template, `${where}.headers`),
        queries: { ...source.queries },
      };
    }
  }
  return specs;
}

/** The engine's clock (epoch milliseconds) and sleep, from the injected engine clock. */
export function metricsTime(clock: Clock): { clock: { now(): EpochMs }; sleep: Sleep } {
  return { clock: { now: () => clock.now().getTime() }, sleep: (ms, signal) => clock.sleep(ms, signal) };
}
