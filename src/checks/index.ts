export type {
  CheckContext,
  CheckResult,
  CheckStatus,
  CheckVerdict,
  Clock,
  Evidence,
  GitHubTarget,
} from './context.ts';
export { systemClock } from './context.ts';
export { CHECK_IMPLEMENTATIONS, checkImplementation } from './registry.ts';
export { type ChecksContext, type RunChecksOptions, runChecks, runOne } from './runner.ts';
