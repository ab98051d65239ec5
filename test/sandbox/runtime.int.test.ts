import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The sandbox also runs in production (`shipgate rehearse`, from the bundled dist): it must not
 * carry GitHub's multi-megabyte OpenAPI description or any devDependency, and must start fast.
 */
describe('the sandbox runtime, bundled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-sandbox-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles without test-only packages and starts in tens of milliseconds', async () => {
    // Built as dist is (esbuild, ESM, code splitting): what loads lazily (undici for TLS
    // sandboxes, graphql-js on the first GraphQL request) lands in chunks of its own.
    const result = await build({
      entryPoints: { sandbox: join(import.meta.dirname, '../../src/sandbox/index.ts') },
      outdir: dir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const outfile = join(dir, 'sandbox.js');
    const entryKey = Object.keys(outputs).find((k) => k.endsWith('/sandbox.js'))!;
    // What the entry loads at start: itself and its static imports.
    const eager = new Set<string>([entryKey]);
    for (const key of eager) {
      for (const imported of outputs[key]!.imports) {
        if (imported.kind === 'import-statement' && !imported.external) eager.add(imported.path);
      }
    }
    const eagerInputs = [...eager].flatMap((k) => Object.keys(outputs[k]?.inputs ?? {}));
    expect(eagerInputs.filter((i) => i.includes('node_modules'))).toEqual([]);
    const allInputs = Object.keys(result.metafile.inputs);
    const forbidden = allInputs.filter((i) =>
      /node_modules\/(@octokit\/openapi|openapi-backend|ajv|@octokit\/webhooks-schemas)/.test(i),
    );
    expect(forbidden).toEqual([]);
    const size = [...eager].reduce((sum, k) => sum + (outputs[k]?.bytes ?? 0), 0);
    expect(size).toBeLessThan(200_000);

    const script = join(dir, 'start.mjs');
    writeFileSync(
      script,
      `const b0 = performance.now();
await import('node:http');
await import('node:crypto');
const builtins = performance.now() - b0;
const t0 = performance.now();
const { startSandbox } = await import(${JSON.stringify(outfile)});
const sandbox = await startSandbox();
const listening = performance.now() - t0;
const res = await fetch(sandbox.apiUrl + '/repos/acme/webshop', { headers: { authorization: 'token ghp_sandbox_ada_admin' } });
const answered = performance.now() - t0;
await sandbox.stop();
console.log(JSON.stringify({ builtins, listening, answered, status: res.status }));`,
    );
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
    });
    const figures = JSON.parse(output) as {
      builtins: number;
      listening: number;
      answered: number;
      status: number;
    };
    expect(figures.status).toBe(200);
    console.info(
      `sandbox bundle ${Math.round(size / 1024)} KiB; import + listen ${figures.listening.toFixed(1)} ms after node:http and node:crypto (${figures.builtins.toFixed(1)} ms); first answer ${figures.answered.toFixed(1)} ms`,
    );
    // Generous bound for a shared 2-core machine; the figure printed above is the measurement.
    expect(figures.listening).toBeLessThan(500);
  });
});
