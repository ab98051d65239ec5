import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';

let dir: string;

// Reports as lcov (genhtml/c8/pytest-cov --cov-report=lcov) and istanbul's json-summary write them.
const LCOV = `TN:
SF:src/tasks.ts
FN:3,createTask
FNDA:4,createTask
FNF:2
FNH:1
DA:3,4
DA:4,4
DA:9,0
BRDA:4,0,0,1
BRDA:4,0,1,0
BRF:2
BRH:1
LF:60
LH:51
end_of_record
TN:
SF:src/auth.ts
FNF:3
FNH:3
BRF:2
BRH:2
LF:40
LH:30
end_of_record
`;

const SUMMARY = {
  total: {
    lines: { total: 200, covered: 166, skipped: 0, pct: 83 },
    statements: { total: 220, covered: 170, skipped: 0, pct: 77.27 },
    functions: { total: 40, covered: 36, skipped: 0, pct: 90 },
    branches: { total: 80, covered: 60, skipped: 0, pct: 75 },
  },
  'src/tasks.ts': { lines: { total: 100, covered: 90, skipped: 0, pct: 90 } },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-coverage-'));
  await mkdir(join(dir, 'coverage'));
  await writeFile(join(dir, 'coverage/lcov.info'), LCOV);
  await writeFile(join(dir, 'coverage/coverage-summary.json'), JSON.stringify(SUMMARY));
  await writeFile(join(dir, 'coverage/empty.info'), 'TN:\nend_of_record\n');
  await writeFile(join(dir, 'coverage/garbage.json'), '<html>');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lcov = (extra: Record<string, unknown>) =>
  check({ kind: 'coverage', file: 'coverage/lcov.info', format: 'lcov', ...extra });
const summary = (extra: Record<string, unknown>) =>
  check({ kind: 'coverage', file: 'coverage/coverage-summary.json', format: 'json-summary', ...extra });

describe('coverage check on coverage reports', () => {
  it('sums lcov counters over all files', async () => {
    const [lines, low, functions, branches, statements] = await runChecks(
      [
        lcov({ id: 'lines', min: '80%' }),
        lcov({ id: 'low', min: '81.5%' }),
        lcov({ id: 'functions', metric: 'functions', min: '80%' }),
        lcov({ id: 'branches', metric: 'branches', min: '75%' }),
        lcov({ id: 'statements', metric: 'statements', min: '80%' }),
      ],
      checkContext({ cwd: dir }),
    );
    expect(lines).toMatchObject({
      status: 'passed',
      summary: 'lines 81% (81/100), min 80%',
      evidence: { measured: '81%', min: '80%', covered: 81, total: 100 },
    });
    expect(low).toMatchObject({ status: 'failed', summary: 'lines 81% (81/100), min 81.5%' });
    expect(functions).toMatchObject({ status: 'passed', summary: 'functions 80% (4/5), min 80%' });
    expect(branches).toMatchObject({ status: 'passed', summary: 'branches 75% (3/4), min 75%' });
    expect(statements).toMatchObject({
      status: 'failed',
      summary: 'coverage/lcov.info: lcov has no statement counts; use metric: lines',
    });
  });

  it("reads istanbul's json-summary totals", async () => {
    const [lines, statements] = await runChecks(
      [summary({ id: 'lines', min: '80%' }), summary({ id: 'statements', metric: 'statements', min: '80%' })],
      checkContext({ cwd: dir }),
    );
    expect(lines).toMatchObject({ status: 'passed', summary: 'lines 83% (166/200), min 80%' });
    expect(statements).toMatchObject({ status: 'failed', summary: 'statements 77.27% (170/220), min 80%' });
  });

  it('fails a missing, unreadable or empty report', async () => {
    const [missing, garbage, empty] = await runChecks(
      [
        lcov({ id: 'missing', file: 'coverage/nope.info', min: '80%' }),
        summary({ id: 'garbage', file: 'coverage/garbage.json', min: '80%' }),
        lcov({ id: 'empty', file: 'coverage/empty.info', min: '80%' }),
      ],
      checkContext({ cwd: dir }),
    );
    expect(missing).toMatchObject({
      status: 'failed',
      summary: 'coverage report not found: coverage/nope.info',
    });
    expect(garbage).toMatchObject({ status: 'failed', summary: 'coverage/garbage.json: not JSON' });
    expect(empty).toMatchObject({ status: 'failed', summary: 'coverage/empty.info measures no lines' });
  });
});
