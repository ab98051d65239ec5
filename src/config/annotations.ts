import { isAbsolute, relative } from 'node:path';
import type { ConfigurationError, Problem } from '../errors.ts';
import type { Logger } from '../logger.ts';

/**
 * Shows config problems where they are: in Actions each becomes an error annotation on its line
 * of `.github/shipgate.yml` (`core.error(message, { file, startLine, startColumn, title })`
 * through the Logger); on a console, a `FILE:LINE:COL: path: message` line.
 */
export function annotateProblems(
  logger: Logger,
  problems: readonly Problem[],
  options: { workspace?: string; title?: string } = {},
): void {
  const title = options.title ?? 'shipgate config';
  for (const problem of problems) {
    const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
    if (!problem.location) {
      logger.error(message);
      continue;
    }
    const { file, line, column } = problem.location;
    // Annotations name files relative to the repository root.
    const workspace = options.workspace ?? process.env.GITHUB_WORKSPACE;
    const shown = workspace && isAbsolute(file) ? relative(workspace, file) : file;
    logger.error(message, { file: shown, line, column, title });
  }
}

/** Reports a ConfigurationError: its summary, then each problem on its line. */
export function reportConfigurationError(
  logger: Logger,
  error: ConfigurationError,
  options: { workspace?: string; title?: string } = {},
): void {
  if (error.problems.length === 0) {
    logger.error(error.message);
    return;
  }
  logger.info(error.message);
  annotateProblems(logger, error.problems, options);
}
