/**
 * GitHub's primary rate limit: a budget of requests per token per hour, reported in
 * `x-ratelimit-*` headers. 304 answers to conditional requests are not charged.
 */

export interface Budget {
  limit: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
}

export interface RateSnapshot extends Budget {
  remaining: number;
  resource: 'core';
}

const WINDOW_SECONDS = 3600;

export class RateLimiter {
  private readonly budgets = new Map<string, Budget>();
  private readonly clock: () => number;

  constructor(clock: () => number) {
    this.clock = clock;
  }

  private budget(token: string, limit: number): Budget {
    const nowSeconds = Math.floor(this.clock() / 1000);
    let budget = this.budgets.get(token);
    if (!budget || budget.reset <= nowSeconds) {
      budget = { limit: budget?.limit ?? limit, used: 0, reset: nowSeconds + WINDOW_SECONDS };
      this.budgets.set(token, budget);
    }
    return budget;
  }

  snapshot(token: string, limit: number): RateSnapshot {
    const b = this.budget(token, limit);
    return { ...b, remaining: Math.max(0, b.limit - b.used), resource: 'core' };
  }

  charge(token: string, limit: number): RateSnapshot {
    this.budget(token, limit).used += 1;
    return this.snapshot(token, limit);
  }

  /** Control API: set a token's limit and/or what is left of it (to test exhaustion quickly). */
  set(
    token: string,
    limit: number,
    change: { limit?: number; remaining?: number; resetInSeconds?: number },
  ): RateSnapshot {
    const b = this.budget(token, change.limit ?? limit);
    if (change.limit !== undefined) b.limit = change.limit;
    if (change.remaining !== undefined) b.used = Math.max(0, b.limit - change.remaining);
    if (change.resetInSeconds !== undefined)
      b.reset = Math.floor(this.clock() / 1000) + change.resetInSeconds;
    return this.snapshot(token, limit);
  }

  clear(): void {
    this.budgets.clear();
  }
}

export function rateLimitHeaders(s: RateSnapshot): Record<string, string> {
  return {
    'x-ratelimit-limit': String(s.limit),
    'x-ratelimit-remaining': String(s.remaining),
    'x-ratelimit-used': String(s.used),
    'x-ratelimit-reset': String(s.reset),
    'x-ratelimit-resource': s.resource,
  };
}
