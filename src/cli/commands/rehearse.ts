import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load.ts';
import { ConfigurationError, errorMessage } from '../../errors.ts';
import { ConsoleLogger } from '../../logger.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Command } from '../command.ts';
import { rehearse } from '../rehearsal.ts';

const usage =
  'shipgate rehearse [--config PATH] [--environment NAME] [--version V] [--url URL] [--out DIR] [--keep]';

/**
 * `shipgate rehearse`: runs a whole release locally against the embedded GitHub sandbox and
 * writes what GitHub would show (tracking issue, PR comment, rollback issue, tags) as Markdown.
 */
export const rehearseCommand: Command = {
  summary: 'Run a release against the embedded GitHub sandbox and show the issue, comment and tags it makes',
  usage,
  async run(args, io) {
    let values: {
      config?: string;
      environment?: string;
      version?: string;
      url?: string;
      out?: string;
      keep?: boolean;
    };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          config: { type: 'string', short: 'c' },
          environment: { type: 'string', short: 'e' },
          version: { type: 'string' },
          url: { type: 'string' },
          out: { type: 'string' },
          keep: { type: 'boolean' },
        },
        strict: true,
      }));
    } catch (error) {
      io.stderr.write(`shipgate rehearse: ${errorMessage(error)}\nusage: ${usage}\n`);
      return 2;
    }
    const cwd = io.cwd ?? process.cwd();
    const { config } = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH, { cwd });
    const environments = Object.keys(config.environments);
    const environment = values.environment ?? (environments.length === 1 ? environments[0]! : undefined);
    if (!environment) {
      throw new ConfigurationError(`--environment: the config has ${environments.join(', ')}; name one`);
    }
    if (values.url) {
      const known = config.environments[environment];
      if (known) known.url = values.url;
    }
    const sandbox = await startSandbox();
    const logger = new ConsoleLogger(io.stdout, io.stderr);
    try {
      const result = await rehearse({
        config,
        environment,
        version: values.version ?? `v0.0.0-rehearsal.${Date.now()}`,
        sandbox,
        out: resolve(cwd, values.out ?? '.rehearsal'),
        logger,
        cwd,
      });
      io.stdout.write(
        `\nrehearsal ${result.outcome.outcome}${result.outcome.rolledBack ? ' (rolled back)' : ''}\n`,
      );
      for (const file of result.files) io.stdout.write(`  ${file}\n`);
      io.stdout.write(
        `sandbox: ${sandbox.url} (tracking issue: ${sandbox.apiUrl}/repos/acme/webshop/issues/${result.issue ?? '?'})\n`,
      );
      if (values.keep) {
        io.stdout.write('the sandbox keeps running; press Ctrl-C to stop\n');
        await new Promise<void>((done) => process.once('SIGINT', () => done()));
      }
      return result.outcome.outcome === 'failed' && !result.outcome.rolledBack ? 1 : 0;
    } finally {
      await sandbox.stop();
    }
  },
};
