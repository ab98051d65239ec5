import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  ActionsLogger,
  Authority,
  ConfigurationError,
  PHASES,
  RefDocuments,
  ReleaseRecord,
  SecretScrubber,
  StableMarker,
  anyRollbackAudience,
  createOctokit,
  diffTicks,
  errorMessage,
  eventText,
  formatMs,
  formatTime,
  importTicks,
  loadConfig,
  missingPeopleItems,
  openRelease,
  parseDuration,
  readState,
  recordEvent,
  releaseSavedLock,
  releaseTemplate,
  renderTrackingIssue,
  renderedItemLines,
  reportConfigurationError,
  requestFromInputs,
  resolveEnvironment,
  runEnvironment,
  runPhases,
  runRollback,
  runStep,
  runnerFacts,
  saveState,
  saveState2,
  setFailed,
  setOutcome,
  setOutputs,
  setSecret,
  statusOf,
  summary,
  systemClock,
  updateItem,
  updatePhase
} from "./chunk-GK5CPNCB.js";

// src/actions/main.ts
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";

// src/engine/comment-command.ts
var LINE = /^\s*\/shipgate\s+(sign-off|signoff|deny|promote|rollback)\b[ \t]*(.*)$/im;
function parseCommentCommand(body) {
  const match = LINE.exec(body);
  if (!match) return void 0;
  const verb = match[1].toLowerCase();
  const rest = match[2].trim();
  if (verb === "promote" || verb === "rollback") return { verb, note: rest };
  const [role, ...note] = rest.split(/\s+/);
  if (!role)
    return { verb: "invalid", message: `\`/shipgate ${verb}\` needs a role, e.g. \`/shipgate ${verb} qa\`` };
  return { verb: verb === "deny" ? "deny" : "sign-off", role: role.toLowerCase(), note: note.join(" ") };
}

// src/engine/signoffs.ts
var SIGNOFF = ":signoff:";
function roleOfSignoff(item) {
  if (item.kind !== "signoff") return void 0;
  const at = item.id.indexOf(SIGNOFF);
  return at < 0 ? void 0 : item.id.slice(at + SIGNOFF.length);
}
function openSignoff(state, role) {
  const items = state.items.filter((item) => roleOfSignoff(item) === role);
  return items.find((item) => item.status !== "passed" && !item.denied) ?? items.at(-1);
}
function gateStatus(item, role, openedAt, now) {
  if (item.denied) return { state: "denied", by: item.denied.login, reason: item.denied.note ?? "" };
  const signers = (item.signatures ?? []).map((s) => s.login);
  if (signers.length >= role.quorum) return { state: "complete", signers };
  if (role.expires !== void 0) {
    const deadline = Date.parse(openedAt) + role.expires;
    if (now.getTime() >= deadline) return { state: "expired", since: new Date(deadline).toISOString() };
  }
  return { state: "waiting", have: signers.length, need: role.quorum };
}
function refuseSignature(item, role, login, releaseAuthor) {
  if (!role.authorMaySignOff && login.toLowerCase() === releaseAuthor.toLowerCase()) {
    return {
      refused: true,
      reason: `@${login} started this release and the ${role.title} sign-off must come from someone else`
    };
  }
  if (item.denied)
    return { refused: true, reason: `the ${role.title} sign-off was denied by @${item.denied.login}` };
  return void 0;
}
function sign(itemId, signature2, quorum) {
  return (state) => ({
    ...state,
    items: state.items.map((item) => {
      if (item.id !== itemId) return item;
      const signatures = item.signatures ?? [];
      if (signatures.some((s) => s.login.toLowerCase() === signature2.login.toLowerCase())) return item;
      const next = [...signatures, signature2];
      const complete = next.length >= quorum;
      return {
        ...item,
        signatures: next,
        status: complete ? "passed" : item.status,
        by: complete ? next.map((s) => s.login).join(", @") : item.by,
        at: complete ? signature2.at : item.at
      };
    })
  });
}
function deny(itemId, signature2) {
  return (state) => ({
    ...state,
    items: state.items.map(
      (item) => item.id === itemId && !item.denied ? { ...item, denied: signature2, status: "failed" } : item
    )
  });
}

