import type { Comparator, Threshold } from './types.ts';

/** Whether `value` breaches `threshold` (NaN never does; +Inf breaches any `>`). */
export function breaches(value: number, threshold: Threshold): boolean {
  if (Number.isNaN(value)) return false;
  switch (threshold.op) {
    case '>':
      return value > threshold.value;
    case '>=':
      return value >= threshold.value;
    case '<':
      return value < threshold.value;
    case '<=':
      return value <= threshold.value;
  }
}

/** Whether a larger value is worse for this comparator (so a breach's peak is its maximum). */
export function higherIsWorse(op: Comparator): boolean {
  return op === '>' || op === '>=';
}

const UNITS: Record<string, number> = { '%': 0.01, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a threshold as the config writes it, into base units: `> 1%` is `{op:'>', value:0.01}`,
 * `>= 500ms` is 500, `> 2s` is 2000, `< 0.99` is 0.99. Throws with what was expected.
 */
export function parseThreshold(text: string): Threshold {
  const match = /^\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(%|ms|s|m|h)?\s*$/i.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new Error(
      `invalid threshold ${JSON.stringify(text)}: expected a comparison like '> 5%', '>= 500ms', '> 2s' or '< 0.99'`,
    );
  }
  const unit = match[3]?.toLowerCase();
  const factor = unit === undefined ? 1 : (UNITS[unit] ?? 1);
  return { op: match[1] as Comparator, value: Number(match[2]) * factor };
}
