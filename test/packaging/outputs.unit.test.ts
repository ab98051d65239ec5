import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTPUT, readState, STATE, saveState, setOutputs } from '../../src/actions/outputs.ts';
import { EVENT_ENV, varEnvName } from '../../src/engine/event-env.ts';
import { parseCommandFile } from '../harness/runner.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-outputs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('outputs', () => {
  it('writes typed values to GITHUB_OUTPUT under their declared names', () => {
    const file = join(dir, 'output');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    setOutputs({ issue: 42, outcome: 'waiting', rollbackRequired: false, previousVersion: 'v1.2.3' });
    expect(parseCommandFile(readFileSync(file, 'utf8'))).toEqual({
      issue: '42',
      outcome: 'waiting',
      'rollback-required': 'false',
      'previous-version': 'v1.2.3',
    });
  });

  it('uses action.yml output names: lower case with dashes', () => {
    for (const name of Object.values(OUTPUT)) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

describe('state from main to post', () => {
  it('round-trips through GITHUB_STATE and the STATE_* variables the runner gives the post step', () => {
    const file = join(dir, 'state');
    writeFileSync(file, '');
    process.env.GITHUB_STATE = file;
    saveState({
      lockRef: 'refs/shipgate/locks/production',
      lockOwner: 'run-77-1',
      maintenanceEnabled: true,
      issue: 9,
    });

    const saved = parseCommandFile(readFileSync(file, 'utf8'));
    expect(Object.keys(saved).sort()).toEqual(Object.values(STATE).sort());
    const postEnv = Object.fromEntries(
      Object.entries(saved).map(([name, value]) => [`STATE_${name}`, value]),
    );
    expect(readState(postEnv)).toEqual({
      lockRef: 'refs/shipgate/locks/production',
      lockOwner: 'run-77-1',
      maintenanceEnabled: true,
      issue: 9,
    });
  });

  it('reads nothing when the main step saved nothing (it failed before taking the lock)', () => {
    expect(readState({})).toEqual({});
    expect(
      readState({ [`STATE_${STATE.maintenanceEnabled}`]: 'false', [`STATE_${STATE.issue}`]: '' }),
    ).toEqual({
      maintenanceEnabled: false,
    });
  });

  it('writes no state for values not given', () => {
    const file = join(dir, 'state');
    writeFileSync(file, '');
    process.env.GITHUB_STATE = file;
    saveState({});
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

describe('SHIPGATE_* environment keys', () => {
  it('are distinct and prefixed', () => {
    const names = [...Object.values(EVENT_ENV), varEnvName('REGION_URL')];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^SHIPGATE_[A-Z_]+$/);
    expect(varEnvName('API_HOST')).toBe('SHIPGATE_VAR_API_HOST');
  });
});
