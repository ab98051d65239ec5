import { PHASES, type PhaseName } from '../config/schema.ts';
import { type PhaseRequest, phaseFor } from './phases/index.ts';
import { type PhaseOutcome, type PhaseResult, runPhase } from './phase-runner.ts';
import type { Release } from './release.ts';

/**
 * Runs phases of one release in order, as the root action with `phase: all`, `shipgate run` and
 * the rehearsal do. It stops at the first phase that does not pass; a failure once the deploy has
 * started (or a phase's "rollback required") starts the rollback without anyone asking, when the
 * config has a rollback and the rollback was not already one of the phases asked for.
 */

export interface RunOutcome {
  outcome: PhaseOutcome;
  results: { phase: PhaseName; result: PhaseResult }[];
  rolledBack: boolean;
}

const AFTER_DEPLOY: ReadonlySet<PhaseName> = new Set(['deploy', 'smoke', 'monitor']);

export async function runPhases(
  release: Release,
  phases: readonly PhaseName[],
  request: PhaseRequest = {},
): Promise<RunOutcome> {
  const results: RunOutcome['results'] = [];
  for (const name of PHASES.filter((phase) => phases.includes(phase))) {
    if (name === 'rollback' && !request.rollback && phases.length > 1) continue;
    if (!release.config[name] && name !== 'deploy') continue;
    const result = await runPhase(phaseFor(name, request), release);
    results.push({ phase: name, result });
    if (result.outcome === 'passed') continue;
    const mustRollBack =
      result.rollbackRequired === true || (result.outcome === 'failed' && AFTER_DEPLOY.has(name));
    if (mustRollBack && release.config.rollback && name !== 'rollback' && phases.includes('rollback')) {
      release.ctx.logger.warning(`${name} ${result.outcome}: ${result.summary}. Rolling back.`);
      const rollback = await runPhase(
        phaseFor('rollback', {
          ...request,
          rollback: { trigger: 'automatic', reason: `${name}: ${result.summary}` },
        }),
        release,
      );
      results.push({ phase: 'rollback', result: rollback });
      return { outcome: result.outcome, results, rolledBack: rollback.outcome === 'passed' };
    }
    return { outcome: result.outcome, results, rolledBack: false };
  }
  return { outcome: 'passed', results, rolledBack: false };
}
