import { closest } from './did-you-mean.ts';
import { PLACEHOLDERS, placeholdersIn } from '../engine/template.ts';
import type { Finding } from './validation-messages.ts';
import { formatPath, type KeyPath, type PathSegment } from './yaml-source.ts';

/**
 * What the schema cannot see because it needs the whole file: ids unique across every item,
 * references to roles, sources, rules and environments that exist, placeholders that mean
 * something, windows that end after they start, regular expressions that compile.
 *
 * These run on the raw document even when the schema found problems, so one run reports
 * everything; each check therefore reads defensively and skips what is not the right shape.
 */

type Raw = Record<string, unknown>;

function isRaw(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function raw(value: unknown): Raw {
  return isRaw(value) ? value : {};
}
function rawList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export const PEOPLE_PHASES = ['preflight', 'backup', 'deploy', 'smoke', 'monitor'] as const;

export interface IdentifiedItem {
  id: string;
  path: KeyPath;
  /** What kind of item owns the id, for messages. */
  kind: 'check' | 'step' | 'manual item' | 'rule';
}

/** Every item that carries an id, in document order. Works on the raw document and on a parsed Config. */
export function identifiedItems(document: unknown): IdentifiedItem[] {
  const root = raw(document);
  const items: IdentifiedItem[] = [];
  const add = (value: unknown, path: KeyPath, kind: IdentifiedItem['kind']) => {
    const id = text(raw(value).id);
    if (id !== undefined) items.push({ id, path: [...path, 'id'], kind });
  };
  const addList = (value: unknown, path: KeyPath, kind: IdentifiedItem['kind']) => {
    for (const [index, item] of rawList(value).entries()) add(item, [...path, index], kind);
  };
  const preflight = raw(root.preflight);
  addList(preflight.checks, ['preflight', 'checks'], 'check');
  addList(preflight.steps, ['preflight', 'steps'], 'step');
  addList(preflight.manual, ['preflight', 'manual'], 'manual item');
  addList(raw(root.backup).manual, ['backup', 'manual'], 'manual item');
  const deploy = raw(root.deploy);
  const maintenance = raw(deploy.maintenance);
  add(maintenance.enable, ['deploy', 'maintenance', 'enable'], 'step');
  addList(deploy.migrations, ['deploy', 'migrations'], 'step');
  addList(deploy.steps, ['deploy', 'steps'], 'step');
  add(maintenance.disable, ['deploy', 'maintenance', 'disable'], 'step');
  addList(deploy.manual, ['deploy', 'manual'], 'manual item');
  const smoke = raw(root.smoke);
  addList(smoke.checks, ['smoke', 'checks'], 'check');
  addList(smoke.manual, ['smoke', 'manual'], 'manual item');
  const monitor = raw(root.monitor);
  addList(monitor.rules, ['monitor', 'rules'], 'rule');
  addList(monitor.manual, ['monitor', 'manual'], 'manual item');
  const rollback = raw(root.rollback);
  addList(rollback.steps, ['rollback', 'steps'], 'step');
  addList(raw(rollback.database).downgrade, ['rollback', 'database', 'downgrade'], 'step');
  add(rollback.flag, ['rollback', 'flag'], 'step');
  addList(rollback.manual, ['rollback', 'manual'], 'manual item');
  return items;
}

function duplicateIds(document: unknown): Finding[] {
  const first = new Map<string, IdentifiedItem>();
  const findings: Finding[] = [];
  for (const item of identifiedItems(document)) {
    const earlier = first.get(item.id);
    if (!earlier) {
      first.set(item.id, item);
      continue;
    }
    findings.push({
      path: item.path,
      message: `duplicate id '${item.id}', already used by the ${earlier.kind} at ${formatPath(earlier.path.slice(0, -1))} (expected ids unique across the whole file: they name checklist items)`,
      at: 'value',
    });
  }
  return findings;
}

function unknownName(subject: string, name: string, known: readonly string[], advice = ''): string {
  const suggestion = closest(name, known);
  const hint = suggestion ? `did you mean '${suggestion}'? ` : '';
  const expected = known.length ? `expected one of: ${known.join(', ')}` : `none are declared${advice}`;
  return `unknown ${subject} '${name}' (${hint}${expected})`;
}

function roleReferences(document: unknown): Finding[] {
  const root = raw(document);
  const roles = Object.keys(raw(root.roles));
  const findings: Finding[] = [];
  const advice = '; declare roles under roles:';
  for (const phase of [...PEOPLE_PHASES, 'rollback'] as const) {
    const section = raw(root[phase]);
    rawList(section.signoffs).forEach((signoff, index) => {
      const path: PathSegment[] = [phase, 'signoffs', index];
      const role = text(signoff) ?? text(raw(signoff).role);
      if (isRaw(signoff)) path.push('role');
      if (role !== undefined && !roles.includes(role)) {
        findings.push({ path, message: unknownName('role', role, roles, advice), at: 'value' });
      }
    });
    rawList(section.manual).forEach((item, index) => {
      const owner = text(raw(item).owner);
      const path = [phase, 'manual', index, 'owner'];
      if (owner === undefined) return;
      if (owner.startsWith('@')) {
        if (!/^@[A-Za-z0-9][A-Za-z0-9-]{0,38}(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/.test(owner)) {
          findings.push({
            path,
            message: `'${owner}' is not a valid owner (expected a role id, @login or @org/team)`,
            at: 'value',
          });
        }
      } else if (!roles.includes(owner)) {
        findings.push({
          path,
          message: unknownName('role', owner, roles, `${advice} or write @login`),
          at: 'value',
        });
      }
    });
  }
  return findings;
}

function metricReferences(document: unknown): Finding[] {
  const monitor = raw(raw(document).monitor);
  const sources = raw(monitor.sources);
  const sourceNames = Object.keys(sources);
  const findings: Finding[] = [];
  rawList(monitor.rules).forEach((rule, index) => {
    const metric = text(raw(rule).metric);
    const path = ['monitor', 'rules', index, 'metric'];
    const match = metric === undefined ? null : /^([^.]+)\.(.+)$/.exec(metric);
    if (!match) return; // the schema reports the shape
    const [, sourceName, metricName] = match as unknown as [string, string, string];
    const source = Object.hasOwn(sources, sourceName) ? sources[sourceName] : undefined;
    if (source === undefined) {
      findings.push({
        path,
        message: unknownName('metric source', sourceName, sourceNames, ' under monitor.sources'),
        at: 'value',
      });
      return;
    }
    if (raw(source).kind === 'prometheus') {
      const queries = Object.keys(raw(raw(source).queries));
      if (!queries.includes(metricName)) {
        const suggestion = closest(metricName, queries);
        findings.push({
          path,
          message: `source '${sourceName}' has no query named '${metricName}' (${suggestion ? `did you mean '${sourceName}.${suggestion}'? ` : ''}expected one of: ${queries.join(', ')}, or a query added under monitor.sources.${sourceName}.queries)`,
          at: 'value',
        });
      }
    }
  });
  return findings;
}

function environmentReferences(document: unknown): Finding[] {
  const root = raw(document);
  const environments = raw(root.environments);
  const environmentNames = Object.keys(environments);
  const ids = [...new Set(identifiedItems(document).map((item) => item.id))];
  const ruleIds = identifiedItems(document)
    .filter((item) => item.kind === 'rule')
    .map((item) => item.id);
  const findings: Finding[] = [];
  for (const [name, environment] of Object.entries(environments)) {
    const env = raw(environment);
    rawList(env.skip).forEach((id, index) => {
      if (typeof id === 'string' && !ids.includes(id)) {
        const suggestion = closest(id, ids);
        findings.push({
          path: ['environments', name, 'skip', index],
          message: `unknown item id '${id}' (${suggestion ? `did you mean '${suggestion}'? ` : ''}expected the id of a check, step, manual item or rule in this file)`,
          at: 'value',
        });
      }
    });
    for (const ruleId of Object.keys(raw(raw(env.monitor).rules))) {
      if (!ruleIds.includes(ruleId)) {
        findings.push({
          path: ['environments', name, 'monitor', 'rules', ruleId],
          message: unknownName('rule', ruleId, ruleIds, ' under monitor.rules'),
          at: 'key',
        });
      }
    }
  }
  // Checks limited to some environments must name environments that exist.
  for (const phase of ['preflight', 'smoke'] as const) {
    rawList(raw(root[phase]).checks).forEach((check, checkIndex) => {
      rawList(raw(check).environments).forEach((name, index) => {
        if (typeof name === 'string' && environmentNames.length > 0 && !environmentNames.includes(name)) {
          findings.push({
            path: [phase, 'checks', checkIndex, 'environments', index],
            message: unknownName('environment', name, environmentNames),
            at: 'value',
          });
        }
      });
    });
  }
  return findings;
}

/** Keys whose strings are regular expressions or globs, not templates. */
const NOT_TEMPLATES = new Set([
  '$schema',
  'outputMatches',
  'bodyMatches',
  'matches',
  'paths',
  'tagPattern',
  'secrets',
]);

function placeholderReferences(document: unknown): Finding[] {
  const root = raw(document);
  const secrets = rawList(root.secrets).filter((name): name is string => typeof name === 'string');
  const vars = new Set<string>();
  for (const environment of Object.values(raw(root.environments))) {
    for (const name of Object.keys(raw(raw(environment).vars))) vars.add(name);
  }
  const known = Object.keys(PLACEHOLDERS);
  const findings: Finding[] = [];
  const visit = (value: unknown, path: PathSegment[], parent: Raw | undefined) => {
    if (typeof value === 'string') {
      const key = [...path].reverse().find((segment) => typeof segment === 'string');
      if (key !== undefined && NOT_TEMPLATES.has(key)) return;
      if (key === 'pattern' && parent?.kind === 'env') return;
      const shellLine = path.at(-1) === 'run';
      for (const { name, index } of placeholdersIn(value)) {
        const message = shellLine
          ? shellPlaceholderProblem(name)
          : placeholderProblem(name, known, secrets, [...vars]);
        if (message) findings.push({ path, message, at: 'value', within: index });
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index], parent);
    } else if (isRaw(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key], value);
    }
  };
  visit(root, [], undefined);
  return findings;
}

