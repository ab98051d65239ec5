import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestMetrics } from './exposition.ts';
import { type Fault, type FaultSpec, FaultSpecError, FaultSwitch, faultFromJson } from './faults.ts';
import { CursorError, Paginator } from './pagination.ts';

/**
 * The demo app: a small HTTP service with versions and a fault switch, so a release pipeline has
 * something real to deploy, smoke-test, watch and roll back.
 *
 * Application routes (counted in /metrics, subject to faults):
 *   GET /health                       {"status":"healthy","version":"1.0.0"}
 *   GET /api/items|listings|reservations?limit=&cursor=   cursor pagination; 400 on a bad cursor
 *                                     or limit; 401 without the token when one is configured
 * Operational routes (never faulted):
 *   GET /metrics                      Prometheus text format
 *   GET /control/state                version, deploy history, faults
 *   POST /control/deploy {"version"}  switch the running version (what deploy and rollback call)
 *   POST /control/faults {FaultSpec + afterMs | at}   add a fault
 *   DELETE /control/faults            clear all faults
 */

export interface DemoAppOptions {
  version?: string;
  /** When set, /api/* require `X-API-Key: TOKEN` or `Authorization: Bearer TOKEN`. */
  token?: string;
  /** Faults installed at start (e.g. version-bound ones: "2.0.0 answers /health 500"). */
  faults?: FaultSpec[];
  /** Epoch milliseconds; Date.now unless a test injects time. */
  now?: () => number;
  /** Items in each collection. */
  itemCount?: number;
}

export interface DeployRecord {
  version: string;
  previous: string;
  at: string;
}

export interface DemoAppState {
  version: string;
  startedAt: string;
  deploys: DeployRecord[];
  faults: readonly Fault[];
}

export interface RunningDemoApp {
  url: string;
  port: number;
  server: Server;
  version(): string;
  deploy(version: string): DeployRecord;
  addFault(spec: FaultSpec): Fault;
  clearFaults(): void;
  state(): DemoAppState;
  close(): Promise<void>;
}

const APPLICATION_ROUTES = ['/health', '/api/items', '/api/listings', '/api/reservations'] as const;
const COLLECTIONS = new Set(['/api/items', '/api/listings', '/api/reservations']);
const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;

export function createDemoApp(options: DemoAppOptions = {}): Omit<RunningDemoApp, 'url' | 'port' | 'close'> {
  const now = options.now ?? Date.now;
  let version = options.version ?? '1.0.0';
  const startedAt = new Date(now()).toISOString();
  const deploys: DeployRecord[] = [];
  const faults = new FaultSwitch();
  for (const spec of options.faults ?? []) faults.add(spec, now());
  const metrics = new RequestMetrics(now());
  const paginator = new Paginator(randomBytes(16).toString('hex'));
  const items = Array.from({ length: options.itemCount ?? 95 }, (_, i) => ({
    id: i + 1,
    name: `item-${String(i + 1).padStart(3, '0')}`,
  }));

  const deploy = (next: string): DeployRecord => {
    if (!VERSION_PATTERN.test(next)) throw new FaultSpecError(`invalid version ${JSON.stringify(next)}`);
    const record = { version: next, previous: version, at: new Date(now()).toISOString() };
    version = next;
    deploys.push(record);
    return record;
  };
  const state = (): DemoAppState => ({ version, startedAt, deploys: [...deploys], faults: faults.list() });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/metrics' && method === 'GET') {
      return send(res, 200, metrics.render(version), 'text/plain; version=0.0.4; charset=utf-8');
    }
    if (path.startsWith('/control/')) return control(req, res, path, method);

    const started = performance.now();
    const route = (APPLICATION_ROUTES as readonly string[]).includes(path) ? path : 'other';
    let code = 200;
    try {
      const effect = faults.effectFor(route, version, now());
      if (effect.latencyMs > 0) await delay(effect.latencyMs);
      if (effect.failWith !== undefined) {
        code = effect.failWith;
        return sendJson(res, code, { status: 'unhealthy', version, error: 'injected fault' });
      }
      if (method !== 'GET') {
        code = 405;
        return sendJson(res, code, { error: 'method not allowed' });
      }
      if (path === '/health') {
        return sendJson(res, code, { status: 'healthy', version });
      }
      if (COLLECTIONS.has(path)) {
        if (options.token !== undefined && !authorised(req, options.token)) {
          code = 401;
          return sendJson(res, code, { error: 'missing or invalid API key' });
        }
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 10 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          code = 400;
          return sendJson(res, code, { error: 'limit must be an integer between 1 and 100' });
        }
        try {
          const page = paginator.page(items, limit, url.searchParams.get('cursor') ?? undefined);
          return sendJson(res, code, { ...page, version });
        } catch (error) {
          if (!(error instanceof CursorError)) throw error;
          code = 400;
          return sendJson(res, code, { error: `invalid cursor: ${error.message}` });
        }
      }
      code = 404;
      return sendJson(res, code, { error: 'not found' });
    } finally {
      metrics.observe(route, code, (performance.now() - started) / 1000);
    }
  };

  const control = async (req: IncomingMessage, res: ServerResponse, path: string, method: string) => {
    try {
      if (path === '/control/state' && method === 'GET') return sendJson(res, 200, state());
      if (path === '/control/deploy' && method === 'POST') {
        const body = (await readJson(req)) as { version?: unknown };
        if (typeof body.version !== 'string') throw new FaultSpecError('body must be {"version": "X"}');
        return sendJson(res, 200, deploy(body.version));
      }
      if (path === '/control/faults' && method === 'POST') {
        const fault = faults.add(faultFromJson(await readJson(req), now()), now());
        return sendJson(res, 201, fault);
      }
      if (path === '/control/faults' && method === 'DELETE') {
        faults.clear();
        return sendJson(res, 200, { faults: [] });
      }
      return sendJson(res, 404, { error: `no control route ${method} ${path}` });
    } catch (error) {
      if (error instanceof FaultSpecError || error instanceof SyntaxError) {
        return sendJson(res, 400, { error: error.message });
      }
      throw error;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  // Probes and Prometheus open many short connections; do not keep idle sockets around on close.
  server.keepAliveTimeout = 1000;

  return {
    server,
    version: () => version,
    deploy,
    addFault: (spec) => faults.add(spec, now()),
    clearFaults: () => faults.clear(),
    state,
  };
}

/** Starts the demo app on 127.0.0.1 (port 0 picks a free one) and resolves once it listens. */
export async function startDemoApp(
  options: DemoAppOptions & { port?: number; host?: string } = {},
): Promise<RunningDemoApp> {
  const app = createDemoApp(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(options.port ?? 0, host, () => {
      app.server.off('error', reject);
      resolve();
    });
  });
  const { port } = app.server.address() as AddressInfo;
  return {
    ...app,
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        app.server.close((error) => (error ? reject(error) : resolve()));
        app.server.closeAllConnections();
      }),
  };
}

function authorised(req: IncomingMessage, token: string): boolean {
  const apiKey = req.headers['x-api-key'];
  if (apiKey === token) return true;
  return req.headers.authorization === `Bearer ${token}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new FaultSpecError('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, `${JSON.stringify(body)}\n`, 'application/json; charset=utf-8');
}

function send(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
