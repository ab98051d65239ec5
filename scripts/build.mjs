// Bundles shipgate with esbuild: one entry per action (and per post step) plus the CLI, with code
// splitting so the shared engine ships once under dist/shared/ and each entry stays a few lines.
// The output is deterministic, committed, and CI rebuilds it and fails when it differs.
// It also writes schema/shipgate.schema.json from the zod schema (Node 24 imports the TypeScript
// source directly), so the checked-in JSON Schema cannot drift from the loader.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const entryDir = 'src/actions/entries';
const entryPoints = { cli: 'src/cli/bin.ts' };
for (const file of existsSync(entryDir) ? readdirSync(entryDir).sort() : []) {
  if (file.endsWith('.ts')) entryPoints[`actions/${file.slice(0, -3)}`] = join(entryDir, file);
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'shared/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  // Some CommonJS dependencies call require() at run time; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __shipgateRequire } from 'node:module';\nconst require = __shipgateRequire(import.meta.url);",
  },
});

const { configJsonSchemaText } = await import('../src/config/json-schema.ts');
mkdirSync('schema', { recursive: true });
writeFileSync('schema/shipgate.schema.json', configJsonSchemaText());