/**
 * A `run:` string goes to bash as written: filling values into a shell line is how a tag named
 * `v1$(touch x)` would run code (DESIGN 5). Say where the value is instead.
 */
function shellPlaceholderProblem(name: string): string {
  const variable =
    SHELL_VARIABLES[name] ?? (name.startsWith('vars.') ? `SHIPGATE_VAR_${name.slice(5)}` : undefined);
  const instead = variable
    ? `"$${variable}"`
    : name.startsWith('secrets.')
      ? `"$${name.slice(8)}"`
      : undefined;
  return (
    `placeholder '{${name}}' is not filled in a shell command (expected ${instead ? `${instead} in the command, or ` : ''}` +
    'run written as an argv list, whose elements are filled one argument each)'
  );
}

const SHELL_VARIABLES: Record<string, string> = {
  version: 'SHIPGATE_VERSION',
  previousVersion: 'SHIPGATE_PREVIOUS_VERSION',
  environment: 'SHIPGATE_ENVIRONMENT',
  url: 'SHIPGATE_ENVIRONMENT_URL',
};

function placeholderProblem(
  name: string,
  known: string[],
  secrets: string[],
  vars: string[],
): string | undefined {
  const [head, tail] = name.split('.') as [string, string | undefined];
  if (tail === undefined) {
    if (known.includes(head)) return undefined;
    const suggestion = closest(head, [...known, 'vars', 'secrets']);
    const hint = suggestion ? `did you mean '{${suggestion}}'? ` : '';
    return `unknown placeholder '{${name}}' (${hint}expected one of: ${known.map((k) => `{${k}}`).join(', ')}, {vars.NAME}, {secrets.NAME}; write {{ for a literal brace)`;
  }
  if (head === 'secrets') {
    if (secrets.includes(tail)) return undefined;
    const suggestion = closest(tail, secrets);
    return `secret '${tail}' is not declared (${suggestion ? `did you mean '{secrets.${suggestion}}'? ` : ''}expected it listed under secrets:, so its value is masked)`;
  }
  if (head === 'vars') {
    if (vars.includes(tail)) return undefined;
    const suggestion = closest(tail, vars);
    return `variable '${tail}' is not defined (${suggestion ? `did you mean '{vars.${suggestion}}'? ` : ''}expected it under environments.NAME.vars)`;
  }
  const suggestion = closest(head, ['vars', 'secrets']);
  return `unknown placeholder '{${name}}' (${suggestion ? `did you mean '{${suggestion}.${tail}}'? ` : ''}expected {vars.NAME} or {secrets.NAME})`;
}

