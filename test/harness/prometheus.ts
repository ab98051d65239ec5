import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Prometheus for integration tests: binds 127.0.0.1 on a free port, scrapes the given
 * targets every second, keeps its TSDB in a temp dir, and is ready (and every target up) before
 * `startPrometheus` resolves. `stop()` ends the process and removes the temp dir.
 * A missing `prometheus` binary fails loudly with how to install it; it is never a skip.
 */

export interface PrometheusOptions {
  /** `host:port` of each target; one scrape job `demo-app` holds them all. */
  targets: string[];
  scrapeIntervalMs?: number;
  /** Resolve only once every target has been scraped successfully; true unless set. */
  waitForTargets?: boolean;
  startTimeoutMs?: number;
  binary?: string;
}

export interface RunningPrometheus {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}

export function prometheusBinary(binary = process.env.PROMETHEUS_BIN ?? 'prometheus'): string {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `Prometheus is required for the metrics integration tests but \`${binary} --version\` failed ` +
        `(${probe.error?.message ?? probe.stderr.trim()}). Install the Debian package: ` +
        'sudo apt-get install -y prometheus (npm test runs scripts/prereqs.sh, which does it as root).',
    );
  }
  return binary;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = prometheusBinary(options.binary);
  // The free port can be taken between our probe and Prometheus' bind: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, options, await freePort());
    } catch (error) {
      lastError = error;
      if (!String(error).includes('address already in use')) throw error;
    }
  }
  throw lastError;
}

async function startOnce(
  binary: string,
  options: PrometheusOptions,
  port: number,
): Promise<RunningPrometheus> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shipgate-prometheus-'));
  const intervalMs = Math.round(options.scrapeIntervalMs ?? 1000);
  const config = [
    'global:',
    `  scrape_interval: ${intervalMs}ms`,
    `  scrape_timeout: ${Math.max(100, Math.round(intervalMs * 0.8))}ms`,
    `  evaluation_interval: ${intervalMs}ms`,
    'scrape_configs:',
    '  - job_name: demo-app',
    '    static_configs:',
    `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
  const configFile = join(dataDir, 'prometheus.yml');
  await writeFile(configFile, config);

  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dataDir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  child.stdout?.on('data', (c: Buffer) => {
    logs += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    logs += c.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    await waitFor(deadline, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${logs}`);
      const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).catch(
        () => undefined,
      );
      return ready?.status === 200;
    });
    if (options.waitForTargets ?? true) {
      await waitFor(deadline, async () => {
        const response = await fetch(`${url}/api/v1/targets?state=active`, {
          signal: AbortSignal.timeout(1000),
        });
        const body = (await response.json()) as { data?: { activeTargets?: { health?: string }[] } };
        const targets = body.data?.activeTargets ?? [];
        return targets.length === options.targets.length && targets.every((t) => t.health === 'up');
      });
    }
  } catch (error) {
    await stop();
    throw new Error(`Prometheus did not become ready on ${url}: ${String(error)}\n${logs}`, { cause: error });
  }
  return { url, port, dataDir, process: child, logs: () => logs, stop };
}

async function waitFor(deadline: number, check: () => Promise<boolean>): Promise<void> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      if (String(error).includes('exited with')) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out${last ? ` (last error: ${String(last)})` : ''}`);
}
