import type { Config } from '../../config/schema.ts';
import { formatDuration } from '../../config/units.ts';
import { errorMessage } from '../../errors.ts';
import type { Clock } from '../clock.ts';

export type HealthConfig = NonNullable<Config['deploy']['health']>;

export interface HealthOutcome {
  healthy: boolean;
  attempts: number;
  /** The last answer's status code, if there was an answer. */
  lastStatus?: number;
  summary: string;
  durationMs: number;
}

/**
 * Polls the health endpoint every `interval` until it answers `expectStatus` or `timeout` has
 * passed (time from the injected clock). Each request may take at most one interval (at least a
 * second), so a hanging server cannot stretch the wait past its timeout by much.
 */
export async function waitHealthy(
  health: HealthConfig,
  url: string,
  clock: Clock,
  fetcher: typeof fetch = fetch,
): Promise<HealthOutcome> {
  const started = clock.now().getTime();
  const deadline = started + health.timeout;
  let attempts = 0;
  let last: string;
  let lastStatus: number | undefined;
  for (;;) {
    attempts += 1;
    try {
      const response = await fetcher(url, {
        signal: AbortSignal.timeout(Math.max(1_000, Math.min(health.interval, health.timeout))),
        redirect: 'manual',
      });
      await response.body?.cancel();
      lastStatus = response.status;
      last = `answered ${response.status}`;
      if (response.status === health.expectStatus) {
        const durationMs = clock.now().getTime() - started;
        return {
          healthy: true,
          attempts,
          lastStatus,
          durationMs,
          summary: `${url} answered ${response.status} after ${attempts} attempt${attempts === 1 ? '' : 's'} (${formatDuration(durationMs)})`,
        };
      }
    } catch (error) {
      last = errorMessage(error);
    }
    const now = clock.now().getTime();
    if (now + health.interval > deadline) {
      return {
        healthy: false,
        attempts,
        ...(lastStatus === undefined ? {} : { lastStatus }),
        durationMs: now - started,
        summary: `${url} not healthy within ${formatDuration(health.timeout)} (${attempts} attempts, expected ${health.expectStatus}, last: ${last})`,
      };
    }
    await clock.sleep(health.interval);
  }
}

/** The health wait as a checklist item's result: status, the summary, how long, and evidence. */
export function healthResult(health: HealthOutcome, url: string) {
  return {
    status: health.healthy ? ('passed' as const) : ('failed' as const),
    summary: health.summary,
    durationMs: health.durationMs,
    evidence: { url, attempts: health.attempts, ...(health.lastStatus ? { status: health.lastStatus } : {}) },
  };
}
