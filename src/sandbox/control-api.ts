/**
 * The control API under `/_sandbox/`: what a test (or `shipgate rehearse`) uses to seed and read
 * the sandbox's state, count calls, read the events GitHub would deliver, and inject faults. It is
 * not GitHub's API and needs no token (the sandbox listens on loopback).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDefaultWorld } from './default-world.ts';
import type { FaultSpec } from './faults.ts';
import { makeCommit, resolveCommitish } from './git-objects.ts';
import type { SandboxServer } from './server.ts';
import { pushPayload } from './webhook-payloads.ts';
import type {
  CheckRunRecord,
  CommitStatusRecord,
  GitPerson,
  IssueRecord,
  RepoRecord,
  TokenRecord,
  World,
} from './world.ts';

class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type Json = Record<string, unknown>;
type Handler = (args: { params: string[]; query: URLSearchParams; body: Json }) => {
  status?: number;
  body?: unknown;
};

export class ControlApi {
  private readonly sandbox: SandboxServer;
  private readonly table: [string, RegExp, Handler][];

  constructor(sandbox: SandboxServer) {
    this.sandbox = sandbox;
    const repoPath = '/_sandbox/repos/([^/]+)/([^/]+)';
    this.table = [
      ['GET', /^\/_sandbox\/?$/, () => ({ body: this.info() })],
      ['GET', /^\/_sandbox\/state$/, () => ({ body: this.sandbox.world })],
      ['PUT', /^\/_sandbox\/state$/, ({ body }) => this.seed(body)],
      ['POST', /^\/_sandbox\/reset$/, () => this.seed(createDefaultWorld() as unknown as Json)],
      ['GET', /^\/_sandbox\/requests$/, ({ query }) => ({ body: this.requests(query) })],
      ['GET', /^\/_sandbox\/requests\/counts$/, () => ({ body: this.sandbox.log.counts() })],
      [
        'DELETE',
        /^\/_sandbox\/requests$/,
        () => {
          this.sandbox.log.clear();
          return { status: 204 };
        },
      ],
      ['GET', /^\/_sandbox\/events$/, ({ query }) => ({ body: this.events(query) })],
      ['DELETE', /^\/_sandbox\/events$/, () => this.clearEvents()],
      ['GET', /^\/_sandbox\/faults$/, () => ({ body: this.sandbox.faults.list() })],
      ['POST', /^\/_sandbox\/faults$/, ({ body }) => this.addFault(body)],
      [
        'DELETE',
        /^\/_sandbox\/faults$/,
        () => {
          this.sandbox.faults.clear();
          return { status: 204 };
        },
      ],
      ['PUT', /^\/_sandbox\/tokens\/([^/]+)$/, ({ params, body }) => this.putToken(params[0]!, body)],
      ['PUT', /^\/_sandbox\/rate-limits\/([^/]+)$/, ({ params, body }) => this.setRate(params[0]!, body)],
      ['POST', new RegExp(`^${repoPath}/commits$`), ({ params, body }) => this.addCommit(params, body)],
      ['POST', new RegExp(`^${repoPath}/check-runs$`), ({ params, body }) => this.addCheckRun(params, body)],
      ['POST', new RegExp(`^${repoPath}/statuses$`), ({ params, body }) => this.addStatus(params, body)],
      ['POST', new RegExp(`^${repoPath}/pulls$`), ({ params, body }) => this.addPull(params, body)],
      ['POST', new RegExp(`^${repoPath}/actions/runs$`), ({ params, body }) => this.addRun(params, body)],
    ];
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: URL,
    raw: string,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let status: number;
    let body: unknown;
    try {
      const entry = this.table.find(([m, re]) => m === method && re.test(path));
      if (!entry) throw new ControlError(404, `no control operation ${method} ${path}`);
      const params = (entry[1].exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      let parsed: Json = {};
      if (raw.trim() !== '') {
        try {
          parsed = JSON.parse(raw) as Json;
        } catch {
          throw new ControlError(400, 'body is not JSON');
        }
      }
      const reply = entry[2]({ params, query: url.searchParams, body: parsed });
      status = reply.status ?? 200;
      body = reply.body;
      if (method !== 'GET') this.sandbox.persist();
    } catch (error) {
      status = error instanceof ControlError ? error.status : 400;
      body = { message: error instanceof Error ? error.message : String(error) };
    }
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, text ? { 'content-type': 'application/json; charset=utf-8' } : {});
    res.end(text || undefined);
  }

  private info(): Json {
    return {
      url: this.sandbox.url,
      apiUrl: this.sandbox.url,
      ghesApiUrl: `${this.sandbox.url}/api/v3`,
      tokens: this.sandbox.tokens(),
      operations: this.sandbox.routes.map((r) => ({
        method: r.method,
        path: r.path,
        operationId: r.operationId,
      })),
    };
  }

  private seed(body: Json): { status: number; body: unknown } {
    const world = body as unknown as World;
    if (world.version !== 1 || typeof world.repos !== 'object' || typeof world.tokens !== 'object') {
      throw new ControlError(422, 'state must be a sandbox world (version 1)');
    }
    this.sandbox.replaceWorld(structuredClone(world));
    this.sandbox.log.clear();
    this.sandbox.faults.clear();
    return { status: 200, body: { ok: true } };
  }

  private requests(query: URLSearchParams): unknown {
    const filter: { operationId?: string; method?: string; user?: string } = {};
    const op = query.get('operationId') ?? query.get('operation');
    if (op) filter.operationId = op;
    const method = query.get('method');
    if (method) filter.method = method;
    const user = query.get('user');
    if (user) filter.user = user;
    return this.sandbox.log.list(filter);
  }

  private events(query: URLSearchParams): unknown {
    const name = query.get('name');
    const action = query.get('action');
    const after = Number(query.get('after') ?? 0);
    return this.sandbox.world.events.filter(
      (e) => (!name || e.name === name) && (!action || e.action === action) && e.id > after,
    );
  }

  private clearEvents() {
    this.sandbox.world.events = [];
    return { status: 204 };
  }

  private addFault(body: Json) {
    return { status: 201, body: this.sandbox.faults.add(body as unknown as FaultSpec) };
  }

  private putToken(token: string, body: Json) {
    const record = body as unknown as TokenRecord;
    if (typeof record.login !== 'string' || !this.sandbox.world.users[record.login]) {
      throw new ControlError(422, 'token needs the login of a known user');
    }
    this.sandbox.world.tokens[token] = { ...record, kind: record.kind ?? 'user' };
    return { status: 200, body: this.sandbox.world.tokens[token] };
  }

  private setRate(token: string, body: Json) {
    const record = this.sandbox.world.tokens[token];
    if (!record) throw new ControlError(404, 'unknown token');
    const change: { limit?: number; remaining?: number; resetInSeconds?: number } = {};
    if (typeof body.limit === 'number') change.limit = body.limit;
    if (typeof body.remaining === 'number') change.remaining = body.remaining;
    if (typeof body.resetInSeconds === 'number') change.resetInSeconds = body.resetInSeconds;
    return { body: this.sandbox.limiter.set(token, this.sandbox.rateLimitFor(record), change) };
  }

  private repo(params: string[]): RepoRecord {
    const repo = this.sandbox.world.repos[`${params[0]}/${params[1]}`];
    if (!repo) throw new ControlError(404, `no repository ${params[0]}/${params[1]}`);
    return repo;
  }

  /** Adds a commit (parents default to the branch tip) and, with `branch`, moves the branch and records the push. */
  private addCommit(params: string[], body: Json) {
    const repo = this.repo(params);
    const branch = typeof body.branch === 'string' ? body.branch : undefined;
    const branchRef = branch ? `refs/heads/${branch}` : undefined;
    let parents = Array.isArray(body.parents) ? (body.parents as string[]) : undefined;
    if (!parents) {
      const tip = branchRef ? repo.refs[branchRef] : repo.refs[`refs/heads/${repo.defaultBranch}`];
      parents = tip ? [tip] : [];
    }
    for (const p of parents) if (!repo.commits[p]) throw new ControlError(422, `unknown parent ${p}`);
    const login = typeof body.author === 'string' ? body.author : 'ada';
    const person: GitPerson = {
      name: this.sandbox.world.users[login]?.name ?? login,
      email: `${login}@acme.test`,
      date: typeof body.date === 'string' ? body.date : this.sandbox.now(),
    };
    const commit = makeCommit({
      message: typeof body.message === 'string' ? body.message : 'Sandbox commit',
      parents,
      author: person,
      authorLogin: login,
    });
    if (Array.isArray(body.files)) commit.files = (body.files as unknown[]).map(String);
    repo.commits[commit.sha] = commit;
    if (branchRef) {
      const before = repo.refs[branchRef] ?? '0000000000000000000000000000000000000000';
      repo.refs[branchRef] = commit.sha;
      repo.pushedAt = this.sandbox.now();
      const urls = { api: this.sandbox.url, html: this.sandbox.url };
      const token = Object.entries(this.sandbox.world.tokens).find(([, t]) => t.login === login)?.[0] ?? '';
      const actor = { login, token, record: { login, kind: 'user' as const } };
      const event = {
        id: this.sandbox.world.nextId++,
        name: 'push',
        repo: `${repo.owner}/${repo.name}`,
        deliveredAt: this.sandbox.now(),
        payload: pushPayload(
          this.sandbox.world,
          repo,
          { ref: branchRef, before, after: commit.sha, forced: false, commits: [commit] },
          actor,
          urls,
        ),
      };
      this.sandbox.world.events.push(event);
    }
    return { status: 201, body: commit };
  }

  private sha(repo: RepoRecord, body: Json): string {
    const ref =
      typeof body.head_sha === 'string'
        ? body.head_sha
        : typeof body.ref === 'string'
          ? body.ref
          : repo.defaultBranch;
    const sha = resolveCommitish(repo, ref);
    if (!sha) throw new ControlError(422, `unknown ref ${ref}`);
    return sha;
  }

  private addCheckRun(params: string[], body: Json) {
    const repo = this.repo(params);
    const now = this.sandbox.now();
    const status = (body.status as CheckRunRecord['status']) ?? 'completed';
    const run: CheckRunRecord = {
      id: this.sandbox.world.nextId++,
      headSha: this.sha(repo, body),
      name: typeof body.name === 'string' ? body.name : 'check',
      status,
      conclusion:
        status === 'completed' ? ((body.conclusion as CheckRunRecord['conclusion']) ?? 'success') : null,
      startedAt: now,
      completedAt: status === 'completed' ? now : null,
      detailsUrl: typeof body.details_url === 'string' ? body.details_url : null,
      title: typeof body.title === 'string' ? body.title : null,
      summary: typeof body.summary === 'string' ? body.summary : null,
    };
    repo.checkRuns.push(run);
    return { status: 201, body: run };
  }

  private addStatus(params: string[], body: Json) {
    const repo = this.repo(params);
    const now = this.sandbox.now();
    const status: CommitStatusRecord = {
      id: this.sandbox.world.nextId++,
      sha: this.sha(repo, body),
      state: (body.state as CommitStatusRecord['state']) ?? 'success',
      context: typeof body.context === 'string' ? body.context : 'default',
      description: typeof body.description === 'string' ? body.description : null,
      targetUrl: null,
      creator: 'github-actions[bot]',
      createdAt: now,
      updatedAt: now,
    };
    repo.statuses.push(status);
    return { status: 201, body: status };
  }

  private addPull(params: string[], body: Json) {
    const repo = this.repo(params);
    const head = typeof body.head === 'string' ? body.head : '';
    const base = typeof body.base === 'string' ? body.base : repo.defaultBranch;
    const headSha = repo.refs[`refs/heads/${head}`];
    const baseSha = repo.refs[`refs/heads/${base}`];
    if (!headSha || !baseSha) throw new ControlError(422, 'head and base must be existing branches');
    const now = this.sandbox.now();
    const issue: IssueRecord = {
      id: this.sandbox.world.nextId++,
      number: repo.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
      title: typeof body.title === 'string' ? body.title : head,
      body: typeof body.body === 'string' ? body.body : null,
      user: typeof body.user === 'string' ? body.user : 'wes',
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      locked: false,
      comments: 0,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      pull: {
        id: this.sandbox.world.nextId++,
        head: { ref: head, sha: headSha },
        base: { ref: base, sha: baseSha },
        draft: body.draft === true,
        merged: false,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null,
      },
    };
    repo.issues.push(issue);
    return { status: 201, body: issue };
  }

  private addRun(params: string[], body: Json) {
    const repo = this.repo(params);
    const id = typeof body.id === 'number' ? body.id : this.sandbox.world.nextId++;
    const workflow =
      repo.workflows.find((w) =>
        w.path.endsWith(`/${typeof body.workflow === 'string' ? body.workflow : 'release.yml'}`),
      ) ?? repo.workflows[0];
    const run = {
      id,
      workflowId: workflow?.id ?? 0,
      headSha: this.sha(repo, body),
      approvals: Array.isArray(body.approvals)
        ? (body.approvals as RepoRecord['workflowRuns'][number]['approvals'])
        : [],
    };
    repo.workflowRuns = repo.workflowRuns.filter((r) => r.id !== id);
    repo.workflowRuns.push(run);
    return { status: 201, body: run };
  }
}
