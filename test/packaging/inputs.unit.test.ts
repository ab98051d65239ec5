import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG_PATH,
  getInputs,
  getPhaseInput,
  type InputEnv,
  inputEnvName,
  ROLLBACK_STRATEGIES,
} from '../../src/actions/inputs.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { ConfigurationError } from '../../src/errors.ts';

/** An environment as the runner builds it from `with:` (names as in action.yml). */
function withInputs(inputs: Record<string, string>): InputEnv {
  const env: Record<string, string> = { INPUT_ENVIRONMENT: 'production', 'INPUT_GITHUB-TOKEN': 'ghs_token' };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  return env;
}

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

describe('reading inputs as the runner passes them', () => {
  it('names the variables the way @actions/core getInput looks them up', () => {
    expect(inputEnvName('github-token')).toBe('INPUT_GITHUB-TOKEN');
    expect(inputEnvName('target version')).toBe('INPUT_TARGET_VERSION');
    for (const name of ['working-directory', 'next-workflow', 'my input']) {
      process.env[inputEnvName(name)] = `  value of ${name}  `;
      expect(core.getInput(name)).toBe(`value of ${name}`);
    }
  });

  it('reads process.env by default, trimming values', () => {
    process.env.INPUT_ENVIRONMENT = ' staging ';
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_x';
    process.env['INPUT_TARGET-VERSION'] = 'v1.4.2\n';
    process.env.INPUT_SEVERITY = 'P0';
    const inputs = getInputs('rollback');
    expect(inputs.environment).toBe('staging');
    expect(inputs.rollback.targetVersion).toBe('v1.4.2');
    expect(inputs.rollback.severity).toBe('P0');
  });
});

