import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchemaText } from '../../src/config/json-schema.ts';
import { loadConfig } from '../../src/config/load.ts';

const examples = readdirSync('examples')
  .filter((file) => file.endsWith('.shipgate.yml'))
  .sort()
  .map((file) => `examples/${file}`);
const committedSchema = readFileSync('schema/shipgate.schema.json', 'utf8');

describe('the JSON Schema', () => {
  it('committed in schema/ is the one generated from the zod schema', () => {
    expect(committedSchema).toBe(configJsonSchemaText());
  });

  it('is draft 2020-12 with an id, a title and descriptions', () => {
    const schema = JSON.parse(committedSchema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/shipgate\.schema\.json$/);
    expect(schema.title).toBe('shipgate release config');
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'release', 'environments', 'deploy']));
    expect(schema.properties.$schema.description).toBeTruthy();
  });
});

describe('the examples', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(committedSchema));

  it('include the two runbooks and the demo', () => {
    expect(examples).toEqual([
      'examples/demo.shipgate.yml',
      'examples/pagination.shipgate.yml',
      'examples/task-server.shipgate.yml',
    ]);
  });

  for (const file of examples) {
    it(`${file} loads with loadConfig`, async () => {
      const { config } = await loadConfig(file);
      expect(config.version).toBe(1);
    });

    it(`${file} validates with ajv against the committed JSON Schema`, () => {
      const valid = validate(parse(readFileSync(file, 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });
  }

  it('the JSON Schema also refuses what the loader refuses', () => {
    expect(
      validate({
        version: 1,
        release: { name: 'x' },
        environments: { p: {} },
        deploy: { steps: [{ id: 'a', run: 'a', timout: '1m' }] },
      }),
    ).toBe(false);
    expect(
      validate({
        version: 1,
        release: { name: 'x' },
        environments: { p: {} },
        deploy: { steps: [{ id: 'a', run: 'a', timeout: '10 minutes' }] },
      }),
    ).toBe(false);
  });

  it('express the runbooks: the task-server example has the negative and length smoke checks', async () => {
    const { config } = await loadConfig('examples/task-server.shipgate.yml');
    const smoke = config.smoke?.checks ?? [];
    const tools = smoke.find((check) => check.id === 'smoke-mcp-tools');
    expect(tools?.kind === 'http' && tools.expect.json).toEqual([{ path: '$.tools', length: 6 }]);
    const noToken = smoke.find((check) => check.id === 'smoke-chat-without-token');
    expect(noToken?.kind === 'http' && noToken.expect.status).toBe(401);
    expect(config.backup).toMatchObject({ driver: 'pg_dump', verify: { testRestore: true } });
    expect(config.rollback).toMatchObject({
      strategy: 'full',
      tag: { pattern: 'rollback-{environment}-{date}-{time}' },
    });
    expect(Object.keys(config.rollback?.authorize ?? {})).toEqual(['P0', 'P1', 'P2']);
  });

  it('express the runbooks: the pagination example has its rollback triggers as rules', async () => {
    const { config } = await loadConfig('examples/pagination.shipgate.yml');
    const rules = Object.fromEntries((config.monitor?.rules ?? []).map((rule) => [rule.id, rule]));
    expect(rules['error-rate-rollback']).toMatchObject({
      critical: { op: '>', value: 0.05 },
      for: 600_000,
      actions: { critical: 'rollback' },
    });
    expect(rules['p95-rollback']).toMatchObject({
      critical: { value: 2000, unit: 'milliseconds' },
      for: 600_000,
    });
    const invalidCursor = config.smoke?.checks.find((check) => check.id === 'smoke-invalid-cursor');
    expect(invalidCursor?.kind === 'http' && invalidCursor.expect.status).toBe(400);
    expect(config.backup).toMatchObject({
      tables: ['api_keys', 'organizations'],
      verify: { testRestore: true },
    });
    expect(config.preflight?.signoffs).toEqual(['tech-lead', 'devops', 'qa-lead', 'product-owner']);
    expect(config.monitor?.signoffs).toEqual(['deployment-lead', 'on-call']);
  });
});
