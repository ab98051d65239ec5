import type { Check } from '../config/schema.ts';
import { formatDuration } from '../config/units.ts';
import { interpolate, interpolateRecord } from '../engine/template.ts';
import { errorMessage } from '../errors.ts';
import type { CheckContext, CheckStatus, CheckVerdict, Evidence } from './context.ts';
import { excerpt } from './excerpt.ts';
import { evaluateJsonPath, parseJsonPath } from './json-path.ts';
import { compilePattern } from './pattern.ts';

type HttpCheck = Extract<Check, { kind: 'http' }>;
type Expect = HttpCheck['expect'];

/** Bodies are read up to this size; assertions see the first MiB. */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_BACKOFF_MS = 30_000;

/**
 * `http`: one request (method, headers, body; placeholders filled), then every expectation:
 * status (a number or a list, negative cases such as 400 or 401 included), headers, JSON path
 * assertions, body contains / matches, and the latency. Redirects are not followed: a check sees
 * the status the server sends. A failed attempt is retried `retries.attempts - 1` times after
 * `backoff`, doubling each time (at most 30 s).
 *
 * Outcomes: any answer that misses an expectation fails; so does a refused connection or an
 * unknown host (the service is not there). A connect timeout or the check's own timeout is
 * inconclusive: we could not tell.
 *
 * Header expectations: `*` means present, `/re/` a regular expression, anything else the exact
 * value (compared trimmed).
 */
export async function httpCheck(check: HttpCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const where = `checks.${check.id}`;
  const url = interpolate(check.url, ctx.template, `${where}.url`);
  const headers = interpolateRecord(check.headers, ctx.template, `${where}.headers`);
  const body = check.body === undefined ? undefined : interpolate(check.body, ctx.template, `${where}.body`);
  const expect = expectations(check.expect, ctx, where);
  validate(expect, where);

  let verdict: CheckVerdict = { status: 'inconclusive', summary: 'not attempted' };
  try {
    for (let attempt = 1; attempt <= check.retries.attempts; attempt++) {
      if (attempt > 1) {
        const delay = Math.min(check.retries.backoff * 2 ** (attempt - 2), MAX_BACKOFF_MS);
        ctx.logger.info(
          `${check.id}: attempt ${attempt} of ${check.retries.attempts} in ${formatDuration(delay)}`,
        );
        await ctx.clock.sleep(delay, ctx.signal);
      }
      verdict = await attemptOnce(check, expect, { url, headers, body }, ctx);
      verdict.evidence = { ...verdict.evidence, attempts: attempt };
      if (verdict.status === 'passed' || ctx.signal.aborted) break;
    }
  } catch (error) {
    // Only the backoff sleep throws, and only when the check is aborted.
    if (!ctx.signal.aborted) throw error;
  }
  return verdict;
}

