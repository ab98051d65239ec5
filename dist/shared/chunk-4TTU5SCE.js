import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  ConfigurationError,
  PHASES,
  parseDuration
} from "./chunk-V25WTDHI.js";

// src/actions/inputs.ts
var SEVERITIES = ["P0", "P1", "P2", "P3", "P4"];
function getPhaseInput(env = process.env) {
  const reader = new InputReader(env);
  const phase = reader.oneOf("phase", [...PHASES, "all"]);
  if (phase === void 0 && !reader.problems.length) {
    reader.problems.push(problem("phase", `is required (expected one of ${[...PHASES, "all"].join(", ")})`));
  }
  reader.throwIfInvalid();
  return phase;
}
function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
var WORKFLOW_FILE = /^[A-Za-z0-9._-]+\.ya?ml$/;
var TRUE_VALUES = ["true", "True", "TRUE"];
var FALSE_VALUES = ["false", "False", "FALSE"];
function problem(name, message) {
  return { path: `with.${name}`, message: `input '${name}' ${message}` };
}
var InputReader = class {
  problems = [];
  env;
  constructor(env) {
    this.env = env;
  }
  /** The trimmed value, or undefined when empty or not set. */
  optional(name) {
    const value = (this.env[inputEnvName(name)] ?? "").trim();
    return value === "" ? void 0 : value;
  }
  required(name, expected) {
    const value = this.optional(name);
    if (value === void 0) {
      this.problems.push(problem(name, `is required (expected ${expected})`));
      return "";
    }
    return value;
  }
  /** Three states, like release-please-action's getOptionalBooleanInput: true, false or not given. */
  optionalBoolean(name) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    if (TRUE_VALUES.includes(value)) return true;
    if (FALSE_VALUES.includes(value)) return false;
    this.problems.push(problem(name, `is '${value}' (expected true or false)`));
    return void 0;
  }
  oneOf(name, allowed) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    const match = allowed.find((option) => option === value);
    if (match === void 0) {
      this.problems.push(problem(name, `is '${value}' (expected one of ${allowed.join(", ")})`));
    }
    return match;
  }
  severity(name) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    const match = SEVERITIES.find((severity) => severity === value.toUpperCase());
    if (match === void 0) {
      this.problems.push(
        problem(
          name,
          `is '${value}' (expected a severity from P0, the most severe, to P4: ${SEVERITIES.join(", ")})`
        )
      );
    }
    return match;
  }
  pattern(name, pattern, expected) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    if (!pattern.test(value)) {
      this.problems.push(problem(name, `is '${value}' (expected ${expected})`));
      return void 0;
    }
    return value;
  }
  issueNumber(name) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    const match = /^#?([1-9]\d{0,9})$/.exec(value);
    if (!match) {
      this.problems.push(problem(name, `is '${value}' (expected an issue number such as 42)`));
      return void 0;
    }
    return Number(match[1]);
  }
  workflowFile(name) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    const file = value.replace(/^\.github\/workflows\//, "");
    if (!WORKFLOW_FILE.test(file)) {
      this.problems.push(
        problem(name, `is '${value}' (expected a workflow file in .github/workflows, e.g. release.yml)`)
      );
      return void 0;
    }
    return file;
  }
  /** A duration such as 20m, in milliseconds. */
  duration(name) {
    const value = this.optional(name);
    if (value === void 0) return void 0;
    const parsed = parseDuration(value);
    if (!parsed.ok) {
      this.problems.push(problem(name, `is '${value}' (expected a duration such as 90s, 20m or 1h)`));
      return void 0;
    }
    if (parsed.value <= 0) {
      this.problems.push(problem(name, `is '${value}' (expected a duration longer than zero)`));
      return void 0;
    }
    return parsed.value;
  }
  throwIfInvalid() {
    if (this.problems.length === 0) return;
    const noun = this.problems.length === 1 ? "input is" : "inputs are";
    throw new ConfigurationError(
      `${this.problems.length} action ${noun} invalid: ${this.problems.map((p) => p.message).join("; ")}`,
      this.problems
    );
  }
};

export {
  getPhaseInput
};
