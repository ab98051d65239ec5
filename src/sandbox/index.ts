/**
 * The GitHub sandbox: a stateful GitHub REST server on loopback that tests, the demo and
 * `shipgate rehearse` reach over real HTTP with the same Octokit code used against api.github.com.
 *
 *   const sandbox = await startSandbox();            // the documented DEFAULT_WORLD
 *   const octokit = createOctokit({ baseUrl: sandbox.apiUrl, auth: sandbox.tokens.admin });
 *   await sandbox.control.fault({ operationId: 'issues/create', kind: 'status', status: 502 });
 *   await sandbox.stop();
 */
import { SandboxControl } from './control-client.ts';
import { type SandboxOptions, SandboxServer } from './server.ts';
import type { World } from './world.ts';

export interface Sandbox {
  /** Origin, e.g. `http://127.0.0.1:40123`; the control API is under `${url}/_sandbox/`. */
  url: string;
  /** REST base URL for Octokit / GITHUB_API_URL (the root, like api.github.com). */
  apiUrl: string;
  /** The same API under GitHub Enterprise Server's prefix: `${url}/api/v3`. */
  ghesApiUrl: string;
  /** Tokens by role for the default world (`admin`, `maintain`, `write`, `triage`, `read`, `outsider`, `actions`, `forkPr`) and by login. */
  tokens: Record<string, string>;
  control: SandboxControl;
  /** A fetch that reaches this sandbox (over TLS it trusts the sandbox's certificate); pass it to Octokit as `request.fetch`. */
  fetch: typeof fetch;
  /** The live state, in process (prefer `control` in tests that should work against a remote sandbox). */
  world(): World;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const server = new SandboxServer(options);
  await server.listen();
  const fetcher = options.tls ? trustingFetch(options.tls.cert) : fetch;
  return {
    url: server.url,
    apiUrl: server.url,
    ghesApiUrl: `${server.url}/api/v3`,
    tokens: server.tokens(),
    control: new SandboxControl(server.url, fetcher),
    fetch: fetcher,
    world: () => server.world,
    stop: () => server.close(),
  };
}

/** fetch that trusts one certificate (the sandbox's own), through undici, loaded only for TLS sandboxes. */
function trustingFetch(cert: string | Buffer): typeof fetch {
  let client: Promise<{ fetch: typeof fetch; dispatcher: unknown }> | undefined;
  return async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    client ??= import('undici').then((undici) => ({
      fetch: undici.fetch as unknown as typeof fetch,
      dispatcher: new undici.Agent({ connect: { ca: cert } }),
    }));
    const { fetch: undiciFetch, dispatcher } = await client;
    return undiciFetch(input, { ...init, dispatcher } as RequestInit);
  };
}

export { SandboxControl } from './control-client.ts';
export { createDefaultWorld, DEFAULT_WORLD } from './default-world.ts';
export type { Exchange, ExchangeHook } from './exchange.ts';
export type { Fault, FaultKind, FaultSpec } from './faults.ts';
export type { LoggedRequest } from './request-log.ts';
export { ROUTES } from './routes/index.ts';
export type { SandboxOptions } from './server.ts';
export type { SandboxEvent, World } from './world.ts';