// src/engine/watch-verdict.ts
function verdictRefusal(state, verdict) {
  const watch = state.monitor?.state;
  if (!watch) return "there is no watch in this release to answer";
  if (watch.status === "running") return "the watch is still running: it has not asked anyone yet";
  if (watch.status !== "inconclusive" || watch.decision?.action !== "ask") {
    return `the watch already decided (${watch.decision?.message ?? watch.status}); nothing is waiting for an answer`;
  }
  if (verdict.verb === "rollback" && verdict.reason.trim() === "") {
    return "a rollback needs a reason, e.g. `/shipgate rollback p95 doubled after the deploy`";
  }
  return void 0;
}
function applyWatchVerdict(state, verdict) {
  const refusal = verdictRefusal(state, verdict);
  if (refusal) return { applied: false, reason: refusal };
  const promote = verdict.verb === "promote";
  const note = verdict.reason.trim();
  const message = promote ? `promoted by @${verdict.by} after an inconclusive watch${note ? `: ${note}` : ""}` : `rollback chosen by @${verdict.by} after an inconclusive watch: ${note}`;
  const mutation = (current) => {
    if (verdictRefusal(current, verdict) !== void 0 || !current.monitor) return current;
    const watch = decide(current.monitor.state, verdict, message);
    let next = { ...current, monitor: { ...current.monitor, state: watch, continues: false } };
    next = recordEvent({
      id: `monitor-verdict-${verdict.verb}-${verdict.at.getTime()}`,
      at: verdict.at.toISOString(),
      type: promote ? "monitor promoted" : "monitor rollback chosen",
      message,
      data: { by: verdict.by }
    })(next);
    next = updatePhase("monitor", {
      status: promote ? "passed" : "failed",
      finishedAt: verdict.at.toISOString()
    })(next);
    return promote ? setOutcome("success", true)(next) : setOutcome("failure")(next);
  };
  return { applied: true, mutation, stable: promote, rollbackRequired: !promote, message };
}
function decide(watch, verdict, message) {
  const promote = verdict.verb === "promote";
  const decision = {
    outcome: promote ? "passed" : "failed",
    action: promote ? "promote" : "rollback",
    decidedAt: verdict.at.getTime(),
    values: [],
    message
  };
  return {
    ...watch,
    status: promote ? "stable" : "rollback",
    decision,
    events: [...watch.events, { type: "decision", decision }]
  };
}

