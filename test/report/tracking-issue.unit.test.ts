import { describe, expect, it } from 'vitest';
import {
  addItems,
  applyMutations,
  type ItemState,
  importTicks,
  newReleaseState,
  recordEvent,
  updateItem,
  updatePhase,
} from '../../src/engine/release-state.ts';
import { renderPrComment } from '../../src/report/pr-comment.ts';
import { decodeStateBlock } from '../../src/report/state-block.ts';
import { diffTicks, readTicks } from '../../src/report/ticks.ts';
import { renderTrackingIssue } from '../../src/report/tracking-issue.ts';

const now = new Date('2026-11-21T14:00:00Z');

function item(id: string, patch: Partial<ItemState> = {}): ItemState {
  return {
    id,
    phase: 'preflight',
    kind: 'check',
    text: `Item ${id}`,
    required: true,
    status: 'pending',
    ...patch,
  };
}

function release() {
  return newReleaseState(
    {
      repo: 'acme/webshop',
      name: 'webshop',
      environment: 'production',
      version: 'v1.2.0',
      previousVersion: 'v1.1.0',
      sha: '0123456789abcdef0123456789abcdef01234567',
      startedBy: 'alice',
      pullRequest: 7,
    },
    [
      item('unit-tests', { section: 'Code quality' }),
      item('release-notes', {
        kind: 'manual',
        text: 'Release notes prepared',
        owner: '@po',
        section: 'Docs',
      }),
      item('signoff-qa', { kind: 'signoff', text: 'QA Lead', owner: 'QA Lead' }),
    ],
    now,
  );
}

describe('tracking issue body', () => {
  it('renders the same text for the same record, and carries the record in a block that decodes back', () => {
    const state = applyMutations(
      release(),
      [
        updateItem('unit-tests', { status: 'passed', summary: '104/104 passed', durationMs: 12_300 }),
        updatePhase('preflight', { status: 'running', startedAt: now.toISOString() }),
      ],
      now,
    );
    const body = renderTrackingIssue(state, 'production/v1.2.0');
    expect(renderTrackingIssue(state, 'production/v1.2.0')).toBe(body);
    expect(body).toContain('- [x] ✅ Item unit-tests — 104/104 passed · 12.3 s <!-- sg:item:unit-tests -->');
    expect(body).toContain('- [ ] Release notes prepared (@po) <!-- sg:item:release-notes -->');
    expect(body).toContain('**Code quality**');
    const decoded = decodeStateBlock(body);
    expect(decoded.found && decoded.state).toEqual(state);
  });

  it('keeps the state block intact when evidence contains text that would close an HTML comment', () => {
    const hostile = 'body --> <!-- shipgate:state v1\n{} --> @everyone';
    const state = applyMutations(
      release(),
      [updateItem('unit-tests', { status: 'failed', summary: hostile })],
      now,
    );
    const decoded = decodeStateBlock(renderTrackingIssue(state, 'k'));
    expect(decoded.found).toBe(true);
    if (decoded.found) expect(decoded.state.items[0]!.summary).toBe(hostile);
  });

  it('stays under the body limit with a notice instead of being rejected, and the block still decodes', () => {
    let state = release();
    const events = Array.from({ length: 3000 }, (_, i) =>
      recordEvent({
        id: `e${i}`,
        at: new Date(now.getTime() + i * 1000).toISOString(),
        type: 'probe',
        message: `sample ${i} `.repeat(4),
      }),
    );
    state = applyMutations(state, events, now);
    const body = renderTrackingIssue(state, 'k');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/earlier events are kept in the release record only/);
    const decoded = decodeStateBlock(body);
    expect(decoded.found).toBe(true);
    if (decoded.found) expect(decoded.state.events.at(-1)!.id).toBe('e2999');
  });

  it('reads ticks by item id, and tells which boxes an edit changed', () => {
    const before = renderTrackingIssue(release(), 'k');
    const after = before.replace('- [ ] Release notes prepared', '- [x] Release notes prepared');
    expect(readTicks(after).get('release-notes')).toBe(true);
    expect(diffTicks(before, after)).toEqual([{ id: 'release-notes', ticked: true, deliberate: true }]);
  });

  it('imports a tick only onto manual items, never onto automated items or sign-offs', () => {
    const ticks = new Map([
      ['release-notes', true],
      ['unit-tests', true],
      ['signoff-qa', true],
    ]);
    const state = applyMutations(release(), [importTicks(ticks, 'bob', now.toISOString())], now);
    expect(state.items.map((i) => [i.id, i.status])).toEqual([
      ['unit-tests', 'pending'],
      ['release-notes', 'passed'],
      ['signoff-qa', 'pending'],
    ]);
  });

  it('adds matrix items once however often the same mutation is applied', () => {
    const region = addItems([item('deploy-eu', { phase: 'deploy' })]);
    const state = applyMutations(applyMutations(release(), [region], now), [region], now);
    expect(state.items.filter((i) => i.id === 'deploy-eu')).toHaveLength(1);
  });
});

describe('PR comment', () => {
  it('names the failing item and says rolled back when the release was rolled back', () => {
    const state = applyMutations(
      release(),
      [
        updatePhase('smoke', {
          status: 'failed',
          startedAt: now.toISOString(),
          finishedAt: now.toISOString(),
        }),
        addItems([
          item('health', {
            phase: 'smoke',
            text: 'GET /health',
            status: 'failed',
            summary: '500 Internal Server Error',
          }),
        ]),
        (s) => ({ ...s, outcome: 'rolled-back' }),
      ],
      now,
    );
    const comment = renderPrComment(state, 'production/v1.2.0');
    expect(comment).toContain('rolled back');
    expect(comment).toContain('GET /health (500 Internal Server Error)');
  });
});