function checkLists(document: unknown): { path: PathSegment[]; check: Raw }[] {
  const root = raw(document);
  return (['preflight', 'smoke'] as const).flatMap((phase) =>
    rawList(raw(root[phase]).checks).map((check, index) => ({
      path: [phase, 'checks', index],
      check: raw(check),
    })),
  );
}

function regularExpressions(document: unknown): Finding[] {
  const findings: Finding[] = [];
  const test = (value: unknown, path: PathSegment[]) => {
    if (typeof value !== 'string') return;
    try {
      new RegExp(value);
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : '';
      findings.push({
        path,
        message: `'${value}' is not a valid regular expression: ${reason} (expected a JavaScript regular expression)`,
        at: 'value',
      });
    }
  };
  for (const { path, check } of checkLists(document)) {
    test(check.outputMatches, [...path, 'outputMatches']);
    if (check.kind === 'env') test(check.pattern, [...path, 'pattern']);
    const expect = raw(check.expect);
    test(expect.bodyMatches, [...path, 'expect', 'bodyMatches']);
    for (const [index, assertion] of rawList(expect.json).entries()) {
      test(raw(assertion).matches, [...path, 'expect', 'json', index, 'matches']);
    }
  }
  return findings;
}

function windows(document: unknown): Finding[] {
  const findings: Finding[] = [];
  for (const { path, check } of checkLists(document)) {
    if (check.kind !== 'window') continue;
    rawList(check.allow).forEach((window, index) => {
      const from = text(raw(window).from);
      const to = text(raw(window).to);
      if (!from || !to || !/^\d\d:\d\d$/.test(from) || !/^\d\d:\d\d$/.test(to)) return;
      if (to <= from) {
        findings.push({
          path: [...path, 'allow', index, 'to'],
          message: `the window ends at ${to}, not after it starts at ${from} (expected to later than from; split a window across midnight into two)`,
          at: 'value',
        });
      }
    });
    rawList(check.freeze).forEach((freeze, index) => {
      const from = text(raw(freeze).from);
      const to = text(raw(freeze).to);
      if (!from || !to || !/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to)) return;
      if (to < from) {
        findings.push({
          path: [...path, 'freeze', index, 'to'],
          message: `the freeze ends on ${to}, before it starts on ${from} (expected to on or after from)`,
          at: 'value',
        });
      }
    });
  }
  return findings;
}

/** Every check the schema cannot make, over the raw document. */
export function semanticFindings(document: unknown): Finding[] {
  return [
    ...duplicateIds(document),
    ...roleReferences(document),
    ...metricReferences(document),
    ...environmentReferences(document),
    ...placeholderReferences(document),
    ...regularExpressions(document),
    ...windows(document),
  ];
}