// src/engine/people.ts
async function handlePeopleEvent(event, ctx) {
  const sender = event.payload.sender.login;
  const outcome = { accepted: [], refused: [], completed: [], expired: [] };
  if ((ctx.selfLogins ?? ["github-actions[bot]"]).includes(sender)) return outcome;
  await ctx.record.refresh();
  if (event.name === "issue_comment" && event.payload.action === "created") {
    await handleComment(event.payload.comment?.body ?? "", sender, ctx, outcome);
  } else if (event.name === "issues" && event.payload.action === "edited" && event.payload.changes?.body) {
    await handleEdit(event.payload.changes.body.from, event.payload.issue.body ?? "", sender, ctx, outcome);
  }
  await reviewGates(ctx, outcome);
  return outcome;
}
async function handleComment(body, sender, ctx, outcome) {
  const command = parseCommentCommand(body);
  if (!command) return;
  if (command.verb === "invalid") return refuse(ctx, outcome, sender, command.message);
  if (command.verb === "promote" || command.verb === "rollback") {
    return answerWatch(command.verb, command.note, sender, ctx, outcome);
  }
  const mutations = await signature(command.role, sender, command.verb, command.note, ctx, outcome);
  if (mutations.length > 0) await ctx.record.update(...mutations);
}
async function handleEdit(before, after, sender, ctx, outcome) {
  const mutations = [];
  const now = currentTime(ctx);
  const state = ctx.record.state;
  for (const change of diffTicks(before, after, renderedItemLines(state))) {
    const item = state.items.find((candidate) => candidate.id === change.id);
    if (!item) continue;
    if (!change.deliberate) continue;
    if (item.kind === "manual") {
      const audience = ownerAudience(item, ctx.config);
      const verdict = audience ? await new Authority(ctx).check(sender, audience) : void 0;
      if (verdict && !verdict.allowed) {
        await refuse(
          ctx,
          outcome,
          sender,
          `only ${item.owner} may tick \u201C${item.text}\u201D: ${verdict.reason}`,
          UNTICKED
        );
        continue;
      }
      mutations.push(importTicks(/* @__PURE__ */ new Map([[item.id, change.ticked]]), sender, now.toISOString()));
      outcome.accepted.push(`${change.ticked ? "ticked" : "unticked"} ${item.id}`);
    } else if (item.kind === "signoff" && change.ticked) {
      const signed = await signature(
        roleOfSignoff(item) ?? "",
        sender,
        "sign-off",
        "",
        ctx,
        outcome,
        UNTICKED
      );
      mutations.push(...signed);
    } else if (item.kind === "signoff") {
      await refuse(
        ctx,
        outcome,
        sender,
        `a sign-off stands once given; \`/shipgate deny ${roleOfSignoff(item) ?? "ROLE"} <reason>\` stops the release`,
        " The box is ticked again."
      );
    } else {
      await refuse(
        ctx,
        outcome,
        sender,
        `\u201C${item.text}\u201D is ticked by shipgate when it passes, not by hand`,
        UNTICKED
      );
    }
  }
  if (mutations.length > 0) await ctx.record.update(...mutations);
  else await ctx.record.syncViews();
}
var UNTICKED = " The box is unticked again.";
function ownerAudience(item, config) {
  if (!item.owner) return void 0;
  if (item.owner.startsWith("@")) return { users: [item.owner.slice(1)], teams: [] };
  const role = config.roles[item.owner];
  return role ? { users: role.users, teams: role.teams } : void 0;
}
async function signature(role, sender, verb, note, ctx, outcome, undone = "") {
  const config = ctx.config.roles[role];
  const item = openSignoff(ctx.record.state, role);
  if (!config || !item) {
    const known = [...new Set(ctx.record.state.items.map(roleOfSignoff).filter((r) => r !== void 0))];
    await refuse(
      ctx,
      outcome,
      sender,
      `this release has no ${role} sign-off; it asks for: ${known.join(", ") || "none"}`,
      undone
    );
    return [];
  }
  const verdict = await new Authority(ctx).check(sender, { users: config.users, teams: config.teams });
  if (!verdict.allowed) {
    await refuse(
      ctx,
      outcome,
      sender,
      `only the ${config.title} may ${verb} here: ${verdict.reason}`,
      undone
    );
    return [];
  }
  const refusal = (verb === "sign-off" ? refuseSignature(item, config, sender, ctx.record.state.release.startedBy)?.reason : void 0) ?? expiredRefusal(item, config, ctx);
  if (refusal) {
    await refuse(ctx, outcome, sender, refusal, undone);
    return [];
  }
  const at = currentTime(ctx).toISOString();
  const signed = { login: sender, at, ...note ? { note } : {} };
  outcome.accepted.push(`${verb} ${role} by ${sender}`);
  const event = recordEvent({
    id: `${verb}-${item.id}-${sender}`,
    at,
    type: verb,
    message: `${config.title}: @${sender} (${verdict.via})${note ? `: ${note}` : ""}`
  });
  return verb === "deny" ? [deny(item.id, signed), event, updatePhase(item.phase, { status: "failed" }), setOutcome("failure")] : [sign(item.id, signed, config.quorum), event];
}
function expiredRefusal(item, role, ctx) {
  if (item.status === "failed") return `the ${role.title} sign-off is closed`;
  const status = gateStatus(item, role, gateOpenedAt(ctx, item.phase), currentTime(ctx));
  return status.state === "expired" ? `the ${role.title} sign-off timed out at ${formatTime(status.since)}; the release stopped` : void 0;
}
function gateOpenedAt(ctx, phase) {
  const state = ctx.record.state;
  const phaseState = state.phases[phase];
  return phaseState?.finishedAt ?? phaseState?.startedAt ?? state.updatedAt;
}
async function reviewGates(ctx, outcome) {
  const result = outcome ?? { accepted: [], refused: [], completed: [], expired: [] };
  const now = currentTime(ctx);
  for (const phase of PHASES) {
    const state = ctx.record.state;
    if (state.outcome === "failure" || state.outcome === "rolled-back") return result;
    if (state.phases[phase]?.status !== "waiting") continue;
    const expired = expiredSignoffs(ctx, phase, now);
    if (expired.length > 0) {
      await closeExpired(ctx, phase, expired, now, result);
      continue;
    }
    if (missingPeopleItems(state.items, phase).length > 0) continue;
    await completeGate(ctx, phase, now, result);
  }
  return result;
}
function expiredSignoffs(ctx, phase, now) {
  const expired = [];
  for (const item of ctx.record.state.items) {
    if (item.phase !== phase || item.kind !== "signoff" || item.status === "passed") continue;
    const role = ctx.config.roles[roleOfSignoff(item) ?? ""];
    if (!role) continue;
    const status = gateStatus(item, role, gateOpenedAt(ctx, phase), now);
    if (status.state === "expired") expired.push({ item, role, since: status.since });
  }
  return expired;
}
async function closeExpired(ctx, phase, expired, now, outcome) {
  const at = now.toISOString();
  const lines = expired.map(
    ({ role, since }) => `${role.title} sign-off timed out at ${formatTime(since)} (no sign-off within ${formatMs(role.expires)})`
  );
  await ctx.record.update(
    ...expired.map(
      ({ item, since }) => updateItem(item.id, { status: "failed", summary: `timed out at ${formatTime(since)}`, finishedAt: at })
    ),
    updatePhase(phase, { status: "failed", finishedAt: at }),
    recordEvent({
      id: `${phase}-gate-expired`,
      at,
      type: `${phase} gate timed out`,
      message: lines.join("; ")
    }),
    setOutcome("failure")
  );
  outcome.expired.push(...expired.map(({ item }) => item.id));
  await comment(ctx, `\u23F1\uFE0F ${lines.join(". ")}. The release stopped; start a new release to try again.`);
}
async function completeGate(ctx, phase, now, outcome) {
  const id = `${phase}-gate-complete`;
  const at = now.toISOString();
  let first = false;
  const complete = (state) => {
    first = !state.events.some((event) => event.id === id);
    return recordEvent({
      id,
      at,
      type: `${phase} gate complete`,
      message: ctx.next ? `starting ${ctx.next.workflow} on ${ctx.next.ref}` : "all people items are in"
    })(state);
  };
  await ctx.record.update(complete, updatePhase(phase, { status: "passed" }), setOutcome("in-progress"));
  if (!first) return;
  outcome.completed.push(phase);
  if (ctx.next) await dispatchNext(ctx, ctx.next);
}
async function dispatchNext(ctx, next) {
  const issue = ctx.record.state.ids.issue;
  try {
    await ctx.octokit.rest.actions.createWorkflowDispatch({
      owner: ctx.owner,
      repo: ctx.repo,
      workflow_id: next.workflow,
      ref: next.ref,
      inputs: issue ? { issue: String(issue) } : {}
    });
  } catch (error) {
    throw dispatchAdvice(next, error);
  }
  ctx.logger.info(`started ${next.workflow} on ${next.ref} for tracking issue #${issue ?? "?"}`);
}
function dispatchAdvice(next, error) {
  const status = statusOf(error);
  const where = `next-workflow: cannot start ${next.workflow} on ${next.ref}`;
  if (status === 404)
    return new ConfigurationError(`${where}: no such workflow file in .github/workflows (or no such ref)`);
  if (status === 403)
    return new ConfigurationError(
      `${where}: the token may not dispatch workflows (add \`permissions: actions: write\`)`
    );
  if (status === 422)
    return new ConfigurationError(
      `${where}: GitHub refused it (the workflow needs \`on: workflow_dispatch\` with an \`issue\` input)`
    );
  return error instanceof Error ? error : new Error(String(error));
}
async function refuse(ctx, outcome, sender, reason, undone = "") {
  outcome.refused.push(reason);
  ctx.logger.info(`refused an act by @${sender}: ${reason}`);
  await comment(ctx, `@${sender} ${reason}.${undone || " The checklist is unchanged."}`);
}
async function comment(ctx, body) {
  const issue = ctx.record.state.ids.issue;
  if (!issue) return;
  await ctx.octokit.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issue,
    body
  });
}
function currentTime(ctx) {
  return (ctx.clock ?? (() => /* @__PURE__ */ new Date()))();
}
async function answerWatch(verb, note, sender, ctx, outcome) {
  const verdict = { verb, by: sender, at: currentTime(ctx), reason: note };
  const refusal = verdictRefusal(ctx.record.state, verdict);
  if (refusal) return refuse(ctx, outcome, sender, refusal);
  const allowed = await new Authority(ctx).check(
    sender,
    anyRollbackAudience(ctx.config.rollback?.authorize ?? {})
  );
  if (!allowed.allowed) {
    return refuse(
      ctx,
      outcome,
      sender,
      `only people who may roll back may answer the watch: ${allowed.reason}`
    );
  }
  const applied = applyWatchVerdict(ctx.record.state, verdict);
  if (!applied.applied) return refuse(ctx, outcome, sender, applied.reason);
  const state = await ctx.record.update(applied.mutation);
  outcome.accepted.push(applied.message);
  if (applied.stable && state.stable) {
    const { release } = state;
    const documents = new RefDocuments({
      octokit: ctx.octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      baseCommit: release.sha
    });
    await new StableMarker(documents, {
      now: () => currentTime(ctx),
      sleep: (ms, signal) => systemClock.sleep(ms, signal)
    }).mark({
      environment: release.environment,
      version: release.version,
      sha: release.sha,
      releaseKey: ctx.record.key
    });
  }
}

