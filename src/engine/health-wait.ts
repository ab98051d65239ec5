import { type ChecksContext, runOne } from '../checks/runner.ts';
import type { CheckResult } from '../checks/context.ts';
import { type Config, HttpCheckSchema } from '../config/schema.ts';
import { formatDuration } from '../config/units.ts';

export type HealthWait = NonNullable<Config['deploy']['health']>;

/**
 * Waits until the health URL answers the expected status: one attempt every `interval` until
 * `timeout` (from the injected clock). The last attempt's result is returned, its summary saying
 * how long it took or how long it waited; a health endpoint that never answers is failed, not
 * inconclusive, once the wait is over.
 */
export async function waitForHealth(
  health: HealthWait,
  id: string,
  ctx: ChecksContext,
): Promise<CheckResult> {
  const check = HttpCheckSchema.parse({
    id: 'health',
    kind: 'http',
    url: health.url,
    timeout: `${Math.max(1, Math.min(health.interval, 30_000))}ms`,
    expect: { status: health.expectStatus },
  });
  check.id = id;
  const start = ctx.clock.now().getTime();
  for (let attempt = 1; ; attempt++) {
    const result = await runOne(check, ctx, 1_000);
    const waited = ctx.clock.now().getTime() - start;
    if (result.status === 'passed') {
      return {
        ...result,
        summary: `${result.summary} (attempt ${attempt}, after ${formatDuration(waited)})`,
      };
    }
    if (waited + health.interval > health.timeout || ctx.signal?.aborted) {
      return {
        ...result,
        status: 'failed',
        outcome: 'blocking',
        summary: `not healthy after ${formatDuration(waited)} (${attempt} attempts): ${result.summary}`,
      };
    }
    await ctx.clock.sleep(health.interval, ctx.signal);
  }
}
