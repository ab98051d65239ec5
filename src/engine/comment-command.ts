/**
 * Comment commands people write on the tracking issue. One line, anywhere in the comment:
 *
 *   /shipgate sign-off qa [note]     complete your part of the QA sign-off
 *   /shipgate deny qa <reason>       stop the release
 *   /shipgate promote                an inconclusive watch is good enough
 *   /shipgate rollback <reason>      an inconclusive watch is not
 */

export type CommentCommand =
  | { verb: 'sign-off'; role: string; note: string }
  | { verb: 'deny'; role: string; note: string }
  | { verb: 'promote'; note: string }
  | { verb: 'rollback'; note: string };

const LINE = /^\s*\/shipgate\s+(sign-off|signoff|deny|promote|rollback)\b[ \t]*(.*)$/im;

export function parseCommentCommand(
  body: string,
): CommentCommand | { verb: 'invalid'; message: string } | undefined {
  const match = LINE.exec(body);
  if (!match) return undefined;
  const verb = match[1]!.toLowerCase();
  const rest = match[2]!.trim();
  if (verb === 'promote' || verb === 'rollback') return { verb, note: rest };
  const [role, ...note] = rest.split(/\s+/);
  if (!role)
    return { verb: 'invalid', message: `\`/shipgate ${verb}\` needs a role, e.g. \`/shipgate ${verb} qa\`` };
  return { verb: verb === 'deny' ? 'deny' : 'sign-off', role: role.toLowerCase(), note: note.join(' ') };
}
