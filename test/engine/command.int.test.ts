import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEnd, runCommand, succeeded } from '../../src/engine/command.ts';
import { eventEnvironment } from '../../src/engine/event-env.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-command-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Running and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('runs argv without a shell and captures output and exit code', async () => {
    const logger = new RecordingLogger();
    const result = await runCommand({ run: ['printf', '%s\\n', 'one', '$HOME', 'two'] }, { logger });
    expect(succeeded(result)).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe('one\n$HOME\ntwo');
    expect(logger.lines.map((l) => l.text)).toEqual(['one', '$HOME', 'two']);
    expect(result.command).toBe("printf '%s\\n' one '$HOME' two");
  });

  it('runs a string through bash with env merged over the base env and a working directory', async () => {
    const result = await runCommand(
      { run: 'echo "$GREETING from $(basename "$PWD")" >&2; exit 3', env: { GREETING: 'hello' }, cwd: dir },
      { baseEnv: { PATH: process.env.PATH, GREETING: 'overridden' } },
    );
    expect(result.exitCode).toBe(3);
    expect(succeeded(result)).toBe(false);
    expect(describeEnd(result)).toBe('exited with 3');
    expect(result.output).toBe(`hello from ${dir.split('/').pop()}`);
  });

  it('kills the whole process group at the timeout and says so', async () => {
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    const result = await runCommand(
      { run: `sleep 30 & echo $! > ${pidFile}; echo started; sleep 30; wait`, timeoutMs: 300 },
      { killGraceMs: 200 },
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.error).toBe('timed out after 300ms');
    expect(result.output).toBe('started');
    const backgroundPid = Number(await readFile(pidFile, 'utf8'));
    expect(alive(backgroundPid)).toBe(false);
  });

  it('words the timeout in the units of the config', async () => {
    const result = await runCommand({ run: ['sleep', '10'], timeoutMs: 1_000 }, { killGraceMs: 100 });
    expect(result.error).toBe('timed out after 1s');
  });

  it('leaves no child alive after a timeout, even one that ignores SIGTERM', async () => {
    const pidFile = join(dir, 'stubborn');
    const result = await runCommand(
      { run: `(trap '' TERM; exec sleep 30) & echo $! > ${pidFile}; sleep 30`, timeoutMs: 200 },
      { killGraceMs: 60_000, pipeLingerMs: 100 },
    );
    expect(result.timedOut).toBe(true);
    const stubborn = Number(await readFile(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const survived = alive(stubborn);
    if (survived) process.kill(stubborn, 'SIGKILL');
    expect(survived).toBe(false);
  });

  it('uses SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const started = Date.now();
    const result = await runCommand(
      { run: "trap '' TERM; echo ready; while true; do sleep 0.05; done", timeoutMs: 200 },
      { killGraceMs: 200 },
    );
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await runCommand(
      { run: ['sleep', '30'], signal: controller.signal },
      { killGraceMs: 100 },
    );
    expect(result.aborted).toBe(true);
    expect(result.error).toBe('aborted');
  });

  it('says "command not found" for a missing binary, in both modes', async () => {
    const argv = await runCommand({ run: ['shipgate-no-such-binary', '--version'] });
    expect(argv.error).toBe('command not found: shipgate-no-such-binary');
    expect(argv.exitCode).toBeNull();
    const shell = await runCommand({ run: 'shipgate-no-such-binary --version' });
    expect(shell.exitCode).toBe(127);
    expect(shell.error).toBe('command not found: shipgate-no-such-binary');
  });

  it('says when the working directory does not exist', async () => {
    const result = await runCommand({ run: ['true'], cwd: join(dir, 'missing') });
    expect(result.error).toBe(`working directory not found: ${join(dir, 'missing')}`);
  });

  it('keeps the tail of long output', async () => {
    const result = await runCommand({ run: 'seq 1 20000' }, { maxOutputBytes: 1024 });
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(1024);
    expect(result.output.endsWith('19999\n20000')).toBe(true);
  });

  it('does not wait for a background child that holds the output pipes', async () => {
    const started = Date.now();
    const result = await runCommand({ run: 'sleep 20 & echo $!' }, { pipeLingerMs: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.exitCode).toBe(0);
    process.kill(Number(result.output.trim()), 'SIGKILL');
  });
});

