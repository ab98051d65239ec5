/** Every REST request the sandbox answered, so tests can count calls per operation. */
export interface LoggedRequest {
  seq: number;
  method: string;
  /** Path as requested, without the `/api/v3` prefix and query. */
  path: string;
  /** Route template and operationId; `unknown` for paths the sandbox does not serve. */
  route: string;
  operationId: string;
  status: number;
  durationMs: number;
  /** Login of the token's user; undefined when unauthenticated. */
  user?: string;
  /** The client's User-Agent (shipgate's Octokit sends `shipgate`, gh `GitHub CLI ...`). */
  userAgent?: string;
  at: string;
  /** The fault applied, if any. */
  fault?: string;
  /** True when the answer was a 304 to a conditional request. */
  notModified?: boolean;
}

const MAX_ENTRIES = 20_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  record(entry: Omit<LoggedRequest, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(filter: { operationId?: string; method?: string; user?: string } = {}): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (!filter.operationId || e.operationId === filter.operationId) &&
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.user || e.user === filter.user),
    );
  }

  /** Calls per operationId. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.entries) counts[e.operationId] = (counts[e.operationId] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.entries = [];
  }
}
