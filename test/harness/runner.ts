/**
 * Runs a bundled action the way the GitHub Actions runner does: `node dist/actions/<entry>.js`
 * with `INPUT_*` variables, the runner's default variables, an event payload file, and the
 * command files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY) read back afterwards. A post
 * step gets the main step's saved state as STATE_* variables, as the runner hands it over.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

export interface RunnerOptions {
  /** `preflight`, `deploy-post`, `shipgate`, ... (a file in dist/actions). */
  entry: string;
  /** As written under `with:`; names are turned into INPUT_<NAME> as the runner does. */
  inputs: Record<string, string | number | boolean>;
  /** GITHUB_API_URL, the sandbox's. */
  apiUrl: string;
  repository: string;
  sha: string;
  workspace: string;
  event?: { name: string; payload: unknown };
  actor?: string;
  runId?: number;
  runAttempt?: number;
  /** State saved by the main step, for a post step. */
  state?: Record<string, string>;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function runAction(options: RunnerOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-runner-'));
  const files = {
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary'),
    event: join(dir, 'event.json'),
  };
  for (const file of [files.output, files.state, files.summary]) writeFileSync(file, '');
  writeFileSync(files.event, JSON.stringify(options.event?.payload ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: options.apiUrl,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_SHA: options.sha,
    GITHUB_ACTOR: options.actor ?? 'ada',
    GITHUB_RUN_ID: String(options.runId ?? 4242),
    GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    // The sandbox needs none of the pacing GitHub asks for between writes.
    SHIPGATE_WRITE_SPACING_MS: '0',
    ...Object.fromEntries(
      Object.entries(options.inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        String(value),
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]),
    ),
    ...options.env,
  };
  const script = join(ROOT, 'dist/actions', `${options.entry}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build before the e2e tests`);
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (done, fail) => {
        const child = spawn(process.execPath, [script], { cwd: options.workspace, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
        child.on('error', fail);
        child.on('close', (exit) => {
          clearTimeout(timer);
          done({ code: exit ?? 1, stdout, stderr });
        });
      },
    );
    return {
      code,
      stdout,
      stderr,
      outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
      state: parseCommandFile(readFileSync(files.state, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file the way the runner does: `name<<DELIMITER`, lines, `DELIMITER`. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      values[name!] = body.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}
