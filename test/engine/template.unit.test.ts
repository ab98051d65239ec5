import { describe, expect, it } from 'vitest';
import {
  interpolate,
  interpolateRecord,
  interpolateRun,
  placeholdersIn,
  templateEnvironment,
} from '../../src/engine/template.ts';
import { ConfigurationError } from '../../src/errors.ts';

const values = {
  version: 'v1.4.0',
  previousVersion: 'v1.3.2',
  environment: 'production',
  url: 'https://api.example.com',
  name: 'task-server',
  now: new Date('2026-03-04T05:06:07Z'),
  vars: { REGION: 'eu-west-1' },
  secrets: { API_KEY: 'k3y', UNSET: undefined },
};

describe('interpolate', () => {
  it('fills every known placeholder', () => {
    expect(
      interpolate(
        '{url}/health?v={version}&p={previousVersion}&e={environment}&n={name}&r={vars.REGION}',
        values,
      ),
    ).toBe('https://api.example.com/health?v=v1.4.0&p=v1.3.2&e=production&n=task-server&r=eu-west-1');
    expect(interpolate('rollback-{environment}-{date}-{time}', values)).toBe(
      'rollback-production-20260304-0506',
    );
    expect(interpolate('Bearer {secrets.API_KEY}', values)).toBe('Bearer k3y');
  });

  it('leaves JSON bodies alone', () => {
    const body = '{"email": "test@example.com", "nested": {"a": [1, {"b": 2}]}}';
    expect(interpolate(body, values)).toBe(body);
    expect(interpolate('{"version": "{version}"}', values)).toBe('{"version": "v1.4.0"}');
  });

  it('rejects unknown placeholders, listing the known ones', () => {
    expect(() => interpolate('{url}/{verison}', values, 'smoke.checks[0].url')).toThrowError(
      /smoke\.checks\[0\]\.url: unknown placeholder \{verison\}; known placeholders: \{version\}/,
    );
    expect(() => interpolate('{env.HOME}', values)).toThrowError(ConfigurationError);
    expect(() => interpolate('{toString}', values)).toThrowError(/unknown placeholder/);
  });

  it('says when a known placeholder has no value', () => {
    expect(() => interpolate('{url}', { version: 'v1' })).toThrowError(/\{url\} has no value in this run/);
    expect(() => interpolate('{vars.NOPE}', values)).toThrowError(/no variable NOPE/);
    expect(() => interpolate('{secrets.OTHER}', values)).toThrowError(/OTHER is not listed under secrets/);
    expect(() => interpolate('{secrets.UNSET}', values)).toThrowError(/UNSET is not set/);
  });

  it('works on argv lists, records and lists what a text uses', () => {
    expect(interpolateRun(['deploy', '--version={version}'], values)).toEqual(['deploy', '--version=v1.4.0']);
    // A bash string is never spliced: `${HOME}` is shell syntax, and values come from the environment.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, on purpose
    const shellLine = 'deploy "$SHIPGATE_VERSION" ${HOME} {version}';
    expect(interpolateRun(shellLine, values)).toBe(shellLine);
    expect(templateEnvironment(values)).toEqual({
      SHIPGATE_VERSION: 'v1.4.0',
      SHIPGATE_PREVIOUS_VERSION: 'v1.3.2',
      SHIPGATE_ENVIRONMENT: 'production',
      SHIPGATE_ENVIRONMENT_URL: 'https://api.example.com',
      SHIPGATE_VAR_REGION: 'eu-west-1',
    });
    expect(interpolateRecord({ 'X-Api-Key': '{secrets.API_KEY}' }, values)).toEqual({ 'X-Api-Key': 'k3y' });
    expect(placeholdersIn('{url}/x/{vars.A}').map((p) => p.name)).toEqual(['url', 'vars.A']);
  });
});
