import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  post
} from "../shared/chunk-QPOEENYW.js";
import "../shared/chunk-GM5SBL5X.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/rollback-post.ts
await post("rollback");
