import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/runner.ts';

const run = promisify(execFile);

/** The README's main job, `npm run demo`: its script as a child process from the repository root. */
describe('npm run demo', () => {
  it(
    'rehearses a good and a bad release and says it finished as expected',
    { timeout: 240_000 },
    async () => {
      const { stdout } = await run(process.execPath, ['scripts/demo.ts'], {
        cwd: ROOT,
        timeout: 230_000,
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
        throw new Error(
          `scripts/demo.ts exited ${error.code}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
        );
      });
      expect(stdout).toContain('release 1.1.0: passed');
      expect(stdout).toContain('rolled back automatically; the app runs 1.1.0');
      expect(stdout).toMatch(/demo finished as expected in [\d.]+s/);
    },
  );
});
