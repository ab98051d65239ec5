/**
 * Secrets never leave (DESIGN 6). A SecretScrubber knows the values of the environment variables
 * the config names under `secrets:` (and any value added later, such as a database URL), hands
 * each one to the log masker (`core.setSecret` in Actions), and replaces every occurrence in text
 * we write anywhere (command output, evidence, summaries, error messages) with `***`.
 *
 * Besides the value itself it scrubs the forms a value takes on its way through HTTP and shells:
 * URL-encoded (as in a connection URL or query string), JSON-escaped, and base64 (standard and
 * URL-safe, at each of the three byte alignments, so a secret inside a larger base64 blob such as
 * `Authorization: Basic base64(user:secret)` is caught too). Encoded forms are only added for
 * values of at least MIN_ENCODED_LENGTH characters: the encodings of a very short value are short
 * enough to match by chance.
 */

export const MASK = '***';
export const MIN_ENCODED_LENGTH = 4;

export interface SecretScrubberOptions {
  /** Called once for each new value: the Actions log masker (`core.setSecret`) in production. */
  mask?: (value: string) => void;
}

export class SecretScrubber {
  private readonly values = new Set<string>();
  private readonly forms = new Set<string>();
  private readonly mask: ((value: string) => void) | undefined;
  private pattern: RegExp | undefined;

  constructor(values: Iterable<string | undefined> = [], options: SecretScrubberOptions = {}) {
    this.mask = options.mask;
    for (const value of values) if (value !== undefined) this.add(value);
  }

  /**
   * A scrubber for the variables named in the config's `secrets:`. A name that is not set is
   * ignored here; whether it must be set is for an `env` check to say.
   */
  static fromEnv(
    names: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    options: SecretScrubberOptions = {},
  ): SecretScrubber {
    return new SecretScrubber(
      names.map((name) => env[name]),
      options,
    );
  }

  /** Adds a value (and its encoded forms). Empty and whitespace-only values are ignored. */
  add(value: string): void {
    if (value.trim() === '' || this.values.has(value)) return;
    this.values.add(value);
    const newForms = formsOf(value);
    for (const form of newForms) this.forms.add(form);
    // A multi-line value (a PEM key) may reach a log one line at a time.
    if (value.includes('\n')) {
      for (const line of value.split(/\r?\n/)) {
        if (line.trim().length >= MIN_ENCODED_LENGTH) this.forms.add(line);
      }
    }
    this.pattern = undefined;
    if (this.mask) for (const form of newForms) this.mask(form);
  }

  /** How many distinct values are known. */
  get size(): number {
    return this.values.size;
  }

  /** Replaces every known value and encoded form in `text` with `***`. */
  scrub(text: string): string {
    if (this.forms.size === 0 || text === '') return text;
    this.pattern ??= new RegExp(
      [...this.forms]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, MASK);
  }

  /** Scrubs every string inside a small JSON-like value (evidence records). */
  scrubValue<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.scrubValue(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [this.scrub(key), this.scrubValue(item)]),
      ) as T;
    }
    return value;
  }
}

/** The value and the forms it takes when it is URL-encoded, JSON-escaped or base64-encoded. */
export function formsOf(value: string): string[] {
  const forms = new Set<string>([value]);
  if (value.length >= MIN_ENCODED_LENGTH) {
    forms.add(encodeURIComponent(value));
    forms.add(encodeURIComponent(value).replace(/%20/g, '+'));
    forms.add(JSON.stringify(value).slice(1, -1));
    for (const encoded of base64Forms(value)) {
      forms.add(encoded);
      forms.add(encoded.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms].filter((form) => form.length > 0);
}

/**
 * base64 of the value at each byte alignment: the whole encoding (with padding), and for each
 * shift of 0, 1 or 2 bytes the characters that depend on the value's bytes alone, which is what
 * appears when the value sits inside a longer encoded string.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = Math.ceil((8 * shift) / 6);
    const end = Math.floor((8 * (shift + bytes.length)) / 6);
    const inner = encoded.slice(start, end);
    if (inner.length >= MIN_ENCODED_LENGTH) forms.push(inner);
  }
  return forms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
