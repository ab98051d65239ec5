/**
 * Faults a test injects per route: the next `count` matching requests fail the way GitHub and the
 * network do. Matching is by operationId (`issues/create`) or route template, and method.
 */

export type FaultKind =
  /** Answer with `status` (e.g. 502) and GitHub's error body; nothing changes. */
  | 'status'
  /** Only wait `delayMs`, then serve normally. */
  | 'delay'
  /** Close the connection without an answer; nothing changes. */
  | 'drop'
  /** Apply the change, then close the connection without an answer. */
  | 'drop-after-write'
  /** A secondary rate limit: 403 (or `status: 429`) with `retry-after`. */
  | 'secondary-rate-limit';

export interface FaultSpec {
  kind: FaultKind;
  operationId?: string;
  /** Route template as in GitHub's description, e.g. `/repos/{owner}/{repo}/issues`. */
  route?: string;
  method?: string;
  status?: number;
  /** Added before the fault takes effect (or before serving, for `delay`). */
  delayMs?: number;
  /** Seconds, for `secondary-rate-limit` (default 1). */
  retryAfter?: number;
  message?: string;
  /** How many matching requests it affects (default 1). */
  count?: number;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining: number;
  triggered: number;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'status',
  'delay',
  'drop',
  'drop-after-write',
  'secondary-rate-limit',
];

export class FaultPlan {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new Error(`unknown fault kind '${String(spec.kind)}'; known kinds: ${FAULT_KINDS.join(', ')}`);
    }
    if (!spec.operationId && !spec.route) throw new Error('a fault needs an operationId or a route');
    const fault: Fault = { ...spec, id: this.nextId++, remaining: spec.count ?? 1, triggered: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** Takes the first fault matching this request, counting it down. */
  take(method: string, operationId: string, route: string): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.operationId || f.operationId === operationId) &&
        (!f.route || f.route === route),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.triggered += 1;
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
