import { ConfigurationError } from '../errors.ts';

/**
 * The small JSON path subset http checks use, with no evaluation of expressions:
 *
 *   $                 the whole document
 *   .name             a member (letters, digits, _, $, -)
 *   ['name'] ["name"] a member with any characters
 *   [2] [-1]          an array element; negative counts from the end
 *
 * No wildcards, filters or recursive descent: each path names at most one value, so an
 * assertion's meaning is never in doubt.
 */
export type JsonPathSegment = { key: string } | { index: number };

export function parseJsonPath(path: string): JsonPathSegment[] {
  if (!path.startsWith('$')) throw invalid(path, "a path starts with '$'");
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const member = /^\.([A-Za-z_$][A-Za-z0-9_$-]*)/.exec(rest);
    const index = /^\[(-?\d+)\]/.exec(rest);
    const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
    if (member) segments.push({ key: member[1]! });
    else if (index) segments.push({ index: Number(index[1]) });
    else if (quoted) segments.push({ key: (quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1') });
    else throw invalid(path, `cannot read '${rest}' (expected .name, ['name'] or [index])`);
    rest = rest.slice((member ?? index ?? quoted)![0].length);
  }
  return segments;
}

export type JsonPathResult = { found: true; value: unknown } | { found: false };

export function evaluateJsonPath(document: unknown, path: string): JsonPathResult {
  let value = document;
  for (const segment of parseJsonPath(path)) {
    if ('index' in segment) {
      if (!Array.isArray(value)) return { found: false };
      const at = segment.index < 0 ? value.length + segment.index : segment.index;
      if (at < 0 || at >= value.length) return { found: false };
      value = value[at];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return { found: false };
      if (!Object.hasOwn(value, segment.key)) return { found: false };
      value = (value as Record<string, unknown>)[segment.key];
    }
  }
  return { found: true, value };
}

function invalid(path: string, why: string): ConfigurationError {
  const message = `invalid JSON path '${path}': ${why}`;
  return new ConfigurationError(message, [{ path: 'expect.json', message }]);
}
