import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

/**
 * The JSON Schema of the release config, generated from the zod schema so the two cannot drift:
 * editors use it for completion (`# yaml-language-server: $schema=...` or `$schema:`), and CI
 * rebuilds `schema/shipgate.schema.json` and fails when the committed one differs.
 * It describes what a person writes (`io: 'input'`): defaults are optional, units are strings.
 */
export const SCHEMA_ID =
  'https://raw.githubusercontent.com/shipgate/shipgate/main/schema/shipgate.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const { $schema, title: _title, description: _description, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'shipgate release config',
    description:
      'The release config in .github/shipgate.yml: one file that expresses a deployment runbook (preflight, backup, deploy, smoke, monitor, rollback).',
    ...rest,
  };
}

/** The schema as the file `schema/shipgate.schema.json` holds it. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
