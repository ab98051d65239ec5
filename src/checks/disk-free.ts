import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Check } from '../config/schema.ts';
import type { CheckContext, CheckVerdict } from './context.ts';

type DiskFreeCheck = Extract<Check, { kind: 'disk-free' }>;

/** `disk-free`: the file system holding `path` has at least `min` bytes available to us (`statfs` bavail). */
export async function diskFreeCheck(check: DiskFreeCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const path = resolve(ctx.cwd, check.path);
  let free: number;
  try {
    const stats = await statfs(path);
    free = Number(stats.bavail) * Number(stats.bsize);
  } catch (error) {
    return {
      status: 'failed',
      summary: `cannot read free space at ${check.path}: ${(error as NodeJS.ErrnoException).code}`,
    };
  }
  const evidence = { path: check.path, freeBytes: free, minBytes: check.min };
  const summary = `${formatBytes(free)} free at ${check.path}, min ${formatBytes(check.min)}`;
  return { status: free >= check.min ? 'passed' : 'failed', summary, evidence };
}

/** 1536 → "1.5 KiB"; binary units, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
