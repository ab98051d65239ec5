import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { SourceLocation } from '../errors.ts';

/**
 * A YAML file parsed with node positions kept, so any key path can be traced back to the line
 * and column a person wrote it on.
 */
export type PathSegment = string | number;
export type KeyPath = readonly PathSegment[];

export interface YamlSource {
  file: string;
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/** YAML errors after the first few are nearly always echoes of them. */
const MAX_SYNTAX_PROBLEMS = 3;

/** Problems found while reading YAML itself, before any meaning is given to it. */
export interface SyntaxProblem {
  offset: number;
  message: string;
}

export function parseYaml(text: string, file: string): { source: YamlSource; problems: SyntaxProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    keepSourceTokens: false,
  });
  const problems: SyntaxProblem[] = [];
  const found = [...document.errors, ...document.warnings];
  for (const error of found.slice(0, MAX_SYNTAX_PROBLEMS)) {
    problems.push({
      offset: error.pos[0],
      message: yamlMessage(error.code, error.message, text, error.pos[0]),
    });
  }
  if (found.length > MAX_SYNTAX_PROBLEMS) {
    const more = found.length - MAX_SYNTAX_PROBLEMS;
    problems.push({
      offset: found[MAX_SYNTAX_PROBLEMS]!.pos[0],
      message: `${more} more YAML syntax error${more === 1 ? '' : 's'} from here on, most likely caused by the ones above (fix those and validate again)`,
    });
  }
  return { source: { file, text, document, lineCounter }, problems };
}

function yamlMessage(code: string, message: string, text: string, offset: number): string {
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^:\n]*/.exec(text.slice(offset))?.[0]?.trim() ?? '';
      return `duplicate key${key ? ` '${key}'` : ''} (expected each key once in a mapping; the later one would silently win)`;
    }
    case 'MULTIPLE_DOCS':
      return "a second YAML document starts here (expected one document; remove the '---' line)";
    case 'TAG_RESOLVE_FAILED':
      return `${message.replace(/^Unresolved tag/, 'unknown YAML tag')} (expected plain YAML values without custom tags)`;
    default: {
      // `url: {url}/health` and `run: deploy {version}` read as YAML flow mappings.
      const hint =
        text.charAt(offset) === '{' && /flow-map-start/.test(message)
          ? " (expected a quoted value where a {placeholder} is used, e.g. '{url}/health')"
          : '';
      return `YAML syntax error: ${lowerFirst(message)}${hint}`;
    }
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function locationOf(source: YamlSource, offset: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { file: source.file, line, column: col };
}

interface Found {
  /** The deepest node the path reached. */
  node: Node | null;
  /** The key node of the last pair followed, when the whole path was found. */
  key: Node | null;
  /** The whole path was found. */
  complete: boolean;
}

function resolve(source: YamlSource, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(source.document) as Node | undefined) ?? null;
  return (node as Node | null) ?? null;
}

function follow(source: YamlSource, path: KeyPath): Found {
  let node = resolve(source, source.document.contents);
  let key: Node | null = null;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && String(isScalar(item.key) ? item.key.value : item.key) === String(segment),
      );
      if (!pair) return { node, key: null, complete: false };
      key = (pair.key as Node | null) ?? null;
      const written = resolve(source, pair.value);
      // `key:` with nothing after it has no value node, or an empty one; the key stands for it.
      const empty = isScalar(written) && written.value === null && written.range?.[0] === written.range?.[1];
      const value = empty ? null : written;
      node = value ?? key;
      if (!value) return { node, key, complete: index === path.length - 1 };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return { node, key: null, complete: false };
      key = null;
      node = resolve(source, item) ?? node;
    } else {
      return { node, key: null, complete: false };
    }
  }
  return { node, key, complete: true };
}

/**
 * Where a key path is in the file: the value's node, or with `at: 'key'` the key itself (for an
 * unknown key). For a path that does not exist (a missing key) it is the deepest mapping that
 * does, which is where the key belongs.
 */
export function locate(
  source: YamlSource,
  path: KeyPath,
  at: 'value' | 'key' = 'value',
  /** A character index inside the string value, e.g. where a placeholder starts. */
  within?: number,
): SourceLocation {
  const found = follow(source, path);
  const target = found.complete && at === 'key' && found.key ? found.key : found.node;
  const start = target?.range?.[0] ?? 0;
  if (within !== undefined && found.complete && isScalar(target) && typeof target.value === 'string') {
    // Only where the text is written as-is on one line can an index in the value be a column.
    const written = source.text.slice(start, target.range?.[1] ?? start);
    const value = target.value;
    if (written === value) return locationOf(source, start + within);
    if (!value.includes("'") && !value.includes('\\') && [`'${value}'`, `"${value}"`].includes(written)) {
      return locationOf(source, start + 1 + within);
    }
  }
  return locationOf(source, start);
}

/** `preflight.checks[2].timeout`, the way the problem list names a place. */
export function formatPath(path: KeyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_$][\w$-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
