import type { Octokit } from '@octokit/rest';
import type { Check } from '../config/schema.ts';
import type { TemplateValues } from '../engine/template.ts';
import type { Logger } from '../logger.ts';
import type { SecretScrubber } from '../secrets.ts';

/**
 * What a check needs from the world, passed in (STYLE 4) so tests hand it real objects:
 * a clock, a logger, the environment, a working directory, an abort signal, the secret scrubber,
 * the placeholder values and, for `ci-status`, an Octokit pointed at GitHub (or the sandbox).
 */
import type { Clock } from '../engine/clock.ts';

export { type Clock, systemClock } from '../engine/clock.ts';

/** The repository and commit a `ci-status` check looks at. */
export interface GitHubTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The commit whose check runs must be green. */
  sha: string;
}

export interface CheckContext {
  clock: Clock;
  logger: Logger;
  /** The environment checks and commands see (`process.env` in production). */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths in checks (files, working directories) resolve against this. */
  cwd: string;
  /** Aborts at the check's timeout or when the run is cancelled. */
  signal: AbortSignal;
  scrubber: SecretScrubber;
  /** Values for {version}, {url}, {vars.NAME}, {secrets.NAME}, ... */
  template: TemplateValues;
  github?: GitHubTarget;
  /** DNS servers (`host` or `host:port`) for `dns` checks; the system's resolvers when absent. */
  dnsServers?: readonly string[];
  /** Trusted CA certificates (PEM) for `tls` checks instead of the system roots. */
  tlsCa?: readonly string[];
}

export type CheckStatus = 'passed' | 'failed' | 'inconclusive';

/** Small facts that back a result: a status code, a latency, a measured value, an excerpt. */
export type Evidence = Record<string, string | number | boolean | null | readonly string[]>;

/** What a check kind's implementation decides. */
export interface CheckVerdict {
  status: CheckStatus;
  /** One line for the checklist. */
  summary: string;
  evidence?: Evidence;
}

export interface CheckResult {
  id: string;
  kind: Check['kind'];
  /** The check's name, or its id. */
  name: string;
  status: CheckStatus;
  required: boolean;
  /**
   * What the result means for the phase: `ok` (passed), `warning` (a check that is not required
   * did not pass) or `blocking` (a required check failed or was inconclusive: inconclusive is never
   * silently a pass).
   */
  outcome: 'ok' | 'warning' | 'blocking';
  durationMs: number;
  /** One line, scrubbed of secrets. */
  summary: string;
  /** Scrubbed of secrets. */
  evidence: Evidence;
}
