import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  run
} from "../shared/chunk-GWINYKLO.js";
import "../shared/chunk-GK5CPNCB.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/shipgate.ts
await run("input");
