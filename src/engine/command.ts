import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { formatDuration } from '../config/units.ts';
import type { Logger } from '../logger.ts';
import { SecretScrubber } from '../secrets.ts';
import { LineSplitter } from './output-lines.ts';

/**
 * Runs one command from the config (DESIGN 5). A list is argv, run with no shell; a string is
 * trusted config text, run by `bash -c`. Values from events (PR titles, branch names, dispatch
 * inputs) never become part of either: they arrive as environment variables (`env`), where a
 * shell only expands them if the trusted command text asks for `$SHIPGATE_PR_TITLE`, and even
 * then as data, never as code.
 *
 * The command runs in its own process group. At its timeout (or when `signal` aborts) the whole
 * group gets SIGTERM and, after `killGraceMs`, SIGKILL, so a `sleep` started by a script does
 * not outlive it. Output is streamed to the logger line by line and the last `maxOutputBytes`
 * are kept, both after passing through the secret scrubber.
 */
export interface CommandSpec {
  run: string | readonly string[];
  /** Added over the base environment; values from events belong here and nowhere else. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Working directory; must exist. */
  cwd?: string;
  /** Milliseconds; absent means no timeout (the caller's signal still applies). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CommandOptions {
  logger?: Logger;
  /** Text that must never appear in output or errors. */
  scrubber?: SecretScrubber;
  /** The environment the spec's `env` is laid over; `process.env` by default. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Stream output lines to the logger (default true when a logger is given). */
  stream?: boolean;
  /** Prefix for streamed lines, e.g. a check id, so concurrent commands can be told apart. */
  label?: string;
  /** Between SIGTERM and SIGKILL (default 5 s). */
  killGraceMs?: number;
  /** How much of the combined output to keep, from the end (default 64 KiB). */
  maxOutputBytes?: number;
  /**
   * After the process exits, how long to wait for its output pipes to close. A background child
   * that inherited them (`server &`) would otherwise hold the run open (default 2 s).
   */
  pipeLingerMs?: number;
}

export interface CommandResult {
  /** The command as a person reads it (argv shell-quoted), scrubbed. */
  command: string;
  /** The exit code, or null when the process did not exit on its own or never started. */
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The caller's signal aborted the run. */
  aborted: boolean;
  /** stdout and stderr interleaved, the last `maxOutputBytes`, scrubbed. */
  output: string;
  /** Output was longer than what was kept. */
  truncated: boolean;
  durationMs: number;
  /**
   * Set when the command could not run or did not finish: `command not found: foo`,
   * `working directory not found: ./x`, `timed out after 30s`. Scrubbed.
   */
  error?: string;
}

const DEFAULT_KILL_GRACE_MS = 5_000;
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
const DEFAULT_PIPE_LINGER_MS = 2_000;

/** True when the command ran to completion with exit code 0. */
export function succeeded(result: CommandResult): boolean {
  return result.error === undefined && result.exitCode === 0;
}

/** One line on how a command ended: `exited with 0`, `timed out after 30s`, `command not found: x`. */
export function describeEnd(result: CommandResult): string {
  if (result.error !== undefined) return result.error;
  if (result.exitCode !== null) return `exited with ${result.exitCode}`;
  return `killed by ${result.signal ?? 'an unknown signal'}`;
}

