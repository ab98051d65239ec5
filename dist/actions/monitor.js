import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  run
} from "../shared/chunk-X6T2MIEW.js";
import "../shared/chunk-S2O7K7RB.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/monitor.ts
await run("monitor");