// src/engine/phases/deploy-post.ts
async function deployPost(input) {
  const { ctx, config, saved } = input;
  const template = input.template ?? releaseTemplate(ctx, config, { version: ctx.version });
  const save = (values) => input.save ? saveState2(values, input.save) : saveState2(values);
  let maintenance = "not enabled";
  const disable = config.deploy.maintenance?.disable;
  if (saved.maintenanceEnabled === true && disable) {
    ctx.logger.info("maintenance mode was left on by the main step: turning it off");
    const env = runEnvironment({ ctx, template });
    const outcome = await runStep({ ctx, template }, disable, env, "deploy.maintenance").catch(
      (error) => ({ status: "failed", summary: errorMessage(error) })
    );
    maintenance = outcome.status === "passed" ? "disabled" : "failed";
    if (maintenance === "disabled") save({ maintenanceEnabled: false });
    else ctx.logger.error(`could not turn maintenance mode off: ${outcome.summary}; turn it off by hand`);
  }
  let lock = "not held";
  if (saved.lockRef) lock = await releaseSavedLock(ctx, saved);
  const summary2 = `post: maintenance ${maintenance}, lock ${lock}`;
  ctx.logger.info(summary2);
  if (input.report && (maintenance !== "not enabled" || lock === "released" || lock === "failed")) {
    const events = [
      recordEvent({
        id: `deploy-post-${ctx.runId}-${ctx.runAttempt}`,
        at: ctx.clock.now().toISOString(),
        type: "deploy cleaned up",
        message: summary2
      })
    ];
    await input.report(...events);
  }
  return { maintenance, lock, summary: summary2 };
}

