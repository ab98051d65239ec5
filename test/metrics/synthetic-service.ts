/**
 * A simulated service for evaluator tests: requests per tick, an error probability and a latency
 * distribution as functions of time, all drawn from a seeded PRNG so every run is the same.
 */

/** mulberry32: a small, fast, seedable PRNG with a full 2^32 period. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface ServiceModel {
  requestsPerTick: number;
  /** Probability that a request at time t fails. */
  errorProbability(t: number): number;
  /** A latency draw in ms at time t. */
  latency(t: number, random: () => number): number;
}

export function errorRateAt(model: ServiceModel, t: number, random: () => number): number {
  const p = model.errorProbability(t);
  let errors = 0;
  for (let i = 0; i < model.requestsPerTick; i++) if (random() < p) errors++;
  return errors / model.requestsPerTick;
}

export function latencySamples(
  model: ServiceModel,
  t: number,
  count: number,
  random: () => number,
): number[] {
  return Array.from({ length: count }, () => model.latency(t, random));
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

/** A healthy service: lognormal latency around 80 ms with jitter and rare slow requests. */
export function jitteryLatency(medianMs: number) {
  return (_t: number, random: () => number) => {
    const base = medianMs * Math.exp(0.35 * normal(random));
    return random() < 0.01 ? base * 4 : base;
  };
}
