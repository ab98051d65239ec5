/**
 * Reading people's ticks out of a checklist body. Every item line ends with a marker naming the
 * item, so a tick is found by id no matter how the text around it was edited.
 *
 *   - [x] Release notes prepared (@po) <!-- sg:item:release-notes -->
 */

const ITEM_LINE = /^\s*[-*] \[([ xX])\] .*<!-- sg:item:([a-z0-9][a-z0-9:-]*(?:@[A-Za-z0-9._-]+)?) -->\s*$/gm;

export function itemMarker(id: string): string {
  return `<!-- sg:item:${id} -->`;
}

/** The tick state of every item line in a body, by item id. */
export function readTicks(body: string): Map<string, boolean> {
  const ticks = new Map<string, boolean>();
  for (const match of body.matchAll(ITEM_LINE)) ticks.set(match[2]!, match[1] !== ' ');
  return ticks;
}

export interface TickChange {
  id: string;
  ticked: boolean;
}

/** What an edit changed: the ids whose box went from one state to the other. */
export function diffTicks(before: string, after: string): TickChange[] {
  const old = readTicks(before);
  const changes: TickChange[] = [];
  for (const [id, ticked] of readTicks(after)) {
    if (old.has(id) && old.get(id) !== ticked) changes.push({ id, ticked });
  }
  return changes;
}
