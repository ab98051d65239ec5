import { resolve } from 'node:path';
import type { Check } from '../config/schema.ts';
import { runCommand } from '../engine/command.ts';
import type { CheckContext, CheckVerdict } from './context.ts';

type GitCleanCheck = Extract<Check, { kind: 'git-clean' }>;

const LISTED = 10;

/**
 * `git-clean`: the work tree at `path` has no uncommitted changes: nothing modified, staged,
 * deleted or untracked (ignored files do not count). Evidence lists the first few paths.
 */
export async function gitCleanCheck(check: GitCleanCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const cwd = resolve(ctx.cwd, check.path);
  const result = await runCommand(
    { run: ['git', 'status', '--porcelain=v1', '--untracked-files=normal'], cwd, signal: ctx.signal },
    { scrubber: ctx.scrubber, baseEnv: { ...ctx.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, stream: false },
  );
  if (result.error !== undefined) return { status: 'failed', summary: result.error };
  if (result.exitCode !== 0) {
    const reason = /not a git repository/i.test(result.output)
      ? `not a git repository: ${check.path}`
      : `git status ${result.exitCode === null ? 'did not finish' : `exited with ${result.exitCode}`}: ${result.output.split('\n')[0]}`;
    return { status: 'failed', summary: reason };
  }
  const changes = result.output.split('\n').filter((line) => line.trim() !== '');
  if (changes.length === 0)
    return { status: 'passed', summary: 'no uncommitted changes', evidence: { changes: 0 } };
  const listed = changes.slice(0, LISTED);
  return {
    status: 'failed',
    summary: `${changes.length} uncommitted change${changes.length === 1 ? '' : 's'}: ${listed.join(', ')}${changes.length > LISTED ? ', …' : ''}`,
    evidence: { changes: changes.length, files: listed },
  };
}
