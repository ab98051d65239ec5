import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { World } from './world.ts';

/** Loads a persisted world, or undefined when the file does not exist yet. */
export function loadWorld(path: string): World | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as World;
  if (parsed.version !== 1 || typeof parsed.repos !== 'object') {
    throw new Error(`${path}: not a sandbox state file (expected version 1)`);
  }
  return parsed;
}

/** Writes the world atomically (temp file, then rename), so a crash never leaves half a file. */
export function saveWorld(path: string, world: World): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(world)}\n`);
  renameSync(temp, path);
}
