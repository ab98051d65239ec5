import { evaluateTick, type TickResult } from './evaluator.ts';
import { defaultSleep } from './http-probe.ts';
import { splitMetricRef } from './sources.ts';
import type {
  Clock,
  Decision,
  EpochMs,
  Measurement,
  MetricSource,
  MonitorEvent,
  MonitorSpec,
  MonitorState,
  Sleep,
} from './types.ts';

/**
 * The monitor loop: polls the sources every interval, feeds the evaluator, emits events, and
 * returns as soon as there is a decision (rollback required, failed, inconclusive, or stable at
 * the end of the window). With `sliceMs` it returns after that long with a state to resume from,
 * so a 24-hour watch runs as short scheduled jobs. When a slice resumes after a gap, sources that
 * keep history (Prometheus) replay the gap at the interval, so nothing between slices goes unjudged.
 */

export interface MonitorOptions {
  spec: MonitorSpec;
  sources: Readonly<Record<string, MetricSource>>;
  /** From createMonitorState, or the state a previous slice returned. */
  state: MonitorState;
  clock?: Clock;
  sleep?: Sleep;
  /** Return after this long (on the clock), still running, with a state to resume from. */
  sliceMs?: number;
  /** Replay gaps longer than this from source history; 2 intervals unless set. */
  backfillAfterMs?: number;
  onEvent?: (event: MonitorEvent) => void;
  /** Awaited before the next tick (tests use it to change the world between ticks). */
  onTick?: (tick: TickResult) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface MonitorRun {
  state: MonitorState;
  decision?: Decision;
  /** Live ticks taken in this slice. */
  ticks: number;
  /** Past moments judged from history in this slice. */
  backfilled: number;
}

/** Largest gap replayed from history in one slice (Prometheus caps a range at 11,000 points). */
const MAX_BACKFILL_POINTS = 10_000;

export async function runMonitor(options: MonitorOptions): Promise<MonitorRun> {
  const { spec, sources } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  const sleep = options.sleep ?? defaultSleep;
  const emit = (events: MonitorEvent[]) => {
    for (const event of events) options.onEvent?.(event);
  };
  const refs = resolveMetricRefs(spec, sources);
  if (options.state.status !== 'running') {
    return { state: options.state, decision: options.state.decision, ticks: 0, backfilled: 0 };
  }
  let state: MonitorState = { ...options.state, slices: options.state.slices + 1 };
  let ticks = 0;
  let backfilled = 0;
  const sliceEnd = options.sliceMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + options.sliceMs;

  const apply = async (result: TickResult) => {
    state = result.state;
    emit(result.events);
    await options.onTick?.(result);
  };

  // 1. Replay the gap since the last tick (between slices) from history.
  const last = state.lastTickAt ?? state.startedAt;
  const gapThreshold = options.backfillAfterMs ?? 2 * spec.intervalMs;
  if (state.status === 'running' && clock.now() - last > gapThreshold) {
    const to = Math.min(clock.now() - spec.intervalMs, state.endsAt);
    const times: EpochMs[] = [];
    for (let t = last + spec.intervalMs; t <= to && times.length < MAX_BACKFILL_POINTS; t += spec.intervalMs)
      times.push(t);
    if (to >= state.endsAt && times.at(-1) !== state.endsAt && times.length < MAX_BACKFILL_POINTS)
      times.push(state.endsAt);
    if (times.length > 0) {
      const first = times[0] ?? last;
      const final = times.at(-1) ?? last;
      const byTime = new Map<EpochMs, Record<string, Measurement>>(times.map((t) => [t, {}]));
      const skipped: string[] = [];
      await Promise.all(
        [...refs].map(async ([ref, { source, metric }]) => {
          if (!source.history) {
            skipped.push(ref);
            return;
          }
          const history = await source
            .history(metric, first, final, spec.intervalMs)
            .catch((error: unknown): Measurement[] =>
              times.map((at) => ({ kind: 'error', at, reason: `history failed: ${String(error)}` })),
            );
          // One failed range request is one failure, not one per step of the gap: leave the gap
          // unjudged for this metric (and say so); the live ticks that follow count the errors.
          const firstFailure = history[0];
          if (firstFailure?.kind === 'error' && history.every((m) => m.kind === 'error')) {
            skipped.push(`${ref} (history failed: ${firstFailure.reason})`);
            return;
          }
          for (const m of history) {
            const slot = byTime.get(m.at);
            if (slot) slot[ref] = m;
          }
        }),
      );
      const event: MonitorEvent = {
        type: 'backfilled',
        from: first,
        to: final,
        points: times.length,
        skippedMetrics: skipped.sort(),
      };
      emit([event]);
      state = { ...state, events: [...state.events, event] };
      for (const t of times) {
        if (state.status !== 'running') break;
        await apply(evaluateTick(spec, state, byTime.get(t) ?? {}, t));
        backfilled += 1;
      }
    }
  }

  // 2. Watch live until a decision, the end of the slice, or an abort.
  const used = new Set(state.status === 'running' ? [...refs.values()].map((r) => r.source) : []);
  for (const source of used) source.start?.();
  // A probe that just started has an empty window: the first live tick waits until it filled.
  const readyAt = clock.now() + Math.max(0, ...[...used].map((source) => source.warmUpMs ?? 0));
  try {
    while (state.status === 'running' && !options.signal?.aborted) {
      const previous = state.lastTickAt ?? state.startedAt;
      const scheduled = Math.min(Math.max(previous + spec.intervalMs, readyAt), state.endsAt);
      if (scheduled > sliceEnd) break;
      try {
        await sleep(Math.max(0, scheduled - clock.now()), options.signal);
      } catch {
        break; // aborted
      }
      const at = Math.max(clock.now(), previous + 1);
      const measurements: Record<string, Measurement> = {};
      await Promise.all(
        [...refs].map(async ([ref, { source, metric }]) => {
          measurements[ref] = await source.measure(metric, at).catch((error: unknown): Measurement => ({
            kind: 'error',
            at,
            reason: `measurement failed: ${String(error)}`,
          }));
        }),
      );
      await apply(evaluateTick(spec, state, measurements, at));
      ticks += 1;
    }
  } finally {
    await Promise.allSettled([...used].map((source) => Promise.resolve(source.stop?.())));
  }
  return { state, decision: state.decision, ticks, backfilled };
}

/** `source.metric` → the source object and its metric name; unknown ones fail with the known ones. */
export function resolveMetricRefs(
  spec: MonitorSpec,
  sources: Readonly<Record<string, MetricSource>>,
): Map<string, { source: MetricSource; metric: string }> {
  const refs = new Map<string, { source: MetricSource; metric: string }>();
  for (const rule of spec.rules) {
    const { source: sourceName, metric } = splitMetricRef(rule.metric);
    const source = sources[sourceName];
    if (!source) {
      throw new Error(
        `rule ${rule.id}: no source named ${sourceName}; known: ${Object.keys(sources).join(', ') || '(none)'}`,
      );
    }
    if (!source.metrics.includes(metric)) {
      throw new Error(
        `rule ${rule.id}: source ${sourceName} has no metric ${metric}; known: ${source.metrics.join(', ')}`,
      );
    }
    refs.set(rule.metric, { source, metric });
  }
  return refs;
}
