import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  post
} from "../shared/chunk-GSWF6ADQ.js";
import "../shared/chunk-YA62MYRN.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/deploy-post.ts
await post("deploy");
