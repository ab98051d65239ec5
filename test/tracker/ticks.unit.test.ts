import { describe, expect, it } from 'vitest';
import { applyMutations, importTicks, recordApprovals, updateItem } from '../../src/engine/release-state.ts';
import { claim } from '../../src/engine/release-state.ts';
import { diffTicks, readItemLines, withBox } from '../../src/report/ticks.ts';
import { peopleTicks, renderedItemLines, renderTrackingIssue } from '../../src/report/tracking-issue.ts';
import { initialState, item } from './record-fixture.ts';

const now = new Date('2026-11-21T14:00:00Z');
const SHA = '0123456789abcdef0123456789abcdef01234567';

function click(body: string, id: string, ticked: boolean): string {
  return body
    .split('\n')
    .map((line) => (line.includes(`sg:item:${id} `) ? withBox(line, ticked) : line))
    .join('\n');
}

describe("telling a person's click from a save of a stale copy", () => {
  const fresh = initialState('v1.0.0', SHA);
  const body = renderTrackingIssue(fresh, 'k');

  it('reads a click on an unticked manual item as a tick, also from a browser that saved CRLF', () => {
    const clicked = click(body, 'release-notes', true).replaceAll('\n', '\r\n');
    expect(diffTicks(body, clicked)).toEqual([{ id: 'release-notes', ticked: true, deliberate: true }]);
    expect(peopleTicks(fresh, clicked)).toEqual(new Map([['release-notes', true]]));
  });

  it('does not read an old rendering as an untick of an item someone ticked since', () => {
    const ticked = applyMutations(
      fresh,
      [importTicks(new Map([['release-notes', true]]), 'max', now.toISOString())],
      now,
    );
    const current = renderTrackingIssue(ticked, 'k');
    // Someone saves the copy they loaded before the tick was rendered.
    expect(diffTicks(current, body, renderedItemLines(ticked))).toEqual([
      { id: 'release-notes', ticked: false, deliberate: false },
    ]);
    expect(peopleTicks(ticked, body)).toEqual(new Map());
    // A real untick of the rendered line is read as one.
    const unticked = click(current, 'release-notes', false);
    expect(diffTicks(current, unticked)).toEqual([{ id: 'release-notes', ticked: false, deliberate: true }]);
    expect(peopleTicks(ticked, unticked)).toEqual(new Map([['release-notes', false]]));
  });

  it('leaves items with an owner to the gates workflow, which knows who clicked', () => {
    const owned = initialState('v1.0.0', SHA, {}, [
      item('notes', { kind: 'manual', owner: '@po', text: 'Notes' }),
    ]);
    expect(peopleTicks(owned, click(renderTrackingIssue(owned, 'k'), 'notes', true))).toEqual(new Map());
  });

  it('keeps the line of an item exactly as rendered, box aside', () => {
    const line = readItemLines(body).get('release-notes')!.line;
    expect(withBox(withBox(line, true), false)).toBe(line);
  });
});

describe('record mutations for claims, attribution and approvals', () => {
  const state = initialState('v1.0.0', SHA, {}, [
    item('notes', { kind: 'manual', text: 'Notes' }),
    item('deploy:approval', { kind: 'gate', phase: 'deploy', text: 'Approved' }),
  ]);

  it('lets one writer claim the issue, and another take over only a stale claim', () => {
    const first = claim('issue', 'a', '2026-11-21T14:00:00Z', '2026-11-21T13:58:00Z')(state);
    expect(first.claims?.issue?.by).toBe('a');
    expect(claim('issue', 'b', '2026-11-21T14:01:00Z', '2026-11-21T13:59:00Z')(first)).toBe(first);
    expect(claim('issue', 'b', '2026-11-21T14:03:00Z', '2026-11-21T14:01:00Z')(first).claims?.issue?.by).toBe(
      'b',
    );
    expect(claim('issue', 'b', 'x', 'y')({ ...first, ids: { issue: 3 } }).claims?.issue?.by).toBe('a');
  });

  it('adds who ticked once the gates workflow says, to a tick first seen in the body', () => {
    const anonymous = importTicks(new Map([['notes', true]]), undefined, 't1')(state);
    expect(anonymous.items[0]).toMatchObject({ status: 'passed', at: 't1' });
    expect(anonymous.items[0]?.by).toBeUndefined();
    expect(importTicks(new Map([['notes', true]]), 'rae', 't2')(anonymous).items[0]).toMatchObject({
      by: 'rae',
    });
  });

  it('records each environment review once however often it is read, and the approval item follows', () => {
    const review = { user: 'ada', state: 'approved' as const, comment: 'go', environments: ['production'] };
    const once = recordApprovals([{ ...review, at: 't1' }])(state);
    const twice = recordApprovals([{ ...review, at: 't2' }])(once);
    expect(twice).toBe(once);
    expect(once.items[1]).toMatchObject({ status: 'passed', by: 'ada', at: 't1' });
    const rejected = recordApprovals([{ ...review, user: 'max', state: 'rejected', at: 't3' }])(once);
    expect(rejected.items[1]).toMatchObject({ status: 'failed', by: 'max' });
  });

  it('refuses to update an item the record does not have', () => {
    expect(() => updateItem('nope', { status: 'passed' })(state)).toThrow("no item 'nope'");
  });
});