describe('values from events reach commands only as environment variables', () => {
  it('never executes a hostile PR title or branch name, in either mode', async () => {
    const marker = join(dir, 'pwned');
    const title = `fix: $(touch ${marker}-subst) \`touch ${marker}-backtick\` ::warning::owned`;
    const branch = `feature/\`touch ${marker}-branch\`;touch ${marker}-semi`;
    const env = eventEnvironment({ prTitle: title, branch, version: 'v1.2.3' }, { REGION: 'eu' });
    expect(env).toEqual({
      SHIPGATE_PR_TITLE: title,
      SHIPGATE_BRANCH: branch,
      SHIPGATE_VERSION: 'v1.2.3',
      SHIPGATE_VAR_REGION: 'eu',
    });
    const logger = new RecordingLogger();

    const results = [
      await runCommand(
        { run: 'echo "title: $SHIPGATE_PR_TITLE"; echo "branch: $SHIPGATE_BRANCH"', env },
        { logger },
      ),
      await runCommand(
        { run: 'echo title: $SHIPGATE_PR_TITLE; eval echo "\\$SHIPGATE_BRANCH" >/dev/null', env },
        { logger },
      ),
      await runCommand({ run: ['printenv', 'SHIPGATE_PR_TITLE', 'SHIPGATE_BRANCH'], env }, { logger }),
      await runCommand({ run: ['bash', '-c', 'printf "%s\\n" "$SHIPGATE_PR_TITLE"'], env }, { logger }),
    ];

    for (const result of results) expect(result.exitCode).toBe(0);
    expect(results[0]!.output).toBe(`title: ${title}\nbranch: ${branch}`);
    expect(results[2]!.output).toBe(`${title}\n${branch}`);
    for (const suffix of ['subst', 'backtick', 'branch', 'semi']) {
      expect(existsSync(`${marker}-${suffix}`), suffix).toBe(false);
    }
    // The text is shown as text; the `::warning::` inside is not a workflow command line.
    expect(logger.text()).toContain(title);
  });

  it('sends lines that look like workflow commands through the untrusted path', async () => {
    const logger = new RecordingLogger();
    await runCommand({ run: 'echo "$T"', env: { T: '::add-mask::x' } }, { logger });
    expect(logger.lines).toEqual([{ level: 'untrusted', text: 'output: ::add-mask::x' }]);
  });
});

describe('secrets in command output', () => {
  it('never appear in captured output, the log or errors', async () => {
    const secret = 'hunter2-S3cret/value+x';
    const scrubber = new SecretScrubber([secret]);
    const logger = new RecordingLogger();
    const env = { API_TOKEN: secret };
    const results = [
      await runCommand(
        {
          run: [
            'echo "token=$API_TOKEN"',
            'printf %s "$API_TOKEN" | base64',
            'printf %s "user:$API_TOKEN" | base64',
            'printf "%s\\n" "$(printf %s "$API_TOKEN" | jq -sRr @uri 2>/dev/null || python3 -c "import os,urllib.parse;print(urllib.parse.quote(os.environ[\'API_TOKEN\'],safe=\'\'))")"',
            'echo "oops $API_TOKEN" >&2',
            'exit 4',
          ].join('\n'),
          env,
        },
        { logger, scrubber },
      ),
      await runCommand({ run: [secret] }, { logger, scrubber }),
      await runCommand({ run: `${secret} --flag` }, { logger, scrubber }),
      await runCommand({ run: ['true'], cwd: `/nonexistent/${secret}` }, { logger, scrubber }),
    ];
    const everything = [logger.text(), ...results.map((r) => JSON.stringify(r))].join('\n');
    const forms = [
      secret,
      Buffer.from(secret).toString('base64'),
      Buffer.from(`user:${secret}`).toString('base64').slice(8, 24),
      encodeURIComponent(secret),
    ];
    for (const form of forms) expect(everything, form).not.toContain(form);
    expect(results[0]!.output).toContain('token=***');
    expect(results[1]!.error).toBe('command not found: ***');
    expect(results[3]!.error).toBe('working directory not found: /nonexistent/***');
  });
});
