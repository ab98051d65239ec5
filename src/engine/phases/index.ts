import { saveState } from '../../actions/outputs.ts';
import type { PhaseName } from '../../config/schema.ts';
import { captureBaseline } from '../baseline.ts';
import type { Phase } from '../phase-runner.ts';
import type { RollbackRequest } from '../rollback-plan.ts';
import { backupPhase } from './backup.ts';
import { createDeployPhase } from './deploy.ts';
import { createMonitorPhase } from './monitor.ts';
import { createPreflightPhase } from './preflight.ts';
import { createRollbackPhase } from './rollback.ts';
import { smokePhase } from './smoke.ts';

/**
 * Every phase by name (STYLE 12: a table, not a switch), built from what the run asks of it:
 * the rollback needs to know why it runs, the monitor whether it continues a long watch, and the
 * phases with post steps how to save state for them.
 */
export interface PhaseRequest {
  /** Continue a long watch from the record (a scheduled workflow), and how long this slice may watch. */
  monitor?: { resume?: boolean; sliceMs?: number };
  rollback?: RollbackRequest;
  /** Saves state for the action's post step (`core.saveState` in Actions). */
  save?: (name: string, value: string) => void;
}

type PhaseFactory = (request: PhaseRequest) => Phase;

const PHASE_FACTORIES: Record<PhaseName, PhaseFactory> = {
  preflight: () =>
    createPreflightPhase({
      baseline: async (release) => {
        const snapshot = await captureBaseline(release);
        if (!snapshot) return { ok: true, summary: 'no monitor sources to take a baseline from' };
        const metrics = Object.keys(snapshot.metrics).length;
        return {
          ok: true,
          summary: `${metrics} metrics captured${snapshot.problems.length > 0 ? `; ${snapshot.problems.join('; ')}` : ''}`,
        };
      },
    }),
  backup: () => backupPhase,
  deploy: (request) => createDeployPhase(request.save ? { save: request.save } : {}),
  smoke: () => smokePhase,
  monitor: (request) =>
    createMonitorPhase({
      ...(request.monitor?.resume !== undefined ? { resume: request.monitor.resume } : {}),
      ...(request.monitor?.sliceMs !== undefined ? { sliceMs: request.monitor.sliceMs } : {}),
    }),
  rollback: (request) =>
    createRollbackPhase(
      request.rollback ?? { trigger: 'automatic' },
      request.save ? { saveState: (values) => saveState(values, request.save) } : {},
    ),
};

export function phaseFor(name: PhaseName, request: PhaseRequest = {}): Phase {
  return PHASE_FACTORIES[name](request);
}
