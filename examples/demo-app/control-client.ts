import { parseArgs } from 'node:util';

/**
 * The demo app's control CLI, as deploy and rollback steps call it (argv, no shell):
 *   ctl.ts deploy   --url URL --version X          switch the running version (also: rollback)
 *   ctl.ts fault    --url URL [--error-rate 0.08] [--status 500] [--latency 300ms]
 *                   [--after 5s | --at ISO] [--for 20s] [--version X] [--route /health]...
 *   ctl.ts clear    --url URL                      remove every fault
 *   ctl.ts status   --url URL                      print version, deploys and faults
 * Prints the control endpoint's JSON answer; exits 0 on success, 1 when the app refused or was
 * unreachable, 2 on a usage error.
 */

export interface CtlIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  fetch?: typeof fetch;
}

export const CTL_USAGE = `usage: node examples/demo-app/ctl.ts <command> --url URL [options]
  deploy   --version X            switch the running version (rollback is the same with the old version)
  rollback --version X
  fault    [--error-rate F] [--status CODE] [--latency DURATION] [--after DURATION | --at ISO]
           [--for DURATION] [--version X] [--route PATH]...
  clear                           remove every fault
  status                          print the version, deploy history and faults
durations: 250ms, 5s, 2m, 1h`;

class UsageError extends Error {}

export async function runCtl(argv: string[], io: CtlIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        url: { type: 'string' },
        version: { type: 'string' },
        'error-rate': { type: 'string' },
        status: { type: 'string' },
        latency: { type: 'string' },
        after: { type: 'string' },
        at: { type: 'string' },
        for: { type: 'string' },
        route: { type: 'string', multiple: true },
        timeout: { type: 'string', default: '10s' },
      },
      strict: true,
    });
    if (!values.url) throw new UsageError('--url is required');
    const base = values.url.replace(/\/+$/, '');
    const timeoutMs = parseDurationMs(values.timeout ?? '10s');
    let request: { method: string; path: string; body?: unknown };
    switch (command) {
      case 'deploy':
      case 'rollback':
        if (!values.version) throw new UsageError(`${command} needs --version`);
        request = { method: 'POST', path: '/control/deploy', body: { version: values.version } };
        break;
      case 'fault': {
        const body: Record<string, unknown> = {};
        if (values['error-rate'] !== undefined) body.errorRate = Number(values['error-rate']);
        if (values.status !== undefined) body.status = Number(values.status);
        if (values.latency !== undefined) body.latencyMs = parseDurationMs(values.latency);
        if (values.after !== undefined) body.afterMs = parseDurationMs(values.after);
        if (values.at !== undefined) body.at = values.at;
        if (values.for !== undefined) body.durationMs = parseDurationMs(values.for);
        if (values.version !== undefined) body.version = values.version;
        if (values.route !== undefined) body.routes = values.route;
        request = { method: 'POST', path: '/control/faults', body };
        break;
      }
      case 'clear':
        request = { method: 'DELETE', path: '/control/faults' };
        break;
      case 'status':
        request = { method: 'GET', path: '/control/state' };
        break;
      default:
        throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : 'missing command');
    }
    const doFetch = io.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}${request.path}`, {
        method: request.method,
        headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      io.stderr.write(`ctl: cannot reach ${base}: ${describeFetchError(error)}\n`);
      return 1;
    }
    const text = await response.text();
    if (!response.ok) {
      io.stderr.write(`ctl: ${request.method} ${request.path} answered ${response.status}: ${text.trim()}\n`);
      return 1;
    }
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`ctl: ${(error as Error).message}\n${CTL_USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

/** `250ms`, `5s`, `2m`, `1h`, or a bare number of milliseconds. */
export function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`invalid duration ${JSON.stringify(text)}; use e.g. 250ms, 5s, 2m, 1h`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * factor;
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
