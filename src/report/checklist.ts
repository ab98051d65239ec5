import { matchesGlob } from 'node:path';
import { resolveEnvironment } from '../config/environment.ts';
import type { Check, Config, PhaseName, Rule, SmokeCheck, Step } from '../config/schema.ts';
import { renderTemplate, type TemplateValues } from '../engine/template.ts';
import { formatDuration } from '../config/units.ts';

/**
 * The checklist of one release in one environment: phases, their sections, their items. It is
 * what the tracking issue, the PR comment and `shipgate plan` show, so it is deterministic (same
 * config, same checklist) and item ids are stable: a config id for checks, steps, manual items
 * and rules; `PHASE:thing` for items shipgate adds (config ids cannot contain a colon).
 */

export type ItemKind = 'check' | 'step' | 'manual' | 'signoff' | 'gate';

export interface ChecklistItem {
  id: string;
  phase: PhaseName;
  kind: ItemKind;
  text: string;
  /** A role id or `@login` responsible for the item (manual items, sign-offs). */
  owner?: string;
  /** false: listed, but the release does not wait for it. */
  required: boolean;
  section?: string;
  /** What the item measures or runs, readably: `GET /health → 200 · timeout 30s`. */
  detail?: string;
  /** When the item applies only sometimes, e.g. `if paths change: migrations/**`. */
  condition?: string;
}

export interface ChecklistSection {
  title: string;
  items: ChecklistItem[];
}

export interface ChecklistPhase {
  name: PhaseName;
  title: string;
  /** One line about the phase as a whole (watch length, strategy). */
  summary?: string;
  /** Facts people should know (rollback triggers, who may roll back). */
  notes: string[];
  /** The rollback phase runs only when a rollback is triggered. */
  contingent: boolean;
  sections: ChecklistSection[];
}

export interface ChecklistRole {
  title: string;
  /** `@login` and `@org/team` mentions of who may sign off. */
  mentions: string[];
  quorum: number;
}

export interface Checklist {
  release: string;
  environment: string;
  url?: string;
  production: boolean;
  roles: Record<string, ChecklistRole>;
  phases: ChecklistPhase[];
}

export interface ChecklistOptions {
  /** Files the release changes; sign-offs with `when.paths` apply only when one matches. Undefined: unknown, list them all. */
  changedPaths?: readonly string[];
  /** The version being released, when known; `{version}` stays as written otherwise. */
  version?: string;
}

const PHASE_TITLES: Record<PhaseName, string> = {
  preflight: 'Preflight',
  backup: 'Backup',
  deploy: 'Deploy',
  smoke: 'Smoke',
  monitor: 'Monitor',
  rollback: 'Rollback',
};

