import type { BackupRecord } from '../backup/record.ts';
import type { PhaseName } from '../config/schema.ts';
import type { Baseline, MonitorState } from '../metrics/types.ts';
import type { ItemKind } from '../report/checklist.ts';

export type { ItemKind };

/**
 * The record of one release: every item, every event, every approval. It is what crosses jobs,
 * workflow runs and days, so it is plain JSON with a version, and every change to it is a pure
 * function (a Mutation) that can be applied again to a newer copy when a concurrent writer won.
 */

export const STATE_VERSION = 1;

export type ItemStatus = 'pending' | 'running' | 'passed' | 'failed' | 'inconclusive' | 'skipped' | 'waiting';
export type PhaseStatus = 'pending' | 'running' | 'passed' | 'failed' | 'waiting' | 'skipped' | 'rolled-back';
export type Outcome = 'in-progress' | 'success' | 'failure' | 'rolled-back' | 'waiting';

export type Evidence = Record<string, string | number | boolean>;

export interface ItemState {
  id: string;
  phase: PhaseName;
  kind: ItemKind;
  text: string;
  section?: string;
  owner?: string;
  required: boolean;
  status: ItemStatus;
  /** One line shown after the item, e.g. `200 in 84 ms`. */
  summary?: string;
  evidence?: Evidence;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Who ticked a manual item or signed off, and when. */
  by?: string;
  at?: string;
  /** Sign-offs: every distinct person who signed, toward the role's quorum. */
  signatures?: Signature[];
  /** A sign-off someone with the role refused; the release stops. */
  denied?: Signature;
}

export interface Signature {
  login: string;
  at: string;
  note?: string;
}

export interface PhaseState {
  status: PhaseStatus;
  startedAt?: string;
  finishedAt?: string;
  runUrl?: string;
}

export interface TimelineEvent {
  /** Stable id so that re-applying a mutation never records an event twice. */
  id: string;
  at: string;
  type: string;
  message: string;
  data?: Evidence;
}

export interface Approval {
  user: string;
  state: 'approved' | 'rejected';
  comment: string;
  environments: string[];
  at: string;
}

export interface ReleaseIdentity {
  repo: string;
  name: string;
  environment: string;
  version: string;
  sha: string;
  previousVersion?: string;
  startedBy: string;
  pullRequest?: number;
}

/** The preflight's pre-deploy snapshot of the monitor sources, for baseline rules. */
export interface BaselineSnapshot {
  capturedAt: string;
  /** By `source.metric`, e.g. `probe.p95`, `prom.error_rate`. */
  metrics: Record<string, Baseline>;
  /** Metrics that could not be captured, with why. */
  problems: string[];
}

/** The post-deploy watch as saved between slices: the engine's state and what the views show. */
export interface WatchRecord {
  /** The monitor's resumable state (plain JSON, bounded: ~15 KB for a 24-hour watch). */
  state: MonitorState;
  /** Mermaid charts of the watch so far (error rate, latency), rendered when it was saved. */
  chart: string;
  /** The next slice continues the watch (a long watch runs from a schedule). */
  continues: boolean;
}

export interface ReleaseState {
  v: typeof STATE_VERSION;
  release: ReleaseIdentity;
  /** Ids of the GitHub objects this release created, so they are found in O(1), never by search. */
  ids: { issue?: number; comment?: number; deployment?: number };
  outcome: Outcome;
  stable: boolean;
  phases: Partial<Record<PhaseName, PhaseState>>;
  items: ItemState[];
  events: TimelineEvent[];
  approvals: Approval[];
  baseline?: BaselineSnapshot;
  monitor?: WatchRecord;
  /** The backup taken before this release (backup phase); a `full` rollback restores it. */
  backup?: BackupRecord;
  /** The rollback (or drill) of this release: what it chose and created, so a re-run reuses it. */
  rollback?: RollbackState;
  /** Monotonic count of applied writes; views show the newest. */
  revision: number;
  updatedAt: string;
}

export interface RollbackState {
  trigger: 'automatic' | 'manual' | 'drill';
  strategy: 'app' | 'full' | 'flag';
  fromVersion: string;
  toVersion: string;
  /** The commit the target version names. */
  toSha: string;
  by: string;
  reason: string;
  severity?: string;
  /** The latest attempt; a re-run starts a new attempt and reuses everything below. */
  startedAt: string;
  /** The first attempt: what passed since then (a database restore) is never done twice. */
  firstStartedAt: string;
  attempts: number;
  /** Reports GitHub did not take (tag, deployment, issues); a re-run catches up on them only. */
  unreported?: string[];
  finishedAt?: string;
  durationMs?: number;
  verified?: boolean;
  /** Chosen on the first attempt (it holds the time), so a re-run never makes a second tag. */
  tag?: string;
  issue?: number;
  redeployIssue?: number;
  escalationIssue?: number;
  /** The GitHub deployment of the target version. */
  deployment?: number;
}

