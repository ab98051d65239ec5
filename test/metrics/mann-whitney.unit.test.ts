import { describe, expect, it } from 'vitest';
import { erfc, mannWhitneyU, median, normalSf } from '../../src/metrics/mann-whitney.ts';

// Hollander & Wolfe (1973, p. 69), the example of R's wilcox.test: W = 35, exact one-sided
// p = 0.1272; reference p-values below were computed with scipy.stats.mannwhitneyu 1.17.
const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const y = [1.15, 0.88, 0.9, 0.74, 1.21];

describe('Mann-Whitney U', () => {
  it('matches the textbook U and exact p-values', () => {
    const greater = mannWhitneyU(x, y, { alternative: 'greater' });
    expect(greater.u1).toBe(35);
    expect(greater.u2).toBe(15);
    expect(greater.method).toBe('exact');
    expect(greater.pValue).toBeCloseTo(0.1272061272061272, 12);
    expect(mannWhitneyU(x, y).pValue).toBeCloseTo(0.2544122544122544, 12);
    expect(mannWhitneyU(x, y, { alternative: 'less' }).pValue).toBeCloseTo(0.8967698967698967, 12);
  });

  it('matches the normal approximation with continuity correction', () => {
    const method = 'asymptotic';
    expect(mannWhitneyU(x, y, { alternative: 'greater', method }).pValue).toBeCloseTo(0.12231180256349167, 6);
    expect(mannWhitneyU(x, y, { method }).pValue).toBeCloseTo(0.24462360512698333, 6);
    expect(mannWhitneyU(x, y, { alternative: 'less', method }).pValue).toBeCloseTo(0.9007753482039937, 6);
  });

  it('corrects the variance for ties', () => {
    const a = [1, 2, 2, 3, 3, 3, 4, 5];
    const b = [3, 4, 4, 5, 5, 6, 7, 7, 8];
    const less = mannWhitneyU(a, b, { alternative: 'less' });
    expect(less.hasTies).toBe(true);
    expect(less.method).toBe('asymptotic');
    expect(less.u1).toBe(7.5);
    expect(less.pValue).toBeCloseTo(0.0031865669190429364, 6);
    expect(mannWhitneyU(a, b).pValue).toBeCloseTo(0.006373133838085873, 6);
    expect(mannWhitneyU(a, b, { alternative: 'greater' }).pValue).toBeCloseTo(0.9976386658073535, 6);
  });

  it('reports the rank-biserial effect and the ratio of medians', () => {
    const r = mannWhitneyU([10, 11, 12], [1, 2, 3]);
    expect(r.rankBiserial).toBe(1);
    expect(r.medianRatio).toBe(5.5);
    expect(mannWhitneyU([1, 2, 3], [10, 11, 12]).rankBiserial).toBe(-1);
  });

  it('does not call identical samples different', () => {
    const same = [5, 5, 5, 5];
    expect(mannWhitneyU(same, same).pValue).toBe(1);
  });

  it('refuses empty samples and NaN', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([Number.NaN], [1])).toThrow(/NaN/);
  });

  it('computes the normal tail accurately far out', () => {
    expect(normalSf(0)).toBeCloseTo(0.5, 7);
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 5);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
