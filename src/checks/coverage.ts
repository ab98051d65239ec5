import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Check } from '../config/schema.ts';
import type { CheckContext, CheckVerdict } from './context.ts';

type CoverageCheck = Extract<Check, { kind: 'coverage' }>;
type Metric = CoverageCheck['metric'];

export interface Counts {
  covered: number;
  total: number;
}

/**
 * `coverage`: the share of covered lines (or statements, branches, functions) in a coverage
 * report is at least `min`. Reads lcov (`LH/LF`, `BRH/BRF`, `FNH/FNF` summed over all files;
 * lcov has no statements) or istanbul's json-summary (`total.<metric>.covered/total`).
 * A report that is missing, unreadable or measures nothing fails.
 */
export async function coverageCheck(check: CoverageCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const path = resolve(ctx.cwd, check.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { status: 'failed', summary: `coverage report not found: ${check.file}` };
  }
  const counts = PARSERS[check.format](text, check.metric);
  if (typeof counts === 'string') return { status: 'failed', summary: `${check.file}: ${counts}` };
  if (counts.total === 0) return { status: 'failed', summary: `${check.file} measures no ${check.metric}` };
  const share = counts.covered / counts.total;
  const evidence = {
    file: check.file,
    metric: check.metric,
    measured: percent(share),
    min: percent(check.min),
    covered: counts.covered,
    total: counts.total,
  };
  const summary = `${check.metric} ${percent(share)} (${counts.covered}/${counts.total}), min ${percent(check.min)}`;
  // Compare in whole hundredths of a percent, so 80% of 80.00% passes despite floating point.
  const passed = Math.round(share * 10_000) >= Math.round(check.min * 10_000);
  return { status: passed ? 'passed' : 'failed', summary, evidence };
}

const LCOV_KEYS: Record<Metric, [string, string] | undefined> = {
  lines: ['LH', 'LF'],
  branches: ['BRH', 'BRF'],
  functions: ['FNH', 'FNF'],
  statements: undefined,
};

/** Sums an lcov tracefile's hit/found counters for one metric; a string is what is wrong. */
export function parseLcov(text: string, metric: Metric): Counts | string {
  const keys = LCOV_KEYS[metric];
  if (!keys) return 'lcov has no statement counts; use metric: lines';
  const [hitKey, foundKey] = keys;
  let covered = 0;
  let total = 0;
  let records = 0;
  for (const line of text.split(/\r?\n/)) {
    const [key, value] = line.split(':', 2);
    if (key === 'end_of_record') records++;
    if (value === undefined) continue;
    if (key === hitKey) covered += Number(value);
    if (key === foundKey) total += Number(value);
  }
  if (records === 0) return 'not an lcov tracefile (no end_of_record)';
  if (!Number.isFinite(covered) || !Number.isFinite(total)) return 'unreadable counts';
  return { covered, total };
}

/** Reads istanbul's coverage-summary.json (`json-summary` reporter). */
export function parseJsonSummary(text: string, metric: Metric): Counts | string {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const entry = (document as { total?: Record<string, { covered?: unknown; total?: unknown }> })?.total?.[
    metric
  ];
  if (!entry || typeof entry.covered !== 'number' || typeof entry.total !== 'number') {
    return `no total.${metric}.covered/total (expected istanbul's json-summary)`;
  }
  return { covered: entry.covered, total: entry.total };
}

const PARSERS: Record<CoverageCheck['format'], (text: string, metric: Metric) => Counts | string> = {
  lcov: parseLcov,
  'json-summary': parseJsonSummary,
};

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}
