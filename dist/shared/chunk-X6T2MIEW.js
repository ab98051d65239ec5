import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  ActionsLogger,
  ConfigurationError,
  PHASES,
  SecretScrubber,
  createOctokit,
  errorMessage,
  eventText,
  loadConfig,
  openRelease,
  parseDuration,
  renderPrComment,
  reportConfigurationError,
  runPhases,
  runnerFacts,
  setFailed,
  setOutput,
  setSecret,
  statusOf,
  summary,
  systemClock
} from "./chunk-S2O7K7RB.js";

// src/actions/main.ts
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";

// src/github/advice.ts
function adviceFor(error) {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 && /Resource not accessible by integration/i.test(message)) {
    return "The token may not do this. Give the job the permissions shipgate needs (permissions: contents: write, issues: write, pull-requests: write, deployments: write, actions: read). On a pull request from a fork the GITHUB_TOKEN is read-only whatever the workflow asks: run releases from pushes or workflow_dispatch, not from fork pull requests.";
  }
  if (status === 401) return "The token was refused (401 Bad credentials): check the github-token input.";
  if (status === 404 && /teams?\//.test(message)) {
    return "A team in the config could not be read: check its slug, and give the token organisation read access.";
  }
  if (status === 422 && /Reference/i.test(message)) {
    return "GitHub refused a git reference change: a tag or lock exists at another commit, or the ref name is invalid.";
  }
  return void 0;
}

// src/actions/inputs.ts
var DEFAULT_CONFIG_PATH = ".github/shipgate.yml";
var GITHUB_TOKEN_EXPRESSION = `\${{ github.token }}`;
var SEVERITIES = ["P0", "P1", "P2", "P3", "P4"];
var ROLLBACK_STRATEGIES = ["app", "full", "flag"];
var GATED_PHASES = ["preflight", "backup", "deploy", "smoke", "monitor", "all"];
function getInputs(phase, env = process.env) {
  const reader = new InputReader(env);
  const declares = (owner) => phase === owner || phase === "all";
  const inputs = {
    phase,
    config: reader.optional("config") ?? DEFAULT_CONFIG_PATH,
    environment: reader.required("environment", "the environment to release to, e.g. production"),
    version: reader.optional("version"),
    githubToken: reader.required("github-token", `a token; the default is ${GITHUB_TOKEN_EXPRESSION}`),
    issue: reader.issueNumber("issue"),
    region: reader.pattern("region", REGION, "a region id of letters, digits, dots, dashes or underscores"),
    workingDirectory: reader.optional("working-directory"),
    nextWorkflow: GATED_PHASES.includes(phase) ? reader.workflowFile("next-workflow") : void 0,
    rollback: declares("rollback") ? {
      targetVersion: reader.optional("target-version"),
      severity: reader.severity("severity"),
      reason: reader.optional("reason"),
      drill: reader.optionalBoolean("drill"),
      strategy: reader.oneOf("strategy", ROLLBACK_STRATEGIES)
    } : {
      targetVersion: void 0,
      severity: void 0,
      reason: void 0,
      drill: void 0,
      strategy: void 0
    },
    monitor: declares("monitor") ? { resume: reader.optionalBoolean("resume"), sliceMs: reader.duration("slice") } : { resume: void 0, sliceMs: void 0 }
  };
  reader.throwIfInvalid();
  return inputs;
}
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
var REGION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
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

// src/actions/outputs.ts
var OUTPUT = {
  issue: "issue",
  commentId: "comment-id",
  outcome: "outcome",
  version: "version",
  previousVersion: "previous-version",
  deploymentId: "deployment-id",
  rollbackRequired: "rollback-required",
  rollbackTag: "rollback-tag",
  rollbackIssue: "rollback-issue"
};
var COMMON = ["issue", "commentId", "outcome", "version"];
var PHASE_OUTPUTS = {
  preflight: [...COMMON, "previousVersion"],
  backup: COMMON,
  deploy: [...COMMON, "previousVersion", "deploymentId", "rollbackRequired"],
  smoke: [...COMMON, "rollbackRequired"],
  monitor: [...COMMON, "rollbackRequired"],
  rollback: [...COMMON, "previousVersion", "deploymentId", "rollbackTag", "rollbackIssue"],
  all: Object.keys(OUTPUT)
};
function setOutputs(values, set = setOutput) {
  for (const key of Object.keys(OUTPUT)) {
    const value = values[key];
    if (value !== void 0) set(OUTPUT[key], String(value));
  }
}

