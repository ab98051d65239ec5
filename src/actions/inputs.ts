import { PHASES, type PhaseName } from '../config/schema.ts';
import { parseDuration } from '../config/units.ts';
import { ConfigurationError, type Problem } from '../errors.ts';
import type { ActionPhase } from './main.ts';

/**
 * The action inputs, read once (STYLE 3). `getInputs(phase)` is the only place that looks at
 * `INPUT_*`; everything below it takes the typed `Inputs`. Optional inputs are `undefined` when
 * empty, booleans have three states (true, false, not given), and a bad value is a
 * ConfigurationError that names the input and says what is expected, listing every bad input at
 * once.
 *
 * Each action's `action.yml` declares exactly the inputs its phase reads here; a test records
 * which `INPUT_*` variables `getInputs` touches and compares them with the metadata, so the two
 * cannot drift. Every input is therefore read unconditionally.
 */

export const DEFAULT_CONFIG_PATH = '.github/shipgate.yml';
/** The `github-token` default in every action.yml. */
export const GITHUB_TOKEN_EXPRESSION = `\${{ github.token }}`;

export const SEVERITIES = ['P0', 'P1', 'P2', 'P3', 'P4'] as const;
/** Incident severity, P0 the most severe. */
export type Severity = (typeof SEVERITIES)[number];

/** The config's `rollback.strategy` values (a test holds this list to the schema). */
export const ROLLBACK_STRATEGIES = ['app', 'full', 'flag'] as const;
export type RollbackStrategy = (typeof ROLLBACK_STRATEGIES)[number];

/** Everything an action was asked to do, as the workflow's `with:` said it. */
export interface Inputs {
  /** The phase these inputs were read for; `all` runs every phase in order. */
  readonly phase: ActionPhase;
  /** Path of the release config, relative to the working directory (`config`). */
  readonly config: string;
  /** The environment to release to: a key of `environments` in the config (`environment`). */
  readonly environment: string;
  /** The version being released; undefined: resolved as the config's `release.version` says (`version`). */
  readonly version: string | undefined;
  /** Token for the GitHub API (`github-token`). Never log it. */
  readonly githubToken: string;
  /** Tracking issue number from an earlier job; undefined: found by label and marker, or created (`issue`). */
  readonly issue: number | undefined;
  /** The region this job handles in a matrix; undefined: every region (`region`). */
  readonly region: string | undefined;
  /** Directory paths and commands are relative to; undefined: the workspace (`working-directory`). */
  readonly workingDirectory: string | undefined;
  /** Workflow file to dispatch when this phase's gate completes, e.g. `release.yml` (`next-workflow`). */
  readonly nextWorkflow: string | undefined;
  /** Inputs only the rollback action (and the root action) declares; all undefined elsewhere. */
  readonly rollback: RollbackInputs;
  /** Inputs only the monitor action (and the root action) declares; all undefined elsewhere. */
  readonly monitor: MonitorInputs;
}

export interface RollbackInputs {
  /** Version to return to; undefined: the last stable version (`target-version`). */
  readonly targetVersion: string | undefined;
  /** Incident severity (`severity`). */
  readonly severity: Severity | undefined;
  /** Why, in words (`reason`). */
  readonly reason: string | undefined;
  /** A rehearsal that never touches a production environment; undefined: not given (`drill`). */
  readonly drill: boolean | undefined;
  /** Overrides the config's rollback strategy (`strategy`). */
  readonly strategy: RollbackStrategy | undefined;
}

export interface MonitorInputs {
  /** Continue a watch from the release record (`resume`); undefined: not given. */
  readonly resume: boolean | undefined;
  /** Longest stretch this job watches, in milliseconds (`slice`); undefined: the config's. */
  readonly sliceMs: number | undefined;
}

/** Where inputs come from: the process environment, as the runner sets it. */
export type InputEnv = Readonly<Record<string, string | undefined>>;

/** Phases whose config section can carry sign-offs and manual items, so a gate can complete. */
const GATED_PHASES: readonly ActionPhase[] = ['preflight', 'backup', 'deploy', 'smoke', 'monitor', 'all'];

