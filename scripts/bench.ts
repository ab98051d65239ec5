// `npm run bench`: shipgate's timing and cost figures, measured side by side in one run on this
// machine, printed (never asserted: timing goals live here, not in tests).
//
//   1. Start-up of each bundled action against a bare `node -e ''` (build first: npm run build).
//   2. Time from a fault to "rollback required" against the probe interval and for: (the floor),
//      and the runner minutes a 24-hour watch costs in slices against one sleeping job.
//   3. GitHub API calls of a full release, by phase, and how they grow with the PR's comments.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchDetection, benchLongWatch, printReport } from './bench-monitor.ts';
import { benchApiCalls, printApiCalls } from './bench-api.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeRuns(args: string[], runs: number, env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

function benchStartup(): void {
  const dir = 'dist/actions';
  if (!existsSync(dir)) {
    process.stdout.write('start-up: dist/actions is missing; run npm run build first\n');
    return;
  }
  // Each action run with no inputs: it loads its bundle, reads its inputs and stops at the first
  // missing required input. That is the start-up a runner pays before any work.
  const env = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: '/dev/null', GITHUB_STATE: '/dev/null' };
  const runs = 15;
  const bare = timeRuns(['-e', ''], runs, env);
  process.stdout.write(`1. Start-up (median of ${runs} runs; bare node -e '' = ${bare.toFixed(0)} ms)\n`);
  process.stdout.write('action             ms     over bare   ratio\n');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.js') && !f.endsWith('-post.js'))
    .sort()) {
    const ms = timeRuns([join(dir, file)], runs, env);
    process.stdout.write(
      `${file.replace('.js', '').padEnd(18)} ${ms.toFixed(0).padStart(4)}   ${(ms - bare).toFixed(0).padStart(6)} ms   ${(ms / bare).toFixed(2)}x\n`,
    );
  }
  process.stdout.write('\n');
}

benchStartup();
process.stdout.write('2. Catching a bad release, and the cost of a long watch\n');
printReport(await benchDetection(), await benchLongWatch());
process.stdout.write('\n3. GitHub API calls of a full release\n');
printApiCalls(await benchApiCalls());