export function buildChecklist(
  config: Config,
  environment: string,
  options: ChecklistOptions = {},
): Checklist {
  const resolved = resolveEnvironment(config, environment);
  const roles: Record<string, ChecklistRole> = {};
  for (const [id, role] of Object.entries(resolved.roles)) {
    roles[id] = {
      title: role.title,
      mentions: [...role.users.map((user) => `@${user}`), ...role.teams.map((team) => `@${team}`)],
      quorum: role.quorum,
    };
  }
  const phases: ChecklistPhase[] = [];
  const add = (phase: ChecklistPhase | undefined) => {
    if (phase && phase.sections.length > 0) phases.push(phase);
  };
  const signoffs = (phase: PhaseName, list: SignoffList) =>
    signoffItems(phase, list, resolved, options.changedPaths);

  if (resolved.preflight) {
    const { checks, steps, manual } = resolved.preflight;
    add(
      phase('preflight', undefined, [
        ...checks.map((check) => checkItem('preflight', check, 'Checks')),
        ...steps.map((step) => stepItem('preflight', step, 'Steps')),
        ...manual.map((item) => manualItem('preflight', item)),
        ...signoffs('preflight', resolved.preflight.signoffs),
      ]),
    );
  }

  if (resolved.backup) {
    const backup = resolved.backup;
    const section = 'Backup';
    const scope =
      backup.driver === 'pg_dump'
        ? backup.tables
          ? `tables ${backup.tables.join(', ')}`
          : 'whole database'
        : 'command';
    const verified = [
      backup.verify.checksum ? 'checksum' : undefined,
      backup.verify.minSize !== undefined ? `at least ${formatBytes(backup.verify.minSize)}` : undefined,
      backup.verify.tables.length > 0 ? `contains ${backup.verify.tables.join(', ')}` : undefined,
    ].filter((part): part is string => part !== undefined);
    const items: ChecklistItem[] = [
      {
        id: 'backup:dump',
        phase: 'backup',
        kind: 'step',
        text: backup.driver === 'pg_dump' ? `Database backup with pg_dump (${scope})` : 'Database backup',
        required: true,
        section,
        detail: `${backup.driver === 'pg_dump' ? `$${backup.databaseUrlEnv} → ` : ''}${backup.directory} · timeout ${formatDuration(backup.timeout)}`,
      },
    ];
    if (verified.length > 0) {
      items.push({
        id: 'backup:verify',
        phase: 'backup',
        kind: 'check',
        text: 'Backup verified',
        required: true,
        section,
        detail: verified.join(', '),
      });
    }
    if (backup.verify.testRestore) {
      items.push({
        id: 'backup:test-restore',
        phase: 'backup',
        kind: 'check',
        text: 'Backup verified by a test restore into a scratch database',
        required: true,
        section,
      });
    }
    if (backup.artifact) {
      items.push({
        id: 'backup:artifact',
        phase: 'backup',
        kind: 'step',
        text: 'Backup stored as a workflow artifact',
        required: true,
        section,
      });
    }
    items.push(
      ...backup.manual.map((item) => manualItem('backup', item)),
      ...signoffs('backup', backup.signoffs),
    );
    add(phase('backup', undefined, items));
  }

  {
    const deploy = resolved.deploy;
    const section = 'Deploy';
    const items: ChecklistItem[] = [
      {
        id: 'deploy:approval',
        phase: 'deploy',
        kind: 'gate',
        text: `Deployment to ${environment} approved`,
        required: true,
        section,
        detail: 'GitHub Environment reviewers, when the environment requires them',
      },
    ];
    if (deploy.maintenance) items.push(stepItem('deploy', deploy.maintenance.enable, section));
    items.push(...deploy.migrations.map((step) => stepItem('deploy', step, section)));
    items.push(...deploy.steps.map((step) => stepItem('deploy', step, section)));
    if (deploy.health) {
      items.push({
        id: 'deploy:health',
        phase: 'deploy',
        kind: 'check',
        text: 'Health check passes',
        required: true,
        section,
        detail: `${deploy.health.url} → ${deploy.health.expectStatus} within ${formatDuration(deploy.health.timeout)} (every ${formatDuration(deploy.health.interval)})`,
      });
    }
    if (deploy.maintenance) items.push(stepItem('deploy', deploy.maintenance.disable, section));
    items.push(
      ...deploy.manual.map((item) => manualItem('deploy', item)),
      ...signoffs('deploy', deploy.signoffs),
    );
    add(phase('deploy', `lock stale after ${formatDuration(deploy.lock.staleAfter)}`, items));
  }

  if (resolved.smoke) {
    const smoke = resolved.smoke;
    add(
      phase('smoke', undefined, [
        ...smoke.checks.map((check) => checkItem('smoke', check, 'Smoke checks')),
        ...smoke.manual.map((item) => manualItem('smoke', item)),
        ...signoffs('smoke', smoke.signoffs),
      ]),
    );
  }

  if (resolved.monitor) {
    const monitor = resolved.monitor;
    const summary = `watch for ${formatDuration(monitor.duration)}, measuring every ${formatDuration(monitor.interval)}; an inconclusive watch: ${monitor.inconclusive}`;
    add(
      phase('monitor', summary, [
        ...monitor.rules.map((rule) => ruleItem(rule)),
        ...monitor.manual.map((item) => manualItem('monitor', item)),
        ...signoffs('monitor', monitor.signoffs),
      ]),
    );
  }

  if (resolved.rollback) {
    const rollback = resolved.rollback;
    const section = 'Rollback';
    const items: ChecklistItem[] = [];
    if (rollback.strategy === 'flag' && rollback.flag)
      items.push(stepItem('rollback', rollback.flag, section));
    items.push(...rollback.steps.map((step) => stepItem('rollback', step, section)));
    if (rollback.strategy === 'full' && rollback.database) {
      if (rollback.database.restore === 'backup') {
        items.push({
          id: 'rollback:restore-backup',
          phase: 'rollback',
          kind: 'step',
          text: 'Database restored from the release backup (if needed)',
          required: false,
          section,
        });
      }
      items.push(...rollback.database.downgrade.map((step) => stepItem('rollback', step, section)));
    }
    if (rollback.verify.health) {
      items.push({
        id: 'rollback:verify-health',
        phase: 'rollback',
        kind: 'check',
        text: 'Health check passes after rollback',
        required: true,
        section,
      });
    }
    if (rollback.verify.smoke) {
      items.push({
        id: 'rollback:verify-smoke',
        phase: 'rollback',
        kind: 'check',
        text: 'Smoke checks pass after rollback',
        required: true,
        section,
      });
    }
    items.push({
      id: 'rollback:tag',
      phase: 'rollback',
      kind: 'step',
      text: 'Rollback point tagged',
      required: true,
      section,
      detail: rollback.tag.pattern,
    });
    items.push(...rollback.manual.map((item) => manualItem('rollback', item)));
    const notes = [
      ...rollback.triggers.map((trigger) => `Trigger: ${trigger}`),
      ...Object.entries(rollback.authorize).map(([severity, who]) => {
        const people = [...who.users.map((user) => `@${user}`), ...who.teams.map((team) => `@${team}`)];
        if (who.minRole) people.push(`anyone with ${who.minRole} access`);
        return `${severity}: may be rolled back by ${people.join(', ')}`;
      }),
    ];
    const rollbackPhase = phase(
      'rollback',
      `strategy ${rollback.strategy}; runs only when a rollback is triggered`,
      items,
    );
    rollbackPhase.notes = notes;
    rollbackPhase.contingent = true;
    add(rollbackPhase);
  }

  // Show the environment's own values: its url, its vars, its name.
  const values: TemplateValues = {
    environment,
    name: resolved.release.name,
    vars: resolved.environment.vars,
    ...(resolved.environment.url !== undefined && { url: resolved.environment.url }),
    ...(options.version !== undefined && { version: options.version }),
  };
  for (const item of phases.flatMap((entry) => entry.sections.flatMap((section) => section.items))) {
    item.text = renderTemplate(item.text, values);
    if (item.detail !== undefined) item.detail = renderTemplate(item.detail, values);
  }

  return {
    release: resolved.release.name,
    environment,
    ...(resolved.environment.url !== undefined && { url: resolved.environment.url }),
    production: resolved.environment.production,
    roles,
    phases,
  };
}

