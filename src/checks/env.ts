import type { Check } from '../config/schema.ts';
import type { CheckContext, CheckVerdict } from './context.ts';
import { compilePattern } from './pattern.ts';

type EnvCheck = Extract<Check, { kind: 'env' }>;

/**
 * `env`: an environment variable is set (`present`, the default) and, when asked, equals a value,
 * is one of several, is at least N characters long, or matches a pattern. `present: false`
 * asserts the variable is NOT set (e.g. a debug switch in production).
 *
 * It never prints the value, nor anything derived from it (not even its length), in a summary,
 * evidence or message: these variables are often secrets that are not (yet) listed as such.
 */
export async function envCheck(check: EnvCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const pattern =
    check.pattern === undefined ? undefined : compilePattern(check.pattern, `checks.${check.id}.pattern`);
  const value = ctx.env[check.var];
  const set = value !== undefined && value !== '';
  const evidence = { var: check.var, set };
  if (!check.present) {
    return set
      ? { status: 'failed', summary: `${check.var} is set, expected it unset`, evidence }
      : { status: 'passed', summary: `${check.var} is not set`, evidence };
  }
  if (!set) return { status: 'failed', summary: `${check.var} is not set`, evidence };
  const problems: string[] = [];
  if (check.equals !== undefined && value !== check.equals)
    problems.push('does not equal the expected value');
  if (check.oneOf !== undefined && !check.oneOf.includes(value)) {
    problems.push(`is not one of the ${check.oneOf.length} allowed values`);
  }
  if (check.minLength !== undefined && [...value].length < check.minLength) {
    problems.push(`is shorter than ${check.minLength} characters`);
  }
  if (pattern !== undefined && !pattern.test(value)) {
    problems.push(`does not match /${check.pattern}/`);
  }
  const asked = ['equals', 'oneOf', 'minLength', 'pattern'].filter(
    (key) => check[key as keyof EnvCheck] !== undefined,
  );
  if (problems.length > 0) {
    return { status: 'failed', summary: `${check.var} ${problems.join(', ')}`, evidence };
  }
  return {
    status: 'passed',
    summary: asked.length ? `${check.var} is set (${asked.join(', ')} ok)` : `${check.var} is set`,
    evidence,
  };
}
