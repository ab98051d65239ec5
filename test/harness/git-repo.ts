import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real git repository in a temp dir with one commit, and a way to run git in it. */
export interface GitRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  write(path: string, text: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function createGitRepo(): Promise<GitRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-git-'));
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  const git = async (...args: string[]) => (await run('git', args, { cwd: dir, env })).stdout;
  const write = (path: string, text: string) => writeFile(join(dir, path), text);
  await git('init', '-q', '-b', 'main');
  await write('README.md', '# test\n');
  await write('.gitignore', 'ignored.log\n');
  await git('add', '.');
  await git('commit', '-q', '-m', 'initial');
  return { dir, git, write, dispose: () => rm(dir, { recursive: true, force: true }) };
}
