import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);

// src/actions/main.ts
function run(phase) {
  return Promise.reject(new Error(`the ${phase} action is not wired to the engine yet`));
}
function post(phase) {
  return Promise.reject(new Error(`the ${phase} post step is not wired to the engine yet`));
}

export {
  run,
  post
};
