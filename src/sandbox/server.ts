import { createHash, randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Actor, authorize } from './access.ts';
import { ApiError, notFound } from './api-error.ts';
import { ControlApi } from './control-api.ts';
import { createDefaultWorld, DEFAULT_WORLD } from './default-world.ts';
import type { Exchange, ExchangeHook } from './exchange.ts';
import { type Fault, FaultPlan } from './faults.ts';
import { paginate } from './pagination.ts';
import { loadWorld, saveWorld } from './persistence.ts';
import { RateLimiter, type RateSnapshot, rateLimitHeaders } from './rate-limit.ts';
import type { Urls } from './representations.ts';
import { RequestLog } from './request-log.ts';
import type { Route, RouteContext } from './route.ts';
import { Router } from './router.ts';
import { ROUTES } from './routes/index.ts';
import type { SandboxEvent, TokenRecord, World } from './world.ts';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
  /** Persist the state to this JSON file after every change, and reload it on start. */
  statePath?: string;
  /** The world to start with when there is no state file (default: the documented default world). */
  world?: World;
  /** Serve HTTPS with this key and certificate (PEM), e.g. for the gh CLI as an Enterprise host. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Milliseconds since the epoch; injected so tests control timestamps and rate-limit windows. */
  clock?: () => number;
  /** Called with every REST request and answer (the tests validate them against GitHub's OpenAPI). */
  onExchange?: ExchangeHook;
  /** Primary rate limit per hour by token kind (GitHub: 5,000 for users, 1,000 for GITHUB_TOKEN). */
  rateLimits?: { user?: number; installation?: number };
  /**
   * GitHub's secondary limit on content creation (it documents 80 writes a minute): when set,
   * a token's writes beyond this many in a minute get 403 with `retry-after`. Off by default.
   */
  writesPerMinute?: number;
}

const GHES_PREFIX = '/api/v3';
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** The GitHub sandbox: routing, authentication, rate limits, faults, ETags and the request log around the routes. */
export class SandboxServer {
  world: World;
  readonly faults = new FaultPlan();
  readonly log = new RequestLog();
  readonly limiter: RateLimiter;
  readonly router = new Router(ROUTES);
  readonly routes = ROUTES;
  private readonly options: SandboxOptions;
  private readonly control: ControlApi;
  private readonly clock: () => number;
  private readonly recentWrites = new Map<string, number[]>();
  private server: Server | undefined;
  private origin = '';

  constructor(options: SandboxOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    this.limiter = new RateLimiter(this.clock);
    // A given world is copied: the sandbox mutates its state, never the caller's object.
    this.world =
      (options.statePath && loadWorld(options.statePath)) ||
      (options.world ? structuredClone(options.world) : createDefaultWorld());
    this.control = new ControlApi(this);
  }

  get url(): string {
    return this.origin;
  }

