import type { CheckResult } from '../../checks/index.ts';
import { checksContext } from './run-environment.ts';
import { runChecks } from '../../checks/index.ts';
import type { SmokeCheck } from '../../config/schema.ts';
import { itemResult, type Phase, type PhaseResult } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import {
  addItems,
  type Evidence,
  type ItemState,
  type Mutation,
  type ReleaseState,
  updateItem,
} from '../release-state.ts';

/**
 * Smoke: the configured HTTP and command checks against the freshly deployed version, run
 * `smoke.concurrency` at a time (so the phase takes about as long as its slowest check, not the
 * sum). A required check that does not pass ends the phase failed with `rollbackRequired`, and
 * its item keeps the evidence a rollback issue quotes (status code, body excerpt).
 *
 * Matrix jobs (`ctx.region` set) report per region: each check becomes an item `<id>@<region>`
 * added to the record, and the config's item `<id>` is marked skipped "per region" with a pointer
 * to the region items, so concurrent regions never overwrite each other's result on one line.
 */
export const smokePhase: Phase = {
  name: 'smoke',
  async run(release: Release): Promise<PhaseResult> {
    const smoke = release.config.smoke;
    if (!smoke || smoke.checks.length === 0)
      return { outcome: 'passed', summary: 'no smoke checks configured' };
    const { ctx } = release;
    const checks = smoke.checks;
    const ids = new Map(checks.map((check) => [check.id, itemId(check.id, ctx.region)]));
    const startedAt = ctx.clock.now().toISOString();
    await release.report(
      ...regionItems(release.record.state, checks, ctx.region),
      ...checks.map((check) => updateItem(ids.get(check.id)!, { status: 'running', startedAt })),
    );

    const results = await runChecks(checks, checksContext(release), { concurrency: smoke.concurrency });

    const at = ctx.clock.now();
    await release.report(
      ...results.map((result) =>
        itemResult(
          ids.get(result.id)!,
          {
            status: result.status,
            summary: result.summary,
            durationMs: result.durationMs,
            evidence: itemEvidence(result),
          },
          at,
        ),
      ),
    );
    return verdict(results, ctx.region);
  },
};

/** The item id of a check in this job: the config id, or `<id>@<region>` in a matrix job. */
export function itemId(checkId: string, region: string | undefined): string {
  return region ? `${checkId}@${region}` : checkId;
}

/** What checks need from the release: its clock, logger, env, workspace, scrubber and placeholders. */
/** Adds this region's items (copies of the config's, suffixed) and marks the base items per region. */
function regionItems(
  state: ReleaseState,
  checks: readonly SmokeCheck[],
  region: string | undefined,
): Mutation[] {
  if (!region) return [];
  const fresh: ItemState[] = [];
  const mutations: Mutation[] = [];
  for (const check of checks) {
    const base = state.items.find((item) => item.id === check.id);
    if (!base) continue;
    fresh.push({
      id: itemId(check.id, region),
      phase: base.phase,
      kind: base.kind,
      text: `${base.text} (${region})`,
      required: base.required,
      status: 'pending',
      ...(base.section ? { section: base.section } : {}),
    });
    mutations.push(
      updateItem(check.id, { status: 'skipped', summary: `per region: see the ${check.id}@… items` }),
    );
  }
  return [addItems(fresh), ...mutations];
}

/** The record keeps flat evidence: lists are joined, nulls left out. */
function itemEvidence(result: CheckResult): Evidence {
  const evidence: Evidence = {};
  for (const [key, value] of Object.entries(result.evidence)) {
    if (value === null) continue;
    evidence[key] = typeof value === 'object' ? value.join(', ') : value;
  }
  return evidence;
}

function verdict(results: readonly CheckResult[], region: string | undefined): PhaseResult {
  const where = region ? ` in ${region}` : '';
  const blocking = results.filter((result) => result.outcome === 'blocking');
  const warnings = results.filter((result) => result.outcome === 'warning');
  const slowest = Math.max(0, ...results.map((result) => result.durationMs));
  if (blocking.length > 0) {
    const first = blocking[0]!;
    return {
      outcome: 'failed',
      rollbackRequired: true,
      summary: `${blocking.length} of ${results.length} smoke check(s) failed${where}: ${blocking
        .map((result) => `${result.id}: ${result.summary}`)
        .join('; ')}`,
      outputs: {
        failedCheck: first.id,
        ...(typeof first.evidence.status === 'number' ? { failedStatus: first.evidence.status } : {}),
      },
    };
  }
  const notes =
    warnings.length > 0 ? `; not required and not passed: ${warnings.map((r) => r.id).join(', ')}` : '';
  return {
    outcome: 'passed',
    summary: `${results.length - warnings.length} of ${results.length} smoke check(s) passed${where} (slowest ${slowest} ms)${notes}`,
  };
}
