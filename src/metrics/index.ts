// The metrics engine's public API: sources, the pure evaluator, the monitor loop, charts.
export { captureBaseline } from './baseline.ts';
export { downsample, renderChart, renderMonitorCharts } from './chart.ts';
export { continueAfterInconclusive, resolveLimits } from './decision.ts';
export { compareWithBaseline, createMonitorState, evaluateTick, type TickResult } from './evaluator.ts';
export { formatDuration, formatThreshold, formatValue } from './format.ts';
export {
  createHttpProbe,
  defaultSleep,
  type HttpProbeSource,
  PROBE_METRICS,
  type ProbeSample,
  probeMeasurement,
  summariseProbes,
} from './http-probe.ts';
export { type MannWhitneyResult, mannWhitneyU } from './mann-whitney.ts';
export { type MonitorOptions, type MonitorRun, resolveMetricRefs, runMonitor } from './monitor.ts';
export {
  createPrometheusSource,
  type PrometheusResult,
  queryInstant,
  queryRange,
  toMeasurement,
} from './prometheus.ts';
export { emptySeries, recordTick } from './series.ts';
export { createSource, createSources, SOURCE_KIND_NAMES, splitMetricRef } from './sources.ts';
export { breaches, parseThreshold } from './threshold.ts';
export { describeEvent, renderTimeline } from './timeline.ts';
export * from './types.ts';
