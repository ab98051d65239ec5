import { z } from 'zod';
import type { KeyPath } from './yaml-source.ts';

/**
 * Walks the zod schema alongside the document to find what is valid at a place: the keys a
 * mapping may have (for "did you mean" on an unknown key), the values an enum allows, and the
 * description written for a field. Discriminated unions follow the document's own `kind`.
 */

type Schema = z.core.$ZodType;

function wrapperInner(schema: Schema): Schema | undefined {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodReadonly ||
    schema instanceof z.ZodCatch ||
    schema instanceof z.ZodNonOptional
  ) {
    return schema.def.innerType;
  }
  if (schema instanceof z.ZodPipe) return schema.def.in;
  if (schema instanceof z.ZodLazy) return schema.def.getter();
  return undefined;
}

/** The schema with optional/default/pipe wrappers taken off, and the first description on the way. */
export function unwrap(schema: Schema): { schema: Schema; description?: string } {
  let current = schema;
  let description = z.globalRegistry.get(current)?.description;
  for (let inner = wrapperInner(current); inner; inner = wrapperInner(current)) {
    current = inner;
    description ??= z.globalRegistry.get(current)?.description;
  }
  return description === undefined ? { schema: current } : { schema: current, description };
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For a union, the option that the input was meant to be. */
function chooseOption(union: z.ZodUnion, input: unknown): Schema | undefined {
  const options = union.def.options as readonly Schema[];
  const discriminator = (union.def as { discriminator?: string }).discriminator;
  if (discriminator !== undefined) {
    if (!isRecordLike(input)) return undefined;
    const wanted = input[discriminator];
    return options.find((option) => {
      const inner = unwrap(option).schema;
      if (!(inner instanceof z.ZodObject)) return false;
      const literal = unwrap(inner.shape[discriminator] as Schema).schema;
      return literal instanceof z.ZodLiteral && literal.values.has(wanted as never);
    });
  }
  return options.find((option) => {
    const inner = unwrap(option).schema;
    if (Array.isArray(input)) return inner instanceof z.ZodArray;
    if (isRecordLike(input)) return inner instanceof z.ZodObject || inner instanceof z.ZodRecord;
    return !(inner instanceof z.ZodArray || inner instanceof z.ZodObject || inner instanceof z.ZodRecord);
  });
}

export interface SchemaPlace {
  schema: Schema;
  description?: string | undefined;
}

/** The schema at `path`, unions not yet resolved at the last step. */
function walk(
  root: Schema,
  path: KeyPath,
  input: unknown,
): { place: SchemaPlace; value: unknown } | undefined {
  let place: SchemaPlace = unwrap(root);
  let value = input;
  for (const segment of path) {
    let current = place.schema;
    if (current instanceof z.ZodUnion) {
      const option = chooseOption(current, value);
      if (!option) return undefined;
      current = unwrap(option).schema;
    }
    let next: Schema | undefined;
    if (current instanceof z.ZodObject) {
      next = Object.hasOwn(current.shape, segment) ? (current.shape[String(segment)] as Schema) : undefined;
    } else if (current instanceof z.ZodRecord) next = current.def.valueType;
    else if (current instanceof z.ZodArray) next = current.def.element;
    if (!next) return undefined;
    place = unwrap(next);
    value =
      isRecordLike(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return { place, value };
}

/** The schema at `path` inside `root`, following `input` through unions. */
export function schemaAt(root: Schema, path: KeyPath, input: unknown): SchemaPlace | undefined {
  const found = walk(root, path, input);
  if (!found) return undefined;
  const { place, value } = found;
  if (place.schema instanceof z.ZodUnion) {
    const option = chooseOption(place.schema, value);
    if (option) {
      const chosen = unwrap(option);
      return { schema: chosen.schema, description: place.description ?? chosen.description };
    }
  }
  return place;
}

/**
 * For a discriminated union at `path` (checks, sources): the discriminator values of the options
 * that do have `key`, so `url` on a command check can say it belongs to `kind: http`.
 */
export function optionsWithKey(root: Schema, path: KeyPath, input: unknown, key: string): string[] {
  const found = walk(root, path, input);
  const union = found?.place.schema;
  if (!(union instanceof z.ZodUnion)) return [];
  const discriminator = (union.def as { discriminator?: string }).discriminator;
  if (discriminator === undefined) return [];
  const values: string[] = [];
  for (const option of union.def.options as readonly Schema[]) {
    const inner = unwrap(option).schema;
    if (!(inner instanceof z.ZodObject) || !Object.hasOwn(inner.shape, key)) continue;
    const literal = unwrap(inner.shape[discriminator] as Schema).schema;
    if (literal instanceof z.ZodLiteral) values.push(...[...literal.values].map(String));
  }
  return values;
}

/** The keys a mapping may have at `path`, in schema order; undefined when it is not a fixed mapping. */
export function keysAt(root: Schema, path: KeyPath, input: unknown): string[] | undefined {
  const place = schemaAt(root, path, input);
  if (!place) return undefined;
  if (place.schema instanceof z.ZodObject) return Object.keys(place.schema.shape);
  return undefined;
}
