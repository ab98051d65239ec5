import { ConfigurationError } from '../errors.ts';
import { eventEnvironment } from './event-env.ts';

/**
 * Placeholders in config strings (URLs, headers, bodies, argv elements, tag patterns, titles):
 *
 *   {version} {previousVersion} {environment} {url} {name} {date} {time} {vars.NAME} {secrets.NAME}
 *
 * A placeholder is `{` + an identifier (optionally `scope.NAME`) + `}` with nothing else inside,
 * so JSON bodies such as `{"user": 1}` are left alone; `${NAME}` (shell) is not a placeholder, and
 * `{{` writes a literal brace. Anything that looks like a placeholder
 * but is not one of the above is a ConfigurationError listing the known ones; so is a known
 * placeholder with no value in this run (e.g. `{url}` in an environment without a url).
 *
 * `{date}` is the UTC date as YYYYMMDD and `{time}` the UTC time as HHMM (no dashes or colons: both
 * end up in git tag names, e.g. rollback-production-20261121-1402). This module is the one list of
 * placeholders: the config loader validates against it, the plan and the engine fill from it. Interpolation is for trusted config text only; values from events
 * (PR titles, branch names) never go through here, they reach commands as environment variables.
 * Command strings for bash are never interpolated (see `interpolateRun`).
 */
export interface TemplateValues {
  version?: string;
  previousVersion?: string;
  environment?: string;
  /** The environment's URL. */
  url?: string;
  /** The release name. */
  name?: string;
  /** The moment `{date}` and `{time}` describe, from the injected clock. */
  now?: Date;
  vars?: Readonly<Record<string, string>>;
  /** Values of the secrets declared in the config, by variable name. */
  secrets?: Readonly<Record<string, string | undefined>>;
}

/** Names that need no declaration, with what they stand for; plus `vars.NAME` and `secrets.NAME`. */
export const PLACEHOLDERS = {
  version: 'the version being released',
  previousVersion: 'the version running before this release (the rollback target)',
  environment: 'the environment name',
  url: "the environment's url",
  date: 'the UTC date, YYYYMMDD',
  time: 'the UTC time, HHMM',
  name: 'the release name',
} as const;

const KNOWN = [...Object.keys(PLACEHOLDERS), 'vars.NAME', 'secrets.NAME'];

const FIELDS: Readonly<Record<string, (values: TemplateValues) => string | undefined>> = {
  version: (values) => values.version,
  previousVersion: (values) => values.previousVersion,
  environment: (values) => values.environment,
  url: (values) => values.url,
  name: (values) => values.name,
  date: (values) => values.now?.toISOString().slice(0, 10).replaceAll('-', ''),
  time: (values) => values.now?.toISOString().slice(11, 16).replace(':', ''),
};

/** `{{` (a literal brace), `${NAME}` (shell, left alone) or a placeholder `{name}` / `{scope.NAME}`. */
const TOKEN = /\{\{|\$?\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)?)\}/g;

export interface Placeholder {
  /** As written between the braces, e.g. `vars.API_HOST`. */
  name: string;
  /** Offset of the opening brace in the text, for error positions. */
  index: number;
}

/** The placeholders used in `text`, for validation without values. */
export function placeholdersIn(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(TOKEN)) {
    if (match[1] === undefined || match[0].startsWith('$')) continue;
    found.push({ name: match[1], index: match.index });
  }
  return found;
}

function fill(text: string, replace: (name: string, whole: string) => string): string {
  return text.replace(TOKEN, (whole, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (name === undefined || whole.startsWith('$')) return whole;
    return replace(name, whole);
  });
}

/**
 * Fills what it can and leaves the rest as written, so a value that is not known yet stays
 * visible: for showing a plan before a release exists, never for running anything.
 */
export function renderTemplate(text: string, values: TemplateValues): string {
  return fill(text, (name, whole) => {
    try {
      return lookup(name, values, 'value');
    } catch {
      return whole;
    }
  });
}

/**
 * Replaces the placeholders in `text`. `where` names the config path for error messages,
 * e.g. `smoke.checks[0].url`.
 */
export function interpolate(text: string, values: TemplateValues, where = 'value'): string {
  return fill(text, (name) => lookup(name, values, where));
}

/**
 * Fills placeholders in each element of an argv list, where a value stays one argument whatever
 * it holds. A command string for bash is returned untouched: splicing values into a shell line is
 * what DESIGN 5 forbids (a tag may be named `v1$(touch${IFS}x)`), and `${HOME}` is shell syntax,
 * not a placeholder. Shell commands read the same values from the environment instead
 * (`"$SHIPGATE_VERSION"`, see `templateEnvironment`).
 */
export function interpolateRun(
  run: string | readonly string[],
  values: TemplateValues,
  where = 'run',
): string | string[] {
  if (typeof run === 'string') return run;
  return run.map((arg, index) => interpolate(arg, values, `${where}[${index}]`));
}

/**
 * The placeholder values as environment variables for commands: SHIPGATE_VERSION,
 * SHIPGATE_PREVIOUS_VERSION, SHIPGATE_ENVIRONMENT, SHIPGATE_ENVIRONMENT_URL, SHIPGATE_VAR_<NAME>.
 * Secrets are not copied: they are in the environment under their own names already.
 */
export function templateEnvironment(values: TemplateValues): Record<string, string> {
  return eventEnvironment(
    {
      ...(values.version === undefined ? {} : { version: values.version }),
      ...(values.previousVersion === undefined ? {} : { previousVersion: values.previousVersion }),
      ...(values.environment === undefined ? {} : { environment: values.environment }),
      ...(values.url === undefined ? {} : { environmentUrl: values.url }),
    },
    values.vars ?? {},
  );
}

/** Interpolates every value of a record (headers, env). */
export function interpolateRecord(
  record: Readonly<Record<string, string>>,
  values: TemplateValues,
  where = 'value',
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, interpolate(value, values, `${where}.${key}`)]),
  );
}

function lookup(key: string, values: TemplateValues, where: string): string {
  const dot = key.indexOf('.');
  if (dot >= 0) {
    const scope = key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (scope === 'vars') {
      const value = values.vars && Object.hasOwn(values.vars, name) ? values.vars[name] : undefined;
      if (value === undefined) {
        throw problem(where, `{${key}}: no variable ${name} in this environment's vars`);
      }
      return value;
    }
    if (scope === 'secrets') {
      if (!values.secrets || !Object.hasOwn(values.secrets, name)) {
        throw problem(where, `{${key}}: ${name} is not listed under secrets: (secrets must be declared)`);
      }
      const value = values.secrets[name];
      if (value === undefined || value === '') {
        throw problem(where, `{${key}}: the environment variable ${name} is not set`);
      }
      return value;
    }
    throw unknown(key, where);
  }
  const field = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined;
  if (!field) throw unknown(key, where);
  const value = field(values);
  if (value === undefined) {
    const hint = key === 'url' ? ' (set environments.<name>.url)' : '';
    throw problem(where, `{${key}} has no value in this run${hint}`);
  }
  return value;
}

function unknown(key: string, where: string): ConfigurationError {
  return problem(
    where,
    `unknown placeholder {${key}}; known placeholders: ${KNOWN.map((p) => `{${p}}`).join(', ')}`,
  );
}

function problem(where: string, message: string): ConfigurationError {
  return new ConfigurationError(`${where}: ${message}`, [{ path: where, message }]);
}
