import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionFiles, readAction } from '../../scripts/generate-docs.ts';

const run = promisify(execFile);
const repo = process.cwd();
let root: string;

// Builds a copy of the repository with the real build script, so the check does not depend on a
// dist/ someone built earlier (nor disturbs the dist/ other tests may be using).
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'shipgate-bundle-'));
  for (const path of ['src', 'scripts', 'package.json', 'tsconfig.json']) {
    cpSync(join(repo, path), join(root, path), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  await run(process.execPath, ['scripts/build.mjs'], { cwd: root });
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('bundled actions', () => {
  it('have a bundle for every main and post that an action.yml names', async () => {
    for (const file of actionFiles()) {
      const action = readAction(repo, file.path);
      for (const target of [action.runs.main, action.runs.post]) {
        if (target === undefined) continue;
        const bundle = join(root, normalize(join(dirname(file.path), target)));
        expect(existsSync(bundle), `${file.path}: ${target}`).toBe(true);
        await run(process.execPath, ['--check', bundle]);
      }
    }
  });

  it('the root action refuses an unknown phase by name, as the runner would run it', async () => {
    const env = { ...process.env, INPUT_PHASE: 'ship-it' };
    const failure = await run(process.execPath, [join(root, 'dist/actions/shipgate.js')], { env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    const { stdout, stderr } = failure;
    // A user's mistake: an error annotation that says what is expected, and no stack trace.
    expect(stdout).toMatch(
      /::error::.*input 'phase' is 'ship-it' \(expected one of preflight, backup, deploy, smoke, monitor, rollback, all\)/,
    );
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
  });
});
