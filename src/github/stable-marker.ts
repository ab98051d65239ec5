import type { Clock } from '../engine/clock.ts';
import type { RefDocuments } from './ref-document.ts';

/**
 * Which version of an environment is known good: `refs/shipgate/stable/<environment>`. A release
 * that survives its whole watch moves the marker to itself; a verified rollback moves it to the
 * version it returned to. Each move is a child commit of the last, so the chain is the history of
 * stable versions, and a version someone rolled back from is marked as such in it.
 */

export interface StableEntry {
  environment: string;
  version: string;
  sha: string;
  releaseKey: string;
  at: string;
  /** Versions that were rolled back from since this one was marked stable. */
  rolledBackFrom: string[];
}

export class StableMarker {
  private readonly documents: RefDocuments;
  private readonly clock: Clock;

  constructor(documents: RefDocuments, clock: Clock) {
    this.documents = documents;
    this.clock = clock;
  }

  static refName(environment: string): string {
    return `shipgate/stable/${environment}`;
  }

  async current(environment: string): Promise<StableEntry | undefined> {
    return (await this.documents.read<StableEntry>(StableMarker.refName(environment)))?.data;
  }

  /** Moves the marker with compare-and-swap; a version rolled back from can never become stable again by accident. */
  async mark(
    entry: Omit<StableEntry, 'at' | 'rolledBackFrom'>,
    rolledBackFrom?: string,
  ): Promise<StableEntry> {
    const name = StableMarker.refName(entry.environment);
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.documents.read<StableEntry>(name);
      const history = new Set(current?.data.rolledBackFrom ?? []);
      if (rolledBackFrom) history.add(rolledBackFrom);
      const next: StableEntry = {
        ...entry,
        at: this.clock.now().toISOString(),
        rolledBackFrom: [...history].sort(),
      };
      const title = `shipgate stable ${entry.environment} ${entry.version}`;
      const written = current
        ? await this.documents.replace(name, title, next, current.sha)
        : await this.documents.create(name, title, next);
      if (written) return next;
    }
    throw new Error(`could not move the stable marker of ${entry.environment}: too many concurrent writers`);
  }

  /**
   * The version a rollback returns to: the newest stable entry that is neither the failing version
   * nor one that was itself rolled back from.
   */
  async rollbackTarget(environment: string, failing: string): Promise<StableEntry | undefined> {
    const chain = await this.documents.history<StableEntry>(StableMarker.refName(environment), 50);
    const rolledBack = new Set(chain[0]?.data.rolledBackFrom ?? []);
    rolledBack.add(failing);
    return chain.map((v) => v.data).find((entry) => !rolledBack.has(entry.version));
  }
}
