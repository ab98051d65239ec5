import type { Role } from '../config/schema.ts';
import type { ItemState, Mutation, ReleaseState, Signature } from './release-state.ts';

/**
 * Sign-off gates: pure rules over the record. Who may sign is checked by Authority before a
 * signature reaches these functions; here are quorum, the author rule, denial and expiry.
 */

const SIGNOFF = ':signoff:';

/** The role a sign-off item stands for (`preflight:signoff:qa` → `qa`). */
export function roleOfSignoff(item: Pick<ItemState, 'id' | 'kind'>): string | undefined {
  if (item.kind !== 'signoff') return undefined;
  const at = item.id.indexOf(SIGNOFF);
  return at < 0 ? undefined : item.id.slice(at + SIGNOFF.length);
}

/**
 * The sign-off item a person's `/shipgate sign-off ROLE` completes: the role's first one not yet
 * complete, in phase order (a role may sign off in more than one phase).
 */
export function openSignoff(state: ReleaseState, role: string): ItemState | undefined {
  const items = state.items.filter((item) => roleOfSignoff(item) === role);
  return items.find((item) => item.status !== 'passed' && !item.denied) ?? items.at(-1);
}

export type GateStatus =
  | { state: 'complete'; signers: string[] }
  | { state: 'waiting'; have: number; need: number }
  | { state: 'denied'; by: string; reason: string }
  | { state: 'expired'; since: string };

export function gateStatus(item: ItemState, role: Role, openedAt: string, now: Date): GateStatus {
  if (item.denied) return { state: 'denied', by: item.denied.login, reason: item.denied.note ?? '' };
  const signers = (item.signatures ?? []).map((s) => s.login);
  if (signers.length >= role.quorum) return { state: 'complete', signers };
  if (role.expires !== undefined) {
    const deadline = Date.parse(openedAt) + role.expires;
    if (now.getTime() >= deadline) return { state: 'expired', since: new Date(deadline).toISOString() };
  }
  return { state: 'waiting', have: signers.length, need: role.quorum };
}

export type SignRefusal = { refused: true; reason: string };

/** Checks the rules that do not need GitHub: the author rule and signing twice. */
export function refuseSignature(
  item: ItemState,
  role: Role,
  login: string,
  releaseAuthor: string,
): SignRefusal | undefined {
  if (!role.authorMaySignOff && login.toLowerCase() === releaseAuthor.toLowerCase()) {
    return {
      refused: true,
      reason: `@${login} started this release and the ${role.title} sign-off must come from someone else`,
    };
  }
  if (item.denied)
    return { refused: true, reason: `the ${role.title} sign-off was denied by @${item.denied.login}` };
  return undefined;
}

/** Adds a signature (once per person) and ticks the item when the quorum is reached. */
export function sign(itemId: string, signature: Signature, quorum: number): Mutation {
  return (state) => ({
    ...state,
    items: state.items.map((item) => {
      if (item.id !== itemId) return item;
      const signatures = item.signatures ?? [];
      if (signatures.some((s) => s.login.toLowerCase() === signature.login.toLowerCase())) return item;
      const next = [...signatures, signature];
      const complete = next.length >= quorum;
      return {
        ...item,
        signatures: next,
        status: complete ? 'passed' : item.status,
        by: complete ? next.map((s) => s.login).join(', @') : item.by,
        at: complete ? signature.at : item.at,
      };
    }),
  });
}

export function deny(itemId: string, signature: Signature): Mutation {
  return (state) => ({
    ...state,
    items: state.items.map((item) =>
      item.id === itemId && !item.denied ? { ...item, denied: signature, status: 'failed' } : item,
    ),
  });
}
