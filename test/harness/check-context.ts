import type { Clock } from '../../src/checks/context.ts';
import type { ChecksContext } from '../../src/checks/runner.ts';
import type { Check } from '../../src/config/schema.ts';
import { CheckSchema } from '../../src/config/schema.ts';
import { parseDuration } from '../../src/config/units.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from './recording-logger.ts';

/** A clock that stands still at `at` and records sleeps instead of waiting. */
export class FixedClock implements Clock {
  readonly sleeps: number[] = [];
  private current: Date;

  constructor(at: string | Date) {
    this.current = new Date(at);
  }
  now(): Date {
    return new Date(this.current);
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestContext extends ChecksContext {
  logger: RecordingLogger;
}

/** A real context for checks: a recording logger, the given env and cwd, a scrubber for `secrets`. */
export function checkContext(
  overrides: Partial<ChecksContext> & { secrets?: Record<string, string> } = {},
): TestContext {
  const { secrets = {}, ...rest } = overrides;
  const env = { PATH: process.env.PATH, ...secrets, ...overrides.env };
  return {
    clock: new FixedClock('2026-06-10T12:00:00Z'),
    cwd: process.cwd(),
    scrubber: new SecretScrubber(Object.values(secrets)),
    template: { version: 'v1.2.3', environment: 'staging', secrets },
    ...rest,
    env,
    logger: new RecordingLogger(),
  };
}

/** A check as the config loader produces it: parsed by the real schema, defaults filled. */
export function check<K extends Check['kind']>(input: { kind: K; id?: string } & Record<string, unknown>) {
  return CheckSchema.parse({ id: `${input.kind}-check`, ...input }) as Extract<Check, { kind: K }>;
}

export const ms = (text: string) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};
