import { afterEach, beforeEach } from 'vitest';

// One shared setup: every test starts from the environment the run started with, so a test that
// sets INPUT_* or GITHUB_* variables cannot leak them into the next one.
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
