import { PHASES, type PhaseName } from '../config/schema.ts';
import type { ItemState, ReleaseState } from '../engine/release-state.ts';
import { cell, formatMs, formatTime, inert, statusIcon, statusLabel } from './format.ts';
import { encodeStateBlock } from './state-block.ts';
import { itemMarker, readItemLines, withBox } from './ticks.ts';

/**
 * The tracking issue body: the checklist people read and tick, the deployment log, the timeline,
 * and the hidden state block. Rendering is a pure function of the record, so the same record
 * always gives the same text and a write happens only when the text changed.
 */

export const BODY_LIMIT = 65_536;
export const ISSUE_MARKER_PREFIX = '<!-- shipgate:tracking-issue';

export function issueMarker(key: string): string {
  return `${ISSUE_MARKER_PREFIX} ${key} -->`;
}

export interface RenderOptions {
  /** Link to the workflow run that wrote this. */
  runUrl?: string;
  /** Ticks people made in the current body that the record has not imported yet. */
  pendingTicks?: ReadonlyMap<string, boolean>;
  limit?: number;
}

const PHASE_TITLES: Record<PhaseName, string> = {
  preflight: 'Preflight',
  backup: 'Backup',
  deploy: 'Deploy',
  smoke: 'Smoke tests',
  monitor: 'Monitor',
  rollback: 'Rollback',
};

export function renderTrackingIssue(state: ReleaseState, key: string, options: RenderOptions = {}): string {
  const limit = options.limit ?? BODY_LIMIT;
  const full = compose(state, key, options, { evidence: true, events: state.events.length });
  if (full.length <= limit) return full;
  // Too long for GitHub: drop long evidence first, then the oldest timeline events; the state
  // block keeps what it can and says what was left out. Never rejected, never cut mid-block.
  const lean = compose(state, key, options, { evidence: false, events: state.events.length });
  if (lean.length <= limit) return lean;
  let events = state.events.length;
  let text = lean;
  while (events > 0 && text.length > limit) {
    events = Math.floor(events / 2);
    text = compose(state, key, options, { evidence: false, events });
  }
  if (text.length <= limit) return text;
  // Still too long (thousands of items): the visible part is cut at a line and the state block
  // left out whole (the record on the ref is the authority; the block is a copy).
  const visible = compose(state, key, options, { evidence: false, events: 0, block: false });
  const notice = `\n\n> ⚠️ Truncated to fit GitHub's limit of ${limit.toLocaleString('en')} characters; the full checklist is in the release record.\n`;
  const cut = visible.lastIndexOf('\n', limit - notice.length);
  return `${visible.slice(0, Math.max(0, cut))}${notice}`;
}

interface Detail {
  evidence: boolean;
  events: number;
  /** false: leave the state block out (the last resort for a body still too long). */
  block?: boolean;
}

/**
 * The issue's copy of the state leaves out the bulky parts of the watch (the chart series, raw
 * baseline samples): the authoritative state in the release ref keeps them, and the body has a
 * size limit the checklist needs more.
 */
function slimWatch(state: ReleaseState): ReleaseState {
  const slim: ReleaseState = { ...state };
  if (state.monitor) {
    const { series: _series, baselines: _baselines, ...watch } = state.monitor.state;
    slim.monitor = {
      ...state.monitor,
      chart: '',
      state: { ...watch, series: { t: [], values: {}, bucketTicks: 1, lastBucketTicks: 0 }, baselines: {} },
    };
  }
  if (state.baseline) {
    slim.baseline = {
      ...state.baseline,
      metrics: Object.fromEntries(
        Object.entries(state.baseline.metrics).map(([k, b]) => [k, { ...b, samples: [] }]),
      ),
    };
  }
  return slim;
}

/** The copy of the record the body carries: without what the visible part had to leave out. */
function blockCopy(state: ReleaseState, detail: Detail): ReleaseState {
  const events = state.events.slice(state.events.length - detail.events);
  if (detail.evidence) return { ...state, events };
  const items = state.items.map((item) => {
    if (!item.evidence) return item;
    const { evidence: _evidence, ...rest } = item;
    return rest;
  });
  return { ...state, events, items };
}

