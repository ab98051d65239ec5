import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);

// src/errors.ts
var ConfigurationError = class extends Error {
  name = "ConfigurationError";
  problems;
  constructor(message, problems = []) {
    super(message);
    this.problems = problems;
  }
};
function formatProblem(problem) {
  const where = problem.location ? `${problem.location.file}:${problem.location.line}:${problem.location.column}: ` : "";
  const path = problem.path ? `${problem.path}: ` : "";
  return `${where}${path}${problem.message}`;
}
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

export {
  ConfigurationError,
  formatProblem,
  errorMessage
};
