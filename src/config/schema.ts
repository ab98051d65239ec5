import { z } from 'zod';
import {
  DURATION_PATTERN,
  type Parsed,
  PERCENT_PATTERN,
  parseDuration,
  parsePercent,
  parseRate,
  parseSize,
  parseThreshold,
  RATE_PATTERN,
  SIZE_PATTERN,
  THRESHOLD_PATTERN,
} from './units.ts';

/**
 * The release config, `.github/shipgate.yml`: one file that expresses a whole runbook. Every
 * object is strict (an unknown key is an error), every unit is parsed into base units (durations
 * in milliseconds, percentages as fractions, sizes in bytes), and the JSON Schema in
 * `schema/shipgate.schema.json` is generated from this file.
 *
 * Words: a *check* verifies, a *step* changes the world, an *item* is a checklist line
 * (checks, steps, manual items and sign-offs all become items), a *gate* waits for people.
 */

function unit<T>(pattern: string, parse: (text: string) => Parsed<T>, description: string) {
  return z
    .string()
    .regex(new RegExp(pattern), { error: (issue) => parse(String(issue.input)) as unknown as string })
    .transform((text, ctx) => {
      const parsed = parse(text);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.message, input: text });
      return z.NEVER;
    })
    .meta({ description });
}

const duration = (description = 'A duration: 500ms, 90s, 10m, 1h30m, 7d') =>
  unit(DURATION_PATTERN, parseDuration, description);
const percent = (description = 'A percentage, e.g. 0.1% or 80%') =>
  unit(PERCENT_PATTERN, parsePercent, description);
const size = (description = 'A size, e.g. 1KB, 10MB, 2GiB') => unit(SIZE_PATTERN, parseSize, description);
const rate = (description = 'A rate, e.g. 2/s or 30/m') => unit(RATE_PATTERN, parseRate, description);
const threshold = (description = "A threshold, e.g. '> 5%', '>= 2s', '> 500ms'") =>
  unit(THRESHOLD_PATTERN, parseThreshold, description);

/** Identifiers name items in the checklist, in comment commands and in per-environment overrides. */
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, {
    error: 'expected an id of lower-case letters, digits and dashes, e.g. db-backup',
  })
  .max(64);

const login = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { error: 'expected a GitHub login such as octocat' });
const team = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
  error: 'expected a team as org/team-slug',
});

/**
 * A command: a list is run as argv with no shell; a string is run by `bash -c` (it is trusted:
 * it lives in the repository). Values from events never reach a command line; they arrive as
 * environment variables (SHIPGATE_PR_TITLE, SHIPGATE_BRANCH, ...).
 */
const run = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .meta({ description: 'Command: a string for bash, or an argv list run without a shell' });

/** The name of an environment variable (also used for `{vars.NAME}` and `{secrets.NAME}`). */
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name such as API_KEY' });

const env = z.record(envName, z.string()).prefault({});

export const StepSchema = z.strictObject({
  id,
  name: z.string().optional(),
  run,
  timeout: duration().prefault('10m'),
  env,
  workingDirectory: z.string().optional(),
  continueOnError: z.boolean().default(false),
});

const checkBase = {
  id,
  name: z.string().optional(),
  section: z.string().optional().meta({ description: 'Checklist heading this item is listed under' }),
  timeout: duration().prefault('30s'),
  required: z.boolean().default(true).meta({ description: 'false: a failure is reported as a warning only' }),
  environments: z.array(z.string()).optional().meta({ description: 'Only in these environments' }),
};

const jsonAssertion = z.strictObject({
  path: z.string().regex(/^\$/, { error: "expected a JSON path starting with '$', e.g. $.status" }),
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  matches: z.string().optional(),
  exists: z.boolean().optional(),
  length: z.number().int().nonnegative().optional(),
  minLength: z.number().int().nonnegative().optional(),
});

const httpExpect = z
  .strictObject({
    status: z
      .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
      .default(200),
    headers: z.record(z.string(), z.string()).prefault({}),
    json: z.array(jsonAssertion).default([]),
    bodyContains: z.string().optional(),
    bodyMatches: z.string().optional(),
    maxLatency: duration('The slowest acceptable answer, e.g. 500ms').optional(),
  })
  .prefault({});

