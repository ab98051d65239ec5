import { parseArgs } from 'node:util';
import { ConfigurationError } from '../../errors.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Command, CommandIO } from '../command.ts';

const usage = 'shipgate sandbox [--port N] [--host ADDRESS] [--state FILE]';

/** `shipgate sandbox`: runs the GitHub sandbox until interrupted, printing where it is and the tokens. */
export const sandboxCommand: Command = {
  summary: 'Run the GitHub sandbox (a stateful GitHub REST server for tests and rehearsals) on loopback',
  usage,
  async run(args: string[], io: CommandIO, signal?: AbortSignal): Promise<number> {
    let values: { port?: string; host?: string; state?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { port: { type: 'string' }, host: { type: 'string' }, state: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new ConfigurationError(`${(error as Error).message}\nusage: ${usage}`);
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new ConfigurationError(`--port: expected a port number from 0 to 65535, got '${values.port}'`);
    }
    const sandbox = await startSandbox({
      port,
      host: values.host ?? '127.0.0.1',
      ...(values.state ? { statePath: values.state } : {}),
    });
    const out = io.stdout;
    out.write(`GitHub sandbox listening on ${sandbox.url}\n`);
    out.write(`  REST API     ${sandbox.apiUrl}   (GitHub Enterprise prefix: ${sandbox.ghesApiUrl})\n`);
    out.write(`  control API  ${sandbox.url}/_sandbox/\n`);
    if (values.state) out.write(`  state file   ${values.state}\n`);
    out.write('  tokens\n');
    const world = sandbox.world();
    for (const [name, token] of Object.entries(sandbox.tokens)) {
      const login = world.tokens[token]?.login ?? '';
      if (name !== login) out.write(`    ${name.padEnd(9)} ${login.padEnd(20)} ${token}\n`);
    }
    out.write(`export GITHUB_API_URL=${sandbox.apiUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      signal?.addEventListener('abort', stop, { once: true });
    });
    await sandbox.stop();
    out.write('GitHub sandbox stopped\n');
    return 0;
  },
};
