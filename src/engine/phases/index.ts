import type { PhaseName } from '../../config/schema.ts';
import type { Phase } from '../phase-runner.ts';
import { createMonitorPhase } from './monitor.ts';
import { smokePhase } from './smoke.ts';

/**
 * Every phase by name (STYLE 12: a table, not a switch). The rollback phase needs to know why it
 * runs, so phases are built from the run's request.
 */
export interface PhaseRequest {
  /** Continue a long watch from the record (a scheduled workflow), and how long this slice may watch. */
  monitor?: { resume?: boolean; sliceMs?: number };
  rollback?: {
    trigger: 'automatic' | 'manual' | 'drill';
    targetVersion?: string;
    severity?: string;
    reason?: string;
    strategy?: 'app' | 'full' | 'flag';
  };
}

type PhaseFactory = (request: PhaseRequest) => Phase;

const PHASE_FACTORIES: Partial<Record<PhaseName, PhaseFactory>> = {
  smoke: () => smokePhase,
  monitor: (request) =>
    createMonitorPhase({
      ...(request.monitor?.resume !== undefined ? { resume: request.monitor.resume } : {}),
      ...(request.monitor?.sliceMs !== undefined ? { sliceMs: request.monitor.sliceMs } : {}),
    }),
};

export function phaseFor(name: PhaseName, request: PhaseRequest = {}): Phase {
  const factory = PHASE_FACTORIES[name];
  if (!factory) {
    const known = Object.keys(PHASE_FACTORIES).join(', ') || 'none';
    throw new Error(`the ${name} phase is not available in this build (known: ${known})`);
  }
  return factory(request);
}
