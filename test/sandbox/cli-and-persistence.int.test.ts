import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/octokit.ts';
import { createDefaultWorld, DEFAULT_WORLD, startSandbox } from '../../src/sandbox/index.ts';
import { FAST_TIMING } from '../harness/sandbox.ts';

const owner = DEFAULT_WORLD.owner;
const repo = DEFAULT_WORLD.name;
const bin = join(import.meta.dirname, '../../src/cli/bin.ts');

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Starts `shipgate sandbox` as a user would and waits for it to print its URL. */
async function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [bin, 'sandbox', ...args], { stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 15_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1] && output.includes('GITHUB_API_URL')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

async function stopCli(running: Running): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
  running.child.kill('SIGTERM');
  return exited;
}

describe('shipgate sandbox (CLI) and the state file', () => {
  const started: Running[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const r of started.splice(0)) await stopCli(r);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('prints the URL and tokens, and keeps state across restarts through --state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-sandbox-'));
    dirs.push(dir);
    const state = join(dir, 'state.json');

    const first = await startCli(['--port', '0', '--state', state]);
    started.push(first);
    expect(first.output()).toContain(DEFAULT_WORLD.tokens.admin);
    expect(first.output()).toContain(`export GITHUB_API_URL=${first.url}`);
    const gh = createOctokit({ baseUrl: first.url, auth: DEFAULT_WORLD.tokens.actions, timing: FAST_TIMING });
    const issue = await gh.rest.issues.create({ owner, repo, title: 'Survives a restart', body: 'tracking' });
    await gh.rest.issues.createComment({ owner, repo, issue_number: issue.data.number, body: 'sticky' });
    const main = (await gh.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data.object.sha;
    await gh.rest.git.createRef({ owner, repo, ref: 'refs/tags/rollback-1', sha: main });
    expect(await stopCli(first)).toBe(0);
    expect(first.output()).toContain('GitHub sandbox stopped');
    expect(JSON.parse(readFileSync(state, 'utf8')).version).toBe(1);

    const second = await startCli(['--state', state]);
    started.push(second);
    const again = createOctokit({
      baseUrl: second.url,
      auth: DEFAULT_WORLD.tokens.read,
      timing: FAST_TIMING,
    });
    const reloaded = await again.rest.issues.get({ owner, repo, issue_number: issue.data.number });
    expect(reloaded.data.title).toBe('Survives a restart');
    const comments = await again.rest.issues.listComments({ owner, repo, issue_number: issue.data.number });
    expect(comments.data.map((c) => c.body)).toEqual(['sticky']);
    expect((await again.rest.git.getRef({ owner, repo, ref: 'tags/rollback-1' })).data.object.sha).toBe(main);
    const events = await fetch(`${second.url}/_sandbox/events?name=issues`).then((r) => r.json());
    expect(events).toHaveLength(1);
  });

  it('refuses a bad port with a plain message', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', 'eighty'], { stdio: 'pipe' });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain("--port: expected a port number from 0 to 65535, got 'eighty'");
    expect(err).not.toContain('at ');
  });

  it('startSandbox({ statePath }) persists writes made through the control API too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const one = await startSandbox({ statePath });
    const commit = await one.control.addCommit('acme/webshop', { message: 'Seeded', branch: 'main' });
    await one.stop();
    const two = await startSandbox({ statePath });
    try {
      const gh = createOctokit({ baseUrl: two.apiUrl, auth: two.tokens.read, timing: FAST_TIMING });
      expect((await gh.rest.repos.getCommit({ owner, repo, ref: 'main' })).data.sha).toBe(commit.sha);
      await two.control.reset();
      expect((await gh.rest.repos.getCommit({ owner, repo, ref: 'main' })).data.commit.message).toBe(
        'Release 1.1.0',
      );
    } finally {
      await two.stop();
    }
  });

  it('startSandbox({ world }) starts from a given world without changing the caller’s object', async () => {
    const world = createDefaultWorld();
    world.users.zoe = { id: world.nextId++, login: 'zoe', type: 'User', name: 'Zoe' };
    world.tokens.ghp_zoe = { login: 'zoe', kind: 'user' };
    world.repos['acme/webshop']!.collaborators.zoe = 'write';
    const before = JSON.stringify(world);
    const sandbox = await startSandbox({ world });
    try {
      expect(sandbox.tokens.zoe).toBe('ghp_zoe');
      expect(sandbox.tokens.admin).toBe(DEFAULT_WORLD.tokens.admin);
      const gh = createOctokit({ baseUrl: sandbox.apiUrl, auth: 'ghp_zoe', timing: FAST_TIMING });
      await gh.rest.issues.createLabel({ owner, repo, name: 'zoe', color: '123456' });
      expect(JSON.stringify(world)).toBe(before);
      expect(sandbox.world().repos['acme/webshop']!.labels.some((l) => l.name === 'zoe')).toBe(true);
    } finally {
      await sandbox.stop();
    }
  });
});
