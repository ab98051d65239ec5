import { parseThreshold as parseConfigThreshold } from '../config/units.ts';
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

/**
 * Reads a threshold as the config writes it, into base units: `> 1%` is `{op:'>', value:0.01}`,
 * `>= 500ms` is 500, `> 2s` is 2000, `< 0.99` is 0.99. One grammar for the config and the
 * metrics engine: this is the config's parser (`src/config/units.ts`), throwing instead of
 * returning a message.
 */
export function parseThreshold(text: string): Threshold {
  const parsed = parseConfigThreshold(text);
  if (!parsed.ok) {
    throw new Error(
      `invalid threshold ${JSON.stringify(text)}: expected a comparison like '> 5%', '>= 500ms', '> 2s' or '< 0.99' (${parsed.message})`,
    );
  }
  return { op: parsed.value.op, value: parsed.value.value };
}
