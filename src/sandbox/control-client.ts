/** A typed client for the sandbox's control API (`/_sandbox/`), over HTTP like everything else. */
import type { Fault, FaultSpec } from './faults.ts';
import type { RateSnapshot } from './rate-limit.ts';
import type { LoggedRequest } from './request-log.ts';
import type {
  ApprovalRecord,
  CheckRunRecord,
  CommitRecord,
  CommitStatusRecord,
  IssueRecord,
  SandboxEvent,
  TokenRecord,
  World,
} from './world.ts';

export interface EventFilter {
  name?: string;
  action?: string;
  /** Only events with an id greater than this. */
  after?: number;
}

export class SandboxControl {
  private readonly base: string;
  private readonly fetcher: typeof fetch;

  /** `url` is the sandbox's origin (`http://127.0.0.1:PORT`). */
  constructor(url: string, fetcher: typeof fetch = fetch) {
    this.base = `${url.replace(/\/$/, '')}/_sandbox`;
    this.fetcher = fetcher;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await this.fetcher(`${this.base}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  info(): Promise<{
    url: string;
    tokens: Record<string, string>;
    operations: { method: string; path: string; operationId: string }[];
  }> {
    return this.call('GET', '/');
  }
  state(): Promise<World> {
    return this.call('GET', '/state');
  }
  /** Replaces the whole state; also clears the request log and faults. */
  async seed(world: World): Promise<void> {
    await this.call('PUT', '/state', world);
  }
  /** Back to the documented default world. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }
  requests(filter: { operationId?: string; method?: string; user?: string } = {}): Promise<LoggedRequest[]> {
    return this.call('GET', `/requests${query(filter)}`);
  }
  /** Calls per operationId since the log was last cleared. */
  counts(): Promise<Record<string, number>> {
    return this.call('GET', '/requests/counts');
  }
  async clearRequests(): Promise<void> {
    await this.call('DELETE', '/requests');
  }
  events(filter: EventFilter = {}): Promise<SandboxEvent[]> {
    return this.call('GET', `/events${query(filter)}`);
  }
  async clearEvents(): Promise<void> {
    await this.call('DELETE', '/events');
  }
  fault(spec: FaultSpec): Promise<Fault> {
    return this.call('POST', '/faults', spec);
  }
  faults(): Promise<Fault[]> {
    return this.call('GET', '/faults');
  }
  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }
  setToken(token: string, record: TokenRecord): Promise<TokenRecord> {
    return this.call('PUT', `/tokens/${encodeURIComponent(token)}`, record);
  }
  setRateLimit(
    token: string,
    change: { limit?: number; remaining?: number; resetInSeconds?: number },
  ): Promise<RateSnapshot> {
    return this.call('PUT', `/rate-limits/${encodeURIComponent(token)}`, change);
  }
  /** Adds a commit; with `branch` the branch moves to it (a push). Parents default to the branch tip. */
  addCommit(
    repo: string,
    commit: {
      message?: string;
      branch?: string;
      parents?: string[];
      author?: string;
      date?: string;
      /** Paths the commit changes, as GitHub's commit and compare answers list them. */
      files?: string[];
    },
  ): Promise<CommitRecord> {
    return this.call('POST', `/repos/${repo}/commits`, commit);
  }
  addCheckRun(
    repo: string,
    run: {
      name: string;
      ref?: string;
      head_sha?: string;
      status?: string;
      conclusion?: string;
      title?: string;
      summary?: string;
    },
  ): Promise<CheckRunRecord> {
    return this.call('POST', `/repos/${repo}/check-runs`, run);
  }
  addStatus(
    repo: string,
    status: { context: string; state: string; ref?: string; head_sha?: string; description?: string },
  ): Promise<CommitStatusRecord> {
    return this.call('POST', `/repos/${repo}/statuses`, status);
  }
  addPullRequest(
    repo: string,
    pull: { title?: string; head: string; base?: string; body?: string; user?: string; draft?: boolean },
  ): Promise<IssueRecord> {
    return this.call('POST', `/repos/${repo}/pulls`, pull);
  }
  addWorkflowRun(
    repo: string,
    run: { id?: number; workflow?: string; ref?: string; head_sha?: string; approvals?: ApprovalRecord[] },
  ): Promise<{ id: number }> {
    return this.call('POST', `/repos/${repo}/actions/runs`, run);
  }
}

function query(filter: object): string {
  const entries = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '');
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}
