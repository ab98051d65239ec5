import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext, FixedClock } from '../harness/check-context.ts';

// 2025-10-15 is a Wednesday (the pagination runbook's deployment day, 02:00-03:00 UTC).
const at = async (iso: string, extra: Record<string, unknown>) => {
  const [result] = await runChecks(
    [check({ kind: 'window', ...extra })],
    checkContext({ clock: new FixedClock(iso) }),
  );
  return result!;
};

const runbookWindow = { allow: [{ from: '02:00', to: '03:00' }] };

describe('window check on the injected clock', () => {
  it('passes inside the window and fails outside it, with the end excluded', async () => {
    expect(await at('2025-10-15T02:00:00Z', runbookWindow)).toMatchObject({
      status: 'passed',
      summary: 'inside the release window 02:00-03:00 UTC',
    });
    expect(await at('2025-10-15T02:59:59Z', runbookWindow)).toMatchObject({ status: 'passed' });
    expect(await at('2025-10-15T03:00:00Z', runbookWindow)).toMatchObject({
      status: 'failed',
      summary: 'outside the release windows (02:00-03:00 UTC); now wed 03:00 UTC',
    });
  });

  it('honours weekdays, and a window past midnight belongs to the day it starts', async () => {
    const weeknights = { allow: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '22:00', to: '02:00' }] };
    expect((await at('2025-10-17T23:30:00Z', weeknights)).status).toBe('passed'); // Friday night
    expect((await at('2025-10-18T01:30:00Z', weeknights)).status).toBe('passed'); // ... into Saturday
    expect((await at('2025-10-18T23:30:00Z', weeknights)).status).toBe('failed'); // Saturday night
    expect((await at('2025-10-13T01:30:00Z', weeknights)).status).toBe('failed'); // Sunday night into Monday
    expect(
      (await at('2025-10-18T12:00:00Z', { allow: [{ days: ['sat'], from: '00:00', to: '00:00' }] })).status,
    ).toBe('passed');
  });

  it('fails on a freeze date, inclusive at both ends, even inside a window', async () => {
    const frozen = {
      ...runbookWindow,
      freeze: [{ from: '2025-12-20', to: '2026-01-02', reason: 'holidays' }, { from: '2025-11-27' }],
    };
    expect(await at('2025-12-20T02:30:00Z', frozen)).toMatchObject({
      status: 'failed',
      summary: 'release freeze 2025-12-20 to 2026-01-02: holidays',
    });
    expect((await at('2026-01-02T02:30:00Z', frozen)).status).toBe('failed');
    expect(await at('2025-11-27T02:30:00Z', frozen)).toMatchObject({ summary: 'release freeze 2025-11-27' });
    expect((await at('2026-01-03T02:30:00Z', frozen)).status).toBe('passed');
    expect((await at('2026-01-03T12:00:00Z', { freeze: frozen.freeze })).status).toBe('passed');
  });
});