const httpRequest = {
  url: z.string().min(1).meta({ description: 'URL; may use {url}, {version}, {vars.NAME}' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z
    .record(z.string(), z.string())
    .prefault({})
    .meta({ description: 'Header values may use {secrets.NAME}' }),
  body: z.string().optional(),
  expect: httpExpect,
  retries: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).default(1),
      backoff: duration().prefault('1s'),
    })
    .prefault({}),
};

export const CommandCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('command'),
  run,
  env,
  workingDirectory: z.string().optional(),
  expectExitCode: z.number().int().default(0),
  outputMatches: z.string().optional().meta({ description: 'A regular expression the output must match' }),
});

export const HttpCheckSchema = z.strictObject({ ...checkBase, kind: z.literal('http'), ...httpRequest });

const TlsCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('tls'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(443),
  servername: z.string().optional(),
  minDaysLeft: z.number().int().min(0).max(3650).default(14),
});

const DnsCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('dns'),
  name: z.string().min(1),
  type: z.enum(['A', 'AAAA', 'CNAME']).default('A'),
  expect: z.array(z.string()).min(1).meta({ description: 'Addresses (A/AAAA) or a host name (CNAME)' }),
});

const EnvCheckSchema = z
  .strictObject({
    ...checkBase,
    kind: z.literal('env'),
    var: envName,
    present: z.boolean().default(true),
    equals: z.string().optional(),
    oneOf: z.array(z.string()).min(1).optional(),
    minLength: z.number().int().min(1).optional(),
    pattern: z.string().optional(),
  })
  .meta({ description: 'Checks an environment variable without ever printing its value' });

const GitCleanCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('git-clean'),
  path: z.string().default('.'),
});

const CiStatusCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('ci-status'),
  checks: z
    .array(z.string().min(1))
    .min(1)
    .meta({ description: 'Names of check runs that must have succeeded' }),
});

const CoverageCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('coverage'),
  file: z.string().min(1),
  format: z.enum(['lcov', 'json-summary']),
  metric: z.enum(['lines', 'statements', 'branches', 'functions']).default('lines'),
  min: percent('The lowest acceptable coverage, e.g. 80%'),
});

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a UTC time as HH:MM, e.g. 02:00' });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date as YYYY-MM-DD' });

const WindowCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('window'),
  allow: z
    .array(z.strictObject({ days: z.array(weekday).min(1).optional(), from: clockTime, to: clockTime }))
    .default([])
    .meta({ description: 'UTC windows a release may start in; empty means any time' }),
  freeze: z
    .array(z.strictObject({ from: date, to: date.optional(), reason: z.string().optional() }))
    .default([])
    .meta({ description: 'Dates (UTC) when no release may start' }),
});

const DiskFreeCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('disk-free'),
  path: z.string().default('.'),
  min: size('The least free space, e.g. 1GB'),
});

export const CHECK_KINDS = [
  'command',
  'http',
  'tls',
  'dns',
  'env',
  'git-clean',
  'ci-status',
  'coverage',
  'window',
  'disk-free',
] as const;

export const CheckSchema = z.discriminatedUnion('kind', [
  CommandCheckSchema,
  HttpCheckSchema,
  TlsCheckSchema,
  DnsCheckSchema,
  EnvCheckSchema,
  GitCleanCheckSchema,
  CiStatusCheckSchema,
  CoverageCheckSchema,
  WindowCheckSchema,
  DiskFreeCheckSchema,
]);

export const SmokeCheckSchema = z.discriminatedUnion('kind', [HttpCheckSchema, CommandCheckSchema]);

export const ManualItemSchema = z.strictObject({
  id,
  text: z.string().min(1),
  section: z.string().optional(),
  owner: z.string().optional().meta({ description: 'A role id or @login responsible for the item' }),
  required: z
    .boolean()
    .default(true)
    .meta({ description: 'false: listed, but the release does not wait for it' }),
});

const SignoffRequirementSchema = z.union([
  id,
  z.strictObject({
    role: id,
    when: z
      .strictObject({ paths: z.array(z.string().min(1)).min(1) })
      .optional()
      .meta({ description: 'Required only when the release changes files matching these globs' }),
  }),
]);

