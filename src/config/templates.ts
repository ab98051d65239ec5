/**
 * Placeholders in config strings: `{version}`, `{url}`, `{vars.NAME}`, `{secrets.NAME}`, ...
 * A placeholder is a brace around a name; `${NAME}` (shell) is left alone, and `{{` writes a
 * literal brace. The loader rejects unknown names, so a typo fails at validation, not mid-release.
 */

/** Names that need no declaration, with what they stand for. */
export const PLACEHOLDERS = {
  version: 'the version being released',
  previousVersion: 'the version running before this release (the rollback target)',
  environment: 'the environment name',
  url: "the environment's url",
  date: 'the UTC date, YYYYMMDD',
  time: 'the UTC time, HHMMSS',
  name: 'the release name',
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;

export interface Placeholder {
  /** As written between the braces, e.g. `vars.API_HOST`. */
  name: string;
  /** Offset of the opening brace in the text. */
  index: number;
}

const PLACEHOLDER = /\{\{|\$?\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}/g;

export function placeholdersIn(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match[1] === undefined || match[0].startsWith('$')) continue;
    found.push({ name: match[1], index: match.index });
  }
  return found;
}

export interface TemplateValues {
  version?: string;
  previousVersion?: string;
  environment?: string;
  url?: string;
  date?: string;
  time?: string;
  name?: string;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
}

/**
 * Fills the placeholders of a template. A placeholder without a value is left as written, so a
 * missing value is visible rather than silently empty.
 */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (name === undefined || whole.startsWith('$')) return whole;
    const [head, tail] = name.split('.') as [string, string | undefined];
    let value: string | undefined;
    if (tail === undefined) value = (values as Record<string, unknown>)[head] as string | undefined;
    else if (head === 'vars') value = values.vars?.[tail];
    else if (head === 'secrets') value = values.secrets?.[tail];
    return typeof value === 'string' ? value : whole;
  });
}
