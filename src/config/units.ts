/**
 * Units people write in a release config, parsed into base units: durations and latencies into
 * milliseconds, percentages into fractions, sizes into bytes, rates into events per second.
 * Each parser returns the value or a message that says what was expected.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$';
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

export function parseDuration(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!new RegExp(DURATION_PATTERN).test(trimmed)) {
    return {
      ok: false,
      message: `'${text}' is not a duration (expected a number with a unit, e.g. 500ms, 90s, 10m, 1h30m, 7d)`,
    };
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(DURATION_PART))
    total += Number(amount) * DURATION_UNITS[unit!]!;
  return { ok: true, value: total };
}

export const PERCENT_PATTERN = '^\\d+(\\.\\d+)?%$';

export function parsePercent(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!new RegExp(PERCENT_PATTERN).test(trimmed)) {
    return { ok: false, message: `'${text}' is not a percentage (expected e.g. 0.1%, 5%, 80%)` };
  }
  const value = Number(trimmed.slice(0, -1)) / 100;
  if (value > 1)
    return { ok: false, message: `'${text}' is more than 100% (expected a percentage from 0% to 100%)` };
  return { ok: true, value };
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};
export const SIZE_PATTERN = '^\\d+(\\.\\d+)?\\s?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$';

export function parseSize(text: string): Parsed<number> {
  const match = new RegExp(SIZE_PATTERN).exec(text.trim());
  if (!match) return { ok: false, message: `'${text}' is not a size (expected e.g. 512B, 1KB, 10MB, 2GiB)` };
  const amount = Number(
    text
      .trim()
      .slice(0, match[0].length - match[2]!.length)
      .trim(),
  );
  return { ok: true, value: Math.round(amount * SIZE_UNITS[match[2]!]!) };
}

export const RATE_PATTERN = '^\\d+(\\.\\d+)?/(s|m|h)$';

/** `2/s`, `30/m`: events per second. */
export function parseRate(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!new RegExp(RATE_PATTERN).test(trimmed)) {
    return { ok: false, message: `'${text}' is not a rate (expected e.g. 2/s, 30/m, 100/h)` };
  }
  const [amount, per] = trimmed.split('/') as [string, 's' | 'm' | 'h'];
  const seconds = { s: 1, m: 60, h: 3600 }[per];
  const value = Number(amount) / seconds;
  if (value <= 0) return { ok: false, message: `'${text}' must be more than zero` };
  return { ok: true, value };
}

export type Comparison = '>' | '>=' | '<' | '<=';
export type ThresholdUnit = 'fraction' | 'milliseconds' | 'number';

/** A threshold such as `> 5%`, `>= 2s`, `< 0.5`, parsed into an operator and a value in base units. */
export interface Threshold {
  op: Comparison;
  value: number;
  unit: ThresholdUnit;
  /** As written, for display. */
  text: string;
}

export const THRESHOLD_PATTERN = '^(>=|<=|>|<)\\s*\\d+(\\.\\d+)?(%|ms|s|m|h)?$';

export function parseThreshold(text: string): Parsed<Threshold> {
  const match = /^(>=|<=|>|<)\s*(\d+(?:\.\d+)?)(%|ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    return {
      ok: false,
      message: `'${text}' is not a threshold (expected a comparison and a value, e.g. '> 5%', '>= 2s', '> 500ms', '< 0.9')`,
    };
  }
  const [, op, amount, unit] = match as unknown as [string, Comparison, string, string | undefined];
  if (unit === '%') {
    const percent = parsePercent(`${amount}%`);
    if (!percent.ok) return percent;
    return { ok: true, value: { op, value: percent.value, unit: 'fraction', text: text.trim() } };
  }
  if (unit) {
    const duration = parseDuration(`${amount}${unit}`);
    if (!duration.ok) return duration;
    return { ok: true, value: { op, value: duration.value, unit: 'milliseconds', text: text.trim() } };
  }
  return { ok: true, value: { op, value: Number(amount), unit: 'number', text: text.trim() } };
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${Math.round(rest)}ms`);
  return parts.join('');
}
