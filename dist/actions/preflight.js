import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  run
} from "../shared/chunk-WK2WTHEX.js";
import "../shared/chunk-IXALZG2V.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/preflight.ts
await run("preflight");
