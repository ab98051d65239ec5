/**
 * The metrics engine's own vocabulary, independent of the YAML config: a config adapter maps
 * `monitor:` onto these types. Every quantity is in base units: milliseconds for time and
 * latency, fractions (0.05, not 5%) for rates, plain counts for counts.
 */

/** Milliseconds since the Unix epoch. */
export type EpochMs = number;

export interface Clock {
  now(): EpochMs;
}

/** Waits `ms` (or until the signal aborts, then rejects with its reason). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

// ── Measurements ─────────────────────────────────────────────────────────────────────────────

/**
 * What one source said about one metric at one moment. A source never throws for a bad answer:
 * it returns `no-data` (it answered, but there is nothing to judge) or `error` (it did not answer
 * usefully), each with a reason a person can act on.
 */
export type Measurement = ValueMeasurement | NoDataMeasurement | ErrorMeasurement;

export interface ValueMeasurement {
  kind: 'value';
  at: EpochMs;
  value: number;
  /** How many raw observations the value summarises (probe requests), when the source knows. */
  sampleCount?: number;
  /** Raw observations behind the value (e.g. probe latencies), for the baseline rank test. */
  samples?: number[];
  warnings?: string[];
}

export interface NoDataMeasurement {
  kind: 'no-data';
  at: EpochMs;
  reason: string;
  warnings?: string[];
}

export interface ErrorMeasurement {
  kind: 'error';
  at: EpochMs;
  reason: string;
}

/**
 * A source of metric values: `measure` answers for one metric now; `history` (optional) answers
 * for past moments, so a resumed watch can judge the time between slices.
 */
export interface MetricSource {
  readonly name: string;
  /** Metric names this source answers for (e.g. `error_rate`, `p95`). */
  readonly metrics: readonly string[];
  /** How long after start() its measurements mean something (a probe's window must fill). */
  readonly warmUpMs?: number;
  /** Begins background sampling (the HTTP probe); idempotent. */
  start?(): void;
  /** Ends background sampling and waits for in-flight requests. */
  stop?(): Promise<void>;
  measure(metric: string, now: EpochMs): Promise<Measurement>;
  history?(metric: string, from: EpochMs, to: EpochMs, stepMs: number): Promise<Measurement[]>;
}

// ── Source specs ─────────────────────────────────────────────────────────────────────────────

export interface HttpProbeSpec {
  kind: 'http-probe';
  url: string;
  /** Probes per second. */
  ratePerSecond: number;
  timeoutMs: number;
  /** The span of recent probes each measurement summarises; 30 s unless set. */
  windowMs?: number;
  method?: string;
  headers?: Record<string, string>;
  /** Statuses that count as a good answer; any 2xx or 3xx unless set. */
  okStatuses?: number[];
}

/** How to read a query's value into base units. */
export type PrometheusUnit = 'seconds' | 'milliseconds' | 'fraction' | 'percent' | 'count';

export interface PrometheusQuerySpec {
  query: string;
  /** `seconds` values become milliseconds, `percent` becomes a fraction; as-is otherwise. */
  unit?: PrometheusUnit;
}

