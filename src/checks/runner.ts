import type { Check } from '../config/schema.ts';
import { formatDuration } from '../config/units.ts';
import { ConfigurationError, errorMessage } from '../errors.ts';
import type { CheckContext, CheckResult, CheckStatus, CheckVerdict } from './context.ts';
import { checkImplementation } from './registry.ts';

export interface RunChecksOptions {
  /** How many checks run at once (the config's `concurrency`, default 4). */
  concurrency?: number;
  /**
   * How long past its timeout a check that ignores its abort signal is waited for before it is
   * reported as timed out anyway (default 10 s, enough for a command's SIGTERM-to-SIGKILL grace).
   */
  stragglerGraceMs?: number;
}

/** A CheckContext without the per-check signal; `signal` here cancels the whole run. */
export type ChecksContext = Omit<CheckContext, 'signal'> & { signal?: AbortSignal };

/**
 * Runs checks with at most `concurrency` at a time and returns their results in the order given.
 * Each check gets an AbortSignal that fires at its `timeout` (or when the run's signal aborts);
 * a check that timed out is reported as its kind says (inconclusive for network checks, failed
 * for commands) with "timed out after 30s". A check that throws is reported, never rethrown:
 * a configuration mistake (unknown placeholder, bad pattern) fails it, anything else makes it
 * inconclusive. Summaries and evidence are scrubbed of secrets.
 */
export async function runChecks(
  checks: readonly Check[],
  ctx: ChecksContext,
  options: RunChecksOptions = {},
): Promise<CheckResult[]> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const results = new Array<CheckResult>(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const index = next++;
      results[index] = await runOne(checks[index]!, ctx, options.stragglerGraceMs ?? 10_000);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker));
  return results;
}

/** Runs one check under its timeout; exported for phases that run a single check (health waits). */
export async function runOne(
  check: Check,
  ctx: ChecksContext,
  stragglerGraceMs = 10_000,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${formatDuration(check.timeout)}`));
  }, check.timeout);
  const onCancel = () => controller.abort(ctx.signal?.reason);
  if (ctx.signal?.aborted) onCancel();
  ctx.signal?.addEventListener('abort', onCancel, { once: true });
  let straggler: NodeJS.Timeout | undefined;

  let verdict: CheckVerdict;
  let onTimeout: CheckStatus = 'inconclusive';
  try {
    const implementation = checkImplementation(check.kind);
    onTimeout = implementation.onTimeout;
    const deadline = new Promise<CheckVerdict>((resolve) => {
      const giveUp = () => {
        straggler = setTimeout(
          () => resolve({ status: onTimeout, summary: 'did not stop after its timeout' }),
          stragglerGraceMs,
        );
      };
      if (controller.signal.aborted) giveUp();
      else controller.signal.addEventListener('abort', giveUp, { once: true });
    });
    const running = implementation.run(check, { ...ctx, signal: controller.signal });
    // If the deadline wins, a late rejection must not become an unhandled one.
    running.catch(() => undefined);
    verdict = await Promise.race([running, deadline]);
  } catch (error) {
    verdict =
      error instanceof ConfigurationError
        ? { status: 'failed', summary: error.message }
        : controller.signal.aborted
          ? { status: onTimeout, summary: errorMessage(error) }
          : { status: 'inconclusive', summary: `could not run the check: ${errorMessage(error)}` };
  } finally {
    clearTimeout(timer);
    clearTimeout(straggler);
    ctx.signal?.removeEventListener('abort', onCancel);
  }
  if (timedOut) {
    verdict = { ...verdict, status: onTimeout, summary: `timed out after ${formatDuration(check.timeout)}` };
  } else if (controller.signal.aborted && verdict.status !== 'passed') {
    verdict = { ...verdict, status: 'inconclusive', summary: 'cancelled' };
  }
  return finish(check, verdict, performance.now() - started, ctx);
}

function finish(check: Check, verdict: CheckVerdict, durationMs: number, ctx: ChecksContext): CheckResult {
  const status = verdict.status;
  const outcome = status === 'passed' ? 'ok' : check.required ? 'blocking' : 'warning';
  const result: CheckResult = {
    id: check.id,
    kind: check.kind,
    name: ctx.scrubber.scrub(check.name ?? check.id),
    status,
    required: check.required,
    outcome,
    durationMs: Math.round(durationMs),
    summary: ctx.scrubber.scrub(oneLine(verdict.summary)),
    evidence: ctx.scrubber.scrubValue(verdict.evidence ?? {}),
  };
  const line = `${SYMBOLS[status]} ${result.id}: ${result.summary}`;
  if (outcome === 'ok') ctx.logger.info(line);
  else if (outcome === 'warning') ctx.logger.warning(`${line} (not required)`);
  else ctx.logger.error(line);
  return result;
}

const SYMBOLS: Record<CheckStatus, string> = { passed: '✓', failed: '✗', inconclusive: '?' };

function oneLine(text: string): string {
  const line = text.replace(/\s*\r?\n\s*/g, ' ⏎ ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
