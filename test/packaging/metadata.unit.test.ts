import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ActionMetadata, actionFiles, readAction } from '../../scripts/generate-docs.ts';
import {
  DEFAULT_CONFIG_PATH,
  GITHUB_TOKEN_EXPRESSION,
  getInputs,
  getPhaseInput,
  type InputEnv,
} from '../../src/actions/inputs.ts';
import type { ActionPhase } from '../../src/actions/main.ts';
import { OUTPUT, PHASE_OUTPUTS } from '../../src/actions/outputs.ts';
import { PHASES } from '../../src/config/schema.ts';

const root = process.cwd();
const entriesDir = 'src/actions/entries';

interface Action {
  path: string;
  phase: ActionPhase;
  meta: ActionMetadata;
}

const actions: Action[] = actionFiles().map((file) => ({
  path: file.path,
  phase: file.path === 'action.yml' ? 'all' : (file.path.split('/')[1] as ActionPhase),
  meta: readAction(root, file.path),
}));

/** The repository path a `runs.main`/`runs.post` of an action points at. */
function target(action: Action, file: string): string {
  return normalize(join(dirname(action.path), file));
}

/** The `dist/actions/<name>.js` bundle name, which scripts/build.mjs makes from `src/actions/entries/<name>.ts`. */
function entryName(path: string): string {
  const match = /^dist\/actions\/([a-z-]+)\.js$/.exec(path);
  if (!match?.[1]) throw new Error(`${path} is not a bundled action entry (dist/actions/<name>.js)`);
  return match[1];
}

/** The INPUT_* variables getInputs reads for a phase, recorded from a real call. */
function inputsRead(read: (env: InputEnv) => unknown): Set<string> {
  const names = new Set<string>();
  const env: Record<string, string> = {
    INPUT_ENVIRONMENT: 'production',
    'INPUT_GITHUB-TOKEN': 't',
    INPUT_PHASE: 'all',
  };
  read(
    new Proxy(env, {
      get(target, key) {
        if (typeof key === 'string' && key.startsWith('INPUT_')) names.add(key);
        return Reflect.get(target, key);
      },
    }),
  );
  return names;
}

function declaredInputs(action: Action): Set<string> {
  return new Set(Object.keys(action.meta.inputs ?? {}).map((name) => `INPUT_${name.toUpperCase()}`));
}

const sorted = (set: Iterable<string>) => [...set].sort();

