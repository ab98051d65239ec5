import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type DemoAppOptions, type RunningDemoApp, startDemoApp } from '../../examples/demo-app/app.ts';
import type { FaultSpec } from '../../examples/demo-app/faults.ts';

/**
 * Starts the demo app for a test, either in this process (fast; the test can flip faults and
 * versions directly) or as a child process exactly as a deploy step would run it
 * (`node examples/demo-app/server.ts --port 0`), reading its URL from the first stdout line.
 * Either way `stop()` ends what was started.
 */

export const DEMO_APP_SERVER = fileURLToPath(new URL('../../examples/demo-app/server.ts', import.meta.url));
export const DEMO_APP_CTL = fileURLToPath(new URL('../../examples/demo-app/ctl.ts', import.meta.url));

export interface DemoAppProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for assertions and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startDemoAppInProcess(options: DemoAppOptions = {}): Promise<RunningDemoApp> {
  return startDemoApp(options);
}

export async function startDemoAppProcess(
  options: { version?: string; token?: string; faults?: FaultSpec[]; startTimeoutMs?: number } = {},
): Promise<DemoAppProcess> {
  const args = [DEMO_APP_SERVER, '--port', '0', '--version', options.version ?? '1.0.0'];
  if (options.token !== undefined) args.push('--token', options.token);
  for (const fault of options.faults ?? []) args.push('--fault', JSON.stringify(fault));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`demo app did not print its URL within ${options.startTimeoutMs ?? 10_000} ms:\n${output}`),
      );
    }, options.startTimeoutMs ?? 10_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`demo app exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Steady background traffic against the demo app (so Prometheus has request rates to compute),
 * spread over /health and /api/items. Returns a stop function that waits for in-flight requests.
 */
export function startTraffic(
  url: string,
  requestsPerSecond: number,
): { stop(): Promise<void>; sent(): number } {
  const inFlight = new Set<Promise<unknown>>();
  const paths = ['/health', '/api/items?limit=5', '/health', '/api/items?limit=20'];
  let sent = 0;
  const timer = setInterval(() => {
    const path = paths[sent % paths.length] ?? '/health';
    sent += 1;
    const p = fetch(`${url}${path}`, { signal: AbortSignal.timeout(5000) })
      .then((r) => r.arrayBuffer())
      .catch(() => undefined)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / requestsPerSecond);
  return {
    sent: () => sent,
    stop: async () => {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
