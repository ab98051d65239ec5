import type { Checklist, ChecklistItem } from './checklist.ts';

/**
 * The checklist as GitHub Markdown: a heading per phase, a task list per section, owners as
 * mentions, optional items marked, timeouts and thresholds written the way people say them.
 * `shipgate plan` prints it; the tracking issue is built from the same checklist.
 */
export function renderPlan(checklist: Checklist): string {
  const lines: string[] = [];
  lines.push(`# Release plan: ${escapeMarkdown(checklist.release)} → ${checklist.environment}`, '');
  const where = checklist.url ? ` at ${checklist.url}` : '';
  const production = checklist.production ? ', a production environment,' : '';
  const count = (contingent: boolean) =>
    checklist.phases
      .filter((phase) => phase.contingent === contingent)
      .flatMap((phase) => phase.sections.flatMap((section) => section.items));
  const release = count(false);
  const required = release.filter((item) => item.required).length;
  const rollback = count(true).length;
  lines.push(
    `Environment **${checklist.environment}**${production}${where}: ${release.length} items, ${required} of them required before the release is done${rollback > 0 ? `; ${rollback} more if a rollback is triggered` : ''}.`,
    '',
  );

  checklist.phases.forEach((phase, index) => {
    lines.push(`## ${index + 1}. ${phase.title}`, '');
    if (phase.summary) lines.push(`_${escapeMarkdown(phase.summary)}_`, '');
    for (const note of phase.notes) lines.push(`- ${escapeMarkdown(note)}`);
    if (phase.notes.length > 0) lines.push('');
    for (const section of phase.sections) {
      lines.push(`### ${escapeMarkdown(section.title)}`, '');
      for (const item of section.items) lines.push(renderItem(checklist, item));
      lines.push('');
    }
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderItem(checklist: Checklist, item: ChecklistItem): string {
  const parts: string[] = [];
  parts.push(`- [ ] ${escapeMarkdown(item.text)}`);
  const facts: string[] = [`\`${item.id}\``];
  if (item.kind === 'manual') facts.push('manual');
  if (item.kind === 'gate') facts.push('waits for approval');
  if (!item.required) facts.push('optional');
  if (item.owner) facts.push(owner(checklist, item.owner, item.kind === 'signoff'));
  if (item.condition) facts.push(escapeMarkdown(item.condition));
  if (item.detail) facts.push(escapeMarkdown(item.detail));
  return `${parts.join('')} — ${facts.join(' · ')}`;
}

function owner(checklist: Checklist, id: string, signoff: boolean): string {
  if (id.startsWith('@')) return `owner ${id}`;
  const role = checklist.roles[id];
  if (!role) return `owner ${id}`;
  const who = role.mentions.length > 0 ? ` (${role.mentions.join(', ')})` : '';
  return signoff ? `by ${role.mentions.join(', ') || role.title}` : `owner ${role.title}${who}`;
}

/** Keeps text from turning into HTML tags or headings on GitHub. */
function escapeMarkdown(text: string): string {
  return text.replace(/<(?=[A-Za-z/!])/g, '&lt;');
}