// src/actions/main.ts
async function run(phase) {
  const logger = new ActionsLogger();
  try {
    const inputs = getInputs(phase === "input" ? getPhaseInput() : phase);
    await runWith(inputs, process.env, logger);
  } catch (error) {
    fail(logger, error);
  }
}
async function post(phase) {
  const logger = new ActionsLogger();
  try {
    const name = phase === "input" ? getPhaseInput() : phase;
    logger.debug(`post step for ${name}: nothing to clean up in this build`);
  } catch (error) {
    fail(logger, error);
  }
}
async function runWith(inputs, env, logger) {
  const facts = runnerFacts(env);
  const cwd = inputs.workingDirectory ? isAbsolute(inputs.workingDirectory) ? inputs.workingDirectory : join(facts.workspace, inputs.workingDirectory) : facts.workspace;
  const { config } = await loadConfig(isAbsolute(inputs.config) ? inputs.config : join(cwd, inputs.config));
  const scrubber = SecretScrubber.fromEnv(config.secrets, env, { mask: (value) => setSecret(value) });
  const event = readEvent(facts.eventPath);
  const text = eventText(event);
  if (text.prTitle !== void 0) logger.untrusted("pull request title", text.prTitle);
  if (text.branch !== void 0) logger.untrusted("branch", text.branch);
  const ctx = {
    ...facts,
    environment: inputs.environment,
    event,
    workspace: cwd,
    env,
    clock: systemClock,
    logger,
    scrubber,
    octokit: createOctokit({
      auth: inputs.githubToken,
      env,
      log: {
        debug: (m) => logger.debug(m),
        info: (m) => logger.info(m),
        warn: (m) => logger.warning(m),
        error: (m) => logger.error(m)
      }
    }),
    ...inputs.version ? { version: inputs.version } : {},
    ...inputs.issue ? { issue: inputs.issue } : {},
    ...inputs.region ? { region: inputs.region } : {}
  };
  const release = await openRelease(ctx, config);
  const phases = inputs.phase === "all" ? [...PHASES] : [inputs.phase];
  const outcome = await runPhases(release, phases, phaseRequest(inputs, config));
  const state = release.record.state;
  const last = outcome.results.at(-1)?.result;
  setOutputs({
    outcome: outcome.outcome,
    version: state.release.version,
    rollbackRequired: outcome.results.some(({ result }) => result.rollbackRequired === true) && !outcome.rolledBack,
    ...state.ids.issue ? { issue: state.ids.issue } : {},
    ...state.ids.comment ? { commentId: state.ids.comment } : {},
    ...state.ids.deployment ? { deploymentId: state.ids.deployment } : {},
    ...state.release.previousVersion ? { previousVersion: state.release.previousVersion } : {}
  });
  if (config.reporting.summary) {
    await summary.addRaw(renderPrComment(state, release.record.key)).write();
  }
  if (outcome.outcome === "failed") setFailed(scrubber.scrub(last?.summary ?? "the release failed"));
  else
    logger.info(
      `shipgate ${inputs.phase}: ${outcome.outcome}${last ? `: ${scrubber.scrub(last.summary)}` : ""}`
    );
}
function phaseRequest(inputs, config) {
  if (inputs.phase === "monitor") {
    return {
      monitor: {
        ...inputs.monitor.resume !== void 0 ? { resume: inputs.monitor.resume } : {},
        ...inputs.monitor.sliceMs !== void 0 ? { sliceMs: inputs.monitor.sliceMs } : {}
      }
    };
  }
  if (inputs.phase !== "rollback") return {};
  const { targetVersion, severity, reason, drill, strategy } = inputs.rollback;
  const trigger = drill ? "drill" : reason || severity || targetVersion ? "manual" : "automatic";
  return {
    rollback: {
      trigger,
      ...targetVersion ? { targetVersion } : {},
      ...severity ? { severity } : {},
      ...reason ? { reason } : {},
      ...strategy ?? config.rollback?.strategy ? { strategy: strategy ?? config.rollback.strategy } : {}
    }
  };
}
function readEvent(path) {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}
function fail(logger, error) {
  if (error instanceof ConfigurationError) {
    reportConfigurationError(logger, error);
    setFailed(error.message);
    return;
  }
  const advice = adviceFor(error);
  if (advice) logger.error(advice);
  if (error instanceof Error && error.stack) logger.debug(error.stack);
  setFailed(`shipgate: ${errorMessage(error)}`);
}

export {
  run,
  post
};
