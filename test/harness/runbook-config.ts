/**
 * A runbook example (`examples/*.shipgate.yml`) made runnable here, for tests that run its phases
 * for real: same structure, same ids, same checks, steps and items, with only what points at
 * infrastructure this machine does not have rewritten, each rewrite listed:
 *
 * - commands whose program is one of the runbook's tools not installed here (pytest, ruff, bandit,
 *   k6, uv, pip-audit, promtool, alembic, python -m alembic, docker, systemctl, journalctl) become
 *   `true`, keeping their id, timeout and working directory;
 * - `node examples/demo-app/ctl.ts ...` runs with this Node and the ctl script's absolute path;
 * - `/var/www/status` (the runbook's maintenance flag) becomes `maintenance.status` in the workspace;
 * - every environment's `url` and the URL vars in `urlVars` point at the demo app, `hostVars` at 127.0.0.1;
 * - the ids in `skip` are added to the environment's `skip:` (checks that need a TLS certificate, a
 *   redirecting proxy or Prometheus in front of the app);
 * - `wait:` is dropped, so a phase whose automation passed ends at once as waiting for its people.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { DEMO_APP_CTL } from './demo-app.ts';

export const RUNBOOK_TOOLS = [
  'pytest',
  'ruff',
  'bandit',
  'k6',
  'uv',
  'pip-audit',
  'promtool',
  'alembic',
  'python',
  'docker',
  'systemctl',
  'journalctl',
] as const;

export interface RunbookVariantOptions {
  /** The demo app's URL. */
  appUrl: string;
  /** Vars that hold a URL of the service (e.g. STAGING_URL). */
  urlVars?: string[];
  /** Vars that hold the service's host name (e.g. API_HOST). */
  hostVars?: string[];
  /** Item ids the environment skips here, with why in the test. */
  skip?: Record<string, string[]>;
}

export interface RunbookVariant {
  text: string;
  /** Ids of the commands that became `true`. */
  replaced: string[];
}

type Json = Record<string, unknown>;

export async function runbookVariant(
  example: string,
  options: RunbookVariantOptions,
): Promise<RunbookVariant> {
  const path = fileURLToPath(new URL(`../../examples/${example}`, import.meta.url));
  const config = parse(await readFile(path, 'utf8')) as Json;
  const replaced: string[] = [];
  const environments = config.environments as Record<string, Json>;
  for (const [name, environment] of Object.entries(environments)) {
    environment.url = options.appUrl;
    const vars = (environment.vars ?? {}) as Record<string, string>;
    for (const key of options.urlVars ?? []) if (key in vars) vars[key] = options.appUrl;
    for (const key of options.hostVars ?? []) if (key in vars) vars[key] = '127.0.0.1';
    const skip = options.skip?.[name];
    if (skip) environment.skip = [...((environment.skip as string[] | undefined) ?? []), ...skip];
  }
  const rewrite = (item: Json) => {
    const run = item.run;
    if (run === undefined) return;
    const program = Array.isArray(run) ? String(run[0]) : String(run).trim().split(/\s+/)[0]!;
    if ((RUNBOOK_TOOLS as readonly string[]).includes(program)) {
      item.run = ['true'];
      replaced.push(String(item.id));
    } else if (Array.isArray(run)) {
      item.run = run.map((arg: string, index) =>
        index === 0 && arg === 'node'
          ? process.execPath
          : arg === 'examples/demo-app/ctl.ts'
            ? DEMO_APP_CTL
            : arg,
      );
    } else {
      item.run = String(run).replaceAll('/var/www/status', 'maintenance.status');
    }
  };
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const item = value as Json;
      if ('id' in item && 'run' in item) rewrite(item);
      Object.values(item).forEach(visit);
    }
  };
  for (const phase of ['preflight', 'backup', 'deploy', 'smoke', 'monitor', 'rollback']) {
    const section = config[phase] as Json | undefined;
    if (!section) continue;
    delete section.wait;
    visit(section);
  }
  return { text: stringify(config), replaced };
}
