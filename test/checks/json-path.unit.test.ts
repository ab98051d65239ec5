import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, parseJsonPath } from '../../src/checks/json-path.ts';
import { ConfigurationError } from '../../src/errors.ts';

const doc = { status: 'healthy', tools: [{ name: 'a' }, { name: 'b' }], 'odd key': { 'x.y': 1 }, nil: null };

describe('JSON path subset', () => {
  it('reads members, quoted members and indexes', () => {
    expect(evaluateJsonPath(doc, '$')).toEqual({ found: true, value: doc });
    expect(evaluateJsonPath(doc, '$.status')).toEqual({ found: true, value: 'healthy' });
    expect(evaluateJsonPath(doc, '$.tools[1].name')).toEqual({ found: true, value: 'b' });
    expect(evaluateJsonPath(doc, '$.tools[-1].name')).toEqual({ found: true, value: 'b' });
    expect(evaluateJsonPath(doc, `$['odd key']["x.y"]`)).toEqual({ found: true, value: 1 });
    expect(evaluateJsonPath(doc, '$.nil')).toEqual({ found: true, value: null });
  });

  it('finds nothing where nothing is, without reaching into prototypes', () => {
    expect(evaluateJsonPath(doc, '$.tools[2]')).toEqual({ found: false });
    expect(evaluateJsonPath(doc, '$.tools.length')).toEqual({ found: false });
    expect(evaluateJsonPath(doc, '$.status.length')).toEqual({ found: false });
    expect(evaluateJsonPath(doc, '$.constructor')).toEqual({ found: false });
    expect(evaluateJsonPath(doc, '$.nil.x')).toEqual({ found: false });
  });

  it('rejects what it does not support', () => {
    expect(() => parseJsonPath('$.tools[*]')).toThrowError(ConfigurationError);
    expect(() => parseJsonPath('$..name')).toThrowError(/cannot read '\.\.name'/);
    expect(() => parseJsonPath('status')).toThrowError(/starts with '\$'/);
  });
});
