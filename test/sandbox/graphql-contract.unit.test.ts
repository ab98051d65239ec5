import { schema } from '@octokit/graphql-schema';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { sandboxGraphqlSchema } from '../../src/sandbox/graphql.ts';

/** GitHub's GraphQL schema, from @octokit/graphql-schema (kept up to date from GitHub's own). */
function githubGraphqlSchema() {
  // GitHub's published SDL repeats a field definition here and there; it is GitHub's, so trust it.
  return buildSchema(schema.idl, { assumeValidSDL: true });
}

/**
 * The sandbox's GraphQL is a subset of GitHub's: every type, field, argument and union member it
 * declares exists in GitHub's schema with the same type. So any query it accepts means the same
 * on GitHub, and gh's queries that it answers are answered in GitHub's shapes.
 */
describe('the sandbox GraphQL schema', () => {
  it('is a subset of GitHub’s GraphQL schema', () => {
    const github = githubGraphqlSchema();
    const ours = sandboxGraphqlSchema();
    const problems: string[] = [];
    // Where the sandbox knowingly differs from GitHub, with the reason.
    const allowed = new Set<string>([]);
    const fields = (t: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> =>
      isObjectType(t) || isInterfaceType(t) ? t.getFields() : {};
    for (const type of Object.values(ours.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
        continue;
      const theirs = github.getType(type.name);
      if (!theirs) {
        problems.push(`type ${type.name} does not exist on GitHub`);
        continue;
      }
      if (theirs.constructor !== type.constructor)
        problems.push(`${type.name} is a different kind of type on GitHub`);
      if (isEnumType(type) && isEnumType(theirs)) {
        const values = new Set(theirs.getValues().map((v) => v.name));
        for (const v of type.getValues())
          if (!values.has(v.name)) problems.push(`${type.name}.${v.name} is not a value on GitHub`);
      }
      if (isUnionType(type) && isUnionType(theirs)) {
        const members = new Set(theirs.getTypes().map((t) => t.name));
        for (const m of type.getTypes())
          if (!members.has(m.name)) problems.push(`${type.name} has no member ${m.name} on GitHub`);
      }
      if (isInputObjectType(type) && isInputObjectType(theirs)) {
        const theirFields = theirs.getFields();
        for (const [name, field] of Object.entries(type.getFields())) {
          const t = theirFields[name];
          if (!t) problems.push(`input ${type.name}.${name} does not exist on GitHub`);
          else if (String(t.type) !== String(field.type)) {
            problems.push(
              `input ${type.name}.${name}: ${String(field.type)} here, ${String(t.type)} on GitHub`,
            );
          }
        }
      }
      const theirFields = fields(theirs);
      for (const [name, field] of Object.entries(fields(type))) {
        const key = `${type.name}.${name}`;
        const t = theirFields[name];
        if (!t) {
          problems.push(`${key} does not exist on GitHub`);
          continue;
        }
        if (String(t.type) !== String(field.type) && !allowed.has(key)) {
          problems.push(`${key}: ${String(field.type)} here, ${String(t.type)} on GitHub`);
        }
        for (const arg of field.args) {
          const theirArg = t.args.find((a) => a.name === arg.name);
          if (!theirArg) problems.push(`${key}(${arg.name}) does not exist on GitHub`);
          else if (String(theirArg.type) !== String(arg.type)) {
            problems.push(
              `${key}(${arg.name}): ${String(arg.type)} here, ${String(theirArg.type)} on GitHub`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
