/**
 * The Mann-Whitney U test (Wilcoxon rank-sum): does one sample tend to hold larger values than
 * another? Rank-based, so a few outliers cannot fake a shift and no distribution is assumed.
 *
 * - U1 counts the pairs (x, y) with x > y, ties counting one half; U2 = n1·n2 − U1.
 * - Exact p-values come from the distribution of U under the null (every arrangement of ranks
 *   equally likely), counted by dynamic programming; used when there are no ties and both
 *   samples have at most 25 values (or when asked).
 * - Otherwise the normal approximation with tie correction,
 *   σ² = n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1))), and a continuity correction of 0.5 toward the mean.
 * - The effect size is the rank-biserial correlation r = 2·U1/(n1·n2) − 1 (−1..1; positive when
 *   x tends to be larger), beside the ratio of medians.
 */

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface MannWhitneyOptions {
  /** `greater`: x tends to be larger than y. */
  alternative?: Alternative;
  method?: 'auto' | 'exact' | 'asymptotic';
}

export interface MannWhitneyResult {
  n1: number;
  n2: number;
  /** U for x (pairs with x > y, ties ½). */
  u1: number;
  u2: number;
  /** Rank sum of x (average ranks for ties). */
  rankSumX: number;
  /** Standard score with continuity correction (NaN for the exact method with no variance). */
  z: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  hasTies: boolean;
  rankBiserial: number;
  /** median(x) / median(y) (Infinity when median(y) is 0 and median(x) is not). */
  medianRatio: number;
}

const EXACT_MAX_N = 25;

export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const alternative = options.alternative ?? 'two-sided';
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0)
    throw new RangeError('the Mann-Whitney U test needs at least one value in each sample');
  if ([...x, ...y].some((v) => Number.isNaN(v)))
    throw new RangeError('the Mann-Whitney U test cannot rank NaN');

  const { rankSumX, tieTerm } = rankSum(x, y);
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const hasTies = tieTerm > 0;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));

  const method =
    options.method === 'exact' ||
    (options.method !== 'asymptotic' && !hasTies && n1 <= EXACT_MAX_N && n2 <= EXACT_MAX_N)
      ? 'exact'
      : 'asymptotic';

  let z: number;
  let pValue: number;
  if (method === 'exact') {
    const dist = exactDistribution(n1, n2);
    const total = dist.reduce((sum, c) => sum + c, 0);
    // U1 takes integer values when there are no ties; round for safety with forced exact + ties.
    const upper = (u: number) => tail(dist, Math.ceil(u - 1e-9), 'upper') / total;
    const lower = (u: number) => tail(dist, Math.floor(u + 1e-9), 'lower') / total;
    z = variance > 0 ? (u1 - mean) / Math.sqrt(variance) : Number.NaN;
    if (alternative === 'greater') pValue = upper(u1);
    else if (alternative === 'less') pValue = lower(u1);
    else pValue = Math.min(1, 2 * upper(Math.max(u1, u2)));
  } else {
    const sd = Math.sqrt(variance);
    if (!(sd > 0)) {
      z = 0;
      pValue = 1;
    } else if (alternative === 'greater') {
      z = (u1 - mean - 0.5) / sd;
      pValue = normalSf(z);
    } else if (alternative === 'less') {
      z = (u1 - mean + 0.5) / sd;
      pValue = 1 - normalSf(z);
    } else {
      z = (Math.max(u1, u2) - mean - 0.5) / sd;
      pValue = Math.min(1, 2 * normalSf(z));
    }
  }

  const mx = median(x);
  const my = median(y);
  return {
    n1,
    n2,
    u1,
    u2,
    rankSumX,
    z,
    pValue,
    method,
    hasTies,
    rankBiserial: (2 * u1) / (n1 * n2) - 1,
    medianRatio: my === 0 ? (mx === 0 ? 1 : Number.POSITIVE_INFINITY) : mx / my,
  };
}

/**
 * Rank sum of x in the pooled sample (average ranks for ties) and Σ(t³ − t) over tie groups.
 * A value's average rank is (#below + #at-or-below + 1) / 2, found by binary search in the
 * natively sorted pool.
 */
function rankSum(x: readonly number[], y: readonly number[]): { rankSumX: number; tieTerm: number } {
  const pool = new Float64Array(x.length + y.length);
  pool.set(x);
  pool.set(y, x.length);
  pool.sort();
  let tieTerm = 0;
  for (let i = 0; i < pool.length;) {
    let j = i;
    while (j + 1 < pool.length && pool[j + 1] === pool[i]) j++;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let rankSumX = 0;
  for (const v of x) rankSumX += (bound(pool, v, false) + bound(pool, v, true) + 1) / 2;
  return { rankSumX, tieTerm };
}

/** Number of pool values < v (or <= v when `inclusive`). */
function bound(pool: Float64Array, v: number, inclusive: boolean): number {
  let lo = 0;
  let hi = pool.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = pool[mid] ?? 0;
    if (p < v || (inclusive && p === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const exactCache = new Map<string, number[]>();

/**
 * Number of arrangements giving each U in 0..m·n, by the recurrence
 * f(m, n, u) = f(m−1, n, u−n) + f(m, n−1, u) (the largest value is an x or a y).
 */
function exactDistribution(m: number, n: number): number[] {
  const key = `${m},${n}`;
  const cached = exactCache.get(key);
  if (cached) return cached;
  // table[i][j] = distribution for i x-values and j y-values
  let previousRow: number[][] = []; // i − 1
  for (let i = 0; i <= m; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= n; j++) {
      if (i === 0 || j === 0) {
        row.push([1]);
        continue;
      }
      const size = i * j + 1;
      const dist = new Array<number>(size).fill(0);
      const withX = previousRow[j] ?? [];
      const withY = row[j - 1] ?? [];
      for (let u = 0; u < size; u++) dist[u] = (u - j >= 0 ? (withX[u - j] ?? 0) : 0) + (withY[u] ?? 0);
      row.push(dist);
    }
    previousRow = row;
  }
  const result = previousRow[n] ?? [1];
  exactCache.set(key, result);
  return result;
}

function tail(dist: number[], u: number, side: 'upper' | 'lower'): number {
  let sum = 0;
  if (side === 'upper') for (let k = Math.max(0, u); k < dist.length; k++) sum += dist[k] ?? 0;
  else for (let k = 0; k <= Math.min(u, dist.length - 1); k++) sum += dist[k] ?? 0;
  return sum;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Complementary error function with relative error below 1.2e-7 everywhere (Chebyshev fit,
 * Numerical Recipes `erfcc`), accurate in the far tail where 1 − erf(x) would cancel to 0.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
