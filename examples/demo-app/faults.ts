/**
 * The demo app's fault switch: a list of faults, each active over a time span and optionally only
 * while a given version runs, that turn a fraction of matching requests into errors and/or add
 * latency. Selection is deterministic (an accumulator, not a random draw), so "8% errors" means
 * exactly 8 of every 100 matching requests, spread evenly.
 */

export interface FaultSpec {
  /** Fraction of matching requests answered with `status` (0..1). */
  errorRate?: number;
  /** HTTP status of an injected error; 500 unless set. */
  status?: number;
  /** Added to every matching request, in milliseconds. */
  latencyMs?: number;
  /** Epoch milliseconds the fault starts; now when absent. */
  startAt?: number;
  /** How long the fault lasts, in milliseconds; until cleared when absent. */
  durationMs?: number;
  /** Only while this version runs (e.g. "2.0.0 answers /health 500"). */
  version?: string;
  /** Routes it applies to (e.g. `/health`, `/api/items`); every application route when absent. */
  routes?: string[];
}

export interface Fault extends FaultSpec {
  id: number;
  startAt: number;
}

/** What the faults active for one request ask of it. */
export interface FaultEffect {
  /** Status to answer with instead of the real response, if this request is one of the failures. */
  failWith?: number;
  latencyMs: number;
}

export class FaultSwitch {
  private faults: Fault[] = [];
  private readonly accumulators = new Map<number, number>();
  private nextId = 1;

  add(spec: FaultSpec, now: number): Fault {
    validateFault(spec);
    const fault: Fault = { ...spec, id: this.nextId++, startAt: spec.startAt ?? now };
    this.faults.push(fault);
    this.accumulators.set(fault.id, 0);
    return fault;
  }

  clear(): void {
    this.faults = [];
    this.accumulators.clear();
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /** Faults active at `now` for `version` on `route`, without consuming an error slot. */
  active(route: string, version: string, now: number): Fault[] {
    return this.faults.filter((fault) => isActive(fault, route, version, now));
  }

  /** Decides what happens to one request, advancing the error accumulators of active faults. */
  effectFor(route: string, version: string, now: number): FaultEffect {
    const effect: FaultEffect = { latencyMs: 0 };
    for (const fault of this.active(route, version, now)) {
      effect.latencyMs += fault.latencyMs ?? 0;
      const rate = fault.errorRate ?? 0;
      if (rate <= 0) continue;
      const acc = (this.accumulators.get(fault.id) ?? 0) + rate;
      if (acc >= 1 - 1e-9) {
        this.accumulators.set(fault.id, acc - 1);
        effect.failWith ??= fault.status ?? 500;
      } else {
        this.accumulators.set(fault.id, acc);
      }
    }
    return effect;
  }
}

function isActive(fault: Fault, route: string, version: string, now: number): boolean {
  if (now < fault.startAt) return false;
  if (fault.durationMs !== undefined && now >= fault.startAt + fault.durationMs) return false;
  if (fault.version !== undefined && fault.version !== version) return false;
  if (fault.routes !== undefined && !fault.routes.includes(route)) return false;
  return true;
}

export function validateFault(spec: FaultSpec): void {
  const problems: string[] = [];
  if (spec.errorRate !== undefined && !(spec.errorRate >= 0 && spec.errorRate <= 1)) {
    problems.push(`errorRate must be a fraction between 0 and 1, got ${spec.errorRate}`);
  }
  if (
    spec.status !== undefined &&
    !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status < 600)
  ) {
    problems.push(`status must be an HTTP error status (400-599), got ${spec.status}`);
  }
  if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0)) {
    problems.push(`latencyMs must be >= 0, got ${spec.latencyMs}`);
  }
  if (spec.durationMs !== undefined && !(spec.durationMs > 0)) {
    problems.push(`durationMs must be > 0, got ${spec.durationMs}`);
  }
  if (spec.startAt !== undefined && !Number.isFinite(spec.startAt)) {
    problems.push(`startAt must be epoch milliseconds, got ${spec.startAt}`);
  }
  if (spec.errorRate === undefined && spec.latencyMs === undefined) {
    problems.push('a fault needs errorRate and/or latencyMs');
  }
  if (problems.length > 0) throw new FaultSpecError(problems.join('; '));
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/**
 * Reads a fault from JSON as the control endpoint and the CLI accept it: `afterMs` (relative to
 * `now`) or `at` (ISO time or epoch ms) set the start; everything else is a FaultSpec field.
 */
export function faultFromJson(input: unknown, now: number): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FaultSpecError('a fault is a JSON object');
  }
  const raw = input as Record<string, unknown>;
  const known = new Set([
    'errorRate',
    'status',
    'latencyMs',
    'startAt',
    'afterMs',
    'at',
    'durationMs',
    'version',
    'routes',
  ]);
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new FaultSpecError(`unknown fault field(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  }
  const spec: FaultSpec = {};
  if (raw.errorRate !== undefined) spec.errorRate = number(raw.errorRate, 'errorRate');
  if (raw.status !== undefined) spec.status = number(raw.status, 'status');
  if (raw.latencyMs !== undefined) spec.latencyMs = number(raw.latencyMs, 'latencyMs');
  if (raw.durationMs !== undefined) spec.durationMs = number(raw.durationMs, 'durationMs');
  if (raw.version !== undefined) spec.version = String(raw.version);
  if (raw.routes !== undefined) {
    if (!Array.isArray(raw.routes)) throw new FaultSpecError('routes must be an array of paths');
    spec.routes = raw.routes.map(String);
  }
  if (raw.startAt !== undefined) spec.startAt = number(raw.startAt, 'startAt');
  if (raw.afterMs !== undefined) spec.startAt = now + number(raw.afterMs, 'afterMs');
  if (raw.at !== undefined) {
    const at = typeof raw.at === 'number' ? raw.at : Date.parse(String(raw.at));
    if (!Number.isFinite(at))
      throw new FaultSpecError(`at must be an ISO time or epoch ms, got ${String(raw.at)}`);
    spec.startAt = at;
  }
  validateFault(spec);
  return spec;
}

function number(value: unknown, name: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new FaultSpecError(`${name} must be a number, got ${JSON.stringify(value)}`);
  return n;
}