describe('getInputs', () => {
  it('gives defaults and undefined for every optional input left empty', () => {
    const inputs = getInputs('all', withInputs({ version: '', issue: '   ', drill: '' }));
    expect(inputs).toEqual({
      phase: 'all',
      config: DEFAULT_CONFIG_PATH,
      environment: 'production',
      version: undefined,
      githubToken: 'ghs_token',
      issue: undefined,
      region: undefined,
      workingDirectory: undefined,
      nextWorkflow: undefined,
      rollback: {
        targetVersion: undefined,
        severity: undefined,
        reason: undefined,
        drill: undefined,
        strategy: undefined,
      },
      monitor: { resume: undefined, sliceMs: undefined },
    });
  });

  it('types every value', () => {
    const inputs = getInputs(
      'all',
      withInputs({
        config: 'deploy/shipgate.yml',
        version: 'v2.1.0',
        issue: '#42',
        region: 'eu-west-1',
        'working-directory': 'services/api',
        'next-workflow': '.github/workflows/release.yml',
        'target-version': 'v2.0.3',
        severity: 'p1',
        reason: 'error rate 8% after deploy',
        drill: 'True',
        strategy: 'full',
        resume: 'FALSE',
        slice: '1h30m',
      }),
    );
    expect(inputs.config).toBe('deploy/shipgate.yml');
    expect(inputs.issue).toBe(42);
    expect(inputs.region).toBe('eu-west-1');
    expect(inputs.workingDirectory).toBe('services/api');
    expect(inputs.nextWorkflow).toBe('release.yml');
    expect(inputs.rollback).toEqual({
      targetVersion: 'v2.0.3',
      severity: 'P1',
      reason: 'error rate 8% after deploy',
      drill: true,
      strategy: 'full',
    });
    expect(inputs.monitor).toEqual({ resume: false, sliceMs: 90 * 60_000 });
  });

  it('has three states for booleans: true, false, not given', () => {
    const drill = (value: string) => getInputs('rollback', withInputs({ drill: value })).rollback.drill;
    for (const value of ['true', 'True', 'TRUE']) expect(drill(value)).toBe(true);
    for (const value of ['false', 'False', 'FALSE']) expect(drill(value)).toBe(false);
    expect(drill('')).toBeUndefined();
  });

  it('leaves the inputs of other phases unread and undefined', () => {
    const inputs = getInputs('smoke', withInputs({ severity: 'P9', slice: 'soon', drill: 'maybe' }));
    expect(inputs.rollback.severity).toBeUndefined();
    expect(inputs.monitor.sliceMs).toBeUndefined();
    expect(getInputs('rollback', withInputs({ 'next-workflow': 'x.yml' })).nextWorkflow).toBeUndefined();
  });

  it.each([
    [
      'severity',
      'P9',
      'rollback',
      /input 'severity' is 'P9' \(expected a severity from P0.*P0, P1, P2, P3, P4\)/,
    ],
    ['drill', 'maybe', 'rollback', /input 'drill' is 'maybe' \(expected true or false\)/],
    [
      'strategy',
      'blue-green',
      'rollback',
      /input 'strategy' is 'blue-green' \(expected one of app, full, flag\)/,
    ],
    ['resume', 'yes', 'monitor', /input 'resume' is 'yes' \(expected true or false\)/],
    ['slice', 'twenty minutes', 'monitor', /input 'slice' is 'twenty minutes' \(expected a duration/],
    ['slice', '0s', 'monitor', /input 'slice' is '0s' \(expected a duration longer than zero\)/],
    ['issue', 'abc', 'deploy', /input 'issue' is 'abc' \(expected an issue number such as 42\)/],
    ['issue', '0', 'deploy', /input 'issue' is '0'/],
    ['region', 'eu west', 'deploy', /input 'region' is 'eu west' \(expected a region id/],
    [
      'next-workflow',
      'release',
      'preflight',
      /input 'next-workflow' is 'release' \(expected a workflow file/,
    ],
  ] as const)('rejects %s: %s, naming the input and what is expected', (name, value, phase, message) => {
    const error = configurationError(() => getInputs(phase, withInputs({ [name]: value })));
    expect(error.message).toMatch(message);
    expect(error.problems).toEqual([{ path: `with.${name}`, message: expect.stringMatching(message) }]);
  });

  it('requires environment and github-token', () => {
    const error = configurationError(() => getInputs('deploy', {}));
    expect(error.problems.map((p) => p.path)).toEqual(['with.environment', 'with.github-token']);
    expect(error.message).toMatch(/^2 action inputs are invalid: input 'environment' is required/);
  });

  it('reports every bad input at once', () => {
    const error = configurationError(() =>
      getInputs('all', withInputs({ severity: 'P9', drill: 'maybe', slice: 'x' })),
    );
    expect(error.problems.map((p) => p.path)).toEqual(['with.severity', 'with.drill', 'with.slice']);
  });

  it('knows exactly the rollback strategies the config schema accepts', () => {
    const config = (strategy: string) => ({
      version: 1,
      release: { name: 'app' },
      environments: { production: {} },
      deploy: { steps: [{ id: 'ship', run: 'true' }] },
      rollback: { strategy, steps: [{ id: 'back', run: 'true' }], flag: { id: 'off', run: 'true' } },
    });
    for (const strategy of ROLLBACK_STRATEGIES)
      expect(ConfigSchema.safeParse(config(strategy)).success).toBe(true);
    expect(ConfigSchema.safeParse(config('blue-green')).success).toBe(false);
  });
});

describe('getPhaseInput (the root action)', () => {
  it('accepts the six phases and all', () => {
    for (const phase of ['preflight', 'backup', 'deploy', 'smoke', 'monitor', 'rollback', 'all']) {
      expect(getPhaseInput({ INPUT_PHASE: ` ${phase} ` })).toBe(phase);
    }
  });

  it('rejects a missing or unknown phase, listing the known ones', () => {
    expect(configurationError(() => getPhaseInput({})).message).toMatch(
      /input 'phase' is required \(expected one of preflight, backup, deploy, smoke, monitor, rollback, all\)/,
    );
    expect(configurationError(() => getPhaseInput({ INPUT_PHASE: 'ship' })).message).toMatch(
      /input 'phase' is 'ship' \(expected one of preflight, .*, all\)/,
    );
  });
});
