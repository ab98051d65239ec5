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

export type ClaimedObject = 'issue' | 'comment';

export interface Claim {
  by: string;
  at: string;
}

export interface ReleaseState {
  v: typeof STATE_VERSION;
  release: ReleaseIdentity;
  /** Ids of the GitHub objects this release created, so they are found in O(1), never by search. */
  ids: { issue?: number; comment?: number; deployment?: number };
  /**
   * Which writer is creating the tracking issue or the PR comment right now. Matrix jobs start
   * together; the one whose claim the compare-and-swap accepted creates, the others wait for the id.
   */
  claims?: Partial<Record<ClaimedObject, Claim>>;
  outcome: Outcome;
  stable: boolean;
  phases: Partial<Record<PhaseName, PhaseState>>;
  items: ItemState[];
  events: TimelineEvent[];
  approvals: Approval[];
  baseline?: BaselineSnapshot;
  monitor?: WatchRecord;
  /** The verified pre-release backup: where it is and how to restore it (the full rollback reads it). */
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

/** A checklist line as the record first holds it: not started. */
export function pendingItem(item: {
  id: string;
  phase: PhaseName;
  kind: ItemKind;
  text: string;
  required: boolean;
  section?: string | undefined;
  owner?: string | undefined;
}): ItemState {
  return {
    id: item.id,
    phase: item.phase,
    kind: item.kind,
    text: item.text,
    required: item.required,
    status: 'pending',
    ...(item.section ? { section: item.section } : {}),
    ...(item.owner ? { owner: item.owner } : {}),
  };
}

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

export const APPROVAL_ITEM = 'deploy:approval';

/**
 * Environment reviews of the deploy job. GitHub's answer carries no time, so a review is known by
 * who, what and the comment; `at` is when shipgate first saw it. The deploy approval item follows:
 * passed with the approvers once someone approved, failed when someone rejected.
 */
export function recordApprovals(approvals: readonly Approval[]): Mutation {
  return (state) => {
    const key = (a: Approval) => `${a.user}|${a.state}|${a.environments.join(',')}|${a.comment}`;
    const known = new Set(state.approvals.map(key));
    const fresh = approvals.filter((a) => !known.has(key(a)));
    if (fresh.length === 0) return state;
    const all = [...state.approvals, ...fresh];
    const rejected = all.find((a) => a.state === 'rejected');
    const approvers = all.filter((a) => a.state === 'approved');
    const decided = rejected ?? approvers.at(-1);
    const items = state.items.map((item): ItemState => {
      if (item.id !== APPROVAL_ITEM || !decided) return item;
      return {
        ...item,
        status: rejected ? 'failed' : 'passed',
        by: (rejected ? [rejected] : approvers).map((a) => a.user).join(', @'),
        at: decided.at,
      };
    });
    return { ...state, approvals: all, items };
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

/** Records the id of an object we created, unless another writer's is already recorded. */
export function setIdOnce(object: ClaimedObject, id: number): Mutation {
  return (state) => (state.ids[object] ? state : { ...state, ids: { ...state.ids, [object]: id } });
}

/**
 * Claims the creation of an object for writer `by`, unless it exists or another writer holds a
 * claim made after `staleBefore` (a claim older than that belongs to a job that died).
 */
export function claim(object: ClaimedObject, by: string, at: string, staleBefore: string): Mutation {
  return (state) => {
    const held = state.claims?.[object];
    if (state.ids[object] || (held && held.by !== by && held.at > staleBefore)) return state;
    if (held?.by === by) return state;
    return { ...state, claims: { ...state.claims, [object]: { by, at } } };
  };
}

export function recordBackup(backup: BackupRecord): Mutation {
  return (state) => ({ ...state, backup });
}

export function setOutcome(outcome: Outcome, stable = false): Mutation {
  return (state) => ({ ...state, outcome, stable: state.stable || stable });
}

/**
 * A person ticked or unticked a manual item in the issue. Ticks are people's: shipgate only
 * imports them, and a tick imported once is kept even if a stale write later hides it in the view.
 * `by` is undefined when the tick was read from the body; the gates workflow adds who it was.
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
      if (item.status === status) {
        // Seen in the body before the gates workflow said who ticked it: now we know.
        if (!ticked || item.by || !by) return item;
        changed = true;
        return { ...item, by, at };
      }
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
