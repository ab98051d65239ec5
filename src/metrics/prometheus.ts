import type {
  EpochMs,
  Measurement,
  MetricSource,
  PrometheusQuerySpec,
  PrometheusSpec,
  PrometheusUnit,
} from './types.ts';

/**
 * Prometheus over its HTTP API (`/api/v1/query`, `/api/v1/query_range`). Every way the answer can
 * go wrong becomes a clear result instead of an exception: HTTP 5xx, `"status":"error"` with its
 * errorType and error, a body that is not the API's JSON, timeouts, connection refused. Empty
 * results are no-data; NaN (0/0: no traffic) is no-data; +Inf (a quantile above the top
 * bucket) is a value.
 */

export interface PrometheusSample {
  labels: Record<string, string>;
  at: EpochMs;
  value: number;
}

export type PrometheusResult =
  | { kind: 'vector'; samples: PrometheusSample[]; warnings: string[] }
  | { kind: 'scalar'; sample: PrometheusSample; warnings: string[] }
  | {
      kind: 'matrix';
      series: { labels: Record<string, string>; points: { at: EpochMs; value: number }[] }[];
      warnings: string[];
    }
  | { kind: 'error'; reason: string; errorType?: string; httpStatus?: number };

export interface PrometheusRequestOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** An instant query, evaluated at `time` (epoch ms) or now. */
export async function queryInstant(
  baseUrl: string,
  query: string,
  options: PrometheusRequestOptions & { time?: EpochMs } = {},
): Promise<PrometheusResult> {
  const params = new URLSearchParams({ query });
  if (options.time !== undefined) params.set('time', String(options.time / 1000));
  return request(baseUrl, '/api/v1/query', params, options);
}

/** A range query from `start` to `end` (epoch ms) every `stepMs`. */
export async function queryRange(
  baseUrl: string,
  query: string,
  range: { start: EpochMs; end: EpochMs; stepMs: number },
  options: PrometheusRequestOptions = {},
): Promise<PrometheusResult> {
  const params = new URLSearchParams({
    query,
    start: String(range.start / 1000),
    end: String(range.end / 1000),
    // Float seconds: Prometheus rejects fractional durations like `0.5s`.
    step: String(Math.max(0.001, range.stepMs / 1000)),
  });
  return request(baseUrl, '/api/v1/query_range', params, options);
}

async function request(
  baseUrl: string,
  path: string,
  params: URLSearchParams,
  options: PrometheusRequestOptions,
): Promise<PrometheusResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (options.signal) signals.push(options.signal);
  let response: Response;
  let text: string;
  try {
    // POST with a form body: long queries do not hit URL length limits (the API accepts both).
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body: params.toString(),
      signal: AbortSignal.any(signals),
    });
    text = await response.text();
  } catch (error) {
    return { kind: 'error', reason: describeFetchError(error, url, timeoutMs) };
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      kind: 'error',
      httpStatus: response.status,
      reason: `HTTP ${response.status} from ${url}, not Prometheus API JSON: ${excerpt(text)}`,
    };
  }
  const api = body as {
    status?: unknown;
    data?: unknown;
    errorType?: unknown;
    error?: unknown;
    warnings?: unknown;
  };
  const warnings = Array.isArray(api.warnings) ? api.warnings.map(String) : [];
  if (api.status === 'error') {
    return {
      kind: 'error',
      httpStatus: response.status,
      errorType: typeof api.errorType === 'string' ? api.errorType : undefined,
      reason: `Prometheus error${typeof api.errorType === 'string' ? ` ${api.errorType}` : ''} (HTTP ${response.status}): ${String(api.error ?? 'no message')}`,
    };
  }
  if (!response.ok) {
    return {
      kind: 'error',
      httpStatus: response.status,
      reason: `HTTP ${response.status} from ${url}: ${excerpt(text)}`,
    };
  }
  if (api.status !== 'success') {
    return {
      kind: 'error',
      httpStatus: response.status,
      reason: `unexpected Prometheus answer: ${excerpt(text)}`,
    };
  }
  return parseData(api.data, warnings);
}

function parseData(data: unknown, warnings: string[]): PrometheusResult {
  const d = data as { resultType?: unknown; result?: unknown };
  const malformed = (what: string): PrometheusResult => ({
    kind: 'error',
    reason: `malformed Prometheus ${what}`,
  });
  switch (d?.resultType) {
    case 'vector': {
      if (!Array.isArray(d.result)) return malformed('vector');
      const samples: PrometheusSample[] = [];
      for (const item of d.result as { metric?: Record<string, string>; value?: unknown }[]) {
        const point = parsePoint(item.value);
        if (!point) return malformed('vector sample');
        samples.push({ labels: item.metric ?? {}, ...point });
      }
      return { kind: 'vector', samples, warnings };
    }
    case 'scalar': {
      const point = parsePoint(d.result);
      return point ? { kind: 'scalar', sample: { labels: {}, ...point }, warnings } : malformed('scalar');
    }
    case 'matrix': {
      if (!Array.isArray(d.result)) return malformed('matrix');
      const series = [];
      for (const item of d.result as { metric?: Record<string, string>; values?: unknown }[]) {
        if (!Array.isArray(item.values)) return malformed('matrix series');
        const points = [];
        for (const raw of item.values) {
          const point = parsePoint(raw);
          if (!point) return malformed('matrix point');
          points.push(point);
        }
        series.push({ labels: item.metric ?? {}, points });
      }
      return { kind: 'matrix', series, warnings };
    }
    default:
      return { kind: 'error', reason: `unsupported Prometheus result type ${JSON.stringify(d?.resultType)}` };
  }
}