export type Mutation = (state: ReleaseState) => ReleaseState;

export function newReleaseState(release: ReleaseIdentity, items: ItemState[], now: Date): ReleaseState {
  return {
    v: STATE_VERSION,
    release,
    ids: {},
    outcome: 'in-progress',
    stable: false,
    phases: {},
    items,
    events: [],
    approvals: [],
    revision: 0,
    updatedAt: now.toISOString(),
  };
}

/** Applies mutations in order and stamps the result. */
export function applyMutations(state: ReleaseState, mutations: readonly Mutation[], now: Date): ReleaseState {
  let next = state;
  for (const mutate of mutations) next = mutate(next);
  return { ...next, revision: state.revision + 1, updatedAt: now.toISOString() };
}

export function updateItem(id: string, patch: Partial<Omit<ItemState, 'id'>>): Mutation {
  return (state) => {
    if (!state.items.some((item) => item.id === id)) throw new Error(`no item '${id}' in the release record`);
    return { ...state, items: state.items.map((item) => (item.id === id ? { ...item, ...patch } : item)) };
  };
}

/** Adds items that are not there yet (matrix jobs add their own region's items). */
export function addItems(items: readonly ItemState[]): Mutation {
  return (state) => {
    const known = new Set(state.items.map((item) => item.id));
    const fresh = items.filter((item) => !known.has(item.id));
    return fresh.length === 0 ? state : { ...state, items: [...state.items, ...fresh] };
  };
}

export function updatePhase(phase: PhaseName, patch: Partial<PhaseState>): Mutation {
  return (state) => ({
    ...state,
    phases: { ...state.phases, [phase]: { status: 'pending', ...state.phases[phase], ...patch } },
  });
}

export function recordEvent(event: TimelineEvent): Mutation {
  return (state) => {
    if (state.events.some((known) => known.id === event.id)) return state;
    const events = [...state.events, event].sort(
      (a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id),
    );
    return { ...state, events };
  };
}

export function recordApprovals(approvals: readonly Approval[]): Mutation {
  return (state) => {
    const key = (a: Approval) => `${a.user}|${a.at}|${a.state}`;
    const known = new Set(state.approvals.map(key));
    const fresh = approvals.filter((a) => !known.has(key(a)));
    return fresh.length === 0 ? state : { ...state, approvals: [...state.approvals, ...fresh] };
  };
}

export function updateRollback(patch: Partial<RollbackState>): Mutation {
  return (state) => {
    if (!state.rollback) throw new Error('no rollback in the release record to update');
    return { ...state, rollback: { ...state.rollback, ...patch } };
  };
}

export function startRollback(rollback: RollbackState): Mutation {
  return (state) => ({ ...state, rollback });
}

export function setIds(ids: ReleaseState['ids']): Mutation {
  return (state) => ({ ...state, ids: { ...state.ids, ...ids } });
}

export function setOutcome(outcome: Outcome, stable = false): Mutation {
  return (state) => ({ ...state, outcome, stable: state.stable || stable });
}

/**
 * A person ticked or unticked a manual item in the issue. Ticks are people's: shipgate only
 * imports them, and a tick imported once is kept even if a stale write later hides it in the view.
 */
export function importTicks(
  ticks: ReadonlyMap<string, boolean>,
  by: string | undefined,
  at: string,
): Mutation {
  return (state) => {
    let changed = false;
    const items = state.items.map((item) => {
      if (item.kind !== 'manual') return item;
      const ticked = ticks.get(item.id);
      if (ticked === undefined) return item;
      const status: ItemStatus = ticked ? 'passed' : 'pending';
      if (item.status === status) return item;
      changed = true;
      return ticked
        ? { ...item, status, by: by ?? item.by, at }
        : { ...item, status, by: undefined, at: undefined };
    });
    return changed ? { ...state, items } : state;
  };
}

/** The key that names a release everywhere: in markers, in the state ref, in titles. */
export function releaseKey(release: Pick<ReleaseIdentity, 'environment' | 'version'>): string {
  return `${release.environment}/${release.version}`.replace(/[^A-Za-z0-9._/-]/g, '-');
}