/** What every phase can carry besides its own work: items for people. */
const peopleItems = {
  manual: z.array(ManualItemSchema).default([]),
  signoffs: z.array(SignoffRequirementSchema).default([]).meta({ description: 'Roles that must sign off' }),
  wait: duration('How long the phase waits for manual items and sign-offs before it ends as waiting')
    .optional()
    .meta({ description: 'Absent: the phase fails fast listing what is missing' }),
};

export const RoleSchema = z
  .strictObject({
    title: z.string().min(1).meta({ description: 'Shown in the checklist, e.g. QA Lead' }),
    users: z.array(login).default([]),
    teams: z.array(team).default([]),
    quorum: z
      .number()
      .int()
      .min(1)
      .default(1)
      .meta({ description: 'How many distinct people must sign off' }),
    authorMaySignOff: z
      .boolean()
      .default(true)
      .meta({ description: "false: the release's author cannot sign off" }),
    expires: duration('A sign-off gate not complete by then closes as timed out').optional(),
  })
  .refine((role) => role.users.length + role.teams.length > 0, {
    error: 'a role needs at least one of users or teams',
  });

const PreflightSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(32).default(4),
  checks: z.array(CheckSchema).default([]),
  steps: z.array(StepSchema).default([]),
  baseline: z
    .strictObject({ duration: duration().prefault('1m') })
    .optional()
    .meta({ description: 'Record pre-deploy metrics from the monitor sources for baseline rules' }),
  ...peopleItems,
});

const BackupSchema = z
  .strictObject({
    driver: z.enum(['pg_dump', 'command']),
    databaseUrlEnv: envName
      .default('DATABASE_URL')
      .meta({ description: 'Name of the environment variable holding the connection URL (pg_dump)' }),
    tables: z.array(z.string()).optional().meta({ description: 'Dump only these tables (pg_dump -t)' }),
    run: run.optional().meta({ description: 'command driver: writes the backup to $SHIPGATE_BACKUP_FILE' }),
    directory: z.string().default('.shipgate/backups'),
    timeout: duration().prefault('30m'),
    verify: z
      .strictObject({
        minSize: size().optional(),
        checksum: z.boolean().default(true),
        tables: z.array(z.string()).default([]).meta({ description: 'Tables the dump must contain' }),
        testRestore: z
          .boolean()
          .default(false)
          .meta({ description: 'Restore into a scratch database, then drop it' }),
      })
      .prefault({}),
    artifact: z
      .boolean()
      .default(false)
      .meta({ description: 'Also upload the backup as a workflow artifact' }),
    ...peopleItems,
  })
  .superRefine((backup, ctx) => {
    if (backup.driver === 'command' && !backup.run) {
      ctx.addIssue({ code: 'custom', path: ['run'], message: "the command driver needs 'run'" });
    }
  });

const HealthWaitSchema = z.strictObject({
  url: z.string().min(1),
  expectStatus: z.number().int().min(100).max(599).default(200),
  timeout: duration().prefault('5m'),
  interval: duration().prefault('5s'),
});

const DeploySchema = z.strictObject({
  lock: z
    .strictObject({
      staleAfter: duration('A lock older than this may be broken by an authorised person').prefault('2h'),
    })
    .prefault({}),
  maintenance: z.strictObject({ enable: StepSchema, disable: StepSchema }).optional(),
  migrations: z.array(StepSchema).default([]),
  steps: z.array(StepSchema).min(1, { error: 'a deploy needs at least one step' }),
  health: HealthWaitSchema.optional(),
  ...peopleItems,
});

const SmokeSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(32).default(4),
  checks: z.array(SmokeCheckSchema).min(1, { error: 'smoke needs at least one check' }),
  ...peopleItems,
});

const HttpProbeSourceSchema = z.strictObject({
  kind: z.literal('http-probe'),
  url: z.string().min(1),
  rate: rate().prefault('1/s'),
  timeout: duration().prefault('2s'),
  expectStatus: z.number().int().min(100).max(599).default(200),
});

const PrometheusSourceSchema = z.strictObject({
  kind: z.literal('prometheus'),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).prefault({}),
  timeout: duration().prefault('5s'),
  queries: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a metric name such as error_rate' }),
      z.string().min(1),
    )
    .refine((queries) => Object.keys(queries).length > 0, {
      error: 'a prometheus source needs at least one query',
    }),
});

