import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  post
} from "../shared/chunk-4GZLQ6VQ.js";
import "../shared/chunk-764UPCH7.js";
import "../shared/chunk-7Y44UYOT.js";

// src/actions/entries/shipgate-post.ts
await post("input");
