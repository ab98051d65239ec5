import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';
import { createGitRepo, type GitRepo } from '../harness/git-repo.ts';

let repo: GitRepo;
beforeEach(async () => {
  repo = await createGitRepo();
});
afterEach(async () => {
  await repo.dispose();
});

const gitClean = () => check({ kind: 'git-clean' });

describe('git-clean check against a real repository', () => {
  it('passes on a clean tree, ignored files included', async () => {
    await repo.write('ignored.log', 'noise\n');
    const [result] = await runChecks([gitClean()], checkContext({ cwd: repo.dir }));
    expect(result).toMatchObject({
      status: 'passed',
      summary: 'no uncommitted changes',
      evidence: { changes: 0 },
    });
  });

  it('fails on modified, staged, deleted and untracked files, listing them', async () => {
    await repo.write('README.md', '# changed\n');
    await repo.write('new.txt', 'new\n');
    await repo.write('staged.txt', 'staged\n');
    await repo.git('add', 'staged.txt');
    await unlink(join(repo.dir, '.gitignore'));
    const [result] = await runChecks([gitClean()], checkContext({ cwd: repo.dir }));
    expect(result!.status).toBe('failed');
    expect(result!.summary).toBe(
      '4 uncommitted changes:  D .gitignore,  M README.md, A  staged.txt, ?? new.txt',
    );
    expect(result!.evidence).toMatchObject({ changes: 4 });
  });

  it('fails outside a repository, saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shipgate-not-git-'));
    try {
      const [result] = await runChecks(
        [gitClean()],
        checkContext({ cwd: dir, env: { GIT_CEILING_DIRECTORIES: tmpdir() } }),
      );
      expect(result).toMatchObject({ status: 'failed', summary: 'not a git repository: .' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
