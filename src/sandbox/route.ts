import type { Actor } from './access.ts';
import { type ApiError, missingField, validationFailed } from './api-error.ts';
import type { RateSnapshot } from './rate-limit.ts';
import type { Urls } from './representations.ts';
import type { Access, RepoRecord, RepoRole, Scope, World } from './world.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a handler sees of one request. */
export interface RouteContext {
  world: World;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  actor: Actor;
  urls: Urls;
  /** Set for routes under /repos/{owner}/{repo}: the repository, already authorised. */
  repo?: RepoRecord;
  now(): string;
  /** The caller's primary rate-limit budget before this request is charged. */
  rate: RateSnapshot;
  /** Records the webhook event GitHub would deliver for this change. */
  emit(name: string, payload: Record<string, unknown>): void;
}

/** A list answer: the pipeline paginates `items` and sets the `link` header. */
export interface Page {
  items: unknown[];
  /** Turns one record into JSON (only the records on the requested page are rendered). */
  render?: (item: never) => unknown;
  /** Wraps the page, e.g. `{ total_count, check_runs }`. */
  wrap?: (items: unknown[], total: number) => unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  page?: Page;
  headers?: Record<string, string>;
}

export interface Route {
  method: Method;
  /** The path template exactly as in GitHub's OpenAPI description. */
  path: string;
  /** GitHub's operationId for this operation (`issues/create`). */
  operationId: string;
  /** The permission the operation needs; omitted for operations any authenticated caller may use. */
  scope?: Scope;
  access?: Access;
  /** For user tokens: the lowest repository role allowed (default from scope and access). */
  minimumRole?: RepoRole;
  /** The last path parameter may contain slashes (git refs). */
  greedy?: boolean;
  /** Not charged against the primary rate limit (GET /rate_limit). */
  free?: boolean;
  handle(ctx: RouteContext): Reply;
}

export function defineRoutes(routes: Route[]): Route[] {
  return routes;
}

/** Reads request-body fields with GitHub's 422 answers for wrong types. */
export function stringField(
  body: Record<string, unknown>,
  field: string,
  resource: string,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalidField(resource, field, value);
  }
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string, resource: string): string {
  const value = stringField(body, field, resource);
  if (value === undefined || value === '') {
    throw missing(resource, field);
  }
  return value;
}

export function stringArray(
  body: Record<string, unknown>,
  field: string,
  resource: string,
): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidField(resource, field, value);
  return value.map((item) =>
    typeof item === 'string' ? item : String((item as { name?: unknown }).name ?? item),
  );
}

function invalidField(resource: string, field: string, value: unknown): ApiError {
  return validationFailed([{ resource, code: 'invalid', field, value }]);
}

function missing(resource: string, field: string): ApiError {
  return missingField(resource, field);
}
