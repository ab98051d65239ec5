import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  run
} from "../shared/chunk-GUXVLODR.js";
import "../shared/chunk-B37NBI35.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/deploy.ts
await run("deploy");
