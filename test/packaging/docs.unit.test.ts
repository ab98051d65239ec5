import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  END_MARKER,
  readGeneratedRegion,
  renderActionsDocs,
  renderReadme,
  START_MARKER,
  updateReadme,
} from '../../scripts/generate-docs.ts';

describe('README action tables', () => {
  it('are what npm run docs writes from the action.yml files (run it after changing one)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readGeneratedRegion(readme), 'README.md has no generated region').toBeDefined();
    expect(readme).toBe(renderReadme(readme, process.cwd()));
    // The comparison is not vacuous: a README with stale tables is rewritten.
    const stale = readme.replace('Incident severity', 'Incident gravity');
    expect(stale).not.toBe(readme);
    expect(renderReadme(stale, process.cwd())).toBe(readme);
  });

  it('follow an edit to an action.yml', () => {
    const root = mkdtempSync(join(tmpdir(), 'shipgate-docs-'));
    try {
      cpSync('action.yml', join(root, 'action.yml'));
      cpSync('actions', join(root, 'actions'), { recursive: true });
      const before = renderActionsDocs(root);
      const path = join(root, 'actions/smoke/action.yml');
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace('Runs the smoke checks', 'Runs | the smoke checks'),
      );
      const after = renderActionsDocs(root);
      expect(after).not.toBe(before);
      expect(after).toContain('Runs \\| the smoke checks');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('list every input and output of every action, once per action', () => {
    const docs = renderActionsDocs('.');
    for (const heading of ['shipgate', 'preflight', 'backup', 'deploy', 'smoke', 'monitor', 'rollback']) {
      expect(docs).toMatch(new RegExp(`^### shipgate${heading === 'shipgate' ? '' : ` ${heading}`}$`, 'm'));
    }
    expect(docs).toContain('| `severity` | Incident severity, `P0` (most severe) to `P4`.');
    expect(docs).toContain('| `github-token` |');
    expect(docs).toContain('| `rollback-tag` | The tag created at the rollback point. |');
  });

  it('are appended in an Actions section the first time, and rewritten in place after', () => {
    const first = updateReadme('# title\n\ntext\n', '\nTABLES\n');
    expect(first).toBe(`# title\n\ntext\n\n## Actions\n\n${START_MARKER}\nTABLES\n${END_MARKER}\n`);
    const second = updateReadme(`${first}\n## After\n`, '\nNEW\n');
    expect(second).toBe(`# title\n\ntext\n\n## Actions\n\n${START_MARKER}\nNEW\n${END_MARKER}\n\n## After\n`);
    expect(updateReadme(second, '\nNEW\n')).toBe(second);
  });

  it('refuse a README whose markers are broken', () => {
    expect(() => updateReadme(`${END_MARKER}\n${START_MARKER}`, 'x')).toThrow(/broken generated region/);
    expect(() => updateReadme(`${START_MARKER} only`, 'x')).toThrow(/broken generated region/);
  });
});
