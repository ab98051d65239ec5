import type { Check } from '../config/schema.ts';
import type { CheckContext, CheckVerdict } from './context.ts';

type WindowCheck = Extract<Check, { kind: 'window' }>;
type Weekday = NonNullable<WindowCheck['allow'][number]['days']>[number];

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * `window`: now (the injected clock, UTC) is inside one of the allowed windows and not on a
 * freeze date. A window `from`..`to` includes `from` and excludes `to`; when `to` is earlier
 * than `from` it runs past midnight and belongs to the day it starts on (fri 22:00-02:00 allows
 * Saturday 01:00). `from` equal to `to` is the whole day. Freeze ranges include both dates.
 */
export async function windowCheck(check: WindowCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const now = ctx.clock.now();
  const date = now.toISOString().slice(0, 10);
  const clock = now.toISOString().slice(11, 16);
  const day = WEEKDAYS[now.getUTCDay()]!;
  const evidence = { now: now.toISOString(), weekday: day };
  for (const freeze of check.freeze) {
    const to = freeze.to ?? freeze.from;
    if (date >= freeze.from && date <= to) {
      const range = to === freeze.from ? freeze.from : `${freeze.from} to ${to}`;
      return {
        status: 'failed',
        summary: `release freeze ${range}${freeze.reason ? `: ${freeze.reason}` : ''}`,
        evidence: { ...evidence, freeze: range },
      };
    }
  }
  if (check.allow.length === 0)
    return { status: 'passed', summary: 'no release windows set; no freeze today', evidence };
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  const yesterday = WEEKDAYS[(now.getUTCDay() + 6) % 7]!;
  for (const window of check.allow) {
    const from = toMinutes(window.from);
    const to = toMinutes(window.to);
    const on = (weekday: Weekday) => !window.days || window.days.includes(weekday);
    const inside =
      from < to
        ? on(day) && minutes >= from && minutes < to
        : from === to
          ? on(day)
          : (on(day) && minutes >= from) || (on(yesterday) && minutes < to);
    if (inside) {
      return {
        status: 'passed',
        summary: `inside the release window ${describe(window)}`,
        evidence: { ...evidence, window: describe(window) },
      };
    }
  }
  return {
    status: 'failed',
    summary: `outside the release windows (${check.allow.map(describe).join('; ')}); now ${day} ${clock} UTC`,
    evidence,
  };
}

function toMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function describe(window: WindowCheck['allow'][number]): string {
  return `${window.days ? `${window.days.join(',')} ` : ''}${window.from}-${window.to} UTC`;
}
