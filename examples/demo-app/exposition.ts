/**
 * The demo app's request metrics in the Prometheus text exposition format (version 0.0.4):
 * `http_requests_total{route,code}` and `http_request_duration_seconds{route}` (a histogram).
 */

export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface HistogramSeries {
  /** Cumulative counts per bucket, aligned with DURATION_BUCKETS_SECONDS. */
  buckets: number[];
  count: number;
  sum: number;
}

export class RequestMetrics {
  private readonly requests = new Map<string, { route: string; code: string; value: number }>();
  private readonly durations = new Map<string, HistogramSeries>();
  private readonly startedAtSeconds: number;

  constructor(startedAtMs: number) {
    this.startedAtSeconds = startedAtMs / 1000;
  }

  observe(route: string, code: number, durationSeconds: number): void {
    const key = `${route}\u0000${code}`;
    const counter = this.requests.get(key) ?? { route, code: String(code), value: 0 };
    counter.value += 1;
    this.requests.set(key, counter);

    let histogram = this.durations.get(route);
    if (!histogram) {
      histogram = { buckets: DURATION_BUCKETS_SECONDS.map(() => 0), count: 0, sum: 0 };
      this.durations.set(route, histogram);
    }
    DURATION_BUCKETS_SECONDS.forEach((le, i) => {
      if (durationSeconds <= le) histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
    });
    histogram.count += 1;
    histogram.sum += durationSeconds;
  }

  render(version: string): string {
    const lines: string[] = [];
    lines.push('# HELP http_requests_total HTTP requests answered, by route and status code.');
    lines.push('# TYPE http_requests_total counter');
    for (const { route, code, value } of [...this.requests.values()].sort(byRouteThenCode)) {
      lines.push(`http_requests_total{route="${escapeLabel(route)}",code="${code}"} ${value}`);
    }
    lines.push('# HELP http_request_duration_seconds Time to answer an HTTP request.');
    lines.push('# TYPE http_request_duration_seconds histogram');
    for (const [route, h] of [...this.durations.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const r = escapeLabel(route);
      DURATION_BUCKETS_SECONDS.forEach((le, i) => {
        lines.push(`http_request_duration_seconds_bucket{route="${r}",le="${le}"} ${h.buckets[i] ?? 0}`);
      });
      lines.push(`http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`);
      lines.push(`http_request_duration_seconds_sum{route="${r}"} ${h.sum}`);
      lines.push(`http_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    lines.push('# HELP demo_app_version_info The version the demo app runs.');
    lines.push('# TYPE demo_app_version_info gauge');
    lines.push(`demo_app_version_info{version="${escapeLabel(version)}"} 1`);
    lines.push('# HELP process_start_time_seconds Start time of the process since the Unix epoch.');
    lines.push('# TYPE process_start_time_seconds gauge');
    lines.push(`process_start_time_seconds ${this.startedAtSeconds}`);
    return `${lines.join('\n')}\n`;
  }
}

function byRouteThenCode(a: { route: string; code: string }, b: { route: string; code: string }): number {
  return a.route.localeCompare(b.route) || a.code.localeCompare(b.code);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
