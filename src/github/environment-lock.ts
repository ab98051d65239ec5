import type { Clock } from '../engine/clock.ts';
import type { RefDocuments, Versioned } from './ref-document.ts';

/**
 * One deploy or rollback at a time per environment. Claiming is creating the ref
 * `refs/shipgate/locks/<environment>`: two claimants cannot both create it. The lock names its
 * holder so the checklist can say who has it; a lock older than the configured age may be broken
 * by an authorised person. A re-run of the same workflow run holds the lock it already had.
 */

export interface LockHolder {
  environment: string;
  purpose: 'deploy' | 'rollback' | 'drill';
  actor: string;
  runId: string;
  runUrl?: string;
  version: string;
  at: string;
}

export type Claim =
  | { held: true; lock: Versioned<LockHolder>; reclaimed: boolean }
  | { held: false; holder: LockHolder; ageMs: number; stale: boolean };

export class EnvironmentLocks {
  private readonly documents: RefDocuments;
  private readonly clock: Clock;
  private readonly staleAfterMs: number;

  constructor(documents: RefDocuments, clock: Clock, staleAfterMs: number) {
    this.documents = documents;
    this.clock = clock;
    this.staleAfterMs = staleAfterMs;
  }

  static refName(environment: string): string {
    return `shipgate/locks/${environment}`;
  }

  async claim(holder: Omit<LockHolder, 'at'>): Promise<Claim> {
    const name = EnvironmentLocks.refName(holder.environment);
    const mine: LockHolder = { ...holder, at: this.clock.now().toISOString() };
    const created = await this.documents.create(name, `shipgate lock ${holder.environment}`, mine);
    if (created) return { held: true, lock: created, reclaimed: false };
    const current = await this.documents.read<LockHolder>(name);
    if (!current) return this.claim(holder); // released between our attempt and our read
    if (current.data.runId === holder.runId) return { held: true, lock: current, reclaimed: true };
    const ageMs = this.clock.now().getTime() - Date.parse(current.data.at);
    return { held: false, holder: current.data, ageMs, stale: ageMs >= this.staleAfterMs };
  }

  /** Releases the lock if it is still the one we hold. */
  async release(lock: Versioned<LockHolder>): Promise<boolean> {
    return this.documents.remove(EnvironmentLocks.refName(lock.data.environment), lock.sha);
  }

  /** Breaks a stale lock (the caller has checked the breaker's authority), then claims it. */
  async breakStale(holder: Omit<LockHolder, 'at'>): Promise<Claim> {
    const name = EnvironmentLocks.refName(holder.environment);
    const current = await this.documents.read<LockHolder>(name);
    if (current) {
      const ageMs = this.clock.now().getTime() - Date.parse(current.data.at);
      if (ageMs < this.staleAfterMs) return { held: false, holder: current.data, ageMs, stale: false };
      await this.documents.remove(name, current.sha);
    }
    return this.claim(holder);
  }
}
