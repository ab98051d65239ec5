import { createHttpProbe, type HttpProbeDeps } from './http-probe.ts';
import { createPrometheusSource } from './prometheus.ts';
import type { MetricSource, SourceSpec } from './types.ts';

/**
 * Source kinds by name, in one table: an unknown kind is an error that lists the known ones.
 */
const SOURCE_KINDS: {
  [K in SourceSpec['kind']]: (
    name: string,
    spec: Extract<SourceSpec, { kind: K }>,
    deps: HttpProbeDeps,
  ) => MetricSource;
} = {
  'http-probe': (name, spec, deps) => createHttpProbe(name, spec, deps),
  prometheus: (name, spec, deps) => createPrometheusSource(name, spec, { fetch: deps.fetch }),
};

export const SOURCE_KIND_NAMES = Object.keys(SOURCE_KINDS) as SourceSpec['kind'][];

export function createSource(name: string, spec: SourceSpec, deps: HttpProbeDeps = {}): MetricSource {
  const factory = SOURCE_KINDS[spec.kind] as
    ((name: string, spec: SourceSpec, deps: HttpProbeDeps) => MetricSource) | undefined;
  if (!factory) {
    throw new Error(
      `source ${name}: unknown kind ${JSON.stringify((spec as { kind?: unknown }).kind)}; known: ${SOURCE_KIND_NAMES.join(', ')}`,
    );
  }
  return factory(name, spec, deps);
}

export function createSources(
  specs: Record<string, SourceSpec>,
  deps: HttpProbeDeps = {},
): Record<string, MetricSource> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, createSource(name, spec, deps)]),
  );
}

/** Splits `source.metric` (the metric name may itself contain dots). */
export function splitMetricRef(ref: string): { source: string; metric: string } {
  const dot = ref.indexOf('.');
  if (dot <= 0 || dot === ref.length - 1) {
    throw new Error(
      `metric ${JSON.stringify(ref)} must be written source.metric, e.g. prom.error_rate or probe.p95`,
    );
  }
  return { source: ref.slice(0, dot), metric: ref.slice(dot + 1) };
}