const SourceSchema = z.discriminatedUnion('kind', [HttpProbeSourceSchema, PrometheusSourceSchema]);

const ruleAction = z.enum(['note', 'notify', 'fail', 'rollback']);

export const RuleSchema = z
  .strictObject({
    id,
    metric: z.string().regex(/^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_]*$/, {
      error: 'expected SOURCE.METRIC, e.g. probe.error_rate or prom.p95',
    }),
    warn: threshold().optional(),
    critical: threshold().optional(),
    baseline: z
      .strictObject({
        ratio: z
          .number()
          .gt(1, { error: 'a baseline ratio must be more than 1, e.g. 3 for 3x slower' })
          .max(1000),
        confidence: z.number().gt(0.5).lt(1).default(0.95),
      })
      .optional()
      .meta({
        description:
          'Critical when the metric is more than ratio x the preflight baseline (and a rank test agrees)',
      }),
    for: duration('How long a breach must last before it counts').prefault('0s'),
    actions: z
      .strictObject({ warn: ruleAction.default('notify'), critical: ruleAction.default('rollback') })
      .prefault({}),
    dryRun: z.boolean().default(false).meta({ description: 'Evaluate and report, never act' }),
  })
  .refine((rule) => rule.warn || rule.critical || rule.baseline, {
    error: 'a rule needs at least one of warn, critical or baseline',
  });

const MonitorSchema = z.strictObject({
  duration: duration('How long to watch after the deploy, e.g. 30m or 24h'),
  interval: duration('How often to measure').prefault('15s'),
  slice: duration(
    'Longest stretch one job watches; longer watches continue from a scheduled workflow',
  ).prefault('20m'),
  sources: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_-]*$/, { error: 'expected a source name such as probe or prom' }),
      SourceSchema,
    )
    .refine((sources) => Object.keys(sources).length > 0, { error: 'monitor needs at least one source' }),
  rules: z.array(RuleSchema).min(1, { error: 'monitor needs at least one rule' }),
  analysis: z
    .strictObject({
      failureLimit: z.number().int().min(0).default(0),
      inconclusiveLimit: z.number().int().min(0).default(0),
      consecutiveErrorLimit: z.number().int().min(0).default(4),
      consecutiveSuccessLimit: z.number().int().min(0).default(0),
      minSamples: z.number().int().min(1).default(3),
      noData: z.enum(['pass', 'fail', 'inconclusive']).default('inconclusive'),
    })
    .prefault({}),
  inconclusive: z.enum(['ask', 'rollback', 'fail']).default('ask').meta({
    description: 'What an inconclusive watch leads to: ask people (promote / roll back), roll back, or fail',
  }),
  ...peopleItems,
});

const severity = z.string().regex(/^P[0-4]$/, { error: 'expected a severity P0 to P4' });

const AuthorisationSchema = z
  .strictObject({
    users: z.array(login).default([]),
    teams: z.array(team).default([]),
    minRole: z
      .enum(['read', 'triage', 'write', 'maintain', 'admin'])
      .optional()
      .meta({ description: 'Anyone with at least this repository role' }),
  })
  .refine((who) => who.users.length + who.teams.length > 0 || who.minRole !== undefined, {
    error: 'name at least one of users, teams or minRole',
  });

const RollbackSchema = z
  .strictObject({
    strategy: z.enum(['app', 'full', 'flag']).default('app'),
    steps: z
      .array(StepSchema)
      .default([])
      .meta({ description: 'app: redeploy; SHIPGATE_TARGET_VERSION is set' }),
    database: z
      .strictObject({
        restore: z.enum(['backup', 'migrations']).default('backup'),
        downgrade: z.array(StepSchema).default([]),
      })
      .optional(),
    flag: StepSchema.optional().meta({ description: 'flag: the step that turns the feature off' }),
    verify: z
      .strictObject({ health: z.boolean().default(true), smoke: z.boolean().default(true) })
      .prefault({}),
    authorize: z
      .record(severity, AuthorisationSchema)
      .prefault({})
      .meta({ description: 'Who may dispatch a manual rollback, by severity' }),
    triggers: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: 'Conditions people watch for (listed in the issue)' }),
    tag: z.strictObject({ pattern: z.string().default('rollback-{environment}-{date}-{time}') }).prefault({}),
    issue: z
      .strictObject({
        labels: z.array(z.string()).default(['incident', 'rollback']),
        title: z.string().default('Rollback of {version} in {environment}'),
      })
      .prefault({}),
    manual: z.array(ManualItemSchema).default([]),
  })
  .superRefine((rollback, ctx) => {
    if (rollback.strategy === 'flag' && !rollback.flag) {
      ctx.addIssue({ code: 'custom', path: ['flag'], message: "the flag strategy needs a 'flag' step" });
    }
    if (rollback.strategy !== 'flag' && rollback.steps.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `the ${rollback.strategy} strategy needs rollback steps`,
      });
    }
  });

