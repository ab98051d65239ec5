import type { ItemStatus, PhaseStatus } from '../engine/release-state.ts';

/** Small, shared text formats for the views: one place decides how a time or a status reads. */

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return minutes < 60 ? `${minutes} min ${seconds} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const STATUS_ICON: Record<ItemStatus | PhaseStatus, string> = {
  pending: '⬜',
  running: '⏳',
  passed: '✅',
  failed: '❌',
  inconclusive: '❔',
  skipped: '⏭️',
  waiting: '⏸️',
  'rolled-back': '↩️',
};

export function statusIcon(status: ItemStatus | PhaseStatus): string {
  return STATUS_ICON[status];
}

export function statusLabel(status: ItemStatus | PhaseStatus): string {
  return `${STATUS_ICON[status]} ${status.replace('-', ' ')}`;
}

/** Table cells hold one line; pipes would end the cell. */
export function cell(text: string): string {
  return text.replaceAll('\n', ' ').replaceAll('|', '\\|');
}

/** Text from outside (commit messages, evidence excerpts) cannot open HTML or ping people. */
export function inert(text: string): string {
  return text.replaceAll('<', '&lt;').replaceAll('@', '@\u200b');
}
