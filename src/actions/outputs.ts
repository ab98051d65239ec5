import * as core from '@actions/core';
import type { ActionPhase } from './main.ts';

/**
 * Names of everything that crosses a step boundary (STYLE 9): the action outputs a workflow reads
 * (`steps.<id>.outputs.<name>`), the state a main step saves for its post step, and the
 * `SHIPGATE_*` environment variables shipgate sets for the commands it runs. Nothing here runs
 * on import; the string literals live in this file only.
 */

/** How a phase ended. The step fails only on `failed`; the others let a workflow branch on them. */
export const OUTCOMES = ['passed', 'failed', 'waiting', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Output names, as declared in the action.yml files. */
export const OUTPUT = {
  issue: 'issue',
  commentId: 'comment-id',
  outcome: 'outcome',
  version: 'version',
  previousVersion: 'previous-version',
  deploymentId: 'deployment-id',
  rollbackRequired: 'rollback-required',
  rollbackTag: 'rollback-tag',
  rollbackIssue: 'rollback-issue',
} as const;
export type OutputKey = keyof typeof OUTPUT;
export type OutputName = (typeof OUTPUT)[OutputKey];

/** Typed values of the outputs; `setOutputs` turns them into the strings the runner stores. */
export interface OutputValues {
  issue: number;
  commentId: number;
  outcome: Outcome;
  version: string;
  previousVersion: string;
  deploymentId: number;
  rollbackRequired: boolean;
  rollbackTag: string;
  rollbackIssue: number;
}

const COMMON: readonly OutputKey[] = ['issue', 'commentId', 'outcome', 'version'];

/**
 * Which outputs each action declares (a test holds every action.yml to this table). Setting an
 * output an action does not declare still works on the runner but is invisible in its docs.
 */
export const PHASE_OUTPUTS: Readonly<Record<ActionPhase, readonly OutputKey[]>> = {
  preflight: [...COMMON, 'previousVersion'],
  backup: COMMON,
  deploy: [...COMMON, 'previousVersion', 'deploymentId', 'rollbackRequired'],
  smoke: [...COMMON, 'rollbackRequired'],
  monitor: [...COMMON, 'rollbackRequired'],
  rollback: [...COMMON, 'previousVersion', 'deploymentId', 'rollbackTag', 'rollbackIssue'],
  all: Object.keys(OUTPUT) as OutputKey[],
};

/** Sets the given outputs; values become strings (`true`/`false` for booleans). */
export function setOutputs(
  values: Partial<OutputValues>,
  set: (name: string, value: string) => void = core.setOutput,
): void {
  for (const key of Object.keys(OUTPUT) as OutputKey[]) {
    const value = values[key];
    if (value !== undefined) set(OUTPUT[key], String(value));
  }
}

/**
 * State saved by a main step for its post step (`core.saveState`; the runner hands it to the post
 * step as `STATE_<name>`). The deploy post step releases the environment lock and turns off
 * maintenance mode if the main step turned it on and did not turn it off; the rollback post
 * step releases the lock.
 */
export const STATE = {
  /** The git ref of the environment lock this step took, e.g. refs/shipgate/locks/production. */
  lockRef: 'shipgate_lock_ref',
  /** Who holds the lock (run id and attempt), so the post step releases only its own lock. */
  lockOwner: 'shipgate_lock_owner',
  /** `true` while maintenance mode is on because of this step. */
  maintenanceEnabled: 'shipgate_maintenance_enabled',
  /** The tracking issue, so the post step can report what it cleaned up. */
  issue: 'shipgate_issue',
} as const;
export type StateKey = keyof typeof STATE;

export interface SavedState {
  lockRef: string;
  lockOwner: string;
  maintenanceEnabled: boolean;
  issue: number;
}

/** Saves state for the post step. Call it as soon as the thing to clean up exists. */
export function saveState(
  values: Partial<SavedState>,
  save: (name: string, value: string) => void = core.saveState,
): void {
  for (const key of Object.keys(STATE) as StateKey[]) {
    const value = values[key];
    if (value !== undefined) save(STATE[key], String(value));
  }
}

/** Reads the state a main step saved, in the post step. Absent or empty values are undefined. */
export function readState(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Partial<SavedState> {
  const get = (key: StateKey) => {
    const value = env[`STATE_${STATE[key]}`];
    return value === undefined || value === '' ? undefined : value;
  };
  const state: Partial<SavedState> = {};
  const lockRef = get('lockRef');
  if (lockRef !== undefined) state.lockRef = lockRef;
  const lockOwner = get('lockOwner');
  if (lockOwner !== undefined) state.lockOwner = lockOwner;
  const maintenance = get('maintenanceEnabled');
  if (maintenance !== undefined) state.maintenanceEnabled = maintenance === 'true';
  const issue = Number(get('issue'));
  if (Number.isInteger(issue) && issue > 0) state.issue = issue;
  return state;
}
