import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  run
} from "../shared/chunk-4GZLQ6VQ.js";
import "../shared/chunk-764UPCH7.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/smoke.ts
await run("smoke");
