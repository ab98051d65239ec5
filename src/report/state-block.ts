import { type ReleaseState, STATE_VERSION } from '../engine/release-state.ts';

/**
 * The machine state carried in a hidden HTML comment at the end of the tracking issue body. JSON
 * with every `>` escaped as \u003e, so no text inside it can close the comment early.
 */

const OPEN = `<!-- shipgate:state v${STATE_VERSION}`;
const CLOSE = '-->';
const BLOCK = /<!-- shipgate:state v(\d+)\n([\s\S]*?)\n-->/;

export function encodeStateBlock(state: ReleaseState): string {
  return `${OPEN}\n${JSON.stringify(state).replaceAll('>', '\\u003e')}\n${CLOSE}`;
}

export type DecodedState =
  | { found: true; state: ReleaseState }
  | { found: false; reason: 'absent' | 'unsupported-version' | 'corrupt'; detail?: string };

export function decodeStateBlock(body: string): DecodedState {
  const match = BLOCK.exec(body);
  if (!match) return { found: false, reason: 'absent' };
  if (Number(match[1]) !== STATE_VERSION) {
    return {
      found: false,
      reason: 'unsupported-version',
      detail: `state v${match[1]}, this shipgate reads v${STATE_VERSION}`,
    };
  }
  try {
    return { found: true, state: JSON.parse(match[2]!) as ReleaseState };
  } catch (error) {
    return {
      found: false,
      reason: 'corrupt',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}
