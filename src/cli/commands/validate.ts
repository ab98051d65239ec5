import { parseArgs } from 'node:util';
import { annotateProblems } from '../../config/annotations.ts';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load.ts';
import { identifiedItems } from '../../config/semantic-checks.ts';
import { ConfigurationError, errorMessage } from '../../errors.ts';
import { ActionsLogger } from '../../logger.ts';
import type { Command } from '../command.ts';

const usage = 'shipgate validate [--config PATH]';

/** `shipgate validate`: 0 and a one-line summary for a valid config; 1 and every problem otherwise; 2 for a usage error. */
export const validateCommand: Command = {
  summary: `Check a release config (default ${DEFAULT_CONFIG_PATH}) and list every problem at its line`,
  usage,
  async run(args, io) {
    let config: string | undefined;
    try {
      ({
        values: { config },
      } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: true }));
    } catch (error) {
      io.stderr.write(`shipgate validate: ${errorMessage(error)}\nusage: ${usage}\n`);
      return 2;
    }
    const file = config ?? DEFAULT_CONFIG_PATH;
    let loaded: Awaited<ReturnType<typeof loadConfig>>['config'];
    try {
      ({ config: loaded } = await loadConfig(file, io.cwd ? { cwd: io.cwd } : {}));
    } catch (error) {
      // In a workflow step, each problem also becomes an annotation on its line of the file.
      if (error instanceof ConfigurationError && process.env.GITHUB_ACTIONS === 'true') {
        annotateProblems(new ActionsLogger(), error.problems);
      }
      throw error;
    }
    const counts = new Map<string, number>();
    for (const item of identifiedItems(loaded)) counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
    const environments = Object.keys(loaded.environments);
    const parts = [
      `${environments.length} environment${environments.length === 1 ? '' : 's'} (${environments.join(', ')})`,
      ...(['check', 'step', 'manual item', 'rule'] as const).map((kind) => {
        const count = counts.get(kind) ?? 0;
        return `${count} ${kind}${count === 1 ? '' : 's'}`;
      }),
    ];
    io.stdout.write(`${file}: valid release config for ${loaded.release.name}: ${parts.join(', ')}\n`);
    return 0;
  },
};
