import type { ReleaseState } from '../engine/release-state.ts';
import { cell, formatMs, formatTime, inert } from './format.ts';
import { itemMarker } from './ticks.ts';

/**
 * The incident issue a rollback opens, once: the runbooks' incident and post-mortem template with
 * everything shipgate knows already filled in, and the parts only people can write left as a
 * checklist for them.
 */

export interface RollbackReport {
  trigger: 'automatic' | 'manual' | 'drill';
  severity?: string;
  reason: string;
  triggeredBy: string;
  fromVersion: string;
  toVersion: string;
  strategy: 'app' | 'full' | 'flag';
  startedAt: string;
  finishedAt?: string;
  verified?: boolean;
  tag?: string;
  trackingIssue?: number;
  redeployIssue?: number;
  runUrl?: string;
  /** A Mermaid chart of the watched metrics around the breach, when the monitor had one. */
  chart?: string;
  /** Items for people, e.g. from rollback.manual in the config. */
  actionItems: { id: string; text: string }[];
}

export function rollbackMarker(key: string): string {
  return `<!-- shipgate:rollback-issue ${key} -->`;
}

export function renderRollbackIssue(state: ReleaseState, key: string, report: RollbackReport): string {
  const { release } = state;
  const took = report.finishedAt
    ? formatMs(Date.parse(report.finishedAt) - Date.parse(report.startedAt))
    : 'in progress';
  const verdict =
    report.verified === undefined
      ? '⏳ verifying'
      : report.verified
        ? '✅ verified'
        : '❌ verification failed';
  const lines: string[] = [
    rollbackMarker(key),
    `## ${report.trigger === 'drill' ? '🧪 Rollback drill' : '↩️ Rollback'}: \`${report.fromVersion}\` → \`${report.toVersion}\` in **${release.environment}**`,
    '',
    '| | |',
    '|---|---|',
    `| Severity | ${report.severity ?? '—'} |`,
    `| Trigger | ${report.trigger} |`,
    `| Reason | ${cell(inert(report.reason))} |`,
    `| Triggered by | @${report.triggeredBy} |`,
    `| Strategy | ${report.strategy} |`,
    `| Started | ${formatTime(report.startedAt)} |`,
    `| Duration | ${took} |`,
    `| Result | ${verdict} |`,
    `| Rollback tag | ${report.tag ? `\`${report.tag}\`` : '—'} |`,
    `| Release | ${report.trackingIssue ? `#${report.trackingIssue}` : '—'}${report.runUrl ? ` · [run](${report.runUrl})` : ''} |`,
    `| Re-deploy | ${report.redeployIssue ? `#${report.redeployIssue}` : '—'} |`,
  ];

  const failing = state.items.filter((item) => item.status === 'failed' || item.status === 'inconclusive');
  lines.push('', '### What failed', '');
  if (failing.length === 0) lines.push('No automated item failed; see the reason above.');
  for (const item of failing) {
    lines.push(
      `- **${item.text}** (${item.phase}): ${item.status}${item.summary ? `: ${inert(item.summary)}` : ''}`,
    );
    const evidence = Object.entries(item.evidence ?? {});
    if (evidence.length > 0) {
      lines.push('  <details><summary>evidence</summary>', '', '  | | |', '  |---|---|');
      for (const [k, v] of evidence) lines.push(`  | ${cell(k)} | ${cell(inert(String(v)))} |`);
      lines.push('', '  </details>');
    }
  }

  if (report.chart) lines.push('', '### Metrics', '', report.chart);

  lines.push('', '### Timeline', '', '| Time | Event | Detail |', '|---|---|---|');
  for (const event of state.events) {
    lines.push(`| ${formatTime(event.at)} | ${cell(event.type)} | ${cell(inert(event.message))} |`);
  }

  lines.push('', '### Follow-up (for people)', '');
  for (const item of report.actionItems) lines.push(`- [ ] ${item.text} ${itemMarker(item.id)}`);
  lines.push(
    '',
    '### Post-mortem',
    '',
    '- **Root cause:** _to be written_',
    '- **What went well:** _to be written_',
    '- **What could be improved:** _to be written_',
    '- **Action items:** _to be written_',
  );
  return `${lines.join('\n')}\n`;
}