// src/engine/phases/rollback-post.ts
async function rollbackPost(ctx, saved) {
  if (!saved.lockRef || !saved.lockOwner) return false;
  return await releaseSavedLock(ctx, saved) === "released";
}

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

// src/report/job-summary.ts
var COMMENT = String.raw`<!--(?:(?!-->)[\s\S])*-->`;
var HIDDEN_LINE = new RegExp(String.raw`^[ \t]*${COMMENT}[ \t]*\n?`, "gm");
var HIDDEN = new RegExp(String.raw`[ \t]*${COMMENT}`, "g");
function renderJobSummary(state, key, links = {}) {
  const body = renderTrackingIssue(state, key, {
    ...links.runUrl ? { runUrl: links.runUrl } : {},
    limit: Number.MAX_SAFE_INTEGER
  });
  const visible = body.replace(HIDDEN_LINE, "").replace(HIDDEN, "").replace(/\n{3,}/g, "\n\n").trim();
  const footer = links.issueUrl ? `

Tracking issue: ${links.issueUrl}` : "";
  return `${visible}${footer}
`;
}
async function writeJobSummary(state, key, links = {}, summary2 = summary) {
  await summary2.addRaw(renderJobSummary(state, key, links), true).write();
}
function releaseOutputs(state) {
  return {
    version: state.release.version,
    ...state.release.previousVersion ? { previousVersion: state.release.previousVersion } : {},
    ...state.ids.issue ? { issue: state.ids.issue } : {},
    ...state.ids.comment ? { commentId: state.ids.comment } : {},
    ...state.ids.deployment ? { deploymentId: state.ids.deployment } : {}
  };
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
    const inputs = getInputs(phase === "input" ? getPhaseInput() : phase);
    const saved = readState();
    if (!saved.lockRef && !saved.maintenanceEnabled) return;
    const { ctx, config } = await prepare(inputs, process.env, logger);
    if (inputs.phase === "rollback") {
      const released = await rollbackPost(ctx, saved);
      logger.info(`post: ${released ? "released the environment lock" : "no lock of this run to release"}`);
    } else {
      const result = await deployPost({ ctx, config: resolveEnvironment(config, inputs.environment), saved });
      logger.info(`post: ${result.summary}`);
    }
  } catch (error) {
    logger.warning(`post step: ${errorMessage(error)}`);
  }
}
async function prepare(inputs, env, logger) {
  const facts = runnerFacts(env);
  const cwd = inputs.workingDirectory ? isAbsolute(inputs.workingDirectory) ? inputs.workingDirectory : join(facts.workspace, inputs.workingDirectory) : facts.workspace;
  const { config } = await loadConfig(isAbsolute(inputs.config) ? inputs.config : join(cwd, inputs.config));
  const scrubber = SecretScrubber.fromEnv(config.secrets, env, { mask: (value) => setSecret(value) });
  const event = readEvent(facts.eventPath);
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
      // Octokit's request log says `info` for every answer and `error` for every 4xx, also the
      // 404s shipgate expects (a record or marker not written yet): debug lines, not annotations.
      log: {
        debug: (m) => logger.debug(m),
        info: (m) => logger.debug(m),
        warn: (m) => logger.warning(m),
        error: (m) => logger.debug(m)
      }
    }),
    ...inputs.version ? { version: inputs.version } : {},
    ...inputs.issue ? { issue: inputs.issue } : {},
    ...inputs.region ? { region: inputs.region } : {}
  };
  return { ctx, config };
}
async function runWith(inputs, env, logger) {
  const { ctx, config } = await prepare(inputs, env, logger);
  const text = eventText(ctx.event);
  if (text.prTitle !== void 0) logger.untrusted("pull request title", text.prTitle);
  if (text.branch !== void 0) logger.untrusted("branch", text.branch);
  if (ctx.eventName === "issues" || ctx.eventName === "issue_comment") {
    await reviewPeople(ctx, config, inputs, env);
    return;
  }
  const request = phaseRequest(inputs, config);
  if (inputs.phase === "rollback") {
    const { release: release2, result } = await runRollback(ctx, config, request.rollback ?? { trigger: "automatic" });
    await finish(
      release2,
      { outcome: result.outcome, results: [{ phase: "rollback", result }], rolledBack: false },
      config
    );
    return;
  }
  const release = await openRelease(ctx, config, { listChangedPaths: true });
  const phases = inputs.phase === "all" ? [...PHASES] : [inputs.phase];
  await finish(release, await runPhases(release, phases, request), config);
}
async function reviewPeople(ctx, config, inputs, env) {
  const issue = ctx.event.issue?.number ?? inputs.issue;
  if (!issue) throw new ConfigurationError("an issues or issue_comment event without an issue number");
  const record = await ReleaseRecord.fromIssue(
    {
      octokit: ctx.octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      logger: ctx.logger,
      clock: () => ctx.clock.now()
    },
    issue
  );
  const outcome = await handlePeopleEvent(
    {
      name: ctx.eventName,
      payload: ctx.event
    },
    {
      octokit: ctx.octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      config: resolveEnvironment(config, record.state.release.environment),
      record,
      logger: ctx.logger,
      clock: () => ctx.clock.now(),
      ...inputs.nextWorkflow ? { next: { workflow: inputs.nextWorkflow, ref: env.GITHUB_REF ?? "main" } } : {}
    }
  );
  for (const line of outcome.accepted) ctx.logger.info(`accepted: ${line}`);
  for (const line of outcome.refused) ctx.logger.info(`refused: ${line}`);
  setOutputs({
    ...releaseOutputs(record.state),
    outcome: outcome.completed.length > 0 ? "passed" : "waiting"
  });
}
async function finish(release, outcome, config) {
  const state = release.record.state;
  const last = outcome.results.at(-1)?.result;
  const rollback = state.rollback;
  setOutputs({
    ...releaseOutputs(state),
    outcome: outcome.outcome,
    rollbackRequired: outcome.results.some(({ result }) => result.rollbackRequired === true) && !outcome.rolledBack,
    ...rollback?.tag ? { rollbackTag: rollback.tag } : {},
    ...rollback?.issue ? { rollbackIssue: rollback.issue } : {}
  });
  if (config.reporting.summary) {
    await writeJobSummary(state, release.record.key, {
      ...release.ctx.runUrl ? { runUrl: release.ctx.runUrl } : {},
      ...state.ids.issue ? { issueUrl: release.record.issueUrl } : {}
    });
  }
  const summary2 = release.ctx.scrubber.scrub(last?.summary ?? "");
  if (outcome.outcome === "failed") setFailed(summary2 || "the release failed");
  else release.ctx.logger.info(`shipgate: ${outcome.outcome}${summary2 ? `: ${summary2}` : ""}`);
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
  if (inputs.phase !== "rollback") return { save: (name, value) => saveState(name, value) };
  const request = requestFromInputs(inputs.rollback, inputs.issue);
  return {
    rollback: request.strategy || !config.rollback ? request : { ...request, strategy: config.rollback.strategy }
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
