import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Document, isAlias, visit } from 'yaml';
import { ConfigurationError, type Problem, type SourceLocation } from '../errors.ts';
import { type Config, ConfigSchema } from './schema.ts';
import { semanticFindings } from './semantic-checks.ts';
import { describeValue, type Finding, findingsFromIssues } from './validation-messages.ts';
import { formatPath, type KeyPath, locate, locationOf, parseYaml, type YamlSource } from './yaml-source.ts';

/**
 * Loads `.github/shipgate.yml`: YAML with positions, the schema, then the checks that need the
 * whole file. Everything wrong is reported at once in one ConfigurationError, each problem at
 * the line and column a person wrote it.
 */

export const DEFAULT_CONFIG_PATH = '.github/shipgate.yml';
/** Larger files are refused unread: a release config is a few hundred lines. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** `*alias` expansions allowed before the file is treated as a "billion laughs" attack. */
export const MAX_ALIAS_EXPANSIONS = 100;

export interface LoadedConfig {
  config: Config;
  /** The parsed YAML, positions kept. */
  document: Document.Parsed;
  file: string;
  /** Where a key path (e.g. `['smoke', 'checks', 2]`) is in the file, for annotating run-time failures. */
  locate(path: KeyPath, at?: 'value' | 'key'): SourceLocation;
}

export type ConfigInput = string | { text: string; file: string };

const EXPECTED_ROOT = 'expected a mapping with version: 1, release, environments and deploy';

/** Reads and validates a config file (path relative to `cwd`), or validates text already read. */
export async function loadConfig(input: ConfigInput, options: { cwd?: string } = {}): Promise<LoadedConfig> {
  if (typeof input !== 'string') return parseConfig(input.text, input.file);
  const full = resolve(options.cwd ?? process.cwd(), input);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw notReadable(input, 'it is not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw notReadable(input, code === 'ENOENT' ? 'no such file' : String(code ?? error));
  }
  if (size > MAX_CONFIG_BYTES) throw tooLarge(input, size);
  return parseConfig(await readFile(full, 'utf8'), input);
}

function notReadable(file: string, reason: string): ConfigurationError {
  return new ConfigurationError(
    `cannot read ${file}: ${reason} (expected a release config there; create it or pass --config PATH)`,
  );
}

function tooLarge(file: string, bytes: number): ConfigurationError {
  const megabytes = (bytes / (1024 * 1024)).toFixed(1);
  return failure(file, [
    {
      path: '',
      location: { file, line: 1, column: 1 },
      message: `the file is ${megabytes} MB (expected a release config under 1 MB; is this the right file?)`,
    },
  ]);
}

function failure(file: string, problems: Problem[]): ConfigurationError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new ConfigurationError(`${file}: ${count} in the release config`, problems);
}

/** Validates config text; `file` names it in problems. */
export function parseConfig(text: string, file: string): LoadedConfig {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES)
    throw tooLarge(file, Buffer.byteLength(text, 'utf8'));
  const { source, problems: syntax } = parseYaml(text, file);
  if (syntax.length > 0) {
    throw failure(
      file,
      syntax.map((problem) => ({
        path: '',
        location: locationOf(source, problem.offset),
        message: problem.message,
      })),
    );
  }
  const { document } = source;
  if (document.contents === null) {
    throw failure(file, [
      { path: '', location: locationOf(source, 0), message: `the file is empty (${EXPECTED_ROOT})` },
    ]);
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw failure(file, [
      {
        path: '',
        location: locationOf(source, firstAliasOffset(document)),
        message: `aliases expand too many times (expected at most ${MAX_ALIAS_EXPANSIONS} *alias expansions; nested aliases like these can exhaust memory)`,
      },
    ]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw failure(file, [
      {
        path: '',
        location: locationOf(source, document.contents.range?.[0] ?? 0),
        message: `the top level is ${describeValue(data)} (${EXPECTED_ROOT})`,
      },
    ]);
  }

  const parsed = ConfigSchema.safeParse(data, { reportInput: true });
  const findings = [
    ...(parsed.success ? [] : findingsFromIssues(parsed.error.issues, data)),
    ...semanticFindings(data),
  ];
  if (findings.length > 0 || !parsed.success) throw failure(file, problemsFrom(source, findings));

  return {
    config: parsed.data,
    document,
    file,
    locate: (path, at = 'value') => locate(source, path, at),
  };
}

function firstAliasOffset(document: Document.Parsed): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      if (isAlias(node)) offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function problemsFrom(source: YamlSource, findings: Finding[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const finding of findings) {
    const path = formatPath(finding.path);
    const key = `${path}\n${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({
      location: locate(source, finding.path, finding.at, finding.within),
      path,
      message: finding.message,
    });
  }
  // In file order, the way a person fixes them.
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        a.problem.location!.line - b.problem.location!.line ||
        a.problem.location!.column - b.problem.location!.column ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}