  async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `Sandbox error: ${String(error)}` }));
      });
    };
    // node:https (and tls) load only for a TLS sandbox: the common case starts faster without them.
    const server = this.options.tls
      ? (await import('node:https')).createServer(this.options.tls, handler)
      : createHttpServer(handler);
    server.keepAliveTimeout = 1000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.origin = `${this.options.tls ? 'https' : 'http'}://${host}:${address.port}`;
    this.persist();
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  now(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Replaces the whole state (control API: seed or reset). */
  replaceWorld(world: World): void {
    this.world = world;
    this.limiter.clear();
    this.persist();
  }

  persist(): void {
    if (this.options.statePath) saveWorld(this.options.statePath, this.world);
  }

  rateLimitFor(record: TokenRecord): number {
    if (record.rateLimit) return record.rateLimit;
    return record.kind === 'installation'
      ? (this.options.rateLimits?.installation ?? 1000)
      : (this.options.rateLimits?.user ?? 5000);
  }

  /** Tokens by name: the default world's roles (`admin`, `read`, `actions` ...) and every login. */
  tokens(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, token] of Object.entries(DEFAULT_WORLD.tokens))
      if (this.world.tokens[token]) out[name] = token;
    for (const [token, record] of Object.entries(this.world.tokens)) out[record.login] ??= token;
    return out;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const scheme = this.options.tls ? 'https' : 'http';
    const origin = `${scheme}://${req.headers.host ?? new URL(this.origin).host}`;
    const url = new URL(req.url ?? '/', origin);
    let path = url.pathname;
    let prefix = '';
    if (path === GHES_PREFIX || path.startsWith(`${GHES_PREFIX}/`)) {
      prefix = GHES_PREFIX;
      path = path.slice(GHES_PREFIX.length) || '/';
    }
    const raw = await readBody(req);
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      await this.control.handle(req, res, path, url, raw);
      return;
    }
    const urls: Urls = { api: `${origin}${prefix}`, html: origin };
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === '/graphql' || path === '/api/graphql') {
      await this.answerGraphql(req, res, method, path, started, raw, urls);
      return;
    }
    const match = this.router.match(method === 'HEAD' ? 'GET' : method, path);
    const route = match?.route;
    const operationId = route?.operationId ?? (path.endsWith('/graphql') ? 'graphql' : 'unknown');

    let status: number;
    let headers: Record<string, string> = {};
    let body: unknown;
    let actor: Actor | undefined;
    let limit = 0;
    let charge = false;
    let fault: Fault | undefined;
    let requestBody: unknown;
    let dropAfterWrite = false;
    try {
      actor = this.authenticate(req);
      limit = this.rateLimitFor(actor.record);
      const rate = this.limiter.snapshot(actor.token, limit);
      if (!route || !match) throw notFound();
      charge = !route.free;
      if (charge && rate.remaining === 0) {
        charge = false;
        throw new ApiError(
          403,
          `API rate limit exceeded for user ID ${this.world.users[actor.login]?.id ?? 0}. If you reach out to GitHub Support for help, please include the request ID.`,
        );
      }
      if (method !== 'GET') this.checkWriteRate(actor.token);
      fault = this.faults.take(method, operationId, route.path);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault) this.applyFault(fault);
      if (fault?.kind === 'drop') {
        this.record(req, method, path, route, 0, started, actor, fault);
        req.socket.destroy();
        return;
      }
      dropAfterWrite = fault?.kind === 'drop-after-write';
      requestBody = parseJson(raw);
      const reply = this.run(route, match.params, url, requestBody, actor, urls, rate);
      status = reply.status;
      headers = { ...reply.headers };
      if (reply.page) {
        const slice = paginate(reply.page.items, url);
        const render = (reply.page.render ?? ((x: unknown) => x)) as (x: unknown) => unknown;
        const rendered = slice.items.map(render);
        body = reply.page.wrap ? reply.page.wrap(rendered, reply.page.items.length) : rendered;
        if (slice.link) headers.link = slice.link;
      } else {
        body = reply.body;
      }
    } catch (error) {
      if (error instanceof ApiError) {
        status = error.status;
        body = error.body();
        headers = { ...error.headers };
      } else {
        status = 500;
        body = { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' };
        process.stderr.write(
          `sandbox: ${method} ${path}: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
      }
      if (status === 401) charge = false;
    }

    if (dropAfterWrite) {
      if (actor && charge) this.limiter.charge(actor.token, limit);
      this.record(req, method, path, route, 0, started, actor, fault);
      req.socket.destroy();
      return;
    }

    const text = body === undefined ? '' : JSON.stringify(body);
    let notModified = false;
    if (method === 'GET' && status === 200) {
      const etag = `W/"${createHash('sha256').update(text).digest('hex').slice(0, 40)}"`;
      headers.etag = etag;
      if (matchesEtag(req.headers['if-none-match'], etag)) {
        // Conditional requests answered 304 are free, as on GitHub.
        notModified = true;
        status = 304;
        charge = false;
      }
    }
    let snapshot: RateSnapshot | undefined;
    if (actor)
      snapshot = charge ? this.limiter.charge(actor.token, limit) : this.limiter.snapshot(actor.token, limit);
    const responseHeaders: Record<string, string> = {
      ...(snapshot ? rateLimitHeaders(snapshot) : {}),
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      ...(actor?.record.kind === 'user'
        ? { 'x-oauth-scopes': 'repo, read:org, workflow', 'x-accepted-oauth-scopes': '' }
        : {}),
      ...headers,
    };
    const hasBody = !notModified && status !== 204 && text !== '';
    if (hasBody) responseHeaders['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(status, responseHeaders);
    res.end(hasBody && method !== 'HEAD' ? text : undefined);

    this.record(req, method, path, route, status, started, actor, fault, notModified);
    if (this.options.onExchange && route) {
      const exchange: Exchange = {
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        route: route.path,
        operationId,
        requestHeaders: flattenHeaders(req.headers),
        requestBody,
        status,
        responseHeaders,
        responseBody: hasBody ? JSON.parse(text) : undefined,
      };
      this.options.onExchange(exchange);
    }
  }

  /**
   * The minimal GraphQL the gh CLI's issue commands need (see graphql.ts), loaded on the first
   * GraphQL request so the REST-only common case never loads graphql-js.
   */
  private async answerGraphql(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    started: number,
    raw: string,
    urls: Urls,
  ): Promise<void> {
    let actor: Actor | undefined;
    let status = 200;
    let body: unknown;
    let operation = 'graphql';
    try {
      actor = this.authenticate(req);
      if (method !== 'POST') throw notFound();
      const request = (parseJson(raw) ?? {}) as {
        query?: string;
        variables?: Record<string, unknown>;
        operationName?: string;
      };
      const { executeGraphql } = await import('./graphql.ts');
      const result = await executeGraphql(this, actor, request, urls);
      body = result.body;
      operation = result.operationName ? `graphql ${result.operationName}` : 'graphql';
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, String(error));
      status = apiError.status;
      body = { message: apiError.message, documentation_url: 'https://docs.github.com/graphql' };
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
    this.log.record({
      method,
      path,
      route: operation,
      operationId: 'graphql',
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(actor ? { user: actor.login } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      at: this.now(),
    });
  }

  /**
   * Runs a REST operation on behalf of another front end (GraphQL mutations), with the same
   * authorisation, validation, events and persistence as over HTTP. Throws ApiError.
   */
  invoke(operationId: string, params: Record<string, string>, body: unknown, actor: Actor, urls: Urls) {
    const route = this.routes.find((r) => r.operationId === operationId);
    if (!route) throw new Error(`no route for ${operationId}`);
    const rate = this.limiter.snapshot(actor.token, this.rateLimitFor(actor.record));
    return this.run(route, params, new URL('http://sandbox.invalid/'), body, actor, urls, rate);
  }

  /** The opt-in content-creation secondary limit: a sliding minute of writes per token. */
  private checkWriteRate(token: string): void {
    const limit = this.options.writesPerMinute;
    if (!limit) return;
    const now = this.clock();
    const recent = (this.recentWrites.get(token) ?? []).filter((at) => at > now - 60_000);
    if (recent.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
      this.recentWrites.set(token, recent);
      throw new ApiError(
        403,
        'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.',
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
    recent.push(now);
    this.recentWrites.set(token, recent);
  }

  private applyFault(fault: Fault): void {
    if (fault.kind === 'status') {
      const status = fault.status ?? 502;
      throw new ApiError(status, fault.message ?? (status >= 500 ? 'Server Error' : 'Injected fault'));
    }
    if (fault.kind === 'secondary-rate-limit') {
      throw new ApiError(
        fault.status ?? 403,
        fault.message ??
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        undefined,
        { 'retry-after': String(fault.retryAfter ?? 1) },
      );
    }
  }

  private run(
    route: Route,
    params: Record<string, string>,
    url: URL,
    body: unknown,
    actor: Actor,
    urls: Urls,
    rate: RateSnapshot,
  ) {
    const world = this.world;
    const pending: SandboxEvent[] = [];
    const ctx: RouteContext = {
      world,
      params,
      query: url.searchParams,
      body: (Array.isArray(body) ? { labels: body } : (body ?? {})) as Record<string, unknown>,
      actor,
      urls,
      rate,
      now: () => this.now(),
      emit: (name, payload) => {
        const event: SandboxEvent = {
          id: 0,
          name,
          repo: ctx.repo ? `${ctx.repo.owner}/${ctx.repo.name}` : '',
          deliveredAt: this.now(),
          payload,
        };
        if (typeof payload.action === 'string') event.action = payload.action;
        pending.push(event);
      },
    };
    if (params.owner !== undefined && params.repo !== undefined) {
      const key = `${params.owner}/${params.repo}`.toLowerCase();
      const repo = Object.entries(world.repos).find(([k]) => k.toLowerCase() === key)?.[1];
      if (!repo) throw notFound();
      authorize(world, repo, actor, route.scope ?? 'metadata', route.access ?? 'read', route.minimumRole);
      ctx.repo = repo;
    }
    const reply = route.handle(ctx);
    for (const event of pending) {
      event.id = world.nextId++;
      world.events.push(event);
    }
    if (route.method !== 'GET') {
      if (ctx.repo && pending.length > 0) ctx.repo.updatedAt = this.now();
      this.persist();
    }
    return reply;
  }

  private authenticate(req: IncomingMessage): Actor {
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, 'Requires authentication');
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
    const basic = /^basic\s+(\S+)$/i.exec(header);
    let token = m?.[1];
    if (!token && basic?.[1]) token = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[1];
    const record = token ? this.world.tokens[token] : undefined;
    if (!token || !record) throw new ApiError(401, 'Bad credentials');
    return { login: record.login, token, record };
  }

  private record(
    req: IncomingMessage,
    method: string,
    path: string,
    route: Route | undefined,
    status: number,
    started: number,
    actor: Actor | undefined,
    fault: Fault | undefined,
    notModified = false,
  ): void {
    this.log.record({
      method,
      path,
      route: route?.path ?? 'unknown',
      operationId: route?.operationId ?? (path.endsWith('/graphql') ? 'graphql' : 'unknown'),
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(actor ? { user: actor.login } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      at: this.now(),
      ...(fault ? { fault: fault.kind } : {}),
      ...(notModified ? { notModified } : {}),
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'Problems parsing JSON');
  }
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