function compose(state: ReleaseState, key: string, options: RenderOptions, detail: Detail): string {
  const { release } = state;
  const parts: string[] = [issueMarker(key)];
  parts.push(`## ${outcomeIcon(state)} Release \`${release.version}\` to **${release.environment}**`);
  const facts = [
    `**${release.name}**`,
    `commit \`${release.sha.slice(0, 7)}\``,
    `started by @${release.startedBy}`,
    release.pullRequest ? `PR #${release.pullRequest}` : undefined,
    options.runUrl ? `[workflow run](${options.runUrl})` : undefined,
  ].filter(Boolean);
  parts.push(facts.join(' · '));
  parts.push(progressTable(state));

  for (const phase of PHASES) {
    const items = state.items.filter((item) => item.phase === phase);
    if (items.length === 0) continue;
    parts.push(phaseSection(phase, items, state, options, detail));
  }

  parts.push(deploymentLog(state));
  if (state.events.length > 0) parts.push(timeline(state, detail));
  if (!detail.evidence) {
    parts.push(
      `> ℹ️ Truncated to fit GitHub's limit of ${BODY_LIMIT.toLocaleString('en')} characters: evidence details${
        detail.events < state.events.length
          ? ` and ${state.events.length - detail.events} earlier events`
          : ''
      } are kept in the release record only.`,
    );
  }
  if (detail.block !== false) parts.push(encodeStateBlock(slimWatch(blockCopy(state, detail))));
  return `${parts.join('\n\n')}\n`;
}

function outcomeIcon(state: ReleaseState): string {
  if (state.outcome === 'success') return state.stable ? '✅' : '🟢';
  if (state.outcome === 'failure') return '❌';
  if (state.outcome === 'rolled-back') return '↩️';
  if (state.outcome === 'waiting') return '⏸️';
  return '⏳';
}

function progressTable(state: ReleaseState): string {
  const rows = PHASES.filter(
    (phase) => state.phases[phase] || state.items.some((item) => item.phase === phase),
  ).map((phase) => {
    const phaseState = state.phases[phase];
    const items = state.items.filter((item) => item.phase === phase);
    const done = items.filter((item) => item.status === 'passed').length;
    const duration =
      phaseState?.startedAt && phaseState.finishedAt
        ? formatMs(Date.parse(phaseState.finishedAt) - Date.parse(phaseState.startedAt))
        : '';
    return `| ${PHASE_TITLES[phase]} | ${statusLabel(phaseState?.status ?? 'pending')} | ${done}/${items.length} | ${formatTime(phaseState?.startedAt)} | ${duration} |`;
  });
  return ['| Phase | Status | Items | Started | Took |', '|---|---|---|---|---|', ...rows].join('\n');
}

function phaseSection(
  phase: PhaseName,
  items: ItemState[],
  state: ReleaseState,
  options: RenderOptions,
  detail: Detail,
): string {
  const lines = [`### ${PHASE_TITLES[phase]}`];
  let section: string | undefined;
  for (const item of items) {
    if (item.section !== section) {
      section = item.section;
      if (section) lines.push('', `**${section}**`, '');
    }
    lines.push(itemLine(item, options));
    if (detail.evidence && item.evidence && Object.keys(item.evidence).length > 0) {
      lines.push(evidenceBlock(item));
    }
  }
  if (phase === 'monitor' && state.monitor) lines.push(...watchLines(state.monitor, detail));
  const waiting = items.filter(
    (item) => item.required && (item.kind === 'manual' || item.kind === 'signoff'),
  );
  const missing = waiting.filter((item) => item.status !== 'passed' && !options.pendingTicks?.get(item.id));
  if (state.phases[phase]?.status === 'waiting' && missing.length > 0) {
    lines.push('', `> ⏸️ **Waiting for:** ${missing.map(waitingFor).join(', ')}`);
  }
  return lines.join('\n');
}

/** Where the watch stands, what people may answer, and its chart. */
function watchLines(watch: NonNullable<ReleaseState['monitor']>, detail: Detail): string[] {
  const { state } = watch;
  const lines: string[] = [''];
  const until = formatTime(new Date(state.endsAt).toISOString());
  if (state.status === 'running') {
    lines.push(
      `> 👀 **Watching** until ${until}${watch.continues ? ` · slice ${state.slices} done; the watch continues from the record on the next scheduled run` : ''}`,
    );
  } else if (state.status === 'inconclusive' && state.decision?.action === 'ask') {
    lines.push(
      `> ❓ **The watch was inconclusive:** ${inert(state.decision.message)}`,
      '>',
      '> A person decides: comment `/shipgate promote` to accept the release as stable, or `/shipgate rollback <reason>` to roll it back.',
    );
  } else if (state.decision) {
    lines.push(
      `> ${state.status === 'stable' ? '✅' : '❌'} **Watch decision:** ${inert(state.decision.message)}`,
    );
  }
  if (detail.evidence && watch.chart) lines.push('', watch.chart);
  return lines;
}

function itemLine(item: ItemState, options: RenderOptions): string {
  const ticked =
    item.status === 'passed' || (item.kind === 'manual' && options.pendingTicks?.get(item.id) === true);
  const box = ticked ? '[x]' : '[ ]';
  const automated = item.kind === 'check' || item.kind === 'step';
  const icon = automated || item.status !== 'pending' ? `${statusIcon(item.status)} ` : '';
  const owner = item.owner && item.kind !== 'signoff' ? ` (${item.owner})` : '';
  const optional = item.required ? '' : ' _(optional)_';
  const facts: string[] = [];
  if (item.summary) facts.push(inert(item.summary));
  if (item.durationMs !== undefined && automated && !mentionsTime(item.summary))
    facts.push(formatMs(item.durationMs));
  if (item.kind === 'signoff') facts.push(...signoffFacts(item));
  else if (item.by) facts.push(`@${item.by}${item.at ? `, ${formatTime(item.at)}` : ''}`);
  const tail = facts.length > 0 ? ` — ${facts.join(' · ')}` : '';
  return `- ${box} ${icon}${item.text}${owner}${optional}${tail} ${itemMarker(item.id)}`;
}

