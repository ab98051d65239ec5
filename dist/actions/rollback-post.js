import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  post
} from "../shared/chunk-MDLEKQU2.js";
import "../shared/chunk-Z7W4RE4J.js";

// src/actions/entries/rollback-post.ts
await post("rollback");
