import type { CheckResult, Evidence as CheckEvidence } from '../../checks/context.ts';
import { itemResult } from '../phase-runner.ts';
import type { Release } from '../release.ts';
import { type Evidence, type ItemStatus, type Mutation, updateItem } from '../release-state.ts';

/**
 * Small pieces every phase uses to tell the record how its items went. Only items the record
 * knows are touched: an update of an unknown item would be a mutation that can never apply, and
 * `release.report` keeps failed mutations to send again.
 */

export function hasItem(release: Release, id: string): boolean {
  return release.record.state.items.some((item) => item.id === id);
}

/** Marks items as running, in one write. */
export function markRunning(release: Release, ids: readonly string[]): Mutation[] {
  const at = release.ctx.clock.now().toISOString();
  return ids
    .filter((id) => hasItem(release, id))
    .map((id) => updateItem(id, { status: 'running', startedAt: at }));
}

/** One item's result, if the record has the item. */
export function result(
  release: Release,
  id: string,
  outcome: { status: ItemStatus; summary?: string; durationMs?: number; evidence?: Evidence },
): Mutation[] {
  if (!hasItem(release, id)) return [];
  const scrub = release.ctx.scrubber;
  return [
    itemResult(
      id,
      {
        ...outcome,
        ...(outcome.summary === undefined ? {} : { summary: scrub.scrub(outcome.summary) }),
        ...(outcome.evidence === undefined ? {} : { evidence: scrub.scrubValue(outcome.evidence) }),
      },
      release.ctx.clock.now(),
    ),
  ];
}

/** Items that were not run because something before them failed. */
export function notRun(release: Release, ids: readonly string[], why: string): Mutation[] {
  return ids.flatMap((id) => result(release, id, { status: 'skipped', summary: `not run: ${why}` }));
}

/** A check's result as an item update. */
export function checkResult(release: Release, check: CheckResult): Mutation[] {
  return result(release, check.id, {
    status: check.status,
    summary: check.summary,
    durationMs: check.durationMs,
    evidence: flattenEvidence(check.evidence),
  });
}

/** Check evidence (which may hold lists and nulls) in the record's flat shape. */
export function flattenEvidence(evidence: CheckEvidence): Evidence {
  const flat: Evidence = {};
  for (const [key, value] of Object.entries(evidence)) {
    if (value === null) flat[key] = 'null';
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      flat[key] = value;
    else flat[key] = value.join(', ');
  }
  return flat;
}
