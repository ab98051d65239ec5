import { ConfigurationError } from '../errors.ts';
import { closest } from './did-you-mean.ts';
import type { Config, Environment, Rule, Step } from './schema.ts';

/**
 * One environment's view of the config: items named in its `skip` are gone, checks limited to
 * other environments are gone, and its monitor overrides (duration, rule thresholds) are applied.
 */
export interface ResolvedEnvironment extends Environment {
  name: string;
}

export type EnvironmentConfig = Config & { environment: ResolvedEnvironment };

export function resolveEnvironment(config: Config, name: string): EnvironmentConfig {
  const environment = Object.hasOwn(config.environments, name) ? config.environments[name] : undefined;
  if (!environment) {
    const known = Object.keys(config.environments);
    const suggestion = closest(name, known);
    throw new ConfigurationError(
      `unknown environment '${name}' (${suggestion ? `did you mean '${suggestion}'? ` : ''}expected one of: ${known.join(', ')})`,
    );
  }
  const skip = new Set(environment.skip);
  const keep = <T extends { id: string }>(items: T[]): T[] => items.filter((item) => !skip.has(item.id));
  const applies = <T extends { id: string; environments?: string[] | undefined }>(items: T[]): T[] =>
    keep(items).filter((item) => item.environments === undefined || item.environments.includes(name));
  const keepStep = (step: Step | undefined): Step | undefined =>
    step && !skip.has(step.id) ? step : undefined;

  const resolved: EnvironmentConfig = {
    ...config,
    environment: { ...environment, name },
    deploy: {
      ...config.deploy,
      // Maintenance is a pair: skipping either half skips both, never leaving the site in maintenance.
      maintenance:
        config.deploy.maintenance &&
        keepStep(config.deploy.maintenance.enable) &&
        keepStep(config.deploy.maintenance.disable)
          ? config.deploy.maintenance
          : undefined,
      migrations: keep(config.deploy.migrations),
      steps: keep(config.deploy.steps),
      manual: keep(config.deploy.manual),
    },
  };
  if (config.preflight) {
    resolved.preflight = {
      ...config.preflight,
      checks: applies(config.preflight.checks),
      steps: keep(config.preflight.steps),
      manual: keep(config.preflight.manual),
    };
  }
  if (config.backup) resolved.backup = { ...config.backup, manual: keep(config.backup.manual) };
  if (config.smoke) {
    resolved.smoke = {
      ...config.smoke,
      checks: applies(config.smoke.checks),
      manual: keep(config.smoke.manual),
    };
  }
  if (config.monitor) {
    const overrides = environment.monitor;
    resolved.monitor = {
      ...config.monitor,
      duration: overrides?.duration ?? config.monitor.duration,
      rules: keep(config.monitor.rules).map((rule) => overrideRule(rule, overrides?.rules[rule.id])),
      manual: keep(config.monitor.manual),
    };
  }
  if (config.rollback) {
    resolved.rollback = {
      ...config.rollback,
      steps: keep(config.rollback.steps),
      flag: keepStep(config.rollback.flag),
      database: config.rollback.database && {
        ...config.rollback.database,
        downgrade: keep(config.rollback.database.downgrade),
      },
      manual: keep(config.rollback.manual),
    };
  }
  return resolved;
}

type RuleOverride = NonNullable<Environment['monitor']>['rules'][string];

function overrideRule(rule: Rule, override: RuleOverride | undefined): Rule {
  if (!override) return rule;
  return {
    ...rule,
    ...(override.warn !== undefined && { warn: override.warn }),
    ...(override.critical !== undefined && { critical: override.critical }),
    ...(override.for !== undefined && { for: override.for }),
    ...(override.dryRun !== undefined && { dryRun: override.dryRun }),
  };
}
