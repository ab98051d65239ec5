import { PHASES, type PhaseName } from '../config/schema.ts';
import type { ReleaseState } from '../engine/release-state.ts';
import { formatMs, statusLabel } from './format.ts';

/** The sticky PR comment: one compact table per release, edited in place as the release moves. */

export function commentMarker(key: string): string {
  return `<!-- shipgate:pr-comment ${key} -->`;
}

const HEADLINE: Record<ReleaseState['outcome'], string> = {
  'in-progress': '⏳ in progress',
  waiting: '⏸️ waiting for people',
  success: '✅ released',
  failure: '❌ failed',
  'rolled-back': '↩️ rolled back',
};

export function renderPrComment(state: ReleaseState, key: string, issueUrl?: string): string {
  const { release } = state;
  const headline =
    state.outcome === 'success' && state.stable ? '✅ released and stable' : HEADLINE[state.outcome];
  const rows = PHASES.filter((phase: PhaseName) => state.phases[phase]).map((phase) => {
    const p = state.phases[phase]!;
    const items = state.items.filter((item) => item.phase === phase);
    const passed = items.filter((item) => item.status === 'passed').length;
    const took =
      p.startedAt && p.finishedAt ? formatMs(Date.parse(p.finishedAt) - Date.parse(p.startedAt)) : '';
    const link = p.runUrl ? `[run](${p.runUrl})` : '';
    return `| ${phase} | ${statusLabel(p.status)} | ${passed}/${items.length} | ${took} | ${link} |`;
  });
  const failing = state.items.filter((item) => item.status === 'failed' && item.required);
  const lines = [
    commentMarker(key),
    `### shipgate: \`${release.version}\` to ${release.environment}: ${headline}`,
    '',
    '| Phase | Status | Items | Took | |',
    '|---|---|---|---|---|',
    ...rows,
  ];
  if (failing.length > 0) {
    lines.push(
      '',
      `**Failing:** ${failing.map((item) => `${item.text}${item.summary ? ` (${item.summary})` : ''}`).join('; ')}`,
    );
  }
  if (issueUrl) lines.push('', `Checklist and deployment log: ${issueUrl}`);
  return `${lines.join('\n')}\n`;
}
