import { describe, expect, it } from 'vitest';
import { parseCommentCommand } from '../../src/engine/comment-command.ts';

describe('comment commands', () => {
  it('finds a sign-off on any line of a comment, with its note', () => {
    expect(parseCommentCommand('Looks good to me.\n/shipgate sign-off QA tested on staging')).toEqual({
      verb: 'sign-off',
      role: 'qa',
      note: 'tested on staging',
    });
  });
  it('reads deny, promote and rollback, and ignores comments without a command', () => {
    expect(parseCommentCommand('/shipgate deny security token leak in logs')).toMatchObject({
      verb: 'deny',
      role: 'security',
    });
    expect(parseCommentCommand('/shipgate promote')).toEqual({ verb: 'promote', note: '' });
    expect(parseCommentCommand('we should /shipgate later')).toBeUndefined();
  });
  it('says what is missing when a sign-off names no role', () => {
    expect(parseCommentCommand('/shipgate sign-off')).toEqual({
      verb: 'invalid',
      message: '`/shipgate sign-off` needs a role, e.g. `/shipgate sign-off qa`',
    });
  });
});
