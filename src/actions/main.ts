import type { PhaseName } from '../config/schema.ts';

/**
 * The one function every action entry calls. Entries hold no logic (STYLE 1): each
 * `src/actions/entries/<phase>.ts` is `await run('<phase>')`, and the post steps call `post`.
 */
export type ActionPhase = PhaseName | 'all';

export function run(phase: ActionPhase): Promise<void> {
  return Promise.reject(new Error(`the ${phase} action is not wired to the engine yet`));
}

export function post(phase: ActionPhase): Promise<void> {
  return Promise.reject(new Error(`the ${phase} post step is not wired to the engine yet`));
}