/** Every item, in checklist order. */
export function checklistItems(checklist: Checklist): ChecklistItem[] {
  return checklist.phases.flatMap((phase) => phase.sections.flatMap((section) => section.items));
}

function phase(name: PhaseName, summary: string | undefined, items: ChecklistItem[]): ChecklistPhase {
  const sections: ChecklistSection[] = [];
  for (const item of items) {
    const title = item.section ?? PHASE_TITLES[name];
    let section = sections.find((candidate) => candidate.title === title);
    if (!section) {
      section = { title, items: [] };
      sections.push(section);
    }
    section.items.push(item);
  }
  return {
    name,
    title: PHASE_TITLES[name],
    ...(summary !== undefined && { summary }),
    notes: [],
    contingent: false,
    sections,
  };
}

/** A command as one line a person could paste: argv quoted where needed, a script's first line. */
function commandLine(run: string | string[]): string {
  if (typeof run === 'string') {
    const lines = run.trim().split('\n');
    return lines.length > 1 ? `${lines[0]} …` : lines[0]!;
  }
  return run
    .map((arg) => (/^[\w@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function stepItem(phaseName: PhaseName, step: Step, section: string): ChecklistItem {
  const command = commandLine(step.run);
  return {
    id: step.id,
    phase: phaseName,
    kind: 'step',
    text: step.name ?? command,
    required: !step.continueOnError,
    section,
    detail: `${step.name ? `\`${command}\` · ` : ''}timeout ${formatDuration(step.timeout)}`,
  };
}

function checkItem(phaseName: PhaseName, check: Check | SmokeCheck, defaultSection: string): ChecklistItem {
  const { text, detail } = describeCheck(check);
  // A DNS check's `name` is the host it resolves, not a title.
  const named = check.name !== undefined && check.kind !== 'dns';
  return {
    id: check.id,
    phase: phaseName,
    kind: 'check',
    text: named ? check.name! : text,
    required: check.required,
    section: check.section ?? defaultSection,
    detail: [named && detail, `timeout ${formatDuration(check.timeout)}`].filter(Boolean).join(' · '),
  };
}

function describeCheck(check: Check): { text: string; detail: string } {
  switch (check.kind) {
    case 'command': {
      const command = commandLine(check.run);
      const exit = check.expectExitCode === 0 ? '' : ` exits ${check.expectExitCode}`;
      return { text: `\`${command}\`${exit || ' succeeds'}`, detail: `\`${command}\`${exit}` };
    }
    case 'http': {
      const statuses = Array.isArray(check.expect.status)
        ? check.expect.status.join(' or ')
        : String(check.expect.status);
      const parts = [`${check.method} ${check.url} → ${statuses}`];
      for (const assertion of check.expect.json) {
        if (assertion.length !== undefined) parts.push(`${assertion.path} has ${assertion.length} entries`);
        if (assertion.minLength !== undefined)
          parts.push(`${assertion.path} has at least ${assertion.minLength} entries`);
        if (assertion.equals !== undefined)
          parts.push(`${assertion.path} = ${JSON.stringify(assertion.equals)}`);
        if (assertion.matches !== undefined) parts.push(`${assertion.path} matches /${assertion.matches}/`);
        if (assertion.exists !== undefined)
          parts.push(`${assertion.path} ${assertion.exists ? 'present' : 'absent'}`);
      }
      if (check.expect.bodyContains !== undefined) parts.push(`body contains "${check.expect.bodyContains}"`);
      if (check.expect.bodyMatches !== undefined) parts.push(`body matches /${check.expect.bodyMatches}/`);
      if (check.expect.maxLatency !== undefined)
        parts.push(`within ${formatDuration(check.expect.maxLatency)}`);
      if (check.retries.attempts > 1) parts.push(`${check.retries.attempts} attempts`);
      const detail = parts.join(', ');
      return { text: detail, detail };
    }
    case 'tls':
      return {
        text: `TLS certificate of ${check.host} valid`,
        detail: `${check.host}:${check.port}, at least ${check.minDaysLeft} days left`,
      };
    case 'dns':
      return {
        text: `${check.name} resolves as expected`,
        detail: `${check.type} ${check.name} → ${check.expect.join(', ')}`,
      };
    case 'env': {
      const rules = [
        check.present ? 'set' : 'not set',
        check.minLength !== undefined ? `at least ${check.minLength} characters` : undefined,
        check.oneOf ? `one of ${check.oneOf.join(', ')}` : undefined,
        check.equals !== undefined ? 'equal to the expected value' : undefined,
        check.pattern !== undefined ? `matching /${check.pattern}/` : undefined,
      ].filter((part): part is string => part !== undefined);
      return { text: `\`${check.var}\` ${rules[0]}`, detail: `\`${check.var}\` ${rules.join(', ')}` };
    }
    case 'git-clean':
      return { text: `No uncommitted changes in ${check.path}`, detail: '' };
    case 'ci-status':
      return {
        text: `CI checks passed: ${check.checks.join(', ')}`,
        detail: `check runs ${check.checks.join(', ')}`,
      };
    case 'coverage':
      return {
        text: `Coverage (${check.metric}) at least ${formatPercent(check.min)}`,
        detail: `${check.file} (${check.format}), ${check.metric} ≥ ${formatPercent(check.min)}`,
      };
    case 'window': {
      const windows = check.allow.map(
        (window) => `${window.days ? `${window.days.join(',')} ` : ''}${window.from}-${window.to} UTC`,
      );
      const freezes = check.freeze.map(
        (freeze) => `freeze ${freeze.from}${freeze.to ? ` to ${freeze.to}` : ''}`,
      );
      const detail = [...windows, ...freezes].join('; ') || 'any time';
      return { text: `Inside the release window (${detail})`, detail };
    }
    case 'disk-free':
      return {
        text: `At least ${formatBytes(check.min)} free at ${check.path}`,
        detail: `${check.path}: ${formatBytes(check.min)} free`,
      };
  }
}

function ruleItem(rule: Rule): ChecklistItem {
  const levels: string[] = [];
  if (rule.warn) levels.push(`warn ${rule.warn.text} → ${rule.actions.warn}`);
  if (rule.critical) levels.push(`critical ${rule.critical.text} → ${rule.actions.critical}`);
  if (rule.baseline) {
    levels.push(`critical above ${rule.baseline.ratio}× the preflight baseline → ${rule.actions.critical}`);
  }
  if (rule.for > 0) levels.push(`sustained ${formatDuration(rule.for)}`);
  if (rule.dryRun) levels.push('dry run: reported, never acted on');
  return {
    id: rule.id,
    phase: 'monitor',
    kind: 'check',
    text: `\`${rule.metric}\` within limits`,
    required: true,
    section: 'Watch',
    detail: levels.join(', '),
  };
}

function manualItem(
  phaseName: PhaseName,
  item: {
    id: string;
    text: string;
    section?: string | undefined;
    owner?: string | undefined;
    required: boolean;
  },
): ChecklistItem {
  return {
    id: item.id,
    phase: phaseName,
    kind: 'manual',
    text: item.text,
    required: item.required,
    section: item.section ?? 'To do',
    ...(item.owner !== undefined && { owner: item.owner }),
  };
}

type SignoffList = Config['deploy']['signoffs'];

function signoffItems(
  phaseName: PhaseName,
  signoffs: SignoffList,
  config: Config,
  changedPaths: readonly string[] | undefined,
): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  for (const signoff of signoffs) {
    const roleId = typeof signoff === 'string' ? signoff : signoff.role;
    const paths = typeof signoff === 'string' ? undefined : signoff.when?.paths;
    if (paths && changedPaths && !changedPaths.some((file) => paths.some((glob) => matchesGlob(file, glob))))
      continue;
    const role = config.roles[roleId];
    const quorum = role && role.quorum > 1 ? ` (${role.quorum} people)` : '';
    items.push({
      id: `${phaseName}:signoff:${roleId}`,
      phase: phaseName,
      kind: 'signoff',
      text: `${role?.title ?? roleId} sign-off${quorum}`,
      owner: roleId,
      required: true,
      section: 'Sign-off',
      ...(paths && {
        condition: changedPaths
          ? `paths changed: ${paths.join(', ')}`
          : `if paths change: ${paths.join(', ')}`,
      }),
    });
  }
  return items;
}

function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100}%`;
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GB', 1e9],
    ['MB', 1e6],
    ['KB', 1e3],
  ] as const) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10}${unit}`;
  }
  return `${bytes}B`;
}