export async function runCommand(spec: CommandSpec, options: CommandOptions = {}): Promise<CommandResult> {
  const scrubber = options.scrubber ?? new SecretScrubber();
  const logger = options.logger;
  const stream = options.stream ?? logger !== undefined;
  const started = performance.now();
  const command = scrubber.scrub(displayCommand(spec.run));
  const base = {
    command,
    exitCode: null,
    signal: null,
    timedOut: false,
    aborted: false,
    output: '',
    truncated: false,
  } satisfies Partial<CommandResult>;
  const early = (error: string): CommandResult => ({
    ...base,
    durationMs: performance.now() - started,
    error: scrubber.scrub(error),
  });

  const argv = typeof spec.run === 'string' ? ['bash', '-c', spec.run] : [...spec.run];
  const [file, ...args] = argv;
  if (file === undefined || file === '') return early('empty command');
  if (spec.cwd !== undefined) {
    const dir = await stat(spec.cwd).catch(() => undefined);
    if (!dir?.isDirectory()) return early(`working directory not found: ${spec.cwd}`);
  }
  if (spec.signal?.aborted) return { ...early('aborted before it started'), aborted: true };

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...(options.baseEnv ?? process.env), ...spec.env })) {
    if (value !== undefined) env[key] = value;
  }

  const tail = new OutputTail(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  const onLine = (line: string) => {
    const clean = scrubber.scrub(line);
    tail.push(clean);
    if (stream && logger) logLine(logger, clean, options.label);
  };

  return new Promise<CommandResult>((resolve) => {
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const splitters = [new LineSplitter(onLine), new LineSplitter(onLine)] as const;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => splitters[0].write(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => splitters[1].write(chunk));

    let timedOut = false;
    let aborted = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is gone already.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS));
    };
    const onAbort = () => {
      if (exit || settled) return;
      aborted = true;
      stop();
    };
    if (spec.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          if (exit || settled) return;
          timedOut = true;
          stop();
        }, spec.timeoutMs),
      );
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      // After a timeout nothing of the group may live on, not even a child that ignored SIGTERM.
      if (timedOut || aborted) killGroup('SIGKILL');
      spec.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      for (const splitter of splitters) splitter.end();
      const result: CommandResult = {
        ...base,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        aborted,
        output: tail.text(),
        truncated: tail.truncated,
        durationMs: performance.now() - started,
      };
      const error = errorFor(
        file,
        spawnError,
        timedOut,
        aborted,
        spec.timeoutMs,
        result,
        typeof spec.run === 'string',
      );
      if (error !== undefined) result.error = scrubber.scrub(error);
      if (timedOut || aborted) result.exitCode = null;
      resolve(result);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      // A process that never started emits no 'close' of its own on every Node version.
      if (child.pid === undefined) finish();
    });
    child.on('exit', (code, sig) => {
      exit = { code, signal: sig };
      timers.push(setTimeout(finish, options.pipeLingerMs ?? DEFAULT_PIPE_LINGER_MS));
    });
    child.on('close', finish);
  });
}

function errorFor(
  file: string,
  spawnError: NodeJS.ErrnoException | undefined,
  timedOut: boolean,
  aborted: boolean,
  timeoutMs: number | undefined,
  result: CommandResult,
  viaShell: boolean,
): string | undefined {
  if (spawnError?.code === 'ENOENT') return `command not found: ${file}`;
  if (spawnError?.code === 'EACCES') return `permission denied: ${file}`;
  if (spawnError) return `could not start ${file}: ${spawnError.message}`;
  if (timedOut) return `timed out after ${formatDuration(timeoutMs ?? 0)}`;
  if (aborted) return 'aborted';
  if (viaShell && result.exitCode === 127) {
    const name = /(?:^|: )([^:\n]+): command not found/m.exec(result.output)?.[1];
    if (name !== undefined) return `command not found: ${name}`;
  }
  return undefined;
}

/**
 * Command output is not ours: a line that the Actions runner would read as a workflow command
 * (`::add-mask::`, `::warning::`, `##[...]`) goes through the logger's untrusted path.
 */
function logLine(logger: Logger, line: string, label: string | undefined): void {
  if (/^\s*::/.test(line) || line.includes('##[')) logger.untrusted(label ?? 'output', line);
  else logger.info(label === undefined ? line : `[${label}] ${line}`);
}

/** The command as a person would type it: argv elements shell-quoted where needed. */
export function displayCommand(run: string | readonly string[]): string {
  if (typeof run === 'string') return run;
  return run
    .map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** The last N bytes of output, kept as whole lines. */
class OutputTail {
  private readonly lines: string[] = [];
  private bytes = 0;
  private readonly limit: number;
  truncated = false;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(line: string): void {
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
    while (this.bytes > this.limit && this.lines.length > 1) {
      this.bytes -= Buffer.byteLength(this.lines.shift()!) + 1;
      this.truncated = true;
    }
  }

  text(): string {
    return this.lines.join('\n');
  }
}
