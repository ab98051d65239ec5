/**
 * Two kinds of failure. A ConfigurationError is the user's to fix: it is reported plainly, with
 * where and why, and never with a stack trace. Everything else is ours and is reported with detail.
 */

export interface SourceLocation {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

/** One thing wrong with a user's input, at a place they can find. */
export interface Problem {
  location?: SourceLocation;
  /** Dotted key path inside the document, e.g. `monitor.rules[2].for`; empty for the whole file. */
  path: string;
  message: string;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  readonly problems: readonly Problem[];

  constructor(message: string, problems: readonly Problem[] = []) {
    super(message);
    this.problems = problems;
  }
}

/** Formats a problem as `FILE:LINE:COL: path: message`, the shape editors and CI logs link. */
export function formatProblem(problem: Problem): string {
  const where = problem.location
    ? `${problem.location.file}:${problem.location.line}:${problem.location.column}: `
    : '';
  const path = problem.path ? `${problem.path}: ` : '';
  return `${where}${path}${problem.message}`;
}

/** Normalises anything thrown into a message, once, at the edge. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
