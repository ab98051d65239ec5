/**
 * Reading people's ticks out of a checklist body. Every item line ends with a marker naming the
 * item, so a tick is found by id no matter how the text around it was edited.
 *
 *   - [x] Release notes prepared (@po) <!-- sg:item:release-notes -->
 *
 * A body someone saves may be a stale copy: they loaded the issue, shipgate rewrote it, and their
 * save puts the old text back. A box a person really changed is one whose line is otherwise exactly
 * what was there before (only the box differs); a line that differs in more than its box is an old
 * rendering, not an act, and is never read as one.
 */

const ITEM_LINE = /^\s*[-*] \[([ xX])\] .*<!-- sg:item:([a-z0-9][a-z0-9:-]*(?:@[A-Za-z0-9._-]+)?) -->\s*$/gm;
const BOX = /^(\s*[-*] )\[[ xX]\]/;

export function itemMarker(id: string): string {
  return `<!-- sg:item:${id} -->`;
}

export interface ItemLine {
  ticked: boolean;
  /** The line without trailing whitespace, as it reads in the body. */
  line: string;
}

/** Browsers save issue bodies with CRLF line ends; the checklist is compared with LF. */
function normalise(body: string): string {
  return body.replaceAll('\r\n', '\n');
}

/** Every item line of a body, by item id. */
export function readItemLines(body: string): Map<string, ItemLine> {
  const lines = new Map<string, ItemLine>();
  for (const match of normalise(body).matchAll(ITEM_LINE)) {
    lines.set(match[2]!, { ticked: match[1] !== ' ', line: match[0].trim() });
  }
  return lines;
}

/** The tick state of every item line in a body, by item id. */
export function readTicks(body: string): Map<string, boolean> {
  return new Map([...readItemLines(body)].map(([id, line]) => [id, line.ticked]));
}

/** The line with its box set to `ticked`. */
export function withBox(line: string, ticked: boolean): string {
  return line.trim().replace(BOX, `$1[${ticked ? 'x' : ' '}]`);
}

export interface TickChange {
  id: string;
  ticked: boolean;
  /**
   * true: only the box changed, so a person clicked it. false: the whole line is an older
   * rendering (a save of a stale copy), which says nothing about what anyone meant.
   */
  deliberate: boolean;
}

/**
 * What an edit changed: the ids whose box went from one state to the other. `expected` are lines
 * the item may also have been clicked on (shipgate's current rendering), besides the one before.
 */
export function diffTicks(
  before: string,
  after: string,
  expected: ReadonlyMap<string, string> = new Map(),
): TickChange[] {
  const old = readItemLines(before);
  const changes: TickChange[] = [];
  for (const [id, now] of readItemLines(after)) {
    const was = old.get(id);
    if (!was || was.ticked === now.ticked) continue;
    const clicked = [was.line, expected.get(id)].some(
      (line) => line !== undefined && withBox(line, now.ticked) === now.line,
    );
    changes.push({ id, ticked: now.ticked, deliberate: clicked });
  }
  return changes;
}