interface Request {
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

async function attemptOnce(
  check: HttpCheck,
  expect: Expect,
  request: Request,
  ctx: CheckContext,
): Promise<CheckVerdict> {
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: check.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: ctx.signal,
    });
    text = await readBody(response);
  } catch (error) {
    const { status, reason } = classifyNetworkError(error);
    return {
      status,
      summary: `${check.method} ${request.url}: ${reason}`,
      evidence: { url: request.url, latencyMs: Math.round(performance.now() - started), error: reason },
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  const problems = [
    ...statusProblems(expect, response.status),
    ...headerProblems(expect, response.headers),
    ...bodyProblems(expect, text),
    ...latencyProblems(expect, latencyMs),
  ];
  const evidence: Evidence = {
    url: request.url,
    status: response.status,
    latencyMs,
    excerpt: excerpt(text),
  };
  if (problems.length > 0) return { status: 'failed', summary: problems.join('; '), evidence };
  return { status: 'passed', summary: `${response.status} in ${formatDuration(latencyMs)}`, evidence };
}

/**
 * Placeholders in expected values: header values, `bodyContains` and string `equals`
 * (`$.version == "{version}"` after a deploy). Patterns are left as written.
 */
function expectations(expect: Expect, ctx: CheckContext, where: string): Expect {
  return {
    ...expect,
    headers: interpolateRecord(expect.headers, ctx.template, `${where}.expect.headers`),
    ...(expect.bodyContains === undefined
      ? {}
      : { bodyContains: interpolate(expect.bodyContains, ctx.template, `${where}.expect.bodyContains`) }),
    json: expect.json.map((assertion, index) =>
      typeof assertion.equals === 'string'
        ? {
            ...assertion,
            equals: interpolate(assertion.equals, ctx.template, `${where}.expect.json[${index}].equals`),
          }
        : assertion,
    ),
  };
}

/** Config mistakes (a broken pattern or JSON path) fail the check before any request is sent. */
function validate(expect: Expect, where: string): void {
  if (expect.bodyMatches !== undefined) compilePattern(expect.bodyMatches, `${where}.expect.bodyMatches`);
  for (const [name, wanted] of Object.entries(expect.headers)) {
    if (wanted.length > 2 && wanted.startsWith('/') && wanted.endsWith('/')) {
      compilePattern(wanted.slice(1, -1), `${where}.expect.headers.${name}`);
    }
  }
  expect.json.forEach((assertion, index) => {
    parseJsonPath(assertion.path);
    if (assertion.matches !== undefined) {
      compilePattern(assertion.matches, `${where}.expect.json[${index}].matches`);
    }
  });
}

async function readBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

function statusProblems(expect: Expect, status: number): string[] {
  const allowed = Array.isArray(expect.status) ? expect.status : [expect.status];
  if (allowed.includes(status)) return [];
  return [`expected status ${allowed.join(' or ')}, got ${status}`];
}

function headerProblems(expect: Expect, headers: Headers): string[] {
  const problems: string[] = [];
  for (const [name, wanted] of Object.entries(expect.headers)) {
    const actual = headers.get(name);
    if (actual === null) {
      problems.push(`header ${name} missing`);
    } else if (wanted === '*') {
      // present is enough
    } else if (wanted.length > 2 && wanted.startsWith('/') && wanted.endsWith('/')) {
      if (!compilePattern(wanted.slice(1, -1), `expect.headers.${name}`).test(actual))
        problems.push(`header ${name} does not match ${wanted}`);
    } else if (actual.trim() !== wanted.trim()) {
      problems.push(`header ${name} is '${actual}', expected '${wanted}'`);
    }
  }
  return problems;
}

function bodyProblems(expect: Expect, text: string): string[] {
  const problems: string[] = [];
  if (expect.bodyContains !== undefined && !text.includes(expect.bodyContains)) {
    problems.push(`body does not contain '${expect.bodyContains}'`);
  }
  if (
    expect.bodyMatches !== undefined &&
    !compilePattern(expect.bodyMatches, 'expect.bodyMatches', 'm').test(text)
  ) {
    problems.push(`body does not match /${expect.bodyMatches}/`);
  }
  if (expect.json.length === 0) return problems;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [...problems, 'body is not JSON'];
  }
  for (const assertion of expect.json) {
    const found = evaluateJsonPath(document, assertion.path);
    const p = assertion.path;
    if (assertion.exists === false) {
      if (found.found) problems.push(`${p} exists, expected it absent`);
      continue;
    }
    if (!found.found) {
      problems.push(`${p} not found`);
      continue;
    }
    const value = found.value;
    if (assertion.equals !== undefined && value !== assertion.equals) {
      problems.push(`${p} is ${show(value)}, expected ${show(assertion.equals)}`);
    }
    if (
      assertion.matches !== undefined &&
      !compilePattern(assertion.matches, `expect.json ${p}`).test(scalarText(value))
    ) {
      problems.push(`${p} is ${show(value)}, expected to match /${assertion.matches}/`);
    }
    if (assertion.length !== undefined || assertion.minLength !== undefined) {
      const length = lengthOf(value);
      if (length === undefined) problems.push(`${p} is ${show(value)}, which has no length`);
      else if (assertion.length !== undefined && length !== assertion.length) {
        problems.push(`${p} has length ${length}, expected ${assertion.length}`);
      } else if (assertion.minLength !== undefined && length < assertion.minLength) {
        problems.push(`${p} has length ${length}, expected at least ${assertion.minLength}`);
      }
    }
  }
  return problems;
}

function latencyProblems(expect: Expect, latencyMs: number): string[] {
  if (expect.maxLatency === undefined || latencyMs <= expect.maxLatency) return [];
  return [`answered in ${formatDuration(latencyMs)}, max ${formatDuration(expect.maxLatency)}`];
}

function lengthOf(value: unknown): number | undefined {
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A refused connection or unknown host is an answer (failed); a timeout is not (inconclusive). */
export function classifyNetworkError(error: unknown): { status: CheckStatus; reason: string } {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return { status: 'inconclusive', reason: 'no answer before the timeout' };
  }
  if (code && REFUSED.has(code)) return { status: 'failed', reason: describeCode(code) };
  if (code && /TIMEOUT|ETIMEDOUT|EAI_AGAIN/.test(code)) {
    return { status: 'inconclusive', reason: describeCode(code) };
  }
  if (code && /CERT|SSL|TLS/.test(code)) return { status: 'failed', reason: `TLS error ${code}` };
  return { status: 'failed', reason: errorMessage(cause) };
}

function describeCode(code: string): string {
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    EAI_AGAIN: 'DNS lookup failed temporarily',
  };
  return words[code] ?? code;
}
