import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load.ts';
import { errorMessage } from '../../errors.ts';
import { buildChecklist } from '../../report/checklist.ts';
import { renderPlan } from '../../report/plan.ts';
import type { Command } from '../command.ts';

const usage = 'shipgate plan [--config PATH] [--environment NAME] [--version X] [--changed PATH]...';

/** `shipgate plan`: the checklist a release would follow, as GitHub Markdown. */
export const planCommand: Command = {
  summary: 'Print the checklist a release to an environment would follow, as Markdown',
  usage,
  async run(args, io) {
    let values: { config?: string; environment?: string; version?: string; changed?: string[] };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          config: { type: 'string', short: 'c' },
          environment: { type: 'string', short: 'e' },
          version: { type: 'string' },
          changed: { type: 'string', multiple: true },
        },
        strict: true,
      }));
    } catch (error) {
      io.stderr.write(`shipgate plan: ${errorMessage(error)}\nusage: ${usage}\n`);
      return 2;
    }
    const file = values.config ?? DEFAULT_CONFIG_PATH;
    const { config } = await loadConfig(file, io.cwd ? { cwd: io.cwd } : {});
    const environments = Object.keys(config.environments);
    const environment = values.environment ?? (environments.length === 1 ? environments[0] : undefined);
    if (environment === undefined) {
      io.stderr.write(
        `shipgate plan: ${file} has several environments (${environments.join(', ')}); choose one with --environment NAME\n`,
      );
      return 2;
    }
    const checklist = buildChecklist(config, environment, {
      ...(values.changed && { changedPaths: values.changed }),
      ...(values.version !== undefined && { version: values.version }),
    });
    io.stdout.write(renderPlan(checklist));
    return 0;
  },
};
