import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  getPhaseInput
} from "../shared/chunk-CFJBM5FD.js";
import "../shared/chunk-VO6Z6BRP.js";
import {
  post
} from "../shared/chunk-MDLEKQU2.js";
import "../shared/chunk-Z7W4RE4J.js";

// src/actions/entries/shipgate-post.ts
await post(getPhaseInput());
