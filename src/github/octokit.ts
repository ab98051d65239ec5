/**
 * The one Octokit factory. Every GitHub call in shipgate goes through an Octokit made here:
 * @octokit/rest with the retry plugin (server errors and dropped connections are retried, an
 * explicit list of client errors is not) and the throttling plugin (primary and secondary rate
 * limits are waited out, up to a bound). The base URL comes from GITHUB_API_URL, so GitHub
 * Enterprise Server and the sandbox work unchanged; HTTPS_PROXY is honoured through undici.
 * Timing is injectable so tests wait milliseconds where production waits seconds.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck/light.js';

export type GitHub = InstanceType<typeof ShipgateOctokit>;

const ShipgateOctokit = Octokit.plugin(retry, throttling);

/**
 * Statuses never retried: the request itself is wrong or not allowed, and asking again changes
 * nothing. 403 and 429 rate limits are the throttling plugin's to wait out, not the retry plugin's.
 */
export const DO_NOT_RETRY: readonly number[] = [400, 401, 403, 404, 409, 410, 422, 429, 451];

export interface OctokitTiming {
  /** Multiplies the retry plugin's backoff ((retryCount+1)^2 units). Default 1000 ms. */
  retryBaseMs?: number;
  /** Multiplies `retry-after` seconds from rate-limit answers. Default 1000 ms (use 1 in tests). */
  retryAfterUnitMs?: number;
  /**
   * Minimum gap between writes, GitHub's advice against secondary limits: default 1000 ms, and
   * 3000 ms for writes that notify people (issues, comments), the throttling plugin's defaults.
   * When set, both gaps take this value.
   */
  writeSpacingMs?: number;
}

/**
 * Timing for talking to the local GitHub sandbox (tests, `shipgate rehearse`): retries and
 * rate-limit waits scaled from seconds to milliseconds, no spacing between writes.
 */
export const SANDBOX_TIMING: Readonly<OctokitTiming> = {
  retryBaseMs: 5,
  retryAfterUnitMs: 10,
  writeSpacingMs: 0,
};

export interface OctokitOptions {
  /** A token (GITHUB_TOKEN, a PAT, a sandbox token). */
  auth?: string;
  /** REST base URL; default GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  userAgent?: string;
  /** Retries after a server error or dropped connection (default 3). */
  retries?: number;
  /** Rate-limit retries (default 2). */
  rateLimitRetries?: number;
  /** Longest rate-limit wait, in seconds of `retry-after`, that is waited out (default 120). */
  maxRateLimitWaitSeconds?: number;
  timing?: OctokitTiming;
  /** Where warnings go (rate limits hit, retries); default: nowhere. */
  log?: { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };
  /** Environment to read GITHUB_API_URL and proxies from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** A fetch implementation (default: global fetch, or undici through the proxy when one is set). */
  fetch?: typeof fetch;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function createOctokit(options: OctokitOptions = {}): GitHub {
  const env = options.env ?? process.env;
  const baseUrl = (options.baseUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
  // SHIPGATE_WRITE_SPACING_MS: the gap between writes (GitHub asks for about a second; a GitHub
  // Enterprise Server with its own limits, or the sandbox, can take less).
  const spacing = env.SHIPGATE_WRITE_SPACING_MS;
  const timing =
    options.timing ?? (spacing && /^\d+$/.test(spacing) ? { writeSpacingMs: Number(spacing) } : {});
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const log = options.log ?? quiet;
  const writeSpacing = timing.writeSpacingMs;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (retryCount < rateLimitRetries && retryAfter <= maxWait) {
        log.warn(
          `GitHub ${kind} rate limit on ${request.method} ${request.url}; retrying after ${retryAfter}s`,
        );
        return true;
      }
      log.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}; giving up`);
      return false;
    };
  const fetchImpl = options.fetch ?? proxyFetch(env);
  return new ShipgateOctokit({
    auth: options.auth,
    baseUrl,
    userAgent: options.userAgent ?? 'shipgate',
    log,
    request: fetchImpl ? { fetch: fetchImpl } : {},
    retry: {
      doNotRetry: [...DO_NOT_RETRY],
      retries: options.retries ?? 3,
      retryAfterBaseValue: timing.retryBaseMs ?? 1000,
    },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: timing.retryAfterUnitMs ?? 1000,
      fallbackSecondaryRateRetryAfter: 60,
      // The plugin's default groups space writes 1 s (notifying writes 3 s) apart, process-wide;
      // groups of our own make that gap a parameter.
      ...(writeSpacing === undefined
        ? {}
        : {
            write: new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.max(0, writeSpacing) }),
            notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.max(0, writeSpacing) }),
          }),
    },
  });
}

/** A fetch that goes through HTTPS_PROXY/HTTP_PROXY (honouring NO_PROXY), or undefined when none is set. */
export function proxyFetch(env: NodeJS.ProcessEnv): typeof fetch | undefined {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (!proxy) return undefined;
  let agent: Promise<{ fetch: typeof fetch; dispatcher: unknown }> | undefined;
  // undici is loaded only when a proxy is configured, so the common case pays nothing for it.
  return async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    agent ??= import('undici').then((undici) => ({
      fetch: undici.fetch as unknown as typeof fetch,
      dispatcher: new undici.EnvHttpProxyAgent({
        httpProxy: env.HTTP_PROXY ?? env.http_proxy ?? proxy,
        httpsProxy: proxy,
        noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
      }),
    }));
    const { fetch: undiciFetch, dispatcher } = await agent;
    return undiciFetch(input, { ...init, dispatcher } as RequestInit);
  };
}
