import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  run
} from "../shared/chunk-GSWF6ADQ.js";
import "../shared/chunk-YA62MYRN.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/shipgate.ts
await run("input");
