import type { z } from 'zod';
import { closest } from './did-you-mean.ts';
import { ConfigSchema } from './schema.ts';
import { keysAt, optionsWithKey, schemaAt } from './schema-walk.ts';
import type { KeyPath, PathSegment } from './yaml-source.ts';

/**
 * Turns zod's issues into findings a person can act on: `what is wrong (expected ...)`, with a
 * "did you mean" for misspelt keys and values, pointing at the key for an unknown key and at the
 * enclosing mapping for a missing one.
 */
export interface Finding {
  path: KeyPath;
  message: string;
  /** Point at the key rather than its value (unknown keys, record keys). */
  at: 'value' | 'key';
  /** Point inside a string value, at this character index (a placeholder in a command). */
  within?: number;
}

type Issue = z.core.$ZodIssue;

/** The value at `path` in the raw document, or undefined. */
export function valueAt(input: unknown, path: KeyPath): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

function hasKey(input: unknown, path: KeyPath): boolean {
  if (path.length === 0) return true;
  const parent = valueAt(input, path.slice(0, -1));
  return typeof parent === 'object' && parent !== null && Object.hasOwn(parent, path[path.length - 1]!);
}

/** A value as a person would name it in a sentence. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'an empty value',
};

function expectedFrom(type: string | undefined, description: string | undefined): string {
  // Unit descriptions read as a noun ("A duration: 500ms, 90s, ..."), others as a note.
  if (description && /^An? /.test(description)) return `a${description.slice(1)}`;
  const word = (type && TYPE_WORDS[type]) ?? (type ? `a ${type}` : 'a different value');
  return description ? `${word}: ${lowerFirst(description)}` : word;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** zod's own wording, as opposed to the messages written in schema.ts. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized|Expected)/.test(message);
}

function list(values: readonly unknown[]): string {
  return values.map((value) => String(value)).join(', ');
}

function unknownValue(subject: string, value: unknown, allowed: readonly unknown[]): string {
  const suggestion = typeof value === 'string' ? closest(value, allowed.map(String)) : undefined;
  const hint = suggestion === undefined ? '' : `did you mean '${suggestion}'? `;
  return `unknown ${subject} ${describeValue(value)} (${hint}expected one of: ${list(allowed)})`;
}

function describeAt(path: KeyPath, input: unknown): string | undefined {
  return schemaAt(ConfigSchema, path, input)?.description;
}

export function findingsFromIssues(
  issues: readonly Issue[],
  input: unknown,
  prefix: KeyPath = [],
): Finding[] {
  return issues.flatMap((issue) => findingsFromIssue(issue, input, prefix));
}

function findingsFromIssue(issue: Issue, input: unknown, prefix: KeyPath): Finding[] {
  const path: PathSegment[] = [...prefix, ...(issue.path as PathSegment[])];
  const value = valueAt(input, path);
  const last = path[path.length - 1];
  const custom = isDefaultMessage(issue.message) ? undefined : issue.message;

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(ConfigSchema, path, input) ?? [];
      return issue.keys.map((key) => {
        const suggestion = closest(key, known);
        const elsewhere = optionsWithKey(ConfigSchema, path, input, key);
        const belongs = elsewhere.length > 0 ? `'${key}' belongs to kind: ${elsewhere.join(' or ')}; ` : '';
        const expected = suggestion
          ? `did you mean '${suggestion}'?`
          : `${belongs}expected one of: ${list(known)}`;
        return { path: [...path, key], message: `unknown key '${key}' (${expected})`, at: 'key' };
      });
    }
    case 'invalid_type': {
      const expected = expectedFrom(issue.expected, describeAt(path, input));
      if (typeof last === 'string' && !hasKey(input, path)) {
        return [{ path, message: `missing required key '${last}' (expected ${expected})`, at: 'value' }];
      }
      // `url: {url}` is YAML for a mapping with the key `url`.
      const unquoted =
        issue.expected === 'string' &&
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((entry) => entry === null);
      const quote = unquoted ? `; quote a {placeholder}, e.g. '{${Object.keys(value)[0]}}'` : '';
      return [
        {
          path,
          message: custom ?? `got ${describeValue(value)} (expected ${expected}${quote})`,
          at: 'value',
        },
      ];
    }
    case 'invalid_value': {
      if (custom) return [{ path, message: `got ${describeValue(value)} (${custom})`, at: 'value' }];
      const subject = typeof last === 'string' ? last : 'value';
      return [{ path, message: unknownValue(subject, value, issue.values), at: 'value' }];
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (discriminator !== undefined && options) {
        const where = last === discriminator ? path : [...path, discriminator];
        const given = valueAt(input, where);
        if (given === undefined) {
          return [
            {
              path: where,
              message: `missing required key '${discriminator}' (expected one of: ${list(options)})`,
              at: 'value',
            },
          ];
        }
        return [{ path: where, message: unknownValue(discriminator, given, options), at: 'value' }];
      }
      // The branch the input was plainly meant for is the one that did not fail on its type.
      const meant = issue.errors.filter(
        (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
      );
      if (meant.length === 1) return findingsFromIssues(meant[0]!, input, path);
      const types = issue.errors.flatMap((branch) =>
        branch.flatMap((inner) =>
          inner.code === 'invalid_type' && inner.path.length === 0 ? [inner.expected] : [],
        ),
      );
      const description = describeAt(path, input);
      const expected = description
        ? lowerFirst(description)
        : [...new Set(types)].map((type) => TYPE_WORDS[type] ?? type).join(' or ');
      return [{ path, message: `got ${describeValue(value)} (expected ${expected})`, at: 'value' }];
    }
    case 'invalid_format': {
      if (custom?.startsWith("'")) return [{ path, message: custom, at: 'value' }];
      if (custom) return [{ path, message: `${describeValue(value)} is not valid (${custom})`, at: 'value' }];
      const pattern = (issue as { pattern?: string }).pattern;
      return [
        {
          path,
          message: `${describeValue(value)} is not valid (expected text matching ${pattern ?? issue.format})`,
          at: 'value',
        },
      ];
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const reason = inner && !isDefaultMessage(inner.message) ? inner.message : 'expected a different name';
      return [{ path, message: `'${String(last)}' is not a valid name here (${reason})`, at: 'key' }];
    }
    case 'too_small':
    case 'too_big': {
      if (custom) return [{ path, message: custom, at: 'value' }];
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const relation =
        issue.code === 'too_small'
          ? inclusive
            ? 'at least'
            : 'more than'
          : inclusive
            ? 'at most'
            : 'less than';
      if (issue.origin === 'array') {
        const count = Array.isArray(value) ? value.length : 0;
        return [
          {
            path,
            message: `the list has ${count} item${count === 1 ? '' : 's'} (expected ${relation} ${String(bound)})`,
            at: 'value',
          },
        ];
      }
      if (issue.origin === 'string') {
        const what = issue.code === 'too_small' ? 'too short' : 'too long';
        return [
          {
            path,
            message: `${describeValue(value)} is ${what} (expected ${relation} ${String(bound)} characters)`,
            at: 'value',
          },
        ];
      }
      const what = issue.code === 'too_small' ? 'too small' : 'too large';
      return [
        {
          path,
          message: `${describeValue(value)} is ${what} (expected ${relation} ${String(bound)})`,
          at: 'value',
        },
      ];
    }
    case 'custom':
      return [{ path, message: issue.message, at: 'value' }];
    default:
      return [{ path, message: custom ?? lowerFirst(issue.message), at: 'value' }];
  }
}