/** How a missing people item reads in "Waiting for": a sign-off by its role's title. */
function waitingFor(item: ItemState): string {
  if (item.kind === 'signoff') return item.text.replace(/ sign-off.*$/, '');
  return item.owner ?? item.text;
}

/** Who signed, each with when: `QA Lead: @tia, 2026-11-21 14:02 UTC`; a denial says who and why. */
function signoffFacts(item: ItemState): string[] {
  const title = item.text.replace(/ sign-off.*$/, '');
  const facts: string[] = [];
  const signatures = item.signatures ?? [];
  if (signatures.length > 0) {
    const who = signatures.map((s) => `@${s.login}, ${formatTime(s.at)}`).join('; ');
    facts.push(`${title}: ${who}`);
  }
  if (item.denied) {
    const note = item.denied.note ? `: ${inert(item.denied.note)}` : '';
    facts.push(`denied by @${item.denied.login}, ${formatTime(item.denied.at)}${note}`);
  }
  return facts;
}

/**
 * Ticks people made in a body on manual items that anyone may tick: lines that are exactly
 * shipgate's rendering of the item with the box changed. Items with an owner are left to the
 * gates workflow, which knows who clicked.
 */
export function peopleTicks(state: ReleaseState, body: string): Map<string, boolean> {
  const lines = readItemLines(body);
  const ticks = new Map<string, boolean>();
  for (const item of state.items) {
    if (item.kind !== 'manual' || item.owner) continue;
    const found = lines.get(item.id);
    const rendered = itemLine(item, {});
    const ticked = item.status === 'passed';
    if (found && found.ticked !== ticked && found.line === withBox(rendered, !ticked)) {
      ticks.set(item.id, found.ticked);
    }
  }
  return ticks;
}

/** shipgate's current line for each item, to tell a click from a stale copy (`diffTicks`). */
export function renderedItemLines(state: ReleaseState): Map<string, string> {
  return new Map(state.items.map((item) => [item.id, itemLine(item, {})]));
}

function evidenceBlock(item: ItemState): string {
  const rows = Object.entries(item.evidence ?? {}).map(
    ([k, v]) => `| ${cell(k)} | ${cell(inert(String(v)))} |`,
  );
  return [
    '  <details><summary>evidence</summary>',
    '',
    '  | | |',
    '  |---|---|',
    ...rows.map((r) => `  ${r}`),
    '',
    '  </details>',
  ].join('\n');
}

function deploymentLog(state: ReleaseState): string {
  const { release } = state;
  const deploy = state.phases.deploy;
  const rollback = state.phases.rollback;
  const approvers = state.approvals
    .filter((a) => a.state === 'approved')
    .map((a) => `@${a.user}${a.comment ? ` (“${inert(a.comment)}”)` : ''}`)
    .join(', ');
  const rows: [string, string][] = [
    ['Version', `\`${release.version}\``],
    ['Previous version', release.previousVersion ? `\`${release.previousVersion}\`` : '—'],
    ['Commit', `\`${release.sha}\``],
    ['Started by', `@${release.startedBy}`],
    ['Approved by', approvers || '—'],
    ['Deploy started', formatTime(deploy?.startedAt) || '—'],
    ['Deploy finished', formatTime(deploy?.finishedAt) || '—'],
    ['Outcome', `${outcomeIcon(state)} ${state.outcome}${state.stable ? ' (stable)' : ''}`],
    [
      'Rolled back',
      rollback && rollback.status !== 'pending' && rollback.status !== 'skipped' ? 'yes' : 'no',
    ],
  ];
  return [
    '### Deployment log',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
  ].join('\n');
}

function timeline(state: ReleaseState, detail: Detail): string {
  const events = state.events.slice(state.events.length - detail.events);
  const rows = events.map((e) => `| ${formatTime(e.at)} | ${cell(e.type)} | ${cell(inert(e.message))} |`);
  return [
    `<details><summary>Timeline (${state.events.length} events)</summary>`,
    '',
    '| Time | Event | Detail |',
    '|---|---|---|',
    ...rows,
    '',
    '</details>',
  ].join('\n');
}

/** A summary such as `200 in 84ms` already says how long it took. */
function mentionsTime(summary: string | undefined): boolean {
  return summary !== undefined && /\d\s?(ms|s)\b/.test(summary);
}
