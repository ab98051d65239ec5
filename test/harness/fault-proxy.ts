import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy in front of a real server (Prometheus) that can misbehave on demand:
 *   pass          forward unchanged
 *   503           answer 503 with a plain-text body
 *   status-error  answer 422 with the API's `{"status":"error","errorType":...,"error":...}`
 *   slow          wait `delayMs`, then forward
 *   down          stop listening (connection refused), listening again on the same port after
 *   reset         accept and drop the connection without answering
 */

export type ProxyMode = 'pass' | '503' | 'status-error' | 'slow' | 'down' | 'reset';

export interface FaultProxy {
  url: string;
  port: number;
  mode(): ProxyMode;
  set(mode: ProxyMode, options?: { delayMs?: number }): Promise<void>;
  /** Requests seen, by mode. */
  counts(): Record<ProxyMode, number>;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: ProxyMode = 'pass';
  let delayMs = 2000;
  const counts: Record<ProxyMode, number> = {
    pass: 0,
    '503': 0,
    'status-error': 0,
    slow: 0,
    down: 0,
    reset: 0,
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const proxied = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: upstream failed: ${error.message}`);
    });
    req.pipe(proxied);
  };

  const server: Server = createServer((req, res) => {
    counts[mode] += 1;
    switch (mode) {
      case '503':
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('Service Unavailable\n');
        return;
      case 'status-error':
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples into memory',
          }),
        );
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) forward(req, res);
        }, delayMs);
        timers.add(timer);
        return;
      }
      default:
        forward(req, res);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const close = async () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode: () => mode,
    counts: () => ({ ...counts }),
    async set(next, options = {}) {
      delayMs = options.delayMs ?? delayMs;
      if (next === mode) return;
      if (next === 'down') await close();
      else if (mode === 'down')
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      mode = next;
    },
    async stop() {
      if (server.listening) await close();
    },
  };
}