/** Reads and checks every input of one action. Throws one ConfigurationError listing all bad inputs. */
export function getInputs(phase: ActionPhase, env: InputEnv = process.env): Inputs {
  const reader = new InputReader(env);
  const declares = (owner: PhaseName) => phase === owner || phase === 'all';

  const inputs: Inputs = {
    phase,
    config: reader.optional('config') ?? DEFAULT_CONFIG_PATH,
    environment: reader.required('environment', 'the environment to release to, e.g. production'),
    version: reader.optional('version'),
    githubToken: reader.required('github-token', `a token; the default is ${GITHUB_TOKEN_EXPRESSION}`),
    issue: reader.issueNumber('issue'),
    region: reader.pattern('region', REGION, 'a region id of letters, digits, dots, dashes or underscores'),
    workingDirectory: reader.optional('working-directory'),
    nextWorkflow: GATED_PHASES.includes(phase) ? reader.workflowFile('next-workflow') : undefined,
    rollback: declares('rollback')
      ? {
          targetVersion: reader.optional('target-version'),
          severity: reader.severity('severity'),
          reason: reader.optional('reason'),
          drill: reader.optionalBoolean('drill'),
          strategy: reader.oneOf('strategy', ROLLBACK_STRATEGIES),
        }
      : {
          targetVersion: undefined,
          severity: undefined,
          reason: undefined,
          drill: undefined,
          strategy: undefined,
        },
    monitor: declares('monitor')
      ? { resume: reader.optionalBoolean('resume'), sliceMs: reader.duration('slice') }
      : { resume: undefined, sliceMs: undefined },
  };
  reader.throwIfInvalid();
  return inputs;
}

/** The root action's `phase` input: one of the six phases or `all`. */
export function getPhaseInput(env: InputEnv = process.env): ActionPhase {
  const reader = new InputReader(env);
  const phase = reader.oneOf('phase', [...PHASES, 'all'] as const);
  if (phase === undefined && !reader.problems.length) {
    reader.problems.push(problem('phase', `is required (expected one of ${[...PHASES, 'all'].join(', ')})`));
  }
  reader.throwIfInvalid();
  return phase as ActionPhase;
}

/** The environment variable the runner sets for an input: upper-cased, spaces as `_`, dashes kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

const REGION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const WORKFLOW_FILE = /^[A-Za-z0-9._-]+\.ya?ml$/;
const TRUE_VALUES = ['true', 'True', 'TRUE'];
const FALSE_VALUES = ['false', 'False', 'FALSE'];

function problem(name: string, message: string): Problem {
  return { path: `with.${name}`, message: `input '${name}' ${message}` };
}

/** Reads inputs the way @actions/core's getInput does, and collects what is wrong with them. */
class InputReader {
  readonly problems: Problem[] = [];
  private readonly env: InputEnv;

  constructor(env: InputEnv) {
    this.env = env;
  }

  /** The trimmed value, or undefined when empty or not set. */
  optional(name: string): string | undefined {
    const value = (this.env[inputEnvName(name)] ?? '').trim();
    return value === '' ? undefined : value;
  }

  required(name: string, expected: string): string {
    const value = this.optional(name);
    if (value === undefined) {
      this.problems.push(problem(name, `is required (expected ${expected})`));
      return '';
    }
    return value;
  }

  /** Three states, like release-please-action's getOptionalBooleanInput: true, false or not given. */
  optionalBoolean(name: string): boolean | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (TRUE_VALUES.includes(value)) return true;
    if (FALSE_VALUES.includes(value)) return false;
    this.problems.push(problem(name, `is '${value}' (expected true or false)`));
    return undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const match = allowed.find((option) => option === value);
    if (match === undefined) {
      this.problems.push(problem(name, `is '${value}' (expected one of ${allowed.join(', ')})`));
    }
    return match;
  }

  severity(name: string): Severity | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const match = SEVERITIES.find((severity) => severity === value.toUpperCase());
    if (match === undefined) {
      this.problems.push(
        problem(
          name,
          `is '${value}' (expected a severity from P0, the most severe, to P4: ${SEVERITIES.join(', ')})`,
        ),
      );
    }
    return match;
  }

  pattern(name: string, pattern: RegExp, expected: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (!pattern.test(value)) {
      this.problems.push(problem(name, `is '${value}' (expected ${expected})`));
      return undefined;
    }
    return value;
  }

  issueNumber(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const match = /^#?([1-9]\d{0,9})$/.exec(value);
    if (!match) {
      this.problems.push(problem(name, `is '${value}' (expected an issue number such as 42)`));
      return undefined;
    }
    return Number(match[1]);
  }

  workflowFile(name: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const file = value.replace(/^\.github\/workflows\//, '');
    if (!WORKFLOW_FILE.test(file)) {
      this.problems.push(
        problem(name, `is '${value}' (expected a workflow file in .github/workflows, e.g. release.yml)`),
      );
      return undefined;
    }
    return file;
  }

  /** A duration such as 20m, in milliseconds. */
  duration(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const parsed = parseDuration(value);
    if (!parsed.ok) {
      this.problems.push(problem(name, `is '${value}' (expected a duration such as 90s, 20m or 1h)`));
      return undefined;
    }
    if (parsed.value <= 0) {
      this.problems.push(problem(name, `is '${value}' (expected a duration longer than zero)`));
      return undefined;
    }
    return parsed.value;
  }

  throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    const noun = this.problems.length === 1 ? 'input is' : 'inputs are';
    throw new ConfigurationError(
      `${this.problems.length} action ${noun} invalid: ${this.problems.map((p) => p.message).join('; ')}`,
      this.problems,
    );
  }
}
