/**
 * Holds the sandbox to GitHub's contract: every request and response it exchanges is validated
 * against GitHub's official OpenAPI description (npm @octokit/openapi, api.github.com). Tests
 * only: the 13 MB description is loaded once per test file and never by the runtime.
 *
 * openapi-backend's router finds the operation a request path belongs to (independently of the
 * sandbox's own route table, so a wrong template or operationId is caught); ajv validates bodies
 * against the description's schemas. The components are registered once and compiled per schema
 * on first use, so operations that share `issue` or `repository` share the compiled validator.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OpenAPIRouter } from 'openapi-backend';
import type { Exchange } from '../../src/sandbox/index.ts';

type Json = Record<string, unknown>;

export interface Violation {
  operationId: string;
  method: string;
  path: string;
  status: number;
  where: 'request' | 'response' | 'routing';
  errors: string[];
}

interface SpecOperation {
  operationId?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses?: Record<string, Json>;
}

let spec: Json | undefined;

/** GitHub's description as plain JSON (OpenAPI 3.0.3). */
export function githubSpec(): Json {
  if (!spec) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@octokit/openapi/package.json'));
    spec = JSON.parse(readFileSync(join(root, 'generated', 'api.github.com.json'), 'utf8')) as Json;
  }
  return spec;
}

/**
 * OpenAPI 3.0 → JSON Schema: `nullable: true` beside `allOf`/`anyOf` (no `type`) becomes
 * `anyOf: [schema, {type: null}]`, `nullable` admits null into an `enum`, and local `#/` refs
 * point into the registered description.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `github${v}` : toJsonSchema(v);
  }
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null))
    out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined && out.$ref === undefined) {
    const { nullable: _n, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

interface Contract {
  router: OpenAPIRouter;
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

let contract: Contract | undefined;

function loadContract(): Contract {
  if (contract) return contract;
  const definition = githubSpec();
  const router = new OpenAPIRouter({ definition: definition as never });
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
  addFormats.default(ajv);
  // GitHub answers "" for unset URL fields (a deployment status's target_url, log_url,
  // environment_url) although its description says `format: uri`; accept exactly that.
  const uri = ajv.formats.uri as { validate: (s: string) => boolean } | ((s: string) => boolean);
  const check = typeof uri === 'function' ? uri : uri.validate;
  ajv.addFormat('uri', (value: string) => value === '' || check(value));
  ajv.addSchema({ components: toJsonSchema(definition.components) }, 'github');
  contract = { router, ajv, validators: new Map() };
  return contract;
}

function resolveRef(node: Json | undefined): Json | undefined {
  let current = node;
  for (let i = 0; current && typeof current.$ref === 'string' && i < 5; i += 1) {
    const parts = current.$ref.replace(/^#\//, '').split('/');
    let target: unknown = githubSpec();
    for (const p of parts) target = (target as Json | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
    current = target as Json | undefined;
  }
  return current;
}

function validator(c: Contract, key: string, schema: unknown): ValidateFunction {
  let fn = c.validators.get(key);
  if (!fn) {
    fn = c.ajv.compile(toJsonSchema(schema) as Json);
    c.validators.set(key, fn);
  }
  return fn;
}

function jsonSchemaOf(node: Json | undefined): unknown {
  const content = resolveRef(node)?.content as Record<string, { schema?: unknown }> | undefined;
  if (!content) return undefined;
  return (content['application/json'] ?? Object.values(content)[0])?.schema;
}

/** Collects violations from exchanges; `assertClean()` fails the test that caused them. */
export class ContractChecker {
  readonly violations: Violation[] = [];
  /** Responses whose status GitHub's description does not list for the operation (401, injected 502 ...). */
  readonly undocumented: { operationId: string; status: number }[] = [];
  /** Operations with at least one exchange validated (any documented status). */
  readonly validatedOperations = new Set<string>();
  /** Operations with at least one successful (2xx) exchange validated, request and response. */
  readonly validatedSuccess = new Set<string>();

  record(exchange: Exchange): void {
    try {
      this.check(exchange);
    } catch (error) {
      this.add(exchange, 'routing', [`validator failed: ${String(error)}`]);
    }
  }

  async assertClean(): Promise<void> {
    if (this.violations.length > 0) {
      const text = this.violations
        .slice(0, 10)
        .map(
          (v) =>
            `${v.method} ${v.path} (${v.operationId}) ${v.status} ${v.where}: ${v.errors.slice(0, 5).join('; ')}`,
        )
        .join('\n');
      throw new Error(`sandbox broke GitHub's OpenAPI contract ${this.violations.length} time(s):\n${text}`);
    }
  }

  private add(x: Exchange, where: Violation['where'], errors: string[]): void {
    this.violations.push({
      operationId: x.operationId,
      method: x.method,
      path: x.path,
      status: x.status,
      where,
      errors,
    });
  }

  private check(x: Exchange): void {
    const c = loadContract();
    const match = c.router.matchOperation({ method: x.method.toLowerCase(), path: x.path, headers: {} });
    if (!match?.operationId) {
      this.add(x, 'routing', ['no operation in the description matches']);
      return;
    }
    if (match.operationId !== x.operationId) {
      this.add(x, 'routing', [
        `the description calls this ${match.operationId}, the sandbox ${x.operationId}`,
      ]);
    }
    const paths = githubSpec().paths as Record<string, Record<string, SpecOperation>>;
    const op = paths[match.path]?.[match.method];
    if (!op) return;
    const id = match.operationId;
    if (x.status < 400) this.checkRequest(c, id, op, x);
    const declared = op.responses?.[String(x.status)];
    if (!declared) {
      if (x.status < 300) this.add(x, 'response', [`status ${x.status} is not documented`]);
      else this.undocumented.push({ operationId: x.operationId, status: x.status });
      return;
    }
    const schema = jsonSchemaOf(declared);
    this.validatedOperations.add(x.operationId);
    if (x.status < 300) this.validatedSuccess.add(x.operationId);
    if (x.responseBody === undefined || schema === undefined) {
      if (x.responseBody !== undefined && x.status < 300)
        this.add(x, 'response', ['a body where the description has none']);
      return;
    }
    const validate = validator(c, `${id} ${x.status}`, schema);
    if (!validate(x.responseBody)) this.add(x, 'response', formatErrors(validate.errors));
  }

  private checkRequest(c: Contract, id: string, op: SpecOperation, x: Exchange): void {
    const bodySchema = jsonSchemaOf(op.requestBody);
    if (bodySchema !== undefined && x.requestBody !== undefined) {
      const validate = validator(c, `${id} request`, bodySchema);
      if (!validate(x.requestBody)) this.add(x, 'request', formatErrors(validate.errors));
    }
    for (const raw of op.parameters ?? []) {
      const param = resolveRef(raw);
      if (param?.in !== 'query') continue;
      const name = String(param.name);
      const value = x.query[name];
      if (value === undefined) continue;
      const schema = param.schema as Json | undefined;
      const typed = schema?.type === 'integer' || schema?.type === 'number' ? Number(value) : value;
      const validate = validator(c, `${id} query ${name}`, schema ?? {});
      if (!validate(typed))
        this.add(x, 'request', [`query ${name}=${value}: ${formatErrors(validate.errors).join('; ')}`]);
    }
  }
}

function formatErrors(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { instancePath?: string; message?: string; params?: unknown }) =>
    `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`.trim(),
  );
}
