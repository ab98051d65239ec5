import { ConfigurationError } from '../errors.ts';

/** Compiles a regular expression from the config; a broken one is the user's to fix, with where it is. */
export function compilePattern(pattern: string, where: string, flags = ''): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    const message = `invalid regular expression /${pattern}/: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
    throw new ConfigurationError(`${where}: ${message}`, [{ path: where, message }]);
  }
}