describe('action metadata', () => {
  it('has the root action and one action per phase', () => {
    expect(actions.map((a) => a.phase)).toEqual(['all', ...PHASES]);
    const dirs = readdirSync('actions', { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(dirs.map((d) => d.name).sort()).toEqual([...PHASES].sort());
  });

  it('runs every action on the same runtime, node24', () => {
    expect(new Set(actions.map((a) => a.meta.runs.using))).toEqual(new Set(['node24']));
  });

  it('points every main and post at a bundle built from an entry that exists', () => {
    for (const action of actions) {
      const files = [action.meta.runs.main, action.meta.runs.post].filter((f) => f !== undefined);
      for (const file of files) {
        const name = entryName(target(action, file));
        expect(existsSync(join(entriesDir, `${name}.ts`)), `${action.path}: ${file}`).toBe(true);
      }
      expect(entryName(target(action, action.meta.runs.main))).toBe(
        action.phase === 'all' ? 'shipgate' : action.phase,
      );
    }
  });

  it('has a post step, always run, exactly where cleanup is needed: deploy, rollback and the root', () => {
    const withPost = actions.filter((a) => a.meta.runs.post !== undefined);
    expect(withPost.map((a) => a.phase)).toEqual(['all', 'deploy', 'rollback']);
    for (const action of withPost) {
      expect(action.meta.runs['post-if']).toBe('always()');
      const main = entryName(target(action, action.meta.runs.main));
      expect(entryName(target(action, action.meta.runs.post!))).toBe(`${main}-post`);
    }
  });

  it('leaves no entry unused', () => {
    const used = new Set(
      actions.flatMap((a) =>
        [a.meta.runs.main, a.meta.runs.post]
          .filter((f) => f !== undefined)
          .map((f) => entryName(target(a, f))),
      ),
    );
    const entries = readdirSync(entriesDir).map((f) => f.replace(/\.ts$/, ''));
    expect(sorted(entries)).toEqual(sorted(used));
  });

  it('has entries that hold no logic: one call of run or post with their own phase', () => {
    for (const file of readdirSync(entriesDir)) {
      const name = file.replace(/\.ts$/, '');
      const text = readFileSync(join(entriesDir, file), 'utf8');
      const code = text.split('\n').filter((line) => line.trim() !== '');
      expect(code.length, file).toBeLessThanOrEqual(3);
      const [phase, isPost] = name.endsWith('-post') ? [name.slice(0, -5), true] : [name, false];
      const call = isPost ? 'post' : 'run';
      if (phase === 'shipgate') expect(text).toContain(`await ${call}('input');`);
      else expect(text).toContain(`await ${call}('${phase}');`);
    }
  });

  it('when built, has every bundle in dist/actions', () => {
    // CI builds before it tests; locally this checks a dist/ you built. bundle.int.test.ts always builds.
    if (!existsSync('dist/actions')) return;
    for (const action of actions) {
      for (const file of [action.meta.runs.main, action.meta.runs.post].filter((f) => f !== undefined)) {
        expect(existsSync(target(action, file)), `${action.path}: ${file}`).toBe(true);
      }
    }
  });

  it.each(actions.map((a) => [a.path, a] as const))(
    '%s declares exactly the inputs getInputs reads',
    (_, action) => {
      const read =
        action.phase === 'all'
          ? new Set([...inputsRead((env) => getInputs('all', env)), ...inputsRead(getPhaseInput)])
          : inputsRead((env) => getInputs(action.phase, env));
      expect(sorted(declaredInputs(action))).toEqual(sorted(read));
    },
  );

  it('the root action declares every input of every phase', () => {
    const rootInputs = declaredInputs(actions[0]!);
    for (const action of actions.slice(1)) {
      for (const name of declaredInputs(action))
        expect(rootInputs.has(name), `${action.path}: ${name}`).toBe(true);
    }
  });

  it.each(actions.map((a) => [a.path, a] as const))('%s declares the outputs its phase sets', (_, action) => {
    const expected = PHASE_OUTPUTS[action.phase].map((key) => OUTPUT[key]);
    expect(Object.keys(action.meta.outputs ?? {})).toEqual(expected);
  });

  it('describes every action, input and output, and brands every action', () => {
    const colors = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];
    const icons = ['shield', 'check-square', 'archive', 'upload-cloud', 'activity', 'eye', 'rotate-ccw'];
    for (const { path, meta } of actions) {
      expect(meta.name, path).toMatch(/^shipgate/);
      expect(meta.description.length, path).toBeGreaterThan(20);
      expect(icons, path).toContain(meta.branding?.icon);
      expect(colors, path).toContain(meta.branding?.color);
      for (const [name, input] of Object.entries(meta.inputs ?? {})) {
        expect(input.description?.trim().length, `${path}: input ${name}`).toBeGreaterThan(10);
        expect(typeof input.required, `${path}: input ${name} says whether it is required`).toBe('boolean');
      }
      for (const [name, output] of Object.entries(meta.outputs ?? {})) {
        expect(output.description?.trim().length, `${path}: output ${name}`).toBeGreaterThan(10);
      }
    }
  });

  it('requires only what getInputs requires, with the defaults it assumes', () => {
    for (const { path, meta } of actions) {
      const required = Object.entries(meta.inputs ?? {}).filter(([, input]) => input.required);
      expect(required.map(([name]) => name).sort(), path).toEqual(
        path === 'action.yml' ? ['environment', 'phase'] : ['environment'],
      );
      expect(meta.inputs?.config?.default, path).toBe(DEFAULT_CONFIG_PATH);
      expect(meta.inputs?.['github-token']?.default, path).toBe(GITHUB_TOKEN_EXPRESSION);
    }
  });

  it('describes an input shared by several actions the same way in each', () => {
    const seen = new Map<string, { path: string; description: string }>();
    for (const { path, meta } of actions) {
      for (const [name, input] of Object.entries(meta.inputs ?? {})) {
        const first = seen.get(name);
        if (first) expect(input.description, `${name} in ${path} and ${first.path}`).toBe(first.description);
        else seen.set(name, { path, description: input.description ?? '' });
      }
    }
  });

  it('keeps the relative paths inside the repository', () => {
    for (const action of actions) {
      const main = target(action, action.meta.runs.main);
      expect(relative(root, join(root, main)).startsWith('..')).toBe(false);
    }
  });
});