/** `[1700000000.123, "0.05"]` → { at, value }; Prometheus writes NaN and ±Inf as strings. */
function parsePoint(raw: unknown): { at: EpochMs; value: number } | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const [seconds, text] = raw as [unknown, unknown];
  if (typeof seconds !== 'number' || typeof text !== 'string') return undefined;
  const value =
    text === '+Inf' ? Number.POSITIVE_INFINITY : text === '-Inf' ? Number.NEGATIVE_INFINITY : Number(text);
  if (Number.isNaN(value) && text !== 'NaN') return undefined;
  return { at: Math.round(seconds * 1000), value };
}

/** One number from an instant query result, as a measurement in base units. */
export function toMeasurement(
  result: PrometheusResult,
  at: EpochMs,
  unit: PrometheusUnit = 'count',
): Measurement {
  if (result.kind === 'error') return { kind: 'error', at, reason: result.reason };
  if (result.kind === 'matrix')
    return { kind: 'error', at, reason: 'expected an instant value, got a range (matrix)' };
  const warnings = result.warnings.length > 0 ? { warnings: result.warnings } : {};
  let value: number;
  if (result.kind === 'scalar') value = result.sample.value;
  else {
    if (result.samples.length === 0) {
      return {
        kind: 'no-data',
        at,
        reason: 'the query returned no series (nothing scraped yet, or no matching traffic)',
        ...warnings,
      };
    }
    if (result.samples.length > 1) {
      return {
        kind: 'error',
        at,
        reason: `the query returned ${result.samples.length} series; a rule needs one number (aggregate with sum(), max() or by ())`,
      };
    }
    value = result.samples[0]?.value ?? Number.NaN;
  }
  return pointToMeasurement(value, at, unit, warnings);
}

function pointToMeasurement(
  value: number,
  at: EpochMs,
  unit: PrometheusUnit,
  warnings: { warnings?: string[] },
): Measurement {
  if (Number.isNaN(value)) {
    return {
      kind: 'no-data',
      at,
      reason: 'the query returned NaN (0/0: no requests in the range)',
      ...warnings,
    };
  }
  if (value === Number.NEGATIVE_INFINITY) return { kind: 'error', at, reason: 'the query returned -Inf' };
  return { kind: 'value', at, value: toBaseUnit(value, unit), ...warnings };
}

export function toBaseUnit(value: number, unit: PrometheusUnit): number {
  switch (unit) {
    case 'seconds':
      return value * 1000;
    case 'percent':
      return value / 100;
    default:
      return value;
  }
}

/** A MetricSource over Prometheus: one named query per metric, with history for resumed watches. */
export function createPrometheusSource(
  name: string,
  spec: PrometheusSpec,
  options: { fetch?: typeof fetch } = {},
): MetricSource {
  const queries = new Map<string, PrometheusQuerySpec>(
    Object.entries(spec.queries).map(([metric, q]) => [metric, typeof q === 'string' ? { query: q } : q]),
  );
  const requestOptions: PrometheusRequestOptions = {
    timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    headers: spec.headers,
    fetch: options.fetch,
  };
  const lookup = (metric: string) => {
    const q = queries.get(metric);
    if (!q)
      throw new Error(
        `source ${name} has no query named ${metric}; known: ${[...queries.keys()].join(', ')}`,
      );
    return q;
  };
  return {
    name,
    metrics: [...queries.keys()],
    async measure(metric, now) {
      const q = lookup(metric);
      const result = await queryInstant(spec.url, q.query, { ...requestOptions, time: now });
      return toMeasurement(result, now, q.unit);
    },
    async history(metric, from, to, stepMs) {
      const q = lookup(metric);
      const result = await queryRange(spec.url, q.query, { start: from, end: to, stepMs }, requestOptions);
      const times: EpochMs[] = [];
      for (let t = from; t <= to; t += stepMs) times.push(t);
      if (result.kind === 'error') return times.map((at) => ({ kind: 'error', at, reason: result.reason }));
      if (result.kind !== 'matrix') {
        return times.map((at) => ({
          kind: 'error',
          at,
          reason: `expected a range (matrix), got ${result.kind}`,
        }));
      }
      if (result.series.length > 1) {
        const reason = `the query returned ${result.series.length} series; a rule needs one number`;
        return times.map((at) => ({ kind: 'error', at, reason }));
      }
      const points = new Map((result.series[0]?.points ?? []).map((p) => [p.at, p.value]));
      const warnings = result.warnings.length > 0 ? { warnings: result.warnings } : {};
      return times.map((at) => {
        const value = points.get(at);
        if (value === undefined)
          return { kind: 'no-data', at, reason: 'no sample at this time in the range' };
        return pointToMeasurement(value, at, q.unit ?? 'count', warnings);
      });
    },
  };
}

function describeFetchError(error: unknown, url: string, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms waiting for ${url}`;
  if (e?.name === 'AbortError') return `request to ${url} aborted`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return `connection refused by ${new URL(url).host} (is Prometheus running?)`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
    return `connection to ${new URL(url).host} reset mid-answer`;
  if (code === 'ENOTFOUND') return `host ${new URL(url).hostname} not found`;
  return `request to ${url} failed: ${code ?? e?.cause?.message ?? e?.message ?? String(error)}`;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}
