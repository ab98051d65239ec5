import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  getPhaseInput
} from "../shared/chunk-4TTU5SCE.js";
import "../shared/chunk-V25WTDHI.js";
import {
  run
} from "../shared/chunk-MDLEKQU2.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/shipgate.ts
await run(getPhaseInput());
