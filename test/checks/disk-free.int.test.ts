import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/checks/disk-free.ts';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';

describe('disk-free check on the real file system', () => {
  it('compares the space available at a path with the minimum', async () => {
    const stats = await statfs(tmpdir());
    const free = Number(stats.bavail) * Number(stats.bsize);
    const [enough, tooMuch, missing] = await runChecks(
      [
        check({ kind: 'disk-free', id: 'enough', path: tmpdir(), min: '1MB' }),
        check({ kind: 'disk-free', id: 'too-much', path: tmpdir(), min: '1000TB' }),
        check({ kind: 'disk-free', id: 'missing', path: '/nonexistent/shipgate', min: '1MB' }),
      ],
      checkContext(),
    );
    expect(enough!.status).toBe('passed');
    expect(enough!.evidence.minBytes).toBe(1_000_000);
    // Other processes write to the disk meanwhile: compare loosely.
    expect(Math.abs((enough!.evidence.freeBytes as number) - free)).toBeLessThan(512 * 1024 * 1024);
    expect(tooMuch!.status).toBe('failed');
    expect(tooMuch!.summary).toMatch(/ free at .*, min 909\.5 TiB$/);
    expect(missing).toMatchObject({
      status: 'failed',
      summary: 'cannot read free space at /nonexistent/shipgate: ENOENT',
    });
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});
