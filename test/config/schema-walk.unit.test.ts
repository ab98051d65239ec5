import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.ts';
import { keysAt, optionsWithKey, schemaAt } from '../../src/config/schema-walk.ts';

describe('walking the zod schema alongside the document', () => {
  const input = {
    preflight: { checks: [{ kind: 'http' }, { kind: 'env' }, { kind: 'nonsense' }] },
  };

  it('lists the keys valid at a place, following a check by its kind', () => {
    expect(keysAt(ConfigSchema, ['preflight', 'checks', 0], input)).toEqual(
      expect.arrayContaining(['url', 'method', 'expect', 'retries']),
    );
    expect(keysAt(ConfigSchema, ['preflight', 'checks', 1], input)).toEqual(
      expect.arrayContaining(['var', 'present', 'pattern']),
    );
    expect(keysAt(ConfigSchema, ['preflight', 'checks', 2], input)).toBeUndefined();
    expect(keysAt(ConfigSchema, [], input)?.slice(0, 3)).toEqual(['$schema', 'version', 'release']);
  });

  it('finds descriptions through optional and default wrappers', () => {
    expect(schemaAt(ConfigSchema, ['deploy', 'steps', 0, 'timeout'], {})?.description).toBe(
      'A duration: 500ms, 90s, 10m, 1h30m, 7d',
    );
    expect(schemaAt(ConfigSchema, ['nowhere'], {})).toBeUndefined();
  });

  it('names the kinds that have a key', () => {
    expect(optionsWithKey(ConfigSchema, ['preflight', 'checks', 1], input, 'url')).toEqual(['http']);
    expect(optionsWithKey(ConfigSchema, ['preflight', 'checks', 1], input, 'path').sort()).toEqual([
      'disk-free',
      'git-clean',
    ]);
    expect(optionsWithKey(ConfigSchema, ['release'], input, 'url')).toEqual([]);
  });
});