export interface PrometheusSpec {
  kind: 'prometheus';
  url: string;
  queries: Record<string, string | PrometheusQuerySpec>;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export type SourceSpec = HttpProbeSpec | PrometheusSpec;

// ── Rules and analysis ───────────────────────────────────────────────────────────────────────

export type Comparator = '>' | '>=' | '<' | '<=';

export interface Threshold {
  op: Comparator;
  value: number;
}

export type Severity = 'normal' | 'warning' | 'critical';

/** What a firing severity leads to: `note` and `notify` report; `fail` and `rollback` end the watch. */
export type RuleAction = 'note' | 'notify' | 'fail' | 'rollback';

/** What a measurement with no data counts as. */
export type NoDataPolicy = 'inconclusive' | 'error' | 'ok' | 'breach';

/** What an inconclusive analysis leads to: ask people (a gate), roll back, or fail the release. */
export type InconclusiveAction = 'ask' | 'rollback' | 'fail';

/** Argo Rollouts analysis limits; see README.md in this directory for the exact semantics. */
export interface AnalysisLimits {
  /** The rule fails when firing measurements exceed this; -1 disables failing. */
  failureLimit: number;
  /** The rule is inconclusive when inconclusive measurements exceed this. */
  inconclusiveLimit: number;
  /** The rule is inconclusive when errors in a row exceed this; any other measurement resets it. */
  consecutiveErrorLimit: number;
  /** When > 0, the rule passes at the end only if it saw this many successes in a row. */
  consecutiveSuccessLimit: number;
  /** Fewer raw observations than this behind a value (or a baseline) make it no-data. */
  minSamples: number;
  noData: NoDataPolicy;
}

export const DEFAULT_ANALYSIS: AnalysisLimits = {
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  consecutiveSuccessLimit: 0,
  minSamples: 1,
  noData: 'inconclusive',
};

export interface BaselineSpec {
  /** Critical when the value exceeds `ratio` times the baseline value and the rank test agrees. */
  ratio: number;
  /** Significance level of the one-sided Mann-Whitney U test; 0.05 unless set. */
  alpha?: number;
}

export interface RuleSpec {
  id: string;
  /** `source.metric`, e.g. `prom.error_rate`, `probe.p95`. */
  metric: string;
  warn?: Threshold;
  critical?: Threshold;
  baseline?: BaselineSpec;
  /** How long a breach must last before it counts (Prometheus `for:`). */
  forMs: number;
  actions: { warn: RuleAction; critical: RuleAction };
  /** Evaluated and reported, never acted on. */
  dryRun: boolean;
  /** Per-rule overrides of the monitor's analysis limits. */
  analysis?: Partial<AnalysisLimits>;
}

export interface MonitorSpec {
  durationMs: number;
  intervalMs: number;
  rules: RuleSpec[];
  analysis: AnalysisLimits;
  inconclusive: InconclusiveAction;
}

/** Pre-deploy observations of one metric, for baseline rules. */
export interface Baseline {
  metric: string;
  capturedAt: EpochMs;
  value: number;
  samples: number[];
}

// ── Evaluation state and results ─────────────────────────────────────────────────────────────

/** One measurement as a rule judged it. */
export type MeasurementPhase = 'successful' | 'failed' | 'pending' | 'inconclusive' | 'error';

/** A breach of one severity level, from its first breaching measurement. */
export interface Breach {
  severity: 'warning' | 'critical';
  since: EpochMs;
  lastAt: EpochMs;
  /** Worst value seen (finite: +Inf is stored as Number.MAX_VALUE). */
  peak: number;
  firing: boolean;
  firedAt?: EpochMs;
}

export interface RuleCounts {
  measurements: number;
  successful: number;
  failed: number;
  inconclusive: number;
  errors: number;
  consecutiveErrors: number;
  consecutiveSuccesses: number;
  /** Whether consecutiveSuccesses ever reached consecutiveSuccessLimit. */
  successLimitReached: boolean;
}

export type RuleStatus = 'running' | 'passed' | 'failed' | 'inconclusive';

export interface RuleState {
  id: string;
  counts: RuleCounts;
  warning?: Breach;
  critical?: Breach;
  status: RuleStatus;
  /** Why the status is what it is, e.g. `failed (1) > failureLimit (0)`. */
  message?: string;
  /** The strongest action among its failed measurements (what a `failed` status leads to). */
  action?: RuleAction;
  /** The latest values, oldest first, bounded; a decision quotes those of its breach. */
  recent: { at: EpochMs; value: number }[];
  last?: RuleEvaluation;
}

export interface BaselineComparison {
  ratio: number;
  pValue: number;
  /** Rank-biserial correlation: +1 when every new sample exceeds every baseline sample. */
  effect: number;
  significant: boolean;
  breach: boolean;
}

export interface RuleEvaluation {
  ruleId: string;
  at: EpochMs;
  measurement: Measurement;
  severity: Severity;
  phase: MeasurementPhase;
  /** The analysis outcome of this measurement: only a firing breach fails; errors never pass. */
  outcome: 'passed' | 'failed' | 'inconclusive';
  baseline?: BaselineComparison;
  reason?: string;
}

export type MonitorStatus = 'running' | 'stable' | 'rollback' | 'failed' | 'inconclusive';

export type DecisionAction = 'promote' | 'rollback' | 'fail' | 'ask';

export interface Decision {
  outcome: 'passed' | 'failed' | 'inconclusive';
  action: DecisionAction;
  /** When the data that decided was measured. */
  decidedAt: EpochMs;
  ruleId?: string;
  metric?: string;
  severity?: Severity;
  breachStartedAt?: EpochMs;
  threshold?: Threshold;
  /** The values of the deciding breach (or the last values), oldest first. */
  values: { at: EpochMs; value: number }[];
  message: string;
}

export type MonitorEvent =
  | {
      type: 'breach-started';
      ruleId: string;
      severity: 'warning' | 'critical';
      at: EpochMs;
      value: number;
      dryRun: boolean;
    }
  | {
      type: 'breach-firing';
      ruleId: string;
      severity: 'warning' | 'critical';
      since: EpochMs;
      at: EpochMs;
      value: number;
      action: RuleAction;
      dryRun: boolean;
    }
  | {
      type: 'blip';
      ruleId: string;
      severity: 'warning' | 'critical';
      since: EpochMs;
      until: EpochMs;
      durationMs: number;
      peak: number;
      dryRun: boolean;
    }
  | {
      type: 'breach-resolved';
      ruleId: string;
      severity: 'warning' | 'critical';
      since: EpochMs;
      until: EpochMs;
      peak: number;
      dryRun: boolean;
    }
  | {
      type: 'rule-completed';
      ruleId: string;
      status: RuleStatus;
      at: EpochMs;
      message: string;
      dryRun: boolean;
    }
  | { type: 'measurement-error'; ruleId: string; at: EpochMs; reason: string; consecutive: number }
  | {
      type: 'backfilled';
      from: EpochMs;
      to: EpochMs;
      points: number;
      /** Metrics whose gap could not be replayed (no history, or the history request failed), with why. */
      skippedMetrics: string[];
    }
  | { type: 'decision'; decision: Decision }
  | { type: 'continued'; at: EpochMs; by: string; reason: string; previous: Decision };

/** Metric values over the watch, downsampled as it grows; each point keeps the worst of its span. */
export interface Series {
  /** Bucket start times. */
  t: EpochMs[];
  values: Record<string, (number | null)[]>;
  /** Ticks merged into each point; doubles whenever the series is compacted. */
  bucketTicks: number;
  /** Ticks merged into the last point so far. */
  lastBucketTicks: number;
}

/** Everything a watch needs to continue later; plain JSON. */
export interface MonitorState {
  schema: 1;
  startedAt: EpochMs;
  endsAt: EpochMs;
  lastTickAt?: EpochMs;
  status: MonitorStatus;
  rules: Record<string, RuleState>;
  baselines: Record<string, Baseline>;
  series: Series;
  /** Notable events (breaches, blips, completions, the decision), newest last, bounded. */
  events: MonitorEvent[];
  decision?: Decision;
  slices: number;
}
