/**
 * The only road from an event into a command (DESIGN 5): values that people outside the
 * repository control (PR titles, branch names, dispatch inputs) and facts about the run become
 * environment variables with these names. A config command reads `"$SHIPGATE_PR_TITLE"`; nothing
 * is ever spliced into a command line, so a title like `$(touch /tmp/owned)` stays text.
 */
export const EVENT_ENV = {
  version: 'SHIPGATE_VERSION',
  previousVersion: 'SHIPGATE_PREVIOUS_VERSION',
  targetVersion: 'SHIPGATE_TARGET_VERSION',
  environment: 'SHIPGATE_ENVIRONMENT',
  environmentUrl: 'SHIPGATE_ENVIRONMENT_URL',
  sha: 'SHIPGATE_SHA',
  actor: 'SHIPGATE_ACTOR',
  prNumber: 'SHIPGATE_PR_NUMBER',
  prTitle: 'SHIPGATE_PR_TITLE',
  branch: 'SHIPGATE_BRANCH',
  reason: 'SHIPGATE_REASON',
  severity: 'SHIPGATE_SEVERITY',
  region: 'SHIPGATE_REGION',
  drill: 'SHIPGATE_DRILL',
  backupFile: 'SHIPGATE_BACKUP_FILE',
} as const;

/** The variable carrying the environment's `vars.NAME` value. */
export function varEnvName(name: string): string {
  return `SHIPGATE_VAR_${name}`;
}

export type EventValues = Partial<Record<keyof typeof EVENT_ENV, string | number>>;

/**
 * The environment for a command: each known value under its SHIPGATE_* name, and the
 * environment's `vars` as SHIPGATE_VAR_<NAME>. Absent values are left out, not set empty.
 */
export function eventEnvironment(
  values: EventValues,
  vars: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(EVENT_ENV)) {
    const value = values[key as keyof typeof EVENT_ENV];
    if (value !== undefined) env[name] = String(value);
  }
  for (const [name, value] of Object.entries(vars)) env[varEnvName(name)] = value;
  return env;
}