const RuleOverrideSchema = z.strictObject({
  warn: threshold().optional(),
  critical: threshold().optional(),
  for: duration().optional(),
  dryRun: z.boolean().optional(),
});

export const EnvironmentSchema = z.strictObject({
  url: z
    .string()
    .optional()
    .meta({ description: 'The environment URL: {url} in checks, and on the deployment' }),
  vars: z
    .record(envName, z.string())
    .prefault({})
    .meta({ description: 'Values for {vars.NAME} and SHIPGATE_VAR_NAME in this environment' }),
  skip: z.array(id).default([]).meta({ description: 'Item ids that do not apply in this environment' }),
  monitor: z
    .strictObject({
      duration: duration().optional(),
      rules: z.record(id, RuleOverrideSchema).prefault({}),
    })
    .optional()
    .meta({ description: 'Per-environment monitor overrides, rules by id' }),
  production: z.boolean().default(false).meta({ description: 'Drills never touch a production environment' }),
});

const ReportingSchema = z
  .strictObject({
    issue: z
      .strictObject({
        labels: z.array(z.string()).default(['release']),
        title: z.string().default('Release {version} to {environment}'),
      })
      .prefault({}),
    prComment: z.boolean().default(true),
    summary: z.boolean().default(true),
    notify: z
      .strictObject({
        webhookUrlEnv: envName,
        on: z.array(z.enum(['waiting', 'failure', 'rollback', 'stable'])).default(['failure', 'rollback']),
      })
      .optional()
      .meta({
        description: 'Incoming-webhook notifications (Slack-compatible); the URL comes from an env var',
      }),
  })
  .default({
    issue: { labels: ['release'], title: 'Release {version} to {environment}' },
    prComment: true,
    summary: true,
  });

const ReleaseSchema = z.strictObject({
  name: z.string().min(1),
  version: z
    .strictObject({
      from: z.enum(['tag', 'input', 'sha']).default('tag'),
      tagPattern: z.string().default('v*'),
    })
    .prefault({}),
});

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema this file follows, for editors' }),
    version: z.literal(1, { error: 'expected version: 1' }),
    release: ReleaseSchema,
    environments: z
      .record(id, EnvironmentSchema)
      .refine((envs) => Object.keys(envs).length > 0, { error: 'name at least one environment' }),
    secrets: z.array(envName).default([]).meta({
      description: 'Environment variables whose values are masked in logs and scrubbed from GitHub',
    }),
    roles: z.record(id, RoleSchema).prefault({}),
    reporting: ReportingSchema,
    preflight: PreflightSchema.optional(),
    backup: BackupSchema.optional(),
    deploy: DeploySchema,
    smoke: SmokeSchema.optional(),
    monitor: MonitorSchema.optional(),
    rollback: RollbackSchema.optional(),
  })
  .meta({ title: 'shipgate release config', description: 'The release config in .github/shipgate.yml' });

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type Check = z.output<typeof CheckSchema>;
export type CheckKind = Check['kind'];
export type SmokeCheck = z.output<typeof SmokeCheckSchema>;
export type Step = z.output<typeof StepSchema>;
export type ManualItem = z.output<typeof ManualItemSchema>;
export type Role = z.output<typeof RoleSchema>;
export type Rule = z.output<typeof RuleSchema>;
export type Environment = z.output<typeof EnvironmentSchema>;
export type PhaseName = 'preflight' | 'backup' | 'deploy' | 'smoke' | 'monitor' | 'rollback';
export const PHASES: readonly PhaseName[] = ['preflight', 'backup', 'deploy', 'smoke', 'monitor', 'rollback'];
