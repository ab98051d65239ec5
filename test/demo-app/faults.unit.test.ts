import { describe, expect, it } from 'vitest';
import { FaultSpecError, FaultSwitch, faultFromJson } from '../../examples/demo-app/faults.ts';
import { CursorError, Paginator } from '../../examples/demo-app/pagination.ts';

describe('FaultSwitch', () => {
  it('fails exactly the configured fraction of matching requests, spread evenly', () => {
    const faults = new FaultSwitch();
    faults.add({ errorRate: 0.08 }, 0);
    const failed = Array.from({ length: 1000 }, () => faults.effectFor('/health', '1.0.0', 10).failWith);
    expect(failed.filter((s) => s === 500)).toHaveLength(80);
    // Never two failures in a row at 8%: the accumulator spreads them.
    expect(failed.some((s, i) => s !== undefined && failed[i + 1] !== undefined)).toBe(false);
  });

  it('is active only from its start for its duration', () => {
    const faults = new FaultSwitch();
    faults.add({ errorRate: 1, status: 503, startAt: 1000, durationMs: 500 }, 0);
    expect(faults.effectFor('/health', '1.0.0', 999).failWith).toBeUndefined();
    expect(faults.effectFor('/health', '1.0.0', 1000).failWith).toBe(503);
    expect(faults.effectFor('/health', '1.0.0', 1499).failWith).toBe(503);
    expect(faults.effectFor('/health', '1.0.0', 1500).failWith).toBeUndefined();
  });

  it('binds faults to a version and to routes', () => {
    const faults = new FaultSwitch();
    faults.add({ errorRate: 1, version: '2.0.0', routes: ['/health'] }, 0);
    expect(faults.effectFor('/health', '1.0.0', 1).failWith).toBeUndefined();
    expect(faults.effectFor('/api/items', '2.0.0', 1).failWith).toBeUndefined();
    expect(faults.effectFor('/health', '2.0.0', 1).failWith).toBe(500);
  });

  it('adds the latency of every active fault', () => {
    const faults = new FaultSwitch();
    faults.add({ latencyMs: 100 }, 0);
    faults.add({ latencyMs: 50, routes: ['/health'] }, 0);
    expect(faults.effectFor('/health', '1.0.0', 1).latencyMs).toBe(150);
    expect(faults.effectFor('/api/items', '1.0.0', 1).latencyMs).toBe(100);
  });

  it('reads afterMs and at relative to now and rejects nonsense with a reason', () => {
    expect(faultFromJson({ errorRate: 0.3, afterMs: 5000, durationMs: 20_000 }, 1000)).toEqual({
      errorRate: 0.3,
      startAt: 6000,
      durationMs: 20_000,
    });
    expect(faultFromJson({ latencyMs: 10, at: '1970-01-01T00:00:02Z' }, 0).startAt).toBe(2000);
    expect(() => faultFromJson({ errorRate: 2 }, 0)).toThrow(/between 0 and 1/);
    expect(() => faultFromJson({ version: '2.0.0' }, 0)).toThrow(/errorRate and\/or latencyMs/);
    expect(() => faultFromJson({ errorRte: 0.1 }, 0)).toThrow(FaultSpecError);
  });
});

describe('Paginator', () => {
  const paginator = new Paginator('secret');
  const all = Array.from({ length: 25 }, (_, i) => i);

  it('walks a collection page by page with opaque cursors', () => {
    const first = paginator.page(all, 10, undefined);
    expect(first.items).toEqual(all.slice(0, 10));
    const second = paginator.page(all, 10, first.nextCursor ?? undefined);
    expect(second.items).toEqual(all.slice(10, 20));
    const third = paginator.page(all, 10, second.nextCursor ?? undefined);
    expect(third.items).toEqual(all.slice(20));
    expect(third.nextCursor).toBeNull();
  });

  it('rejects garbage and tampered cursors', () => {
    expect(() => paginator.decode('invalid')).toThrow(CursorError);
    const forged = `${Buffer.from(JSON.stringify({ o: 20 })).toString('base64url')}.${paginator.encode(0).split('.')[1]}`;
    expect(() => paginator.decode(forged)).toThrow(/signature/);
  });
});
